package motcua

import "time"

// The legal clock's rules (issue 12): which waits on the applicant stop it,
// how many supplement requests the law allows and by when, when a file the
// applicant abandons may be cancelled, and how many new appointments a late
// case may give. A shape sets the defaults (workflows.Shape.Clock); a
// definition overrides them where its own legal text says otherwise.

// Waits on the applicant the legal clock may stop for.
const (
	// WaitSupplement: the file went back to the applicant after reception
	// (yêu cầu bổ sung, hoàn thiện hồ sơ).
	WaitSupplement = "supplement"
	// WaitPayment: the fee, charge or land financial obligation
	// (nghĩa vụ tài chính) the applicant must pay before the result.
	WaitPayment = "payment"
	// WaitCollection: the result is ready; the applicant has yet to collect
	// it. A result ready on time and collected late is on time.
	WaitCollection = "collection"
)

// Waits lists every wait, in the order definitions document them.
var Waits = []string{WaitSupplement, WaitPayment, WaitCollection}

// How the legal clock treats a wait.
const (
	ClockRun     = "run"     // the clock keeps running
	ClockPause   = "pause"   // it stands still and runs on afterwards
	ClockRestart = "restart" // it counts again from zero afterwards (tính lại từ đầu)
)

// ClockModes lists the modes.
var ClockModes = []string{ClockRun, ClockPause, ClockRestart}

// ClockRule is how the clock treats one wait, and the text that says so.
type ClockRule struct {
	Mode  string `yaml:"mode" json:"mode"`
	Basis string `yaml:"basis,omitempty" json:"basis,omitempty"`
}

// ClockLaw is the legal clock's rules of a shape or, overriding it, of a
// definition. A zero field leaves the shape's rule.
type ClockLaw struct {
	// Waits: how the clock treats each wait (Wait* keys).
	Waits map[string]ClockRule `yaml:"waits,omitempty" json:"waits,omitempty"`
	// SupplementRequests is how many times the agency may ask for a
	// supplement after reception; SupplementWithin the working days from
	// reception within which it must ask.
	SupplementRequests int `yaml:"supplement_requests,omitempty" json:"supplement_requests,omitempty"`
	SupplementWithin   int `yaml:"supplement_within,omitempty" json:"supplement_within,omitempty"`
	// CancelBasis, when set, is the legal text that lets the agency cancel
	// a file the applicant did not supplement within the definition's
	// supplement_days. Without one the file waits and is reported.
	CancelBasis string `yaml:"cancel_basis,omitempty" json:"cancel_basis,omitempty"`
	// Reschedules is how many new appointments a late case may give.
	Reschedules int `yaml:"reschedules,omitempty" json:"reschedules,omitempty"`
	// Dialogue says when a complaint's dialogue is held: DialogueWhenDiffers
	// or DialogueAlways ("" none).
	Dialogue string `yaml:"dialogue,omitempty" json:"dialogue,omitempty"`
}

// When a complaint's dialogue is held.
const (
	// DialogueWhenDiffers: the first-instance rule, Law on Complaints 2011
	// Art. 30(1): when the complainant's request and the verification
	// result still differ.
	DialogueWhenDiffers = "when_differs"
	// DialogueAlways: the second-instance rule, Art. 39.
	DialogueAlways = "always"
)

// Merge returns l with the fields o sets replaced.
func (l ClockLaw) Merge(o *ClockLaw) ClockLaw {
	if o == nil {
		return l
	}
	waits := map[string]ClockRule{}
	for k, v := range l.Waits {
		waits[k] = v
	}
	for k, v := range o.Waits {
		waits[k] = v
	}
	l.Waits = waits
	if o.SupplementRequests != 0 {
		l.SupplementRequests = o.SupplementRequests
	}
	if o.SupplementWithin != 0 {
		l.SupplementWithin = o.SupplementWithin
	}
	if o.CancelBasis != "" {
		l.CancelBasis = o.CancelBasis
	}
	if o.Reschedules != 0 {
		l.Reschedules = o.Reschedules
	}
	if o.Dialogue != "" {
		l.Dialogue = o.Dialogue
	}
	return l
}

// Mode is how the clock treats wait ("" and unknown waits: it runs).
func (l ClockLaw) Mode(wait string) string {
	if r, ok := l.Waits[wait]; ok && r.Mode != "" {
		return r.Mode
	}
	return ClockRun
}

