package store

import (
	"cmp"
	"context"
	"database/sql"
	"errors"
	"fmt"
	"math"
	"slices"
	"strings"
	"time"

	"gorm.io/gorm"
	"gorm.io/gorm/clause"

	"github.com/motcua/motcua"
	"github.com/motcua/motcua/calendar"
)

// Statistics are kept incrementally. Each case has facts (statsCase): what
// it contributes to the sums, computed from what the read model holds of it
// (its row, its timeline's counts, its payments, its rating). Whenever any
// of these is written, the case's facts are computed afresh and the
// difference from the stored facts is added to the daily sums in the same
// transaction. A record applied twice, late or out of order leaves the
// facts, hence the sums, where they were: the sums always equal a recount.

// Case outcomes in the statistics.
const (
	outcomeOpenOnTime  = "open_on_time"
	outcomeOpenOverdue = "open_overdue"
	outcomeOnTime      = "resolved_on_time"
	outcomeLate        = "resolved_late"
	outcomeRejected    = "rejected"
	outcomeWithdrawn   = "withdrawn"
	outcomeCancelled   = "cancelled"
)

type statsCase struct {
	CaseCode      string `gorm:"primaryKey"`
	Agency        string
	ProcedureCode string
	Channel       string
	SubmittedDay  string
	ClosedDay     string
	Outcome       string
	DaysTaken     int // -1 unless resolved
	Supplements   int
	Returns       int
	Paid          int
	PaidOnline    int
	Overall       int // 0: not rated
	TimeKept      int
	Attitude      int
	Guidance      int
	Fees          int
}

func (statsCase) TableName() string { return "stats_case" }

// The summed metrics, in stats_daily's column order.
const (
	mReceived = iota
	mResolvedOnTime
	mResolvedLate
	mOpenOnTime
	mOpenOverdue
	mReturned
	mRejected
	mWithdrawn
	mCancelled
	mDaysSum
	mSupplements
	mPaid
	mPaidOnline
	mRated
	mRated1
	mRated2
	mRated3
	mRated4
	mRated5
	mOverallSum
	mTimeKeptSum
	mAttitudeSum
	mGuidanceSum
	mFeesSum
	mDays0   // mDays0+b counts cases resolved in days bucket b (daysBucket)
	nMetrics = mDays0 + nDaysBuckets
)

// Working days taken are counted in buckets: one per day up to 40, then
// 41–60, 61–90 and more than 90, whose upper bounds daysBucketTop gives
// (91 standing for "more than 90").
const nDaysBuckets = 44

func daysBucket(days int) int {
	switch {
	case days <= 40:
		return days
	case days <= 60:
		return 41
	case days <= 90:
		return 42
	}
	return 43
}

func daysBucketTop(b int) int {
	switch b {
	case 41:
		return 60
	case 42:
		return 90
	case 43:
		return 91
	}
	return b
}

var metricColumns = func() [nMetrics]string {
	cols := [nMetrics]string{
		"received", "resolved_on_time", "resolved_late", "open_on_time", "open_overdue", "returned", "rejected",
		"withdrawn", "cancelled", "days_sum", "supplements", "paid", "paid_online", "rated",
		"rated_1", "rated_2", "rated_3", "rated_4", "rated_5",
		"overall_sum", "time_kept_sum", "attitude_sum", "guidance_sum", "fees_sum",
	}
	for b := range nDaysBuckets {
		cols[mDays0+b] = fmt.Sprintf("days_%d", b)
	}
	return cols
}()

type statsKey struct{ Day, Agency, Procedure, Channel string }

func (k statsKey) compare(o statsKey) int {
	return cmp.Or(cmp.Compare(k.Day, o.Day), cmp.Compare(k.Agency, o.Agency),
		cmp.Compare(k.Procedure, o.Procedure), cmp.Compare(k.Channel, o.Channel))
}

type metrics [nMetrics]int64

// statsDelta is what to add to the sums.
type statsDelta struct {
	daily map[statsKey]*metrics
}

func newDelta() *statsDelta {
	return &statsDelta{daily: map[statsKey]*metrics{}}
}

