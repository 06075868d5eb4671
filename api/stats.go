package api

import (
	"encoding/csv"
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/gin-gonic/gin"

	"github.com/motcua/motcua"
	"github.com/motcua/motcua/calendar"
)

// Open data: the statistics of the read model, by period, agency,
// procedure and channel, as JSON or CSV, with a data dictionary. Counts
// only: nothing here names or numbers a person or a case.

// statsColumn is one column of the open data, described once for the CSV
// header, the JSON rows and the dictionary.
type statsColumn struct {
	Name string `json:"name"`
	Type string `json:"type"`
	Vi   string `json:"description_vi"`
	En   string `json:"description_en"`
	cell func(r *motcua.StatsRow) string
}

func count(f func(r *motcua.StatsRow) int64) func(r *motcua.StatsRow) string {
	return func(r *motcua.StatsRow) string { return strconv.FormatInt(f(r), 10) }
}

func share(f func(r *motcua.StatsRow) *float64) func(r *motcua.StatsRow) string {
	return func(r *motcua.StatsRow) string {
		if v := f(r); v != nil {
			return strconv.FormatFloat(*v, 'f', 4, 64)
		}
		return ""
	}
}

var statsColumns = []statsColumn{
	{"period", "string", "Kỳ: ngày (YYYY-MM-DD), tháng (YYYY-MM), quý (YYYY-Qn), năm (YYYY) hoặc all (cả khoảng)", "Period: day (YYYY-MM-DD), month (YYYY-MM), quarter (YYYY-Qn), year (YYYY) or all (the whole range)", func(r *motcua.StatsRow) string { return r.Period }},
	{"agency", "string", "Mã cơ quan giải quyết (khi nhóm theo cơ quan)", "Code of the agency (when grouped by agency)", func(r *motcua.StatsRow) string { return r.Agency }},
	{"procedure", "string", "Mã thủ tục (khi nhóm theo thủ tục)", "Code of the procedure (when grouped by procedure)", func(r *motcua.StatsRow) string { return r.Procedure }},
	{"channel", "string", "Kênh nộp: online (trực tuyến) hoặc counter (trực tiếp) (khi nhóm theo kênh)", "Channel: online or counter (when grouped by channel)", func(r *motcua.StatsRow) string { return r.Channel }},
	{"received", "integer", "Số hồ sơ nộp trong kỳ", "Cases submitted in the period", count(func(r *motcua.StatsRow) int64 { return r.Received })},
	{"received_online", "integer", "Trong đó nộp trực tuyến", "Of which submitted online", count(func(r *motcua.StatsRow) int64 { return r.ReceivedOnline })},
	{"resolved_on_time", "integer", "Số hồ sơ có kết quả trong kỳ, đúng hạn", "Cases with a result issued in the period, on time", count(func(r *motcua.StatsRow) int64 { return r.ResolvedOnTime })},
	{"resolved_late", "integer", "Số hồ sơ có kết quả trong kỳ, quá hạn", "Cases with a result issued in the period, late", count(func(r *motcua.StatsRow) int64 { return r.ResolvedLate })},
	{"open_on_time", "integer", "Hồ sơ nộp trong kỳ còn đang giải quyết, trong hạn (tại thời điểm truy vấn)", "Cases submitted in the period still in progress, on time (now)", count(func(r *motcua.StatsRow) int64 { return r.OpenOnTime })},
	{"open_overdue", "integer", "Hồ sơ nộp trong kỳ còn đang giải quyết, quá hạn (tại thời điểm truy vấn)", "Cases submitted in the period still in progress, overdue (now)", count(func(r *motcua.StatsRow) int64 { return r.OpenOverdue })},
	{"returned", "integer", "Hồ sơ nộp trong kỳ bị trả lại để bổ sung khi tiếp nhận", "Cases submitted in the period returned for supplement at reception", count(func(r *motcua.StatsRow) int64 { return r.Returned })},
	{"rejected", "integer", "Hồ sơ bị từ chối trong kỳ", "Cases rejected in the period", count(func(r *motcua.StatsRow) int64 { return r.Rejected })},
	{"withdrawn", "integer", "Hồ sơ rút trong kỳ", "Cases withdrawn in the period", count(func(r *motcua.StatsRow) int64 { return r.Withdrawn })},
	{"cancelled", "integer", "Hồ sơ hủy trong kỳ (hết hạn bổ sung)", "Cases cancelled in the period (supplement not given in time)", count(func(r *motcua.StatsRow) int64 { return r.Cancelled })},
	{"supplement_requests", "integer", "Số lần yêu cầu bổ sung đối với hồ sơ nộp trong kỳ", "Requests for more information on cases submitted in the period", count(func(r *motcua.StatsRow) int64 { return r.Supplements })},
	{"paid", "integer", "Hồ sơ nộp trong kỳ đã nộp phí, lệ phí", "Cases submitted in the period whose fee was paid", count(func(r *motcua.StatsRow) int64 { return r.Paid })},
	{"paid_online", "integer", "Trong đó thanh toán trực tuyến", "Of which paid online", count(func(r *motcua.StatsRow) int64 { return r.PaidOnline })},
	{"avg_working_days", "number", "Số ngày làm việc trung bình từ tiếp nhận đến có kết quả (trừ thời gian chờ bổ sung)", "Average working days from reception to result (less time waiting for the applicant)", share(func(r *motcua.StatsRow) *float64 { return r.AvgDays })},
	{"p90_working_days", "integer", "Bách phân vị 90 của số ngày làm việc giải quyết", "90th percentile of working days taken", func(r *motcua.StatsRow) string {
		if r.P90Days == nil {
			return ""
		}
		return strconv.Itoa(*r.P90Days)
	}},
	{"on_time_share", "number", "Tỷ lệ hồ sơ có kết quả đúng hạn (0–1)", "Share of results issued on time (0–1)", share(func(r *motcua.StatsRow) *float64 { return r.OnTimeShare })},
	{"online_submission_share", "number", "Tỷ lệ hồ sơ nộp trực tuyến (0–1)", "Share of cases submitted online (0–1)", share(func(r *motcua.StatsRow) *float64 { return r.OnlineShare })},
	{"online_payment_share", "number", "Tỷ lệ thanh toán trực tuyến trong số hồ sơ đã nộp phí (0–1)", "Share of paid fees paid online (0–1)", share(func(r *motcua.StatsRow) *float64 { return r.OnlinePaymentShare })},
	{"rated", "integer", "Số đánh giá của hồ sơ kết thúc trong kỳ", "Ratings of cases that ended in the period", count(func(r *motcua.StatsRow) int64 { return r.Rated })},
	{"rated_1", "integer", "Số đánh giá mức 1 (rất không hài lòng)", "Ratings of 1 (very dissatisfied)", count(func(r *motcua.StatsRow) int64 { return r.Ratings[0] })},
	{"rated_2", "integer", "Số đánh giá mức 2", "Ratings of 2", count(func(r *motcua.StatsRow) int64 { return r.Ratings[1] })},
	{"rated_3", "integer", "Số đánh giá mức 3", "Ratings of 3", count(func(r *motcua.StatsRow) int64 { return r.Ratings[2] })},
	{"rated_4", "integer", "Số đánh giá mức 4", "Ratings of 4", count(func(r *motcua.StatsRow) int64 { return r.Ratings[3] })},
	{"rated_5", "integer", "Số đánh giá mức 5 (rất hài lòng)", "Ratings of 5 (very satisfied)", count(func(r *motcua.StatsRow) int64 { return r.Ratings[4] })},
	{"satisfaction_avg", "number", "Mức hài lòng chung trung bình (1–5)", "Average overall satisfaction (1–5)", share(func(r *motcua.StatsRow) *float64 { return r.Satisfaction })},
	{"time_kept_avg", "number", "Điểm trung bình: đúng hẹn (1–5)", "Average: result on the promised date (1–5)", share(func(r *motcua.StatsRow) *float64 { return r.TimeKeptAvg })},
	{"attitude_avg", "number", "Điểm trung bình: thái độ cán bộ (1–5)", "Average: officers' attitude (1–5)", share(func(r *motcua.StatsRow) *float64 { return r.AttitudeAvg })},
	{"guidance_avg", "number", "Điểm trung bình: hướng dẫn rõ ràng (1–5)", "Average: clear guidance (1–5)", share(func(r *motcua.StatsRow) *float64 { return r.GuidanceAvg })},
	{"fees_avg", "number", "Điểm trung bình: thu phí đúng quy định (1–5)", "Average: fees as published (1–5)", share(func(r *motcua.StatsRow) *float64 { return r.FeesAvg })},
}