// CaseLaw is what a case records of the legal rules it ran under
// (workflow version 3 on): the apology and new appointment, supplement
// requests, extensions, the dialogue of a complaint and the result's time.
type CaseLaw struct {
	// OriginalDueAt is the due date the receipt gave, once an apology moved
	// it; Late marks a case that missed, or announced it would miss, that
	// date: it counts as late whatever the new appointment.
	OriginalDueAt *time.Time `json:"original_due_at,omitempty"`
	Late          bool       `json:"late,omitempty"`
	Apologies     []Apology  `json:"apologies,omitempty"`
	// SupplementRequests counts the requests made after reception.
	SupplementRequests int `json:"supplement_requests,omitempty"`
	// SupplementBy is when the agency's time to ask for a supplement ends.
	SupplementBy *time.Time `json:"supplement_by,omitempty"`
	// ReadyAt is when the result was ready for the applicant; OnTime
	// whether that was by the due date (collection does not count).
	ReadyAt *time.Time `json:"ready_at,omitempty"`
	OnTime  *bool      `json:"on_time,omitempty"`
	// Extensions of a complaint's or denunciation's time limit.
	Extensions []Extension `json:"extensions,omitempty"`
	// ExtendedDays are the calendar days the extensions added.
	ExtendedDays int `json:"extended_days,omitempty"`
	// Dialogue of a complaint (đối thoại), when held.
	Dialogue *Dialogue `json:"dialogue,omitempty"`
	// Measure is what a complaint's decision does to the administrative
	// decision or act (Law on Complaints 2011 Art. 31(2)(h)).
	Measure string `json:"measure,omitempty"`
	// Waiting names the wait the clock stands still for, if any.
	Waiting string `json:"waiting,omitempty"`
	// ApologyBy is the latest an apology and new appointment for the
	// current due date may come: 17:00 of the working day before it
	// (Decree 118/2025 Điều 19 khoản 6: "chậm nhất 01 ngày trước ngày hết
	// hạn"); set while an apology is still allowed (workflow version 5 on).
	ApologyBy *time.Time `json:"apology_by,omitempty"`
	// ReceptionDueAt is when the desk must have answered an online filing
	// (received it, or asked for corrections, or refused it): 08 working
	// hours after the system received it, counted as one working day
	// (Decree 118/2025 Điều 17 khoản 2 điểm c; workflow version 5 on).
	// ReceptionLate marks a filing the desk had not answered by then.
	ReceptionDueAt *time.Time `json:"reception_due_at,omitempty"`
	ReceptionLate  bool       `json:"reception_late,omitempty"`
	// FirstInstance is the code of the first-instance complaint this
	// second-instance complaint is filed against (Law on Complaints 2011
	// Art. 33); SecondInstance, on a first-instance case, the code of the
	// second-instance complaint filed against it (filled in by the API
	// from the read model: the first case may have ended).
	FirstInstance  string `json:"first_instance,omitempty"`
	SecondInstance string `json:"second_instance,omitempty"`
}

// Apology is a written apology and new appointment (văn bản xin lỗi và đề
// nghị gia hạn thời gian giải quyết) by the agency at fault.
type Apology struct {
	Agency string    `json:"agency"`
	Reason string    `json:"reason"`
	At     time.Time `json:"at"`
	DueWas time.Time `json:"due_was"`
	NewDue time.Time `json:"new_due"`
	// AfterDue: the apology came after the due date it should have
	// preceded (an inspector's finding; the applicant still gets it).
	AfterDue bool `json:"after_due,omitempty"`
	// Tardy: the apology came after 17:00 of the working day before the
	// due date it moved, later than Decree 118/2025 Điều 19 khoản 6 allows
	// ("chậm nhất 01 ngày trước ngày hết hạn"); it is accepted all the same
	// (workflow version 5 on).
	Tardy    bool   `json:"tardy,omitempty"`
	Document string `json:"document,omitempty"`
}

// Extension lengthens a complaint's or denunciation's time limit.
type Extension struct {
	Kind     string    `json:"kind"` // complex, especially_complex, remote
	Criteria []string  `json:"criteria,omitempty"`
	Days     int       `json:"days"` // calendar days added
	Reason   string    `json:"reason"`
	At       time.Time `json:"at"`
	By       ActorRef  `json:"by"`
}

// Dialogue is a complaint's dialogue: when it is held and what came of it.
type Dialogue struct {
	Required  bool       `json:"required"`
	Scheduled *time.Time `json:"scheduled,omitempty"`
	Place     string     `json:"place,omitempty"`
	Held      *time.Time `json:"held,omitempty"`
	Attended  *bool      `json:"attended,omitempty"`
	Record    string     `json:"record,omitempty"` // the minutes' summary (biên bản)
}

// Actions and events of the legal clock's rules and of complaints and
// denunciations (issue 12).
const (
	// ActionExtend extends a complaint's or denunciation's time limit
	// (gia hạn giải quyết).
	ActionExtend Action = "extend"
	// ActionScheduleDialogue and ActionRecordDialogue: a complaint's
	// dialogue (đối thoại), Law on Complaints 2011 Art. 30, 39.
	ActionScheduleDialogue Action = "schedule_dialogue"
	ActionRecordDialogue   Action = "record_dialogue"

	// EventSupplementLate: the applicant has not supplemented within
	// supplement_days and no text lets the agency cancel: the file waits
	// and is reported.
	EventSupplementLate Action = "supplement_late"
	// EventApologyIssued: the signed apology and new appointment slip is on
	// the case.
	EventApologyIssued Action = "apology_issued"
	// EventApologyTardy: the apology and new appointment came later than
	// one working day before the due date (Decree 118/2025 Điều 19 khoản
	// 6); the leader and the statistics see it.
	EventApologyTardy Action = "apology_tardy"
	// EventReceptionLate: the desk had not answered an online filing 08
	// working hours after the system received it (Decree 118/2025 Điều 17
	// khoản 2 điểm c).
	EventReceptionLate Action = "reception_late"
)

// DocumentApology is the apology and new appointment slip (TT 03/2025/TT-VPCP
// Mẫu 04 per a secondary source; TT 01/2018/TT-VPCP Mẫu 04).
const DocumentApology = "apology"

// StatusDialogue: a complaint waits for its dialogue (đối thoại).
const StatusDialogue Status = "dialogue"

// ShapeDenunciation runs denunciations (tố cáo) under the Law on
// Denunciations 2018, with the denouncer's identity kept confidential.
const ShapeDenunciation = "denunciation"

// ActionRefer: an anonymous denunciation that is specific and evidenced is
// referred for inspection (Law on Denunciations 2018 Art. 25(2)).
const ActionRefer Action = "refer"