// add adds f's contributions times sign (1 or -1).
func (d *statsDelta) add(f *statsCase, sign int64) {
	if f == nil {
		return
	}
	atAgency := func(day, agency string) *metrics {
		k := statsKey{day, agency, f.ProcedureCode, f.Channel}
		m := d.daily[k]
		if m == nil {
			m = &metrics{}
			d.daily[k] = m
		}
		return m
	}
	at := func(day string) *metrics { return atAgency(day, f.Agency) }
	// A case handed over (issue 13) counts as received by the agency that
	// received it, the one its code names, and as open, resolved or
	// rejected by the agency that holds it or resolved it.
	in := atAgency(f.SubmittedDay, cmp.Or(filingAgency(f.CaseCode), f.Agency))
	in[mReceived] += sign
	in[mSupplements] += sign * int64(f.Supplements)
	in[mPaid] += sign * int64(f.Paid)
	in[mPaidOnline] += sign * int64(f.PaidOnline)
	if f.Returns > 0 {
		in[mReturned] += sign
	}
	switch f.Outcome {
	case outcomeOpenOnTime:
		at(f.SubmittedDay)[mOpenOnTime] += sign
	case outcomeOpenOverdue:
		at(f.SubmittedDay)[mOpenOverdue] += sign
	}
	if f.ClosedDay == "" {
		return
	}
	out := at(f.ClosedDay)
	switch f.Outcome {
	case outcomeOnTime:
		out[mResolvedOnTime] += sign
	case outcomeLate:
		out[mResolvedLate] += sign
	case outcomeRejected:
		out[mRejected] += sign
	case outcomeWithdrawn:
		out[mWithdrawn] += sign
	case outcomeCancelled:
		out[mCancelled] += sign
	}
	if f.DaysTaken >= 0 {
		out[mDaysSum] += sign * int64(f.DaysTaken)
		out[mDays0+daysBucket(f.DaysTaken)] += sign
	}
	if f.Overall > 0 {
		out[mRated] += sign
		out[mRated1+f.Overall-1] += sign
		out[mOverallSum] += sign * int64(f.Overall)
		out[mTimeKeptSum] += sign * int64(f.TimeKept)
		out[mAttitudeSum] += sign * int64(f.Attitude)
		out[mGuidanceSum] += sign * int64(f.Guidance)
		out[mFeesSum] += sign * int64(f.Fees)
	}
}

// filingAgency is the agency a case code names: codes are the agency
// that received the case, its day and a number (SKHDT-250228-0042); ""
// when code is not one.
func filingAgency(code string) string {
	rest, num, ok := cutLast(code)
	if !ok {
		return ""
	}
	agency, day, ok := cutLast(rest)
	if !ok || len(day) != 6 || strings.Trim(day, "0123456789") != "" || num == "" || strings.Trim(num, "0123456789") != "" {
		return ""
	}
	return agency
}

func cutLast(s string) (before, after string, ok bool) {
	i := strings.LastIndexByte(s, '-')
	if i <= 0 {
		return "", "", false
	}
	return s[:i], s[i+1:], true
}

// statsDay is t's date in Vietnam, as stats rows key it.
func statsDay(t time.Time) string { return t.In(calendar.Location).Format(time.DateOnly) }

