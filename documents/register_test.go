package documents

import (
	"bytes"
	"encoding/csv"
	"fmt"
	"testing"
	"time"

	"github.com/motcua/motcua"
	"github.com/motcua/motcua/calendar"
)

// The register lists every case received in the period under the columns
// of the form (TT 01/2018/TT-VPCP Mẫu số 06; TT 03/2025 Phụ lục I Mẫu số
// 07), signed and verifiable like every issued paper.
func TestRenderRegister(t *testing.T) {
	at := func(d, h int) time.Time { return time.Date(2026, 3, d, h, 0, 0, 0, calendar.Location) }
	r := Register{DocumentID: "register-SXD-20260301-20260401-ab12cd34", AgencyName: "Sở Xây dựng thành phố Đà Nẵng",
		From: at(1, 0), To: time.Date(2026, 4, 1, 0, 0, 0, 0, calendar.Location), At: at(31, 16), By: "Trần Văn Bình",
		VerifyURL: "https://motcua.example.vn/api/v1/verify/register-SXD-20260301-20260401-ab12cd34"}
	for i := range 40 { // more than a page: the headings repeat
		r.Rows = append(r.Rows, RegisterRow{CaseCode: fmt.Sprintf("UBND-TAMKY-260305-%04d", i+1), Procedure: "Cấp giấy phép xây dựng nhà ở riêng lẻ",
			Applicant: "Nguyễn Thị Hồng Nhung", Contact: "12 Trần Phú, phường Hải Châu; 0905123456", Agency: "Sở Xây dựng thành phố Đà Nẵng",
			ReceivedAt: at(5, 9), DueAt: at(19, 17), TransferredAt: at(5, 9), ResultAt: at(18, 10), ReturnedAt: at(19, 9), Note: "đúng hạn"})
	}
	data := mustRender(t)(RenderRegister(r))
	writeSample(t, "register.pdf", data)
	d := readPDF(t, data)
	if len(d.pages) < 2 {
		t.Fatalf("40 cases on %d page(s)", len(d.pages))
	}
	assertContains(t, d, TitleRegister, "Từ ngày 01 tháng 3 năm 2026 đến ngày 31 tháng 3 năm 2026",
		"Số hồ sơ tiếp nhận trong kỳ: 40", "Mã hồ sơ", "Tên thủ tục hành chính", "Tên cá nhân, tổ chức",
		"Địa chỉ, số điện thoại", "Cơ quan chủ trì giải quyết", "Nhận hồ sơ", "Hẹn trả kết quả",
		"Chuyển hồ sơ đến cơ quan giải quyết", "Nhận kết quả từ cơ quan giải quyết", "Trả kết quả", "Ghi chú",
		"UBND-TAMKY-260305-0001", "UBND-TAMKY-260305-0040", "NGƯỜI LẬP SỔ", "Trần Văn Bình")
	assertGlyphs(t, d)
	assertQRCode(t, d, r.VerifyURL)

	var b bytes.Buffer
	if err := WriteRegisterCSV(&b, r.Rows); err != nil {
		t.Fatal(err)
	}
	recs, err := csv.NewReader(&b).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	if len(recs) != 41 || recs[0][1] != "Mã hồ sơ" || recs[1][1] != "UBND-TAMKY-260305-0001" || recs[1][6] != "09:00 05/03/2026" {
		t.Errorf("CSV: %d records, first two %q", len(recs), recs[:min(2, len(recs))])
	}

	r.To = r.From
	if _, err := RenderRegister(r); err == nil {
		t.Error("a register of an empty period was rendered")
	}
}

// A case's line reads its times from the timeline and says how it ended.
func TestRegisterRowOf(t *testing.T) {
	at := func(d, h int) time.Time { return time.Date(2026, 3, d, h, 0, 0, 0, calendar.Location) }
	due := at(10, 17)
	c := motcua.Case{Code: "SXD-260305-0001", Agency: "SXD", Applicant: sampleApplicant(), ReceivedAt: ptr(at(5, 9)), DueAt: &due,
		Procedure: motcua.ProcedureRef{Name: "Cấp giấy phép xây dựng"}, Status: motcua.StatusCompleted,
		Timeline: []motcua.Event{
			{Action: motcua.ActionReceive, At: at(5, 9)}, {Action: motcua.ActionIssue, At: at(9, 9)}, {Action: motcua.ActionDeliver, At: at(11, 9)},
		}}
	r := RegisterRowOf(c, func(string) string { return "Sở Xây dựng" })
	if !r.ResultAt.Equal(at(9, 9)) || !r.ReturnedAt.Equal(at(11, 9)) || r.Note != "quá hạn" || r.Agency != "Sở Xây dựng" {
		t.Errorf("row %+v", r)
	}
	c.Timeline, c.Status = c.Timeline[:1], motcua.StatusRejected
	if r := RegisterRowOf(c, func(string) string { return "" }); r.Note != "Từ chối giải quyết" {
		t.Errorf("a refused case's note is %q", r.Note)
	}
}
