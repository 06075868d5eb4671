package documents

import (
	"errors"
	"fmt"
	"time"

	"github.com/motcua/motcua"
)

// Receipt is the giấy tiếp nhận hồ sơ và hẹn trả kết quả (Decree 118/2025
// Điều 17 khoản 1 điểm c, khoản 3: one case code on it; form 01 of
// Circular 01/2018/TT-VPCP, of Circular 03/2025/TT-VPCP by a secondary
// source).
type Receipt struct {
	DocumentID, CaseCode, Secret string // Secret: the look-up secret printed for the citizen
	AgencyName, ProcedureName    string
	Applicant                    motcua.Applicant
	Documents                    []string  // names of the documents received
	ReceivedAt, DueAt            time.Time // DueAt: appointment (ngày hẹn trả kết quả)
	ReceivedBy                   string    // officer name
	Delivery                     string    // how the result will be returned, in Vietnamese
	VerifyURL                    string    // the QR code links here
	// Place is the place name before the date ("Tam Kỳ"); "" means DefaultPlace.
	Place string
	// Fees are the case's fee lines: each amount with its legal basis and
	// why that rate applies. None: the procedure charges nothing.
	Fees []motcua.FeeLine
}

// RenderReceipt renders the receipt and appointment slip handed to the
// applicant when a complete file is received.
func RenderReceipt(r Receipt) ([]byte, error) {
	switch {
	case r.DocumentID == "":
		return nil, errors.New("documents: receipt has no document id")
	case r.CaseCode == "":
		return nil, errors.New("documents: receipt has no case code")
	case r.ReceivedAt.IsZero():
		return nil, errors.New("documents: receipt has no reception time")
	}
	const title = "GIẤY TIẾP NHẬN HỒ SƠ VÀ HẸN TRẢ KẾT QUẢ"
	w := newWriter(title, oneLine(r.AgencyName), r.ReceivedAt)
	w.officialHeader(oneLine(r.AgencyName), "", placeDate(r.Place, r.ReceivedAt))
	w.title(title)
	w.codes(oneLine(r.CaseCode), oneLine(r.Secret))

	x := marginL
	a := r.Applicant
	w.spans(x, span{"Tiếp nhận hồ sơ của: ", ""}, span{oneLine(a.Name), "B"})
	if a.IDNumber != "" {
		w.spans(x, span{"Số định danh cá nhân: " + oneLine(a.IDNumber), ""})
	}
	if a.Address != "" {
		w.spans(x, span{"Địa chỉ: " + oneLine(a.Address), ""})
	}
	if contact := contactLine(a); contact != "" {
		w.spans(x, span{contact, ""})
	}
	if r.ProcedureName != "" {
		w.spans(x, span{"Nội dung yêu cầu giải quyết: ", ""}, span{oneLine(r.ProcedureName), "B"})
	}

	w.spans(x, span{"1. Thành phần hồ sơ nộp gồm:", ""})
	if len(r.Documents) == 0 {
		w.hanging(x+6, 7, "", "(không có)", "", bodySize)
	}
	for i, d := range r.Documents {
		w.hanging(x+6, 7, point(i), oneLine(d), "", bodySize)
	}
	w.spans(x, span{"2. Thời gian nhận hồ sơ: " + vnTime(r.ReceivedAt), ""})
	due := "theo thông báo của cơ quan giải quyết"
	if !r.DueAt.IsZero() {
		due = vnTime(r.DueAt)
	}
	w.spans(x, span{"3. Thời gian trả kết quả giải quyết hồ sơ: ", ""}, span{due, "B"})
	n := 4
	if r.Delivery != "" {
		w.spans(x, span{"4. Hình thức nhận kết quả: " + oneLine(r.Delivery), ""})
		n++
	}
	if len(r.Fees) > 0 {
		w.spans(x, span{fmt.Sprintf("%d. Phí, lệ phí: ", n), ""}, span{motcua.Money(motcua.FeeTotal(r.Fees)), "B"})
		for i, l := range r.Fees {
			w.hanging(x+6, 7, point(i), FeeLineText(l), "", bodySize)
		}
	}

	w.signatures(
		signature{heading: "NGƯỜI NỘP HỒ SƠ", instruction: "(Ký và ghi rõ họ tên)", name: oneLine(a.Name)},
		signature{heading: "NGƯỜI TIẾP NHẬN HỒ SƠ", instruction: "(Ký và ghi rõ họ tên)", name: oneLine(r.ReceivedBy)},
	)
	if err := w.verification(oneLine(r.VerifyURL), oneLine(r.DocumentID)); err != nil {
		return nil, err
	}
	return w.bytes()
}

// codes draws the case code and the look-up secret in a frame under the
// title: what the applicant needs to follow the case.
func (w *writer) codes(caseCode, secret string) {
	h := lineHeight(13)
	rows := 1
	if secret != "" {
		rows = 2
	}
	boxH := float64(rows)*h + lineHeight(smallSize) + 4
	w.room(boxH + 4)
	const boxW = 120.0
	x := marginL + (contentW-boxW)/2
	y := w.pdf.GetY()
	w.pdf.SetLineWidth(0.3)
	w.pdf.Rect(x, y, boxW, boxH, "D")
	w.pdf.SetXY(x, y+2)
	w.keyValue(x, boxW, "Mã hồ sơ: ", caseCode)
	if secret != "" {
		w.keyValue(x, boxW, "Mã tra cứu: ", secret)
	}
	w.centred(x, boxW, "(Dùng để tra cứu tình trạng hồ sơ)", "", smallSize)
	w.pdf.SetXY(marginL, y+boxH+4)
}

// keyValue writes "key value" centred in [x, x+width], the value in bold.
func (w *writer) keyValue(x, width float64, key, value string) {
	const size = 13.0
	w.font("", size)
	kw := w.pdf.GetStringWidth(key)
	w.font("B", size)
	vw := w.pdf.GetStringWidth(value)
	y := w.pdf.GetY()
	w.pdf.SetXY(x+(width-kw-vw)/2, y)
	w.font("", size)
	w.pdf.CellFormat(kw, lineHeight(size), key, "", 0, "L", false, 0, "")
	w.font("B", size)
	w.pdf.CellFormat(vw, lineHeight(size), value, "", 0, "L", false, 0, "")
	w.pdf.SetXY(x, y+lineHeight(size))
}

func contactLine(a motcua.Applicant) string {
	switch phone, email := oneLine(a.Phone), oneLine(a.Email); {
	case phone != "" && email != "":
		return "Số điện thoại: " + phone + "; thư điện tử: " + email
	case phone != "":
		return "Số điện thoại: " + phone
	case email != "":
		return "Thư điện tử: " + email
	}
	return ""
}

// FeeLineText is one fee line as the receipt words it: the charge, its
// amount, why that rate, and the text that sets it.
func FeeLineText(l motcua.FeeLine) string {
	amount := motcua.Money(l.Amount)
	if l.Amount == 0 {
		amount = "miễn"
	}
	s := oneLine(l.Name) + ": " + amount
	if r := oneLine(l.Reason); r != "" {
		s += " (" + r + ")"
	}
	if b := oneLine(l.Basis); b != "" {
		s += ". Căn cứ: " + b
	}
	return s + "."
}