// caseFacts computes what a case contributes, from what the read model
// holds of it. A case resolves when its result is issued (on time when
// issued by its due date; a new appointment does not make a late case on
// time) and takes the working days from reception (or submission) to then,
// less those its clock was paused waiting for the applicant.
func caseFacts(cal *calendar.Calendar, r *caseRow, actions map[string]int, pays []paymentRow, rating *ratingRow) *statsCase {
	f := &statsCase{CaseCode: r.Code, Agency: r.Agency, ProcedureCode: r.ProcedureCode, Channel: r.Channel,
		SubmittedDay: statsDay(r.SubmittedAt), DaysTaken: -1,
		Supplements: actions[string(motcua.ActionRequestInfo)], Returns: actions[string(motcua.ActionReturn)]}
	status := motcua.Status(r.Status)
	closed := func(t *time.Time) {
		if t == nil {
			t = &r.UpdatedAt
		}
		f.ClosedDay = statsDay(*t)
	}
	switch {
	case status == motcua.StatusRejected:
		f.Outcome = outcomeRejected
		closed(r.ClosedAt)
	case status == motcua.StatusWithdrawn:
		f.Outcome = outcomeWithdrawn
		closed(r.ClosedAt)
	case status == motcua.StatusCancelled:
		f.Outcome = outcomeCancelled
		closed(r.ClosedAt)
	case r.Result != nil:
		issued := r.Result.IssuedAt
		f.Outcome = outcomeOnTime
		if r.DueAt != nil && issued.After(*r.DueAt) {
			f.Outcome = outcomeLate
		}
		f.ClosedDay = statsDay(issued)
		from := r.SubmittedAt
		if r.ReceivedAt != nil {
			from = *r.ReceivedAt
		}
		days := cal.WorkingDaysBetween(from, issued)
		for _, p := range r.Pauses {
			to := issued
			if p.To != nil && p.To.Before(issued) {
				to = *p.To
			}
			days -= cal.WorkingDaysBetween(p.From, to)
		}
		f.DaysTaken = max(days, 0)
	case r.Overdue:
		f.Outcome = outcomeOpenOverdue
	default:
		f.Outcome = outcomeOpenOnTime
	}
	for _, p := range pays {
		if p.Status == motcua.PaymentPaid || p.Status == motcua.PaymentRefunded {
			f.Paid = 1
			if p.Method == motcua.PaymentOnline {
				f.PaidOnline = 1
			}
		}
	}
	if rating != nil && f.ClosedDay != "" {
		f.Overall, f.TimeKept, f.Attitude, f.Guidance, f.Fees = rating.Overall, rating.TimeKept, rating.Attitude, rating.Guidance, rating.Fees
	}
	return f
}

// SetCalendar sets the calendar working days taken are counted on (the
// embedded one by default).
func (db *DB) SetCalendar(c *calendar.Calendar) { db.cal = c }

func (db *DB) workCalendar() *calendar.Calendar {
	if db.cal == nil {
		return calendar.Default()
	}
	return db.cal
}

// lockCase locks code's case row until tx ends (PostgreSQL; SQLite has
// one writer at a time).
func (db *DB) lockCase(tx *gorm.DB, code string) (*caseRow, error) {
	q := tx.Where("code = ?", code)
	if db.dialect == Postgres {
		q = q.Clauses(clause.Locking{Strength: "UPDATE"})
	}
	var row caseRow
	if err := q.Take(&row).Error; err != nil {
		if errors.Is(err, gorm.ErrRecordNotFound) {
			return nil, motcua.Errorf(motcua.ENOTFOUND, "Không tìm thấy hồ sơ %s.", code)
		}
		return nil, fmt.Errorf("case %s: %w", code, err)
	}
	return &row, nil
}

// refreshStats recomputes code's facts and adds their difference to the
// sums. The caller's transaction holds the case row's lock (RecordCase's
// upsert takes it; others call lockCase), so two refreshes of one case
// never interleave.
func (db *DB) refreshStats(tx *gorm.DB, row *caseRow) error {
	code := row.Code
	var counts []struct {
		Action string
		N      int
	}
	if err := tx.Model(&eventRow{}).Select("action, count(*) AS n").
		Where("case_code = ? AND action IN ?", code, []string{string(motcua.ActionRequestInfo), string(motcua.ActionReturn)}).
		Group("action").Scan(&counts).Error; err != nil {
		return fmt.Errorf("stats of %s: %w", code, err)
	}
	actions := map[string]int{}
	for _, c := range counts {
		actions[c.Action] = c.N
	}
	var pays []paymentRow
	if err := tx.Where("case_code = ?", code).Find(&pays).Error; err != nil {
		return fmt.Errorf("stats of %s: %w", code, err)
	}
	var ratings []ratingRow
	if err := tx.Where("case_code = ?", code).Limit(1).Find(&ratings).Error; err != nil {
		return fmt.Errorf("stats of %s: %w", code, err)
	}
	var rating *ratingRow
	if len(ratings) > 0 {
		rating = &ratings[0]
	}
	next := caseFacts(db.workCalendar(), row, actions, pays, rating)
	var olds []statsCase
	if err := tx.Where("case_code = ?", code).Limit(1).Find(&olds).Error; err != nil {
		return fmt.Errorf("stats of %s: %w", code, err)
	}
	var old *statsCase
	if len(olds) > 0 {
		if olds[0] == *next {
			return nil
		}
		old = &olds[0]
	}
	d := newDelta()
	d.add(old, -1)
	d.add(next, 1)
	if err := tx.Clauses(clause.OnConflict{UpdateAll: true}).Create(next).Error; err != nil {
		return fmt.Errorf("stats of %s: %w", code, err)
	}
	return applyDelta(tx, d)
}