// maxStatsDays bounds the range of a query by day.
const maxStatsDays = 400

// statsQuery reads ?from=&to=&period=&by=&agency=&procedure=&channel=:
// by default this year to today, the whole range, the whole province.
func (s *Server) statsQuery(c *gin.Context) (motcua.StatsQuery, bool) {
	now := s.Now().In(calendar.Location)
	q := motcua.StatsQuery{
		From:   time.Date(now.Year(), 1, 1, 0, 0, 0, 0, calendar.Location),
		To:     now,
		Period: c.DefaultQuery("period", motcua.PeriodAll),
		Agency: c.Query("agency"), Procedure: c.Query("procedure"), Channel: c.Query("channel"),
	}
	bad := map[string]string{}
	for name, dst := range map[string]*time.Time{"from": &q.From, "to": &q.To} {
		if v := c.Query(name); v != "" {
			t, err := time.ParseInLocation(time.DateOnly, v, calendar.Location)
			if err != nil {
				bad[name] = "Ngày phải có dạng YYYY-MM-DD."
				continue
			}
			*dst = t
		}
	}
	if by := c.Query("by"); by != "" {
		q.By = strings.Split(by, ",")
	}
	switch {
	case len(bad) > 0:
	case q.To.Before(q.From):
		bad["to"] = "Ngày kết thúc phải sau ngày bắt đầu."
	case q.To.Sub(q.From) > 10*366*24*time.Hour:
		bad["from"] = "Khoảng thống kê tối đa 10 năm."
	case q.Period == motcua.PeriodDay && q.To.Sub(q.From) > maxStatsDays*24*time.Hour:
		bad["period"] = "Thống kê theo ngày tối đa 400 ngày; hãy chọn theo tháng, quý hoặc năm."
	}
	if len(bad) > 0 {
		s.fail(c, motcua.FieldErrors("Tham số thống kê chưa hợp lệ.", bad))
		return q, false
	}
	return q, true
}

