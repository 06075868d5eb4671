package api

import (
	"context"
	"encoding/csv"
	"fmt"
	"io"
	"net/http"
	"regexp"
	"slices"
	"strconv"
	"time"

	"github.com/gin-gonic/gin"

	"github.com/motcua/motcua"
	"github.com/motcua/motcua/calendar"
	"github.com/motcua/motcua/procedures"
)

// Open data on the quality of service: the indicators of Decision
// 766/QĐ-TTg (2022) for a period, for the province and each agency, and
// the roadmap of service levels on a date against the seed's targets.
// Counts and rates only: no person, no case.

// IndicatorPeriod is a period of the indicators: a year (2026), a quarter
// (2026-Q1) or a month (2026-03), its first and last day, the last cut at
// today while the period runs.
type IndicatorPeriod struct {
	Name     string
	From, To time.Time
}

var periodName = regexp.MustCompile(`^(\d{4})(?:-Q([1-4])|-(0[1-9]|1[0-2]))?$`)

// ParseIndicatorPeriod reads a period's name ("" = this year) at now.
func ParseIndicatorPeriod(name string, now time.Time) (IndicatorPeriod, error) {
	now = now.In(calendar.Location)
	if name == "" {
		name = strconv.Itoa(now.Year())
	}
	m := periodName.FindStringSubmatch(name)
	if m == nil {
		return IndicatorPeriod{}, motcua.FieldErrors("Tham số thống kê chưa hợp lệ.",
			map[string]string{"period": "Kỳ phải có dạng YYYY (năm), YYYY-Qn (quý) hoặc YYYY-MM (tháng)."})
	}
	year, _ := strconv.Atoi(m[1])
	from, months := time.Date(year, 1, 1, 0, 0, 0, 0, calendar.Location), 12
	switch {
	case m[2] != "":
		q, _ := strconv.Atoi(m[2])
		from, months = from.AddDate(0, 3*(q-1), 0), 3
	case m[3] != "":
		mo, _ := strconv.Atoi(m[3])
		from, months = from.AddDate(0, mo-1, 0), 1
	}
	to := from.AddDate(0, months, -1)
	today := time.Date(now.Year(), now.Month(), now.Day(), 0, 0, 0, 0, calendar.Location)
	if from.After(today) {
		return IndicatorPeriod{}, motcua.FieldErrors("Tham số thống kê chưa hợp lệ.", map[string]string{"period": "Kỳ này chưa bắt đầu."})
	}
	if to.After(today) {
		to = today
	}
	return IndicatorPeriod{Name: name, From: from, To: to}, nil
}

var indicatorNotes = []string{
	"Quyết định 766/QĐ-TTg ngày 23/6/2022; điểm từng chỉ số có points_verified=false là phần chia đều điểm của nhóm, cần xác minh với Phụ lục của Quyết định.",
	"Decision 766/QĐ-TTg of 23 June 2022; where points_verified is false an indicator's points are its group's split evenly, to be checked against the Decision's Appendix.",
	"Điểm = tỷ lệ × điểm tối đa (5.3: đủ điểm khi đạt mục tiêu của Nghị quyết 76/NQ-CP). Chỉ số không tính được có computed=false và lý do (why_not). / Points = rate × maximum (5.3: full at Resolution 76/NQ-CP's target). Indicators we cannot compute have computed=false and why_not.",
}

// indicators answers GET /stats/indicators?period=&agency=: JSON, or CSV
// with ?format=csv.
func (s *Server) indicators(c *gin.Context) {
	st, ok := s.Store.(motcua.Statistics)
	if !ok {
		s.fail(c, motcua.Errorf(motcua.EUNAVAILABLE, "Chưa có số liệu thống kê."))
		return
	}
	period, err := ParseIndicatorPeriod(c.Query("period"), s.Now())
	if err != nil {
		s.fail(c, err)
		return
	}
	agency := c.Query("agency")
	if agency != "" {
		if _, ok := s.Catalog.Agencies().Get(agency); !ok {
			s.fail(c, motcua.Errorf(motcua.ENOTFOUND, "Không có cơ quan này."))
			return
		}
	}
	report, err := ComputeIndicators(c.Request.Context(), st, s.Catalog, period, agency)
	if err != nil {
		s.fail(c, err)
		return
	}
	c.Header("Cache-Control", "public, max-age=60")
	if c.Query("format") == "csv" {
		c.Header("Content-Type", "text/csv; charset=utf-8")
		c.Header("Content-Disposition", fmt.Sprintf(`attachment; filename="chi-so-766-%s.csv"`, period.Name))
		c.Status(http.StatusOK)
		_ = writeIndicatorsCSV(c.Writer, report)
		return
	}
	c.JSON(http.StatusOK, report)
}