// upsertSQL adds a row of metrics to table's sums.
func upsertSQL(table string) string {
	cols := strings.Join(metricColumns[:], ", ")
	sets := make([]string, nMetrics)
	for i, c := range metricColumns {
		sets[i] = fmt.Sprintf("%s = %s.%s + excluded.%s", c, table, c, c)
	}
	return "INSERT INTO " + table + " (day, agency, procedure_code, channel, " + cols + ") VALUES (?, ?, ?, ?" +
		strings.Repeat(", ?", nMetrics) + ") ON CONFLICT (day, agency, procedure_code, channel) DO UPDATE SET " +
		strings.Join(sets, ", ")
}

// The sums are kept by day, by month and by quarter (day = the month's or
// the quarter's first).
var (
	dailyUpsert     = upsertSQL("stats_daily")
	monthlyUpsert   = upsertSQL("stats_monthly")
	quarterlyUpsert = upsertSQL("stats_quarterly")
)

func monthOf(day string) string { return day[:8] + "01" }

func quarterOf(day string) string {
	m := (int(day[5]-'0')*10+int(day[6]-'0')-1)/3*3 + 1
	return fmt.Sprintf("%s%02d-01", day[:5], m)
}

// rollup is d summed by the period of of each day.
func (d *statsDelta) rollup(of func(string) string) *statsDelta {
	m := newDelta()
	for k, v := range d.daily {
		k.Day = of(k.Day)
		if m.daily[k] == nil {
			m.daily[k] = &metrics{}
		}
		for i := range v {
			m.daily[k][i] += v[i]
		}
	}
	return m
}

// withTotals adds to d, for each of its rows, the same numbers under
// procedure "" — the agency's whole: a query that neither groups nor
// filters by procedure sums these, a sixtieth of the rows or fewer.
func (d *statsDelta) withTotals() *statsDelta {
	out := newDelta()
	for k, v := range d.daily {
		for _, key := range []statsKey{k, {k.Day, k.Agency, "", k.Channel}} {
			if out.daily[key] == nil {
				out.daily[key] = &metrics{}
			}
			for i := range v {
				out.daily[key][i] += v[i]
			}
		}
	}
	return out
}

// applyDelta adds d to the daily, monthly and quarterly sums, by
// procedure and for every procedure of an agency.
func applyDelta(tx *gorm.DB, d *statsDelta) error {
	d = d.withTotals()
	if err := applySums(tx, d, dailyUpsert); err != nil {
		return err
	}
	if err := applySums(tx, d.rollup(monthOf), monthlyUpsert); err != nil {
		return err
	}
	return applySums(tx, d.rollup(quarterOf), quarterlyUpsert)
}

// applySums adds d's rows, in key order so that concurrent transactions
// lock them in the same order.
func applySums(tx *gorm.DB, d *statsDelta, upsert string) error {
	keys := make([]statsKey, 0, len(d.daily))
	for k, m := range d.daily {
		if *m != (metrics{}) {
			keys = append(keys, k)
		}
	}
	slices.SortFunc(keys, statsKey.compare)
	for _, k := range keys {
		args := []any{k.Day, k.Agency, k.Procedure, k.Channel}
		for _, v := range d.daily[k] {
			args = append(args, v)
		}
		if err := tx.Exec(upsert, args...).Error; err != nil {
			return fmt.Errorf("stats: %w", err)
		}
	}
	return nil
}

