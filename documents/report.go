package documents

import (
	"bytes"
	"encoding/csv"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/motcua/motcua"
)

// ReportDoc is a periodic report (báo cáo định kỳ) of the province or of
// one agency: the period's totals and a line per agency (the province's)
// or per procedure (an agency's). Its numbers are the statistics' (the
// open data's columns); nothing in it names a person or a case.
type ReportDoc struct {
	Issuer string // who reports: the province's people's committee, or the agency
	Place  string // the place name before the date ("Đà Nẵng")
	Scope  string // whose numbers: "toàn tỉnh" or the agency's name
	Period string // "tháng 10 năm 2026"
	From   time.Time
	To     time.Time
	// Made is the document's date (the day after the period: the same
	// report every time it is made).
	Made      time.Time
	Total     motcua.StatsRow
	LineLabel string // "Cơ quan" or "Thủ tục"
	Lines     []ReportLine
}

// ReportLine is one agency's or procedure's numbers.
type ReportLine struct {
	Code, Name string
	Row        motcua.StatsRow
}

// ReportPDF renders the report on A4, its table across the page.
func ReportPDF(d ReportDoc) ([]byte, error) {
	w := newWriter("Báo cáo tình hình giải quyết thủ tục hành chính "+d.Period, d.Issuer, d.Made)
	w.officialHeader(d.Issuer, "", placeDate(d.Place, d.Made))
	w.title("BÁO CÁO\nTình hình giải quyết thủ tục hành chính " + d.Period)
	w.para(marginL, fmt.Sprintf("Phạm vi: %s. Kỳ báo cáo: từ %s đến %s. Số liệu lấy từ cơ sở dữ liệu thống kê của hệ thống một cửa điện tử; hồ sơ tiếp nhận tính theo ngày nộp, hồ sơ có kết quả tính theo ngày trả kết quả.",
		oneLine(d.Scope), d.From.Format("02/01/2006"), d.To.Format("02/01/2006")), "", bodySize, "J")
	w.pdf.Ln(2)
	t := d.Total
	w.font("B", bodySize)
	w.pdf.CellFormat(contentW, lineHeight(bodySize), "I. Kết quả chung", "", 1, "L", false, 0, "")
	for i, line := range []string{
		fmt.Sprintf("Hồ sơ tiếp nhận: %d (trực tuyến %d, tỷ lệ %s).", t.Received, t.ReceivedOnline, percent(t.OnlineShare)),
		fmt.Sprintf("Hồ sơ có kết quả: %d, trong đó đúng hạn %d, quá hạn %d (tỷ lệ đúng hạn %s).", t.ResolvedOnTime+t.ResolvedLate, t.ResolvedOnTime, t.ResolvedLate, percent(t.OnTimeShare)),
		fmt.Sprintf("Hồ sơ nộp trong kỳ còn đang giải quyết: trong hạn %d, quá hạn %d.", t.OpenOnTime, t.OpenOverdue),
		fmt.Sprintf("Hồ sơ bị từ chối %d, rút %d, hủy %d; yêu cầu bổ sung %d lần.", t.Rejected, t.Withdrawn, t.Cancelled, t.Supplements),
		fmt.Sprintf("Thời gian giải quyết: trung bình %s ngày làm việc, 90%% hồ sơ trong %s ngày.", decimal(t.AvgDays), days(t.P90Days)),
		fmt.Sprintf("Thanh toán phí, lệ phí: %d hồ sơ, trực tuyến %d (tỷ lệ %s).", t.Paid, t.PaidOnline, percent(t.OnlinePaymentShare)),
		fmt.Sprintf("Đánh giá của người dân: %d lượt, mức hài lòng trung bình %s/5.", t.Rated, decimal(t.Satisfaction)),
	} {
		w.hanging(marginL, 6, point(i), line, "", bodySize)
	}
	w.pdf.Ln(2)
	w.font("B", bodySize)
	w.pdf.CellFormat(contentW, lineHeight(bodySize), "II. Chi tiết theo "+strings.ToLower(d.LineLabel), "", 1, "L", false, 0, "")
	w.reportTable(d)
	return w.bytes()
}

