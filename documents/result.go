package documents

import (
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/motcua/motcua"
)

// Result is the issued result document (giấy phép / giấy chứng nhận / quyết
// định / văn bản xác nhận).
type Result struct {
	DocumentID, CaseCode, Number string
	Title                        string // e.g. "GIẤY PHÉP XÂY DỰNG"
	AgencyName, ProcedureName    string
	Applicant                    motcua.Applicant
	Lines                        []string // the body: what is granted/certified, one paragraph each
	IssuedAt                     time.Time
	IssuedBy                     string // signing officer
	VerifyURL                    string
	// Place is the place name before the date ("Tam Kỳ"); "" means DefaultPlace.
	Place string

	// Kind is the definition's template (motcua.Result*); "" is the plain
	// letter of a definition without one. What follows is its filled text.
	Kind     string
	Subject  string   // a decision's subject line ("Về việc …")
	Basis    []string // a decision's legal grounds, each "Căn cứ …"
	Fields   []Field  // the case data printed, in order
	Articles []string // a decision's articles, without "Điều n."
	Validity string   // the term, with the text that sets it
	// SignerTitle and OnBehalf are the capacity the approver signs in.
	SignerTitle, OnBehalf string
}

// Field is one printed line of case data.
type Field struct{ Label, Value string }

// RenderResult renders the result document the agency issues.
func RenderResult(r Result) ([]byte, error) {
	switch {
	case r.DocumentID == "":
		return nil, errors.New("documents: result has no document id")
	case strings.TrimSpace(r.Title) == "":
		return nil, errors.New("documents: result has no title")
	case r.IssuedAt.IsZero():
		return nil, errors.New("documents: result has no issue time")
	}
	if r.Kind != "" {
		return renderTemplated(r)
	}
	title := strings.ToUpper(oneLine(r.Title))
	w := newWriter(title, oneLine(r.AgencyName), r.IssuedAt)
	w.officialHeader(oneLine(r.AgencyName), oneLine(r.Number), placeDate(r.Place, r.IssuedAt))
	w.title(title)

	x := marginL
	a := r.Applicant
	w.spans(x, span{"Cấp cho: ", ""}, span{oneLine(a.Name), "B"})
	if a.IDNumber != "" {
		w.spans(x, span{"Số định danh cá nhân: " + oneLine(a.IDNumber), ""})
	}
	if a.Address != "" {
		w.spans(x, span{"Địa chỉ: " + oneLine(a.Address), ""})
	}
	w.pdf.Ln(2)
	for _, line := range r.Lines {
		w.para(x, clean(line), "", bodySize, "J")
		w.pdf.Ln(1.5)
	}
	if r.ProcedureName != "" || r.CaseCode != "" {
		w.pdf.Ln(1)
		w.para(x, basis(oneLine(r.ProcedureName), oneLine(r.CaseCode)), "", smallSize, "L")
	}

	// The signer's position is not part of the input, so the block has no heading.
	recipients := []string{oneLine(a.Name) + ";", "Lưu: VT."}
	if r.CaseCode != "" {
		recipients[1] = "Lưu: VT, hồ sơ " + oneLine(r.CaseCode) + "."
	}
	w.signedFor(signature{instruction: "(Đã ký)", name: oneLine(r.IssuedBy)}, recipients)

	if err := w.verification(oneLine(r.VerifyURL), oneLine(r.DocumentID)); err != nil {
		return nil, err
	}
	return w.bytes()
}

// basis is the small line that ties the result to the case it ends.
func basis(procedure, caseCode string) string {
	switch {
	case procedure != "" && caseCode != "":
		return "Kết quả giải quyết thủ tục hành chính: " + procedure + " (mã hồ sơ " + caseCode + ")."
	case procedure != "":
		return "Kết quả giải quyết thủ tục hành chính: " + procedure + "."
	}
	return "Mã hồ sơ: " + caseCode + "."
}