// sumTable is a table of sums and the span of days each of its rows
// covers (its day is the span's first).
type sumTable struct {
	name  string
	first func(time.Time) time.Time // the first day of the span holding a day
	next  func(time.Time) time.Time // the first day of the span after
}

var (
	dailySums     = sumTable{"stats_daily", func(t time.Time) time.Time { return t }, func(t time.Time) time.Time { return t.AddDate(0, 0, 1) }}
	monthlySums   = sumTable{"stats_monthly", firstOfMonth, func(t time.Time) time.Time { return firstOfMonth(t).AddDate(0, 1, 0) }}
	quarterlySums = sumTable{"stats_quarterly", firstOfQuarter, func(t time.Time) time.Time { return firstOfQuarter(t).AddDate(0, 3, 0) }}
)

func firstOfMonth(t time.Time) time.Time {
	return time.Date(t.Year(), t.Month(), 1, 0, 0, 0, 0, time.UTC)
}

func firstOfQuarter(t time.Time) time.Time {
	return time.Date(t.Year(), t.Month()-(t.Month()-1)%3, 1, 0, 0, 0, 0, time.UTC)
}

// source is the rows a query of from..to sums, from the coarsest sums its
// period allows: whole quarters from the quarterly sums, whole months of
// the rest from the monthly, the days left from the daily. A statistics
// query costs its rows times its sums, so the fewer rows the better.
func source(from, to, period string) (string, []any) {
	tables := []sumTable{quarterlySums, monthlySums, dailySums}
	switch period {
	case motcua.PeriodDay:
		tables = tables[2:]
	case motcua.PeriodMonth:
		tables = tables[1:]
	}
	f, _ := time.Parse(time.DateOnly, from)
	t, _ := time.Parse(time.DateOnly, to)
	var parts []string
	var args []any
	var cover func(f, t time.Time, tables []sumTable)
	cover = func(f, t time.Time, tables []sumTable) {
		if t.Before(f) {
			return
		}
		tb := tables[0]
		if len(tables) == 1 {
			parts = append(parts, "SELECT * FROM "+tb.name+" WHERE day >= ? AND day <= ?")
			args = append(args, f.Format(time.DateOnly), t.Format(time.DateOnly))
			return
		}
		firstWhole := tb.first(f)
		if !firstWhole.Equal(f) {
			firstWhole = tb.next(f)
		}
		lastWhole := tb.first(t) // the first day of the last whole span
		if !tb.next(t).Equal(t.AddDate(0, 0, 1)) {
			lastWhole = tb.first(lastWhole.AddDate(0, 0, -1))
		}
		if lastWhole.Before(firstWhole) {
			cover(f, t, tables[1:])
			return
		}
		cover(f, firstWhole.AddDate(0, 0, -1), tables[1:])
		parts = append(parts, "SELECT * FROM "+tb.name+" WHERE day >= ? AND day <= ?")
		args = append(args, firstWhole.Format(time.DateOnly), lastWhole.Format(time.DateOnly))
		cover(tb.next(lastWhole), t, tables[1:])
	}
	cover(f, t, tables)
	if len(parts) == 0 { // to before from: nothing
		return "(SELECT * FROM stats_daily WHERE 1 = 0) s", nil
	}
	return "(" + strings.Join(parts, " UNION ALL ") + ") s", args
}

// periodExpr is the SQL naming the period of stats_daily's day (text
// YYYY-MM-DD) in both dialects.
func periodExpr(period string) (string, error) {
	switch period {
	case motcua.PeriodDay:
		return "day", nil
	case motcua.PeriodMonth:
		return "substr(day, 1, 7)", nil
	case motcua.PeriodQuarter:
		return "substr(day, 1, 4) || '-Q' || CAST((CAST(substr(day, 6, 2) AS INTEGER) + 2) / 3 AS TEXT)", nil
	case motcua.PeriodYear:
		return "substr(day, 1, 4)", nil
	case motcua.PeriodAll, "":
		return "'all'", nil
	}
	return "", motcua.Errorf(motcua.EINVALID, "Kỳ thống kê %q không hợp lệ (day, month, quarter, year, all).", period)
}

