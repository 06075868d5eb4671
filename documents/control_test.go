package documents

import (
	"testing"
	"time"

	"github.com/motcua/motcua/calendar"
)

// The control sheet lists every hand-over with its time and its standing
// against the due time (TT 01/2018/TT-VPCP Mẫu số 05; TT 03/2025 Mẫu số 06).
func TestRenderControlSheet(t *testing.T) {
	at := func(d, h int) time.Time { return time.Date(2026, 3, d, h, 0, 0, 0, calendar.Location) }
	due := time.Date(2026, 3, 10, 17, 0, 0, 0, calendar.Location)
	s := ControlSheet{DocumentID: "SKHDT-260305-0001-control-ab12cd34", CaseCode: "SKHDT-260305-0001",
		AgencyName: "Sở Kế hoạch và Đầu tư tỉnh Quảng Nam", ProcedureName: "Đăng ký thành lập doanh nghiệp",
		Applicant: sampleApplicant(), ReceivedAt: at(5, 9), DueAt: due, At: at(12, 10),
		VerifyURL: "https://motcua.example.vn/api/v1/verify/SKHDT-260305-0001-control-ab12cd34",
		Rows: []ControlRow{
			{From: "Bộ phận Một cửa", To: "Chuyên viên thẩm định", At: at(5, 10), Standing: Standing(at(5, 10), due)},
			{From: "Chuyên viên thẩm định", To: "Lãnh đạo phê duyệt", At: at(10, 15), Standing: Standing(at(10, 15), due)},
			{From: "Lãnh đạo phê duyệt", To: "Bộ phận Một cửa", At: at(12, 9), Standing: Standing(at(12, 9), due), Note: "Xin lỗi, hẹn lại"},
		}}
	d := readPDF(t, mustRender(t)(RenderControlSheet(s)))
	assertContains(t, d, TitleControlSheet, "Mã hồ sơ: SKHDT-260305-0001",
		"1. 10 giờ 00 phút, ngày 05 tháng 3 năm 2026: Bộ phận Một cửa giao, Chuyên viên thẩm định nhận; trước hạn.",
		"2. 15 giờ 00 phút, ngày 10 tháng 3 năm 2026: Chuyên viên thẩm định giao, Lãnh đạo phê duyệt nhận; đúng hạn.",
		"3. 09 giờ 00 phút, ngày 12 tháng 3 năm 2026: Lãnh đạo phê duyệt giao, Bộ phận Một cửa nhận; quá hạn. Xin lỗi, hẹn lại.")
	assertQRCode(t, d, s.VerifyURL)
}
