package documents

import (
	"errors"
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
}

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

	// Nơi nhận at the left, the signature at the right, at the same height.
	w.room(lineHeight(bodySize)*4 + 30)
	top := w.pdf.GetY() + 2
	// The signer's position is not part of the input, so the block has no heading.
	w.signatures(signature{instruction: "(Đã ký)", name: oneLine(r.IssuedBy)})
	end := w.pdf.GetY()
	w.pdf.SetXY(marginL, top)
	w.font("B", smallSize)
	w.pdf.CellFormat(agencyColW, lineHeight(smallSize), "Nơi nhận:", "", 2, "L", false, 0, "")
	recipients := []string{oneLine(a.Name) + ";", "Lưu: VT."}
	if r.CaseCode != "" {
		recipients[1] = "Lưu: VT, hồ sơ " + oneLine(r.CaseCode) + "."
	}
	for _, line := range recipients {
		w.pdf.SetX(marginL)
		w.hangingWidth(marginL, 4, agencyColW, "-", line, smallSize)
	}
	w.pdf.SetXY(marginL, max(end, w.pdf.GetY()))

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

// hangingWidth is hanging within a column of the given width.
func (w *writer) hangingWidth(x, indent, width float64, marker, s string, size float64) {
	w.font("", size)
	y := w.pdf.GetY()
	w.pdf.SetXY(x, y)
	w.pdf.CellFormat(indent, lineHeight(size), marker, "", 0, "L", false, 0, "")
	w.pdf.SetXY(x+indent, y)
	w.pdf.MultiCell(width-indent, lineHeight(size), s, "", "L", false)
}