// signedFor draws the recipients (Nơi nhận) at the left and the signature
// at the right, at the same height (Nghị định 30/2020/NĐ-CP Phụ lục I).
func (w *writer) signedFor(sig signature, recipients []string) {
	w.room(lineHeight(bodySize)*5 + 30)
	top := w.pdf.GetY() + 2
	w.signatures(sig)
	end := w.pdf.GetY()
	w.pdf.SetXY(marginL, top)
	w.font("B", smallSize)
	w.pdf.CellFormat(agencyColW, lineHeight(smallSize), "Nơi nhận:", "", 2, "L", false, 0, "")
	for _, line := range recipients {
		w.pdf.SetX(marginL)
		w.hangingWidth(marginL, 4, agencyColW, "-", line, smallSize)
	}
	w.pdf.SetXY(marginL, max(end, w.pdf.GetY()))
}

// hangingWidth is hanging within a column of the given width.
func (w *writer) hangingWidth(x, indent, width float64, marker, s string, size float64) {
	w.font("", size)
	y := w.pdf.GetY()
	w.pdf.SetXY(x, y)
	w.pdf.CellFormat(indent, lineHeight(size), marker, "", 0, "L", false, 0, "")
	w.pdf.SetXY(x+indent, y)
	w.pdf.MultiCell(width-indent, lineHeight(size), s, "", "L", false)
}

// Apply draws the result up from its definition's template: its kind, the
// case data it prints, a decision's grounds, subject and articles, the term
// and the capacity it is signed in. name is the result's name.
func (r *Result) Apply(t *motcua.ResultTemplate, name string, v motcua.ResultValues) {
	r.Kind, r.SignerTitle, r.OnBehalf = t.Kind, t.Signer.Title, t.Signer.OnBehalf
	if t.Title != "" {
		r.Title = v.Fill(t.Title)
	}
	if t.Kind == motcua.ResultDecision {
		r.Subject = r.Title
		if t.Title == "" {
			r.Subject = "Về việc " + strings.TrimPrefix(lowerFirst(strings.TrimPrefix(name, "Quyết định ")), "về việc ")
		}
	}
	r.Fields = nil
	for _, f := range t.Fields {
		r.Fields = append(r.Fields, Field{Label: f.Label, Value: v.Fill(f.Value)})
	}
	r.Basis = t.Basis
	r.Articles = nil
	for _, a := range t.Articles {
		r.Articles = append(r.Articles, v.Fill(a))
	}
	if t.Validity != nil {
		r.Validity = v.Fill(t.Validity.Text) + " (" + t.Validity.Basis + ")"
	}
	// A decision says everything in its articles; another kind keeps the
	// officer's note under its fields.
	r.Lines = nil
	printsNote := slices.ContainsFunc(t.Fields, func(f motcua.ResultField) bool { return strings.Contains(f.Value, "{result.note}") })
	if t.Kind != motcua.ResultDecision && v.Result.Note != "" && !printsNote {
		r.Lines = []string{v.Result.Note}
	}
}

// lowerFirst lowers a name's first letter, for "Về việc …".
func lowerFirst(s string) string {
	for i, c := range s {
		return strings.ToLower(string(c)) + s[i+len(string(c)):]
	}
	return s
}

// Opening words of each kind of result before the holder's name.
var holderWords = map[string]string{
	motcua.ResultLicence:      "Cấp cho: ",
	motcua.ResultCertificate:  "Chứng nhận: ",
	motcua.ResultConfirmation: "Xác nhận đối với: ",
}

