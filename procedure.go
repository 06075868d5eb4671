package motcua

import "encoding/json"

// Tiers of government that offer procedures.
const (
	TierProvince = "province"
	TierDistrict = "district"
	TierCommune  = "commune"
)

// Online service classes of Decree 42/2022 (replacing levels 3 and 4).
const (
	OnlineFull    = "full"    // toàn trình
	OnlinePartial = "partial" // một phần
)

// Shapes: the Go workflows that run families of procedures.
const (
	ShapeStandard  = "standard"
	ShapeComplaint = "complaint"
)

// Text is a name in Vietnamese and English.
type Text struct {
	Vi string `yaml:"vi" json:"vi"`
	En string `yaml:"en" json:"en"`
}

// Procedure is a procedure definition (thủ tục hành chính): data, loaded from
// one YAML file, that parameterises a shape. A case pins the definition it
// started with (its whole value goes into the workflow input).
type Procedure struct {
	Code         string `yaml:"code" json:"code"`
	Version      int    `yaml:"version" json:"version"`
	NationalCode string `yaml:"national_code,omitempty" json:"national_code,omitempty"` // mã TTHC quốc gia
	Name         Text   `yaml:"name" json:"name"`
	Tier         string `yaml:"tier" json:"tier"`
	// Search: other names people use (the seed's wording, former names),
	// extra search words, and the field (lĩnh vực) of the national catalogue.
	Aliases  []string `yaml:"aliases,omitempty" json:"aliases,omitempty"`
	Keywords []string `yaml:"keywords,omitempty" json:"keywords,omitempty"`
	Field    string   `yaml:"field,omitempty" json:"field,omitempty"`
	// Agencies that may lead a case; the applicant picks one when there are
	// several (a district procedure is offered by every district).
	Agencies   []string   `yaml:"agencies" json:"agencies"`
	CoAgencies []CoAgency `yaml:"co_agencies,omitempty" json:"co_agencies,omitempty"`
	Level      int        `yaml:"level" json:"level"`   // 1–4, Decree 43/2011
	Online     string     `yaml:"online" json:"online"` // full | partial, Decree 42/2022
	Shape      string     `yaml:"shape,omitempty" json:"shape"`
	// Locality is the form field (a dotted path; several, comma-separated,
	// make one address) holding the address that decides which of several
	// competent communes takes the case: where the business sits, the land
	// lies, the person stays. Empty: the applicant's address.
	Locality string `yaml:"locality,omitempty" json:"locality,omitempty"`
	// Form is the JSON Schema of the application form.
	Form        json.RawMessage `yaml:"-" json:"form"`
	ExampleForm json.RawMessage `yaml:"-" json:"example_form,omitempty"`
	Documents   []DocumentSpec  `yaml:"documents" json:"documents"`
	Fee         *Fee            `yaml:"fee" json:"fee"`
	// ProcessingDays is the legal processing time in working days, counted
	// from the day after reception.
	ProcessingDays int `yaml:"processing_days" json:"processing_days"`
	// SupplementDays is how many working days the applicant has to supplement
	// a file before the case is cancelled.
	SupplementDays int            `yaml:"supplement_days" json:"supplement_days"`
	Deadlines      map[string]int `yaml:"deadlines,omitempty" json:"deadlines,omitempty"`
	Steps          Steps          `yaml:"steps" json:"steps"`
	// Checks are the agency back-end calls the case makes, and when.
	Checks   []Check    `yaml:"checks,omitempty" json:"checks,omitempty"`
	Result   ResultSpec `yaml:"result" json:"result"`
	Delivery []string   `yaml:"delivery" json:"delivery"`
	Info     Info       `yaml:"info" json:"info"`
	// Hash is the SHA-256 of the source file, computed on load: what a case pins.
	Hash string `yaml:"-" json:"hash"`
	// FormFile is where the printable form (level 2) downloads; the API
	// fills it in.
	FormFile string `yaml:"-" json:"form_file,omitempty"`
	// Clock overrides the shape's legal-clock rules (clock.go) where the
	// procedure's own text says otherwise.
	Clock *ClockLaw `yaml:"clock,omitempty" json:"clock,omitempty"`
	// Levels is the roadmap: from which date the procedure was offered at
	// which level, oldest first, the last entry at Level (today's). The
	// YAML writes it right after level:.
	Levels []LevelSince `yaml:"levels,omitempty" json:"levels,omitempty"`
	// FirstInstance, on a second-instance complaint, is the code of the
	// first-instance procedure it is filed against: such a case is filed
	// from the first case (Law on Complaints 2011 Art. 33), never from the
	// catalogue.
	FirstInstance string `yaml:"first_instance,omitempty" json:"first_instance,omitempty"`
}