var dimensionColumns = map[string]string{motcua.ByAgency: "agency", motcua.ByProcedure: "procedure_code", motcua.ByChannel: "channel"}

// statsSQL is the query summing q's rows, its arguments and the
// dimension columns it groups by after the period.
func (db *DB) statsSQL(q motcua.StatsQuery) (string, []any, []string, error) {
	period, err := periodExpr(q.Period)
	if err != nil {
		return "", nil, nil, err
	}
	groups := []string{period + " AS period"}
	var groupBy []string
	if q.Period != motcua.PeriodAll && q.Period != "" {
		groupBy = append(groupBy, period)
	}
	var dims []string
	for _, by := range q.By {
		col, ok := dimensionColumns[by]
		if !ok {
			return "", nil, nil, motcua.Errorf(motcua.EINVALID, "Không nhóm được theo %q (agency, procedure, channel).", by)
		}
		if !slices.Contains(dims, col) {
			dims = append(dims, col)
			groups = append(groups, col)
			groupBy = append(groupBy, col)
		}
	}
	// Rows of procedure "" are an agency's totals (withTotals).
	where := []string{"procedure_code = ''"}
	var filter []any
	if q.Procedure != "" || slices.Contains(dims, "procedure_code") {
		where[0] = "procedure_code <> ''"
	}
	for _, f := range [][2]string{{"agency", q.Agency}, {"procedure_code", q.Procedure}, {"channel", q.Channel}} {
		if f[1] != "" {
			where = append(where, f[0]+" = ?")
			filter = append(filter, f[1])
		}
	}
	tail := func() string {
		sql := ""
		if len(where) > 0 {
			sql += " WHERE " + strings.Join(where, " AND ")
		}
		if len(groupBy) > 0 {
			sql += " GROUP BY " + strings.Join(groupBy, ", ") // sorted in Go: sorting wide rows of sums costs PostgreSQL more
		}
		return sql
	}
	from, to := statsDay(q.From), statsDay(q.To)
	src, args := source(from, to, q.Period)
	args = append(args, filter...)
	sums := make([]string, nMetrics)
	for i, c := range metricColumns {
		sums[i] = "CAST(COALESCE(SUM(" + c + "), 0) AS BIGINT) AS " + c // int8 out, not numeric
	}
	sql := "SELECT " + strings.Join(groups, ", ") + ", " + strings.Join(sums, ", ") +
		", CAST(COALESCE(SUM(CASE WHEN channel = 'online' THEN received ELSE 0 END), 0) AS BIGINT) AS received_online FROM " + src + tail()
	return db.rebind(sql), args, dims, nil
}

// Stats sums the daily statistics of q's days into q's periods and groups.
func (db *DB) Stats(ctx context.Context, q motcua.StatsQuery) ([]motcua.StatsRow, error) {
	query, args, dims, err := db.statsSQL(q)
	if err != nil {
		return nil, err
	}
	rows, done, err := db.queryStats(ctx, query, args)
	if err != nil {
		return nil, fmt.Errorf("stats: %w", err)
	}
	defer done()
	type group struct {
		row *motcua.StatsRow
		key string
		m   metrics
	}
	var out []*group
	for rows.Next() {
		g := &group{row: &motcua.StatsRow{}}
		dimVals := make([]string, len(dims))
		dest := []any{&g.row.Period}
		for i := range dims {
			dest = append(dest, &dimVals[i])
		}
		for i := range g.m {
			dest = append(dest, &g.m[i])
		}
		dest = append(dest, &g.row.ReceivedOnline)
		if err := rows.Scan(dest...); err != nil {
			return nil, fmt.Errorf("stats: %w", err)
		}
		for i, col := range dims {
			switch col {
			case "agency":
				g.row.Agency = dimVals[i]
			case "procedure_code":
				g.row.Procedure = dimVals[i]
			case "channel":
				g.row.Channel = dimVals[i]
			}
		}
		g.key = g.row.Period + "\x00" + strings.Join(dimVals, "\x00")
		out = append(out, g)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("stats: %w", err)
	}
	slices.SortFunc(out, func(a, b *group) int { return strings.Compare(a.key, b.key) })
	result := make([]motcua.StatsRow, len(out))
	for i, g := range out {
		fill(g.row, &g.m)
		result[i] = *g.row
	}
	return result, nil
}