// stats answers GET /stats: JSON, or CSV with ?format=csv.
func (s *Server) stats(c *gin.Context) {
	st, ok := s.Store.(motcua.Statistics)
	if !ok {
		s.fail(c, motcua.Errorf(motcua.EUNAVAILABLE, "Chưa có số liệu thống kê."))
		return
	}
	q, ok := s.statsQuery(c)
	if !ok {
		return
	}
	rows, err := st.Stats(c.Request.Context(), q)
	if err != nil {
		s.fail(c, err)
		return
	}
	if rows == nil {
		rows = []motcua.StatsRow{}
	}
	c.Header("Cache-Control", "public, max-age=60")
	if c.Query("format") == "csv" {
		c.Header("Content-Type", "text/csv; charset=utf-8")
		c.Header("Content-Disposition", fmt.Sprintf(`attachment; filename="thong-ke-%s-%s.csv"`,
			q.From.Format("20060102"), q.To.Format("20060102")))
		c.Status(http.StatusOK)
		_ = WriteStatsCSV(c.Writer, rows)
		return
	}
	c.JSON(http.StatusOK, gin.H{
		"from": q.From.Format(time.DateOnly), "to": q.To.Format(time.DateOnly), "period": q.Period, "by": q.By,
		"dictionary": "/api/v1/stats/dictionary", "rows": rows,
	})
}

// WriteStatsCSV writes rows as CSV with the dictionary's column names.
func WriteStatsCSV(w interface{ Write([]byte) (int, error) }, rows []motcua.StatsRow) error {
	cw := csv.NewWriter(w)
	header := make([]string, len(statsColumns))
	for i, col := range statsColumns {
		header[i] = col.Name
	}
	if err := cw.Write(header); err != nil {
		return err
	}
	for i := range rows {
		rec := make([]string, len(statsColumns))
		for j, col := range statsColumns {
			rec[j] = col.cell(&rows[i])
		}
		if err := cw.Write(rec); err != nil {
			return err
		}
	}
	cw.Flush()
	return cw.Error()
}

// statsDictionary answers GET /stats/dictionary: every column of the open
// data, its type and meaning.
func (s *Server) statsDictionary(c *gin.Context) {
	c.Header("Cache-Control", "public, max-age=3600")
	c.JSON(http.StatusOK, gin.H{
		"title":   "Số liệu thống kê giải quyết thủ tục hành chính / Statistics of administrative case processing",
		"license": "CC BY 4.0",
		"notes": []string{
			"Ngày tính theo giờ Việt Nam (UTC+7). Hồ sơ nộp, còn đang giải quyết, bổ sung, thanh toán tính theo ngày nộp; hồ sơ có kết quả, từ chối, rút, hủy, số ngày giải quyết và đánh giá tính theo ngày kết thúc.",
			"Days are Vietnam time (UTC+7). Submissions, cases in progress, supplements and payments count by the day of submission; results, rejections, withdrawals, cancellations, days taken and ratings by the day the case ended.",
			"Không có dữ liệu cá nhân: chỉ có số đếm. / No personal data: counts only.",
		},
		"columns": statsColumns,
	})
}