// ComputeIndicators computes the indicators of period for the province and
// every agency with cases in it, or for agency alone.
func ComputeIndicators(ctx context.Context, st motcua.Statistics, cat *procedures.Catalog, period IndicatorPeriod, agency string) (*motcua.IndicatorReport, error) {
	q := motcua.StatsQuery{From: period.From, To: period.To, Period: motcua.PeriodAll, Agency: agency}
	byAgency := q
	byAgency.By = []string{motcua.ByAgency}
	rows, err := st.Stats(ctx, byAgency)
	if err != nil {
		return nil, err
	}
	// The feedback among them, by agency (indicator 5.1).
	fbQ := byAgency
	fbQ.Procedure = motcua.ProcedureFeedback
	fbRows, err := st.Stats(ctx, fbQ)
	if err != nil {
		return nil, err
	}
	feedback := map[string]motcua.StatsRow{}
	var provinceFeedback motcua.StatsRow
	for _, r := range fbRows {
		feedback[r.Agency] = r
		provinceFeedback.AddCounts(&r, 1)
	}
	// Which procedures had an online submission, by agency.
	usedQ := byAgency
	usedQ.By = []string{motcua.ByAgency, motcua.ByProcedure}
	usedQ.Channel = motcua.ChannelOnline
	usedRows, err := st.Stats(ctx, usedQ)
	if err != nil {
		return nil, err
	}
	used := map[string]map[string]bool{} // agency → procedure
	for _, r := range usedRows {
		if r.Received > 0 {
			if used[r.Agency] == nil {
				used[r.Agency] = map[string]bool{}
			}
			used[r.Agency][r.Procedure] = true
		}
	}
	day := period.To.Format(time.DateOnly)
	all := cat.All()
	scope := func(agency string, stats motcua.StatsRow) motcua.IndicatorScope {
		in := motcua.IndicatorInput{Stats: stats, Feedback: feedback[agency], On: period.To}
		if agency == "" {
			in.Feedback = provinceFeedback
		}
		for _, p := range all {
			if agency != "" && !p.OffersAgency(agency) {
				continue
			}
			level, _, ok := procedures.LevelOn(p, day)
			if !ok {
				continue
			}
			in.Offered++
			if level < 3 {
				continue
			}
			in.Online++
			for a, procs := range used {
				if (agency == "" || a == agency) && procs[p.Code] {
					in.OnlineUsed++
					break
				}
			}
		}
		sc := motcua.IndicatorScope{Agency: agency, Indicators: motcua.ScoreIndicators(in)}
		for _, ind := range sc.Indicators {
			if ind.Score != nil {
				sc.Points += *ind.Score
				sc.MaxPoints += ind.Points
			}
		}
		return sc
	}
	report := &motcua.IndicatorReport{Period: period.Name, From: period.From.Format(time.DateOnly), To: day,
		Groups: motcua.IndicatorGroups, Agencies: []motcua.IndicatorScope{}, Notes: indicatorNotes}
	var province motcua.StatsRow
	for _, r := range rows {
		report.Agencies = append(report.Agencies, scope(r.Agency, r))
		province.AddCounts(&r, 1)
	}
	if agency == "" {
		p := scope("", province)
		report.Province = &p
	} else if len(report.Agencies) == 0 {
		report.Agencies = append(report.Agencies, scope(agency, motcua.StatsRow{}))
	}
	return report, nil
}

// indicatorColumns are the CSV's columns, described in the dictionary.
var indicatorColumns = []statsColumn{
	{Name: "period", Type: "string", Vi: "Kỳ: năm (YYYY), quý (YYYY-Qn) hoặc tháng (YYYY-MM)", En: "Period: year (YYYY), quarter (YYYY-Qn) or month (YYYY-MM)"},
	{Name: "agency", Type: "string", Vi: "Mã cơ quan; trống: toàn tỉnh", En: "Agency code; empty: the whole province"},
	{Name: "group", Type: "string", Vi: "Nhóm chỉ số (1–5)", En: "Indicator group (1–5)"},
	{Name: "indicator", Type: "string", Vi: "Mã chỉ số (ví dụ 2.1)", En: "Indicator code (e.g. 2.1)"},
	{Name: "name_vi", Type: "string", Vi: "Tên chỉ số", En: "Indicator name in Vietnamese"},
	{Name: "max_points", Type: "number", Vi: "Điểm tối đa", En: "Maximum points"},
	{Name: "points_verified", Type: "boolean", Vi: "Điểm tối đa đã đối chiếu nguồn (false: chia đều, cần xác minh)", En: "Maximum points checked against a source (false: an even split, to be checked)"},
	{Name: "computed", Type: "boolean", Vi: "Tính được từ dữ liệu của hệ thống", En: "Computed from our data"},
	{Name: "numerator", Type: "integer", Vi: "Tử số", En: "Numerator"},
	{Name: "denominator", Type: "integer", Vi: "Mẫu số", En: "Denominator"},
	{Name: "rate", Type: "number", Vi: "Tỷ lệ (0–1); trống khi không tính được hoặc không có gì để đếm", En: "Rate (0–1); empty when not computed or nothing to count"},
	{Name: "points", Type: "number", Vi: "Điểm đạt được", En: "Points scored"},
	{Name: "why_not_vi", Type: "string", Vi: "Lý do không tính được", En: "Why not computed, in Vietnamese"},
}