// statsWorkMem lets PostgreSQL hash a statistics query's groups in
// memory: a year by procedure and quarter is 2,400 groups of 69 sums,
// about 18 MB, which spilled to disk at the default 4 MB.
const statsWorkMem = "64MB"

// queryStats runs a statistics query (on PostgreSQL in a read-only
// transaction with statsWorkMem); done closes the rows and ends it.
func (db *DB) queryStats(ctx context.Context, query string, args []any) (*sql.Rows, func(), error) {
	if db.dialect != Postgres {
		rows, err := db.sql.QueryContext(ctx, query, args...)
		if err != nil {
			return nil, nil, err
		}
		return rows, func() { _ = rows.Close() }, nil
	}
	tx, err := db.sql.BeginTx(ctx, &sql.TxOptions{ReadOnly: true})
	if err != nil {
		return nil, nil, err
	}
	if _, err := tx.ExecContext(ctx, "SET LOCAL work_mem = '"+statsWorkMem+"'"); err != nil {
		_ = tx.Rollback()
		return nil, nil, err
	}
	rows, err := tx.QueryContext(ctx, query, args...)
	if err != nil {
		_ = tx.Rollback()
		return nil, nil, err
	}
	return rows, func() { _ = rows.Close(); _ = tx.Rollback() }, nil
}

// rebind turns ? placeholders into PostgreSQL's $n.
func (db *DB) rebind(sql string) string {
	if db.dialect != Postgres {
		return sql
	}
	var b strings.Builder
	n := 0
	for _, r := range sql {
		if r == '?' {
			n++
			fmt.Fprintf(&b, "$%d", n)
			continue
		}
		b.WriteRune(r)
	}
	return b.String()
}

// fill copies sums into r and derives its shares and averages.
func fill(r *motcua.StatsRow, m *metrics) {
	r.Received, r.ResolvedOnTime, r.ResolvedLate = m[mReceived], m[mResolvedOnTime], m[mResolvedLate]
	r.OpenOnTime, r.OpenOverdue, r.Returned = m[mOpenOnTime], m[mOpenOverdue], m[mReturned]
	r.Rejected, r.Withdrawn, r.Cancelled = m[mRejected], m[mWithdrawn], m[mCancelled]
	r.Supplements, r.Paid, r.PaidOnline, r.Rated = m[mSupplements], m[mPaid], m[mPaidOnline], m[mRated]
	copy(r.Ratings[:], m[mRated1:mRated5+1])
	resolved := m[mResolvedOnTime] + m[mResolvedLate]
	r.AvgDays = ratio(m[mDaysSum], resolved)
	r.OnTimeShare = ratio(m[mResolvedOnTime], resolved)
	r.OnlineShare = ratio(r.ReceivedOnline, m[mReceived])
	r.OnlinePaymentShare = ratio(m[mPaidOnline], m[mPaid])
	r.Satisfaction = ratio(m[mOverallSum], m[mRated])
	r.TimeKeptAvg = ratio(m[mTimeKeptSum], m[mRated])
	r.AttitudeAvg = ratio(m[mAttitudeSum], m[mRated])
	r.GuidanceAvg = ratio(m[mGuidanceSum], m[mRated])
	r.FeesAvg = ratio(m[mFeesSum], m[mRated])
	r.P90Days = percentile(m[mDays0:], 0.9)
}

func ratio(a, b int64) *float64 {
	if b == 0 {
		return nil
	}
	v := float64(a) / float64(b)
	return &v
}

// percentile is the top of the smallest days bucket with at least p of the
// resolved cases at or below it (nearest rank).
func percentile(buckets []int64, p float64) *int {
	var total int64
	for _, n := range buckets {
		total += n
	}
	if total == 0 {
		return nil
	}
	rank := int64(math.Ceil(p * float64(total)))
	var seen int64
	for b, n := range buckets {
		seen += n
		if seen >= rank {
			v := daysBucketTop(b)
			return &v
		}
	}
	return nil
}

var _ motcua.Statistics = (*DB)(nil)