// LevelSince says that from Since (YYYY-MM-DD, Vietnam) a procedure was
// offered at Level: 1–2 information and forms, 3 partly and 4 fully online
// (Decree 43/2011, Art. 3; Decree 42/2022 calls 3–4 "một phần", "toàn trình").
type LevelSince struct {
	Since string `yaml:"since" json:"since"`
	Level int    `yaml:"level" json:"level"`
}

// CoAgency is a co-processing agency (cơ quan phối hợp, liên thông) with its
// share of the processing time.
type CoAgency struct {
	Agency string `yaml:"agency" json:"agency"`
	Days   int    `yaml:"days" json:"days"`
	Role   Role   `yaml:"role,omitempty" json:"role,omitempty"`
	// Basis is the text that gives the agency its share of the time.
	Basis string `yaml:"basis,omitempty" json:"basis,omitempty"`
}

// DocumentSpec is a document the applicant must (or may) attach.
type DocumentSpec struct {
	Code     string `yaml:"code" json:"code"`
	Name     string `yaml:"name" json:"name"`
	Required bool   `yaml:"required" json:"required"`
	Copies   string `yaml:"copies,omitempty" json:"copies,omitempty"` // "01 bản chính", "01 bản sao"
	Note     string `yaml:"note,omitempty" json:"note,omitempty"`
}

// Fee is the charge (phí, lệ phí) for a procedure, in VND: the standard
// amount, or a schedule (fee.go) when the text sets other rates by channel,
// applicant or area, exemptions, separate charges and when it is due.
type Fee struct {
	Amount     int64  `yaml:"amount" json:"amount"`
	Name       string `yaml:"name" json:"name"`
	LegalBasis string `yaml:"legal_basis" json:"legal_basis"`
	// Due is when the fee is paid: FeeDueFiling or FeeDueResult ("" =
	// FeeDueResult, after approval, before the result is issued).
	Due string `yaml:"due,omitempty" json:"due,omitempty"`
	// Rates are the schedule's other amounts; the first that matches the
	// case applies, else Amount.
	Rates []FeeRate `yaml:"rates,omitempty" json:"rates,omitempty"`
	// Charges are further charges paid with the fee (e.g. the enterprise
	// registration publication fee).
	Charges []Charge `yaml:"charges,omitempty" json:"charges,omitempty"`
}

// Step says who performs a step: Role at Agency ("" = the case's lead agency).
type Step struct {
	Role   Role   `yaml:"role" json:"role"`
	Agency string `yaml:"agency,omitempty" json:"agency,omitempty"`
}

// Steps says who performs each step a procedure uses, by step name (the
// Step* names below); a step left out is skipped where its shape allows.
// Which steps a shape requires and accepts is the shape's (workflows.Shapes).
type Steps map[string]*Step

// MarshalJSON writes no steps as {}, never null.
func (s Steps) MarshalJSON() ([]byte, error) {
	if s == nil {
		return []byte("{}"), nil
	}
	return json.Marshal(map[string]*Step(s))
}

// Step names: the keys of a definition's steps.
const (
	StepReceive  = "receive"  // tiếp nhận
	StepReview   = "review"   // thẩm định (complaints: xác minh)
	StepApprove  = "approve"  // phê duyệt
	StepPayment  = "payment"  // thu phí, lệ phí
	StepIssue    = "issue"    // ban hành kết quả
	StepDeliver  = "deliver"  // trả kết quả
	StepOverdue  = "overdue"  // who is escalated to and reschedules a late case
	StepAssign   = "assign"   // complaints: who assigns the investigator
	StepConclude = "conclude" // complaints: who signs the conclusion
)

// StepNames lists every step name in one fixed order, the order in which a
// case lists the agencies its steps involve.
var StepNames = []string{StepReceive, StepReview, StepApprove, StepPayment, StepIssue, StepDeliver, StepOverdue, StepAssign, StepConclude, StepAnswer}