// renderTemplated renders a result from its definition's template: a
// decision as căn cứ, "QUYẾT ĐỊNH:" and articles; a licence, certificate
// or confirmation as the holder, the case data and the term; each signed
// in the capacity the definition names (Nghị định 30/2020/NĐ-CP, Phụ lục
// I and III: the layout of a decision and of a licence or certificate).
func renderTemplated(r Result) ([]byte, error) {
	if blank := strings.TrimSpace(r.SignerTitle) == ""; blank {
		return nil, errors.New("documents: result has no signer's title")
	}
	title := strings.ToUpper(oneLine(r.Title))
	if r.Kind == motcua.ResultDecision {
		title = "QUYẾT ĐỊNH"
		if len(r.Articles) == 0 {
			return nil, errors.New("documents: decision has no articles")
		}
	}
	w := newWriter(title, oneLine(r.AgencyName), r.IssuedAt)
	w.officialHeader(oneLine(r.AgencyName), oneLine(r.Number), placeDate(r.Place, r.IssuedAt))
	x := marginL
	a := r.Applicant

	if r.Kind == motcua.ResultDecision {
		w.pdf.SetX(marginL)
		w.centred(marginL, contentW, title, "B", titleSize)
		if s := oneLine(r.Subject); s != "" {
			w.centred(marginL, contentW, s, "B", bodySize)
		}
		w.pdf.Ln(3)
		authority := strings.ToUpper(oneLine(r.SignerTitle) + " " + oneLine(r.AgencyName))
		if r.OnBehalf != "" { // a collective body decides in its own name
			authority = strings.ToUpper(oneLine(r.AgencyName))
		}
		w.centred(marginL, contentW, authority, "B", bodySize)
		w.pdf.Ln(2)
		for _, b := range r.Basis {
			w.para(x, clean(b)+";", "", bodySize, "J")
		}
		w.para(x, "Xét hồ sơ đề nghị của "+oneLine(a.Name)+" (mã hồ sơ "+oneLine(r.CaseCode)+").", "", bodySize, "J")
		w.pdf.Ln(2)
		w.centred(marginL, contentW, "QUYẾT ĐỊNH:", "B", bodySize)
		w.pdf.Ln(1)
		for i, art := range r.Articles {
			w.spans(x, span{fmt.Sprintf("Điều %d. ", i+1), "B"}, span{oneLine(art), ""})
			if i == 0 {
				for _, f := range r.Fields {
					w.hanging(x+6, 4, "-", oneLine(f.Label)+": "+oneLine(f.Value)+".", "", bodySize)
				}
				if r.Validity != "" {
					w.hanging(x+6, 4, "-", "Thời hạn: "+oneLine(r.Validity)+".", "", bodySize)
				}
			}
			w.pdf.Ln(1)
		}
	} else {
		w.title(title)
		w.spans(x, span{holderWords[r.Kind], ""}, span{oneLine(a.Name), "B"})
		if a.IDNumber != "" {
			w.spans(x, span{"Số định danh cá nhân: " + oneLine(a.IDNumber), ""})
		}
		if a.Address != "" {
			w.spans(x, span{"Địa chỉ: " + oneLine(a.Address), ""})
		}
		for _, f := range r.Fields {
			w.spans(x, span{oneLine(f.Label) + ": ", ""}, span{oneLine(f.Value), "B"})
		}
		for _, line := range r.Lines {
			w.para(x, clean(line), "", bodySize, "J")
		}
		if r.Validity != "" {
			w.pdf.Ln(1)
			w.spans(x, span{"Thời hạn hiệu lực: ", "B"}, span{oneLine(r.Validity), ""})
		}
	}
	if r.ProcedureName != "" || r.CaseCode != "" {
		w.pdf.Ln(1)
		w.para(x, basis(oneLine(r.ProcedureName), oneLine(r.CaseCode)), "", smallSize, "L")
	}

	heading := strings.ToUpper(oneLine(r.SignerTitle))
	if r.OnBehalf != "" {
		heading = strings.ToUpper(oneLine(r.OnBehalf)) + "\n" + heading
	}
	recipients := []string{oneLine(a.Name) + ";", "Lưu: VT, hồ sơ " + oneLine(r.CaseCode) + "."}
	if r.Kind == motcua.ResultDecision {
		recipients = []string{"Như Điều " + fmt.Sprint(len(r.Articles)) + ";", recipients[0], recipients[1]}
	}
	w.signedFor(signature{heading: heading, instruction: "(Đã ký)", name: oneLine(r.IssuedBy)}, recipients)
	if err := w.verification(oneLine(r.VerifyURL), oneLine(r.DocumentID)); err != nil {
		return nil, err
	}
	return w.bytes()
}