// reportTable draws one row per line, every cell wrapping, numbers to
// the right.
func (w *writer) reportTable(d ReportDoc) {
	heads := []string{d.LineLabel, "Tiếp nhận", "Đúng hạn", "Quá hạn", "Đang giải quyết quá hạn", "Tỷ lệ đúng hạn", "Ngày làm việc TB"}
	widths := []float64{58, 17, 17, 17, 20, 18, 18}
	const size = 9.0
	lh := lineHeight(size)
	row := func(cells []string, style string) {
		w.font(style, size)
		n := 1
		for i, c := range cells {
			n = max(n, len(w.pdf.SplitText(c, widths[i]-2)))
		}
		h := float64(n)*lh + 1
		w.room(h)
		x, y := marginL, w.pdf.GetY()
		for i, c := range cells {
			w.pdf.Rect(x, y, widths[i], h, "D")
			w.pdf.SetXY(x+1, y+0.5)
			align := "R"
			if i == 0 || style == "B" && cells[0] == d.LineLabel {
				align = "L"
			}
			w.pdf.MultiCell(widths[i]-2, lh, c, "", align, false)
			x += widths[i]
		}
		w.pdf.SetXY(marginL, y+h)
	}
	row(heads, "B")
	for _, l := range d.Lines {
		r := l.Row
		row([]string{oneLine(l.Code + " – " + l.Name), strconv.FormatInt(r.Received, 10), strconv.FormatInt(r.ResolvedOnTime, 10),
			strconv.FormatInt(r.ResolvedLate, 10), strconv.FormatInt(r.OpenOverdue, 10), percent(r.OnTimeShare), decimal(r.AvgDays)}, "")
	}
	t := d.Total
	row([]string{"Tổng cộng", strconv.FormatInt(t.Received, 10), strconv.FormatInt(t.ResolvedOnTime, 10),
		strconv.FormatInt(t.ResolvedLate, 10), strconv.FormatInt(t.OpenOverdue, 10), percent(t.OnTimeShare), decimal(t.AvgDays)}, "B")
}

func percent(v *float64) string {
	if v == nil {
		return "—"
	}
	return strings.Replace(strconv.FormatFloat(*v*100, 'f', 1, 64), ".", ",", 1) + "%"
}

func decimal(v *float64) string {
	if v == nil {
		return "—"
	}
	return strings.Replace(strconv.FormatFloat(*v, 'f', 1, 64), ".", ",", 1)
}

func days(v *int) string {
	if v == nil {
		return "—"
	}
	if *v > 90 {
		return "hơn 90"
	}
	return strconv.Itoa(*v)
}

// reportCSVHeader names the CSV's columns as the open data does
// (GET /api/v1/stats/dictionary), after the line's code and name.
var reportCSVHeader = []string{"code", "name", "received", "received_online", "resolved_on_time", "resolved_late",
	"open_on_time", "open_overdue", "returned", "rejected", "withdrawn", "cancelled", "supplement_requests", "paid",
	"paid_online", "avg_working_days", "p90_working_days", "on_time_share", "rated", "satisfaction_avg"}

// ReportCSV writes the report's lines and, last, its totals (code "total").
func ReportCSV(d ReportDoc) ([]byte, error) {
	var b bytes.Buffer
	cw := csv.NewWriter(&b)
	_ = cw.Write(reportCSVHeader)
	opt := func(v *float64) string {
		if v == nil {
			return ""
		}
		return strconv.FormatFloat(*v, 'f', 4, 64)
	}
	write := func(code, name string, r motcua.StatsRow) {
		p90 := ""
		if r.P90Days != nil {
			p90 = strconv.Itoa(*r.P90Days)
		}
		rec := []string{code, name}
		for _, n := range []int64{r.Received, r.ReceivedOnline, r.ResolvedOnTime, r.ResolvedLate, r.OpenOnTime, r.OpenOverdue,
			r.Returned, r.Rejected, r.Withdrawn, r.Cancelled, r.Supplements, r.Paid, r.PaidOnline} {
			rec = append(rec, strconv.FormatInt(n, 10))
		}
		rec = append(rec, opt(r.AvgDays), p90, opt(r.OnTimeShare), strconv.FormatInt(r.Rated, 10), opt(r.Satisfaction))
		_ = cw.Write(rec)
	}
	for _, l := range d.Lines {
		write(l.Code, l.Name, l.Row)
	}
	write("total", d.Scope, d.Total)
	cw.Flush()
	return b.Bytes(), cw.Error()
}