// Check is one back-end call: Kind (one of Checks) at step At, reading
// Field of the form (a dotted path) when the kind needs one.
type Check struct {
	Kind  string `yaml:"kind" json:"kind"`
	At    string `yaml:"at" json:"at"`
	Field string `yaml:"field,omitempty" json:"field,omitempty"`
}

// ResultSpec is what the procedure produces.
type ResultSpec struct {
	Type string `yaml:"type" json:"type"` // licence, certificate, decision, confirmation
	Name string `yaml:"name" json:"name"`
	// Template is how the result document is drawn up and who signs it.
	Template *ResultTemplate `yaml:"template,omitempty" json:"template,omitempty"`
}

// Kinds of result template: each has its own layout (documents/result.go).
const (
	ResultLicence      = "licence"      // giấy phép
	ResultCertificate  = "certificate"  // giấy chứng nhận, chứng chỉ
	ResultDecision     = "decision"     // quyết định: căn cứ, then articles
	ResultConfirmation = "confirmation" // văn bản xác nhận, thông báo
)

// ResultTemplate is the template of a result document. Fields, Articles
// and Validity may name data of the case in braces: {applicant.name},
// {applicant.id_number}, {applicant.address}, {form.<dotted path>},
// {case.code}, {procedure.name}, {result.number}, {result.note},
// {result.outcome}, {agency.name}.
type ResultTemplate struct {
	Kind string `yaml:"kind" json:"kind"`
	// Title overrides the document's title (default: the result's name in
	// capitals; a decision's title is always QUYẾT ĐỊNH, the name its subject).
	Title string `yaml:"title,omitempty" json:"title,omitempty"`
	// Fields are the lines of case data the document prints, in order.
	Fields []ResultField `yaml:"fields,omitempty" json:"fields,omitempty"`
	// Basis are a decision's legal grounds, each "Căn cứ …", in order.
	Basis []string `yaml:"basis,omitempty" json:"basis,omitempty"`
	// Articles are a decision's articles (Điều 1, Điều 2, …), in order.
	Articles []string `yaml:"articles,omitempty" json:"articles,omitempty"`
	// Validity is the term the law sets for the result, if any.
	Validity *ResultValidity `yaml:"validity,omitempty" json:"validity,omitempty"`
	Signer   ResultSigner    `yaml:"signer" json:"signer"`
}

// ResultField is one printed line: a label and the case data it shows.
type ResultField struct {
	Label string `yaml:"label" json:"label"`
	Value string `yaml:"value" json:"value"` // text with {placeholders}
}

// ResultValidity is the term of a result and the text that sets it.
type ResultValidity struct {
	Text  string `yaml:"text" json:"text"`
	Basis string `yaml:"basis" json:"basis"`
}

// ResultSigner is the capacity in which the approver signs: the title
// ("GIÁM ĐỐC", "CHỦ TỊCH", "TRƯỞNG PHÒNG") and, for a collective body, the
// line above it ("TM. ỦY BAN NHÂN DÂN"; Nghị định 30/2020/NĐ-CP Phụ lục I
// khoản 7).
type ResultSigner struct {
	Title    string `yaml:"title" json:"title"`
	OnBehalf string `yaml:"on_behalf,omitempty" json:"on_behalf,omitempty"`
}

// Info is the level-1 information a citizen reads before applying.
type Info struct {
	Summary    string   `yaml:"summary" json:"summary"`
	Applicants string   `yaml:"applicants" json:"applicants"`
	Conditions []string `yaml:"conditions,omitempty" json:"conditions,omitempty"`
	LegalBasis []string `yaml:"legal_basis" json:"legal_basis"`
	Notes      []string `yaml:"notes,omitempty" json:"notes,omitempty"`
}

// OffersAgency reports whether agency may lead a case of p.
func (p *Procedure) OffersAgency(agency string) bool {
	for _, a := range p.Agencies {
		if a == agency {
			return true
		}
	}
	return false
}

// FeeAmount is the fee in VND, 0 when there is none.
func (p *Procedure) FeeAmount() int64 {
	if p.Fee == nil {
		return 0
	}
	return p.Fee.Amount
}
