package documents

import (
	"errors"
	"strings"
	"time"

	"github.com/motcua/motcua"
)

// Slips of the one-stop mechanism besides the receipt: the supplement
// request slip and the refusal slip. Their content follows the forms of
// Thông tư 01/2018/TT-VPCP (Mẫu số 02 "Phiếu yêu cầu bổ sung, hoàn thiện hồ
// sơ", Mẫu số 03 "Phiếu từ chối tiếp nhận giải quyết hồ sơ"), whose names
// Thông tư 03/2025/TT-VPCP, Phụ lục I, Mẫu số 02 and 03 keep (the 2025 forms'
// exact wording: chưa xác minh). Nghị định 61/2018 Điều 17 khoản 1 điểm a
// (and Điều 19 khoản 4): the slip states every item to add and the reason,
// once.

// Slip is a supplement request or refusal slip of a case.
type Slip struct {
	DocumentID, CaseCode      string
	AgencyName, ProcedureName string
	Applicant                 motcua.Applicant
	// Items: for a supplement request, every document or content to add
	// or correct; for a refusal, the reasons (at least one).
	Items  []string
	Reason string // the reason in the officer's words
	// AfterReview: a refusal after the file was reviewed (the agency does
	// not grant it), not a refusal to take the file at the desk.
	AfterReview bool
	At          time.Time
	By          string // the officer who drew it up
	Contact     string // where to ask: the desk's phone
	VerifyURL   string
	Place       string
}

// Slip titles.
const (
	TitleSupplement      = "PHIẾU YÊU CẦU BỔ SUNG, HOÀN THIỆN HỒ SƠ"
	TitleRefusalDesk     = "PHIẾU TỪ CHỐI TIẾP NHẬN GIẢI QUYẾT HỒ SƠ"
	TitleRefusalReviewed = "THÔNG BÁO TỪ CHỐI GIẢI QUYẾT HỒ SƠ"
)

func (s Slip) check() error {
	switch {
	case s.DocumentID == "":
		return errors.New("documents: slip has no document id")
	case s.CaseCode == "":
		return errors.New("documents: slip has no case code")
	case s.At.IsZero():
		return errors.New("documents: slip has no date")
	case len(s.Items) == 0 && strings.TrimSpace(s.Reason) == "":
		return errors.New("documents: slip states nothing to add and no reason")
	}
	return nil
}

// applicantBlock writes who the slip is for and what they asked.
func (w *writer) applicantBlock(lead string, s Slip) {
	x := marginL
	a := s.Applicant
	w.spans(x, span{lead, ""}, span{oneLine(a.Name), "B"})
	if a.IDNumber != "" {
		w.spans(x, span{"Số định danh cá nhân: " + oneLine(a.IDNumber), ""})
	}
	if a.Address != "" {
		w.spans(x, span{"Địa chỉ: " + oneLine(a.Address), ""})
	}
	if contact := contactLine(a); contact != "" {
		w.spans(x, span{contact, ""})
	}
	if s.ProcedureName != "" {
		w.spans(x, span{"Nội dung yêu cầu giải quyết: ", ""}, span{oneLine(s.ProcedureName), "B"})
	}
}

// RenderSupplementRequest renders the supplement request slip: every item
// to add or correct, the reason, and where to ask.
func RenderSupplementRequest(s Slip) ([]byte, error) {
	if err := s.check(); err != nil {
		return nil, err
	}
	w := newWriter(TitleSupplement, oneLine(s.AgencyName), s.At)
	w.officialHeader(oneLine(s.AgencyName), "", placeDate(s.Place, s.At))
	w.title(TitleSupplement)
	w.codes(oneLine(s.CaseCode), "")
	w.applicantBlock("Hồ sơ của: ", s)
	x := marginL
	w.spans(x, span{"Yêu cầu bổ sung, hoàn thiện hồ sơ gồm những nội dung sau:", ""})
	for i, item := range s.Items {
		w.hanging(x+6, 7, point(i), oneLine(item), "", bodySize)
	}
	if r := oneLine(s.Reason); r != "" {
		w.spans(x, span{"Lý do: " + r, ""})
	}
	ask := "Trong quá trình bổ sung, hoàn thiện hồ sơ nếu có vướng mắc, ông/bà liên hệ Bộ phận Một cửa"
	if c := oneLine(s.Contact); c != "" {
		ask += " (" + c + ")"
	}
	w.para(x, ask+" để được hướng dẫn. Yêu cầu này được lập một lần, nêu đầy đủ các nội dung cần bổ sung.", "", bodySize, "J")
	w.signatures(signature{heading: "NGƯỜI HƯỚNG DẪN", instruction: "(Ký và ghi rõ họ tên)", name: oneLine(s.By)})
	if err := w.verification(oneLine(s.VerifyURL), oneLine(s.DocumentID)); err != nil {
		return nil, err
	}
	return w.bytes()
}

// RenderRefusal renders the refusal slip: at the desk, the file is not
// taken (Nghị định 61/2018 Điều 17 khoản 1 điểm b); after review, the
// agency does not grant what was asked (Điều 19 khoản 8: văn bản nêu rõ lý
// do, trả qua Bộ phận Một cửa). The wording differs.
func RenderRefusal(s Slip) ([]byte, error) {
	if err := s.check(); err != nil {
		return nil, err
	}
	title, lead, decision := TitleRefusalDesk, "Bộ phận Một cửa đã tiếp nhận hồ sơ của: ",
		"Qua xem xét, Bộ phận Một cửa thông báo không tiếp nhận hồ sơ này với lý do cụ thể như sau:"
	if s.AfterReview {
		title, lead, decision = TitleRefusalReviewed, "Hồ sơ của: ",
			"Qua thẩm định, "+cmpOr(oneLine(s.AgencyName), "cơ quan giải quyết")+" thông báo không giải quyết hồ sơ này với lý do cụ thể như sau:"
	}
	w := newWriter(title, oneLine(s.AgencyName), s.At)
	w.officialHeader(oneLine(s.AgencyName), "", placeDate(s.Place, s.At))
	w.title(title)
	w.codes(oneLine(s.CaseCode), "")
	w.applicantBlock(lead, s)
	x := marginL
	w.para(x, decision, "", bodySize, "J")
	reasons := s.Items
	if r := oneLine(s.Reason); r != "" {
		reasons = append(append([]string{}, reasons...), r)
	}
	for i, r := range reasons {
		w.hanging(x+6, 7, point(i), oneLine(r), "", bodySize)
	}
	w.para(x, "Xin thông báo để ông/bà được biết và thực hiện.", "", bodySize, "J")
	heading := "NGƯỜI TIẾP NHẬN HỒ SƠ"
	if s.AfterReview {
		heading = "NGƯỜI CÓ THẨM QUYỀN"
	}
	w.signatures(signature{heading: heading, instruction: "(Ký và ghi rõ họ tên)", name: oneLine(s.By)})
	if err := w.verification(oneLine(s.VerifyURL), oneLine(s.DocumentID)); err != nil {
		return nil, err
	}
	return w.bytes()
}

func cmpOr(s, def string) string {
	if s == "" {
		return def
	}
	return s
}
