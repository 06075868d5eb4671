package documents

import (
	"bytes"
	"strings"
	"testing"
	"time"

	"github.com/motcua/motcua"
)

func sampleReport() ReportDoc {
	share, days, p90 := 0.75, 4.5, 9
	row := motcua.StatsRow{Received: 12, ReceivedOnline: 5, ResolvedOnTime: 6, ResolvedLate: 2, OpenOverdue: 3, OnTimeShare: &share, AvgDays: &days, P90Days: &p90}
	ict := time.FixedZone("ICT", 7*3600)
	return ReportDoc{Issuer: "Ủy ban nhân dân thành phố Đà Nẵng", Place: "Đà Nẵng", Scope: "toàn thành phố", Period: "tháng 10 năm 2026",
		From: time.Date(2026, 10, 1, 0, 0, 0, 0, ict), To: time.Date(2026, 10, 31, 0, 0, 0, 0, ict), Made: time.Date(2026, 11, 1, 0, 0, 0, 0, ict),
		Total: row, LineLabel: "Cơ quan", Lines: []ReportLine{
			{Code: "SKHDT", Name: "Sở Kế hoạch và Đầu tư thành phố Đà Nẵng", Row: row},
			{Code: "STP", Name: "Sở Tư pháp", Row: motcua.StatsRow{Received: 1}},
		}}
}

// A report reads in Vietnamese with every glyph, its totals and lines in
// the table, the same bytes each time it is made, and its CSV's last line
// the totals.
func TestRenderReport(t *testing.T) {
	d := sampleReport()
	pdf, err := ReportPDF(d)
	if err != nil {
		t.Fatal(err)
	}
	doc := readPDF(t, pdf)
	assertGlyphs(t, doc)
	assertContains(t, doc, "BÁO CÁO", "Đà Nẵng, ngày 01 tháng 11 năm 2026", "Tình hình giải quyết thủ tục hành chính tháng 10 năm 2026", "từ 01/10/2026 đến 31/10/2026",
		"Hồ sơ tiếp nhận: 12 (trực tuyến 5", "đúng hạn 6, quá hạn 2 (tỷ lệ đúng hạn 75,0%)", "Sở Kế hoạch và Đầu tư", "Tổng cộng", "90% hồ sơ trong 9 ngày")
	again, _ := ReportPDF(d)
	if !bytes.Equal(pdf, again) {
		t.Error("the same report made twice differs")
	}
	writeSample(t, "report.pdf", pdf)
	csv, err := ReportCSV(d)
	if err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(strings.TrimSpace(string(csv)), "\n")
	if len(lines) != 4 || !strings.HasPrefix(lines[0], "code,name,received,received_online,resolved_on_time,resolved_late") ||
		!strings.HasPrefix(lines[3], "total,toàn thành phố,12,5,6,2,") || !strings.Contains(lines[1], "0.7500") {
		t.Fatalf("CSV:\n%s", csv)
	}
}