func writeIndicatorsCSV(w io.Writer, r *motcua.IndicatorReport) error {
	cw := csv.NewWriter(w)
	header := make([]string, len(indicatorColumns))
	for i, col := range indicatorColumns {
		header[i] = col.Name
	}
	if err := cw.Write(header); err != nil {
		return err
	}
	scopes := slices.Clone(r.Agencies)
	if r.Province != nil {
		scopes = append([]motcua.IndicatorScope{*r.Province}, scopes...)
	}
	num := func(v *float64) string {
		if v == nil {
			return ""
		}
		return strconv.FormatFloat(*v, 'f', 4, 64)
	}
	for _, sc := range scopes {
		for _, ind := range sc.Indicators {
			rec := []string{r.Period, sc.Agency, ind.Group, ind.Code, ind.Name.Vi, strconv.FormatFloat(ind.Points, 'f', 4, 64),
				strconv.FormatBool(ind.Verified), strconv.FormatBool(ind.Computed),
				strconv.FormatInt(ind.Numerator, 10), strconv.FormatInt(ind.Denominator, 10), num(ind.Rate), num(ind.Score), ""}
			if ind.Why != nil {
				rec[len(rec)-1] = ind.Why.Vi
			}
			if err := cw.Write(rec); err != nil {
				return err
			}
		}
	}
	cw.Flush()
	return cw.Error()
}

// roadmap answers GET /stats/roadmap?on=YYYY-MM-DD (default today): the
// catalogue's procedures by level on that day, against the seed's targets;
// CSV with ?format=csv.
func (s *Server) roadmap(c *gin.Context) {
	on := s.Now().In(calendar.Location)
	if v := c.Query("on"); v != "" {
		t, err := time.ParseInLocation(time.DateOnly, v, calendar.Location)
		if err != nil {
			s.fail(c, motcua.FieldErrors("Tham số thống kê chưa hợp lệ.", map[string]string{"on": "Ngày phải có dạng YYYY-MM-DD."}))
			return
		}
		on = t
	}
	r := procedures.RoadmapOn(s.Catalog.All(), on)
	c.Header("Cache-Control", "public, max-age=300")
	if c.Query("format") == "csv" {
		c.Header("Content-Type", "text/csv; charset=utf-8")
		c.Header("Content-Disposition", fmt.Sprintf(`attachment; filename="lo-trinh-%s.csv"`, r.On))
		c.Status(http.StatusOK)
		_ = writeRoadmapCSV(c.Writer, r)
		return
	}
	c.JSON(http.StatusOK, r)
}

// writeRoadmapCSV writes one row per level count and per target.
func writeRoadmapCSV(w io.Writer, r procedures.Roadmap) error {
	cw := csv.NewWriter(w)
	rows := [][]string{{"on", "measure", "by", "target", "actual", "evaluated_on", "met", "basis"}}
	count := func(measure string, n int) {
		rows = append(rows, []string{r.On, measure, "", "", strconv.Itoa(n), r.On, "", ""})
	}
	count("offered", r.Offered)
	for i, n := range r.Levels {
		count(fmt.Sprintf("level_%d", i+1), n)
	}
	count("level_3_4", r.Level34)
	count("online_full", r.Full)
	count("online_partial", r.Partial)
	count("undated", r.Undated)
	for _, t := range r.Targets {
		rows = append(rows, []string{r.On, "target_" + t.Kind, t.By, strconv.Itoa(t.Target), strconv.Itoa(t.Actual), t.Evaluated,
			strconv.FormatBool(t.Met), t.Basis})
	}
	if err := cw.WriteAll(rows); err != nil {
		return err
	}
	return cw.Error()
}

// indicatorsDictionary answers GET /stats/indicators/dictionary: every
// indicator of the Decision, its formula, points and whether we compute
// it (and why not), and the CSV's columns.
func (s *Server) indicatorsDictionary(c *gin.Context) {
	c.Header("Cache-Control", "public, max-age=3600")
	c.JSON(http.StatusOK, gin.H{
		"title":      "Bộ chỉ số phục vụ người dân, doanh nghiệp (Quyết định 766/QĐ-TTg) / Service quality indicators (Decision 766/QĐ-TTg)",
		"license":    "CC BY 4.0",
		"notes":      indicatorNotes,
		"groups":     motcua.IndicatorGroups,
		"indicators": motcua.Indicators,
		"columns":    indicatorColumns,
	})
}
