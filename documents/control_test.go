package documents

import (
	"strings"
	"testing"
	"time"

	"github.com/motcua/motcua"
	"github.com/motcua/motcua/calendar"
)

// The control sheet lists every hand-over with the party that gave the
// file, the party that took it, the time, the due time and its standing
// against it (TT 01/2018/TT-VPCP Mẫu số 05; TT 03/2025 Phụ lục I Mẫu số 06).
func TestRenderControlSheet(t *testing.T) {
	at := func(d, h int) time.Time { return time.Date(2026, 3, d, h, 0, 0, 0, calendar.Location) }
	due := time.Date(2026, 3, 10, 17, 0, 0, 0, calendar.Location)
	s := ControlSheet{DocumentID: "SKHDT-260305-0001-control-ab12cd34", CaseCode: "SKHDT-260305-0001",
		AgencyName: "Sở Kế hoạch và Đầu tư tỉnh Quảng Nam", ProcedureName: "Đăng ký thành lập doanh nghiệp",
		Applicant: sampleApplicant(), ReceivedAt: at(5, 9), DueAt: due, At: at(12, 10),
		VerifyURL: "https://motcua.example.vn/api/v1/verify/SKHDT-260305-0001-control-ab12cd34",
		Rows: []ControlRow{
			{From: "Bộ phận Một cửa", To: "Chuyên viên thẩm định", At: at(5, 10), Due: due, Standing: Standing(at(5, 10), due)},
			{From: "Chuyên viên thẩm định", To: "Lãnh đạo phê duyệt", At: at(10, 15), Due: due, Standing: Standing(at(10, 15), due)},
			{From: "Lãnh đạo phê duyệt", To: "Bộ phận Một cửa", At: at(12, 9), Due: due, Standing: Standing(at(12, 9), due), Note: "Xin lỗi, hẹn lại"},
		}}
	data := mustRender(t)(RenderControlSheet(s))
	writeSample(t, "control.pdf", data)
	d := readPDF(t, data)
	assertContains(t, d, TitleControlSheet, "Mã hồ sơ: SKHDT-260305-0001", "Ngày hẹn trả kết quả:",
		"Bên giao", "Bên nhận", "Thời gian giao, nhận", "Hạn giải quyết", "Kết quả (trước hạn, đúng hạn, quá hạn)", "Ghi chú",
		"1 Bộ phận Một cửa Chuyên viên thẩm định 10:00 05/03/2026 17:00 10/03/2026 trước hạn",
		"2 Chuyên viên thẩm định Lãnh đạo phê duyệt 15:00 10/03/2026 17:00 10/03/2026 đúng hạn",
		"3 Lãnh đạo phê duyệt Bộ phận Một cửa 09:00 12/03/2026 17:00 10/03/2026 quá hạn Xin lỗi, hẹn lại")
	assertGlyphs(t, d)
	assertQRCode(t, d, s.VerifyURL)
}

// The rows come from the timeline: each hand-over goes from who acted to
// who acted next, or back to the applicant, held to the due date in force
// (the new one after an apology and new appointment, Điều 19 khoản 9).
func TestControlRowsFromTimeline(t *testing.T) {
	at := func(d, h int) time.Time { return time.Date(2026, 3, d, h, 0, 0, 0, calendar.Location) }
	due, later := at(10, 17), at(13, 17)
	officer := func(name string, r motcua.Role) motcua.ActorRef {
		return motcua.ActorRef{Kind: motcua.KindOfficer, Name: name, Agency: "SKHDT", Role: r}
	}
	c := motcua.Case{Code: "SKHDT-260305-0001", Agency: "SKHDT", Applicant: sampleApplicant(),
		ReceivedAt: ptr(at(5, 9)), DueAt: &due, RescheduledTo: &later, Status: motcua.StatusCompleted,
		Timeline: []motcua.Event{
			{Action: motcua.ActionSubmit, At: at(5, 8), Actor: motcua.ActorRef{Kind: motcua.KindCitizen, Role: motcua.RoleApplicant}},
			{Action: motcua.ActionReceive, At: at(5, 9), Actor: officer("Trần Văn Bình", motcua.RoleReceiver)},
			{Action: motcua.EventReceiptIssued, At: at(5, 9), Actor: motcua.ActorRef{Kind: motcua.KindSystem}},
			{Action: motcua.ActionReview, At: at(9, 15), Actor: officer("Lê Thị Hoa", motcua.RoleReviewer)},
			{Action: motcua.ActionReschedule, At: at(10, 10), Actor: officer("Phạm Văn Dũng", motcua.RoleHead)},
			{Action: motcua.ActionApprove, At: at(11, 9), Actor: officer("Ngô Minh Tuấn", motcua.RoleApprover)},
			{Action: motcua.ActionDeliver, At: at(14, 9), Actor: officer("Trần Văn Bình", motcua.RoleReceiver)},
		}}
	names := func(code string) string { return map[string]string{"SKHDT": "Sở Tài chính"}[code] }
	rows := ControlRows(c, names)
	want := []struct{ from, to, standing string }{
		{"Trần Văn Bình (Bộ phận Một cửa, Sở Tài chính)", "Lê Thị Hoa (Chuyên viên thẩm định, Sở Tài chính)", "trước hạn"},
		{"Lê Thị Hoa (Chuyên viên thẩm định, Sở Tài chính)", "Phạm Văn Dũng (Thủ trưởng cơ quan, Sở Tài chính)", "trước hạn"},
		{"Phạm Văn Dũng (Thủ trưởng cơ quan, Sở Tài chính)", "Ngô Minh Tuấn (Lãnh đạo phê duyệt, Sở Tài chính)", "trước hạn"},
		{"Ngô Minh Tuấn (Lãnh đạo phê duyệt, Sở Tài chính)", "Trần Văn Bình (Bộ phận Một cửa, Sở Tài chính)", "trước hạn"},
		{"Trần Văn Bình (Bộ phận Một cửa, Sở Tài chính)", "Người nộp hồ sơ (Nguyễn Thị Hồng Nhung)", "quá hạn"},
	}
	if len(rows) != len(want) {
		t.Fatalf("%d rows, want %d: %+v", len(rows), len(want), rows)
	}
	for i, w := range want {
		if r := rows[i]; r.From != w.from || r.To != w.to || r.Standing != w.standing {
			t.Errorf("row %d = %q → %q (%s), want %q → %q (%s)", i+1, r.From, r.To, r.Standing, w.from, w.to, w.standing)
		}
	}
	if !rows[1].Due.Equal(due) || !rows[2].Due.Equal(later) {
		t.Errorf("due dates %v, %v: want the first appointment before the new one, then the new one", rows[1].Due, rows[2].Due)
	}
	if !strings.Contains(rows[2].Note, "hẹn lại") {
		t.Errorf("the reschedule row's note is %q", rows[2].Note)
	}
}

func ptr[T any](v T) *T { return &v }
