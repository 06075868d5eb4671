package documents

import (
	"strings"
	"testing"
	"time"

	"github.com/motcua/motcua/calendar"
)

func sampleSlip() Slip {
	return Slip{DocumentID: "SKHDT-260305-0001-supplement-ab12cd34", CaseCode: "SKHDT-260305-0001",
		AgencyName: "Sở Kế hoạch và Đầu tư tỉnh Quảng Nam", ProcedureName: "Đăng ký thành lập doanh nghiệp",
		Applicant: sampleApplicant(), At: time.Date(2026, 3, 5, 9, 30, 0, 0, calendar.Location), By: "Trần Văn Bình",
		Contact: "0235 3812345", VerifyURL: "https://motcua.example.vn/api/v1/verify/SKHDT-260305-0001-supplement-ab12cd34"}
}

// The supplement request slip states every missing item and the reason
// (Nghị định 61/2018 Điều 17 khoản 1 điểm a; TT 01/2018 Mẫu số 02), with
// the QR code of its verification.
func TestRenderSupplementRequest(t *testing.T) {
	s := sampleSlip()
	s.Items = []string{"Điều lệ công ty (thiếu chữ ký của thành viên góp vốn)", "Bản sao giấy tờ pháp lý của người đại diện theo pháp luật"}
	s.Reason = "Hồ sơ chưa đầy đủ theo Điều 24 Luật Doanh nghiệp."
	data := mustRender(t)(RenderSupplementRequest(s))
	writeSample(t, "supplement.pdf", data)
	d := readPDF(t, data)
	assertContains(t, d, TitleSupplement, "Mã hồ sơ: SKHDT-260305-0001", "Hồ sơ của: Nguyễn Thị Hồng Nhung",
		"a) Điều lệ công ty (thiếu chữ ký của thành viên góp vốn)",
		"b) Bản sao giấy tờ pháp lý của người đại diện theo pháp luật",
		"Lý do: Hồ sơ chưa đầy đủ theo Điều 24 Luật Doanh nghiệp.", "NGƯỜI HƯỚNG DẪN", "Trần Văn Bình")
	assertQRCode(t, d, s.VerifyURL)
	s.Items, s.Reason = nil, ""
	if _, err := RenderSupplementRequest(s); err == nil {
		t.Error("a supplement request naming nothing to add was rendered")
	}
}

// A refusal at the desk and a refusal after review are worded apart
// (Nghị định 61/2018 Điều 17 khoản 1 điểm b; Điều 19 khoản 8).
func TestRenderRefusal(t *testing.T) {
	for _, tc := range []struct {
		afterReview     bool
		title, decision string
		other           string
	}{
		{false, TitleRefusalDesk, "thông báo không tiếp nhận hồ sơ này", TitleRefusalReviewed},
		{true, TitleRefusalReviewed, "Qua thẩm định, Sở Kế hoạch và Đầu tư tỉnh Quảng Nam thông báo không giải quyết", TitleRefusalDesk},
	} {
		s := sampleSlip()
		s.AfterReview, s.Reason = tc.afterReview, "Ngành, nghề đăng ký thuộc danh mục cấm đầu tư kinh doanh."
		d := readPDF(t, mustRender(t)(RenderRefusal(s)))
		assertContains(t, d, tc.title, tc.decision, "a) Ngành, nghề đăng ký thuộc danh mục cấm đầu tư kinh doanh.")
		assertQRCode(t, d, s.VerifyURL)
		if strings.Contains(d.text(), tc.other) {
			t.Errorf("after review %v: the slip carries the other title %q", tc.afterReview, tc.other)
		}
	}
}
