package documents

import (
	"errors"
	"time"

	"github.com/motcua/motcua"
)

// Apology is the written apology and new appointment of a late case: TT
// 03/2025/TT-VPCP Mẫu 04 "Văn bản xin lỗi và đề nghị gia hạn thời gian
// giải quyết" (name per a secondary source; TT 01/2018/TT-VPCP Mẫu 04
// "Phiếu xin lỗi và hẹn lại ngày trả kết quả"), content per NĐ 61/2018
// Điều 19 khoản 9: the agency at fault, the reason of the delay, the new
// date. The form's exact boxes in TT 03/2025: chưa xác minh.
type Apology struct {
	DocumentID, CaseCode       string
	AgencyName, ProcedureName  string // AgencyName: the agency at fault, which signs
	Applicant                  motcua.Applicant
	ReceivedAt, DueWas, NewDue time.Time
	Reason                     string
	SignedBy                   string
	IssuedAt                   time.Time
	VerifyURL                  string
	Place                      string
}

// RenderApology renders the apology and new appointment slip.
func RenderApology(a Apology) ([]byte, error) {
	switch {
	case a.DocumentID == "" || a.CaseCode == "":
		return nil, errors.New("documents: apology has no document id or case code")
	case a.NewDue.IsZero() || a.Reason == "":
		return nil, errors.New("documents: apology has no new date or reason")
	}
	const title = "VĂN BẢN XIN LỖI VÀ ĐỀ NGHỊ GIA HẠN THỜI GIAN GIẢI QUYẾT"
	w := newWriter(title, oneLine(a.AgencyName), a.IssuedAt)
	w.officialHeader(oneLine(a.AgencyName), "", placeDate(a.Place, a.IssuedAt))
	w.title(title)
	w.codes(oneLine(a.CaseCode), "")
	x := marginL
	w.spans(x, span{"Kính gửi: ", ""}, span{oneLine(a.Applicant.Name), "B"})
	if a.ProcedureName != "" {
		w.spans(x, span{"Hồ sơ: ", ""}, span{oneLine(a.ProcedureName), "B"})
	}
	if !a.ReceivedAt.IsZero() {
		w.spans(x, span{"Ngày tiếp nhận: " + vnTime(a.ReceivedAt), ""})
	}
	w.spans(x, span{"Hẹn trả kết quả: " + vnTime(a.DueWas), ""})
	w.spans(x, span{oneLine(a.AgencyName) + " xin lỗi ông/bà vì hồ sơ chậm so với ngày hẹn trả kết quả.", ""})
	w.spans(x, span{"Lý do chậm trễ:", ""})
	w.hanging(x+6, 0, "", oneLine(a.Reason), "", bodySize)
	w.spans(x, span{"Thời gian hẹn trả kết quả mới: ", ""}, span{vnTime(a.NewDue), "B"})
	w.spans(x, span{"Mong ông/bà thông cảm.", ""})
	w.signatures(signature{heading: "THỦ TRƯỞNG CƠ QUAN", instruction: "(Ký, ghi rõ họ tên và đóng dấu)", name: oneLine(a.SignedBy)})
	if err := w.verification(oneLine(a.VerifyURL), oneLine(a.DocumentID)); err != nil {
		return nil, err
	}
	return w.bytes()
}
