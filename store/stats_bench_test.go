package store

import (
	"context"
	"fmt"
	"math"
	"math/rand/v2"
	"os"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/motcua/motcua"
	"github.com/motcua/motcua/calendar"
)

// statsBenchCases is how many cases of 2025 BenchmarkStats seeds:
// 1,000,000, or MOTCUA_BENCH_STATS_CASES.
var statsBenchCases = func() int {
	if n, err := strconv.Atoi(os.Getenv("MOTCUA_BENCH_STATS_CASES")); err == nil && n > 0 {
		return n
	}
	return 1_000_000
}()

// seedStats computes the facts of n random cases of 2025 (60 agencies, 600
// procedures chosen by a Zipf law, as real demand is) with caseFacts, sums
// them as RecordCase would, and writes the daily and monthly sums by the
// batch: a million RecordCase transactions would take longer than the
// benchmark is worth. stats_case is not seeded; no query reads it.
func seedStats(ctx context.Context, db *DB, n int) error {
	rng := rand.New(rand.NewPCG(766, 2022))
	zipf := rand.NewZipf(rand.New(rand.NewPCG(1, 2)), 1.1, 4, 599)
	cal := calendar.Default()
	year := time.Date(2025, 1, 1, 1, 0, 0, 0, time.UTC)
	d := newDelta()
	for i := range n {
		proc := int(zipf.Uint64())
		submitted := year.Add(time.Duration(rng.IntN(364*24)) * time.Hour)
		r := caseRow{Code: fmt.Sprint(i), Agency: fmt.Sprintf("A%02d", proc%60), ProcedureCode: fmt.Sprintf("tt-%03d", proc),
			Channel: motcua.ChannelCounter, SubmittedAt: submitted, UpdatedAt: submitted}
		if rng.IntN(10) < 4 {
			r.Channel = motcua.ChannelOnline
		}
		received := submitted.Add(2 * time.Hour)
		due := cal.After(received, 3+rng.IntN(15))
		r.ReceivedAt, r.DueAt = &received, &due
		switch x := rng.IntN(100); {
		case x < 5:
			r.Status = string(motcua.StatusRejected)
			r.ClosedAt = &received
		case x < 8:
			r.Status = string(motcua.StatusWithdrawn)
			r.ClosedAt = &received
		case x < 15:
			r.Status = string(motcua.StatusInReview)
			r.Overdue = rng.IntN(3) == 0
		default:
			r.Status = string(motcua.StatusCompleted)
			issued := received.Add(time.Duration(rng.IntN(25*24)) * time.Hour)
			r.Result = &motcua.Result{IssuedAt: issued}
			r.ClosedAt = &issued
		}
		var pays []paymentRow
		if rng.IntN(2) == 0 {
			method := motcua.PaymentCounter
			if rng.IntN(3) == 0 {
				method = motcua.PaymentOnline
			}
			pays = []paymentRow{{Method: method, Status: motcua.PaymentPaid}}
		}
		var rating *ratingRow
		if motcua.Status(r.Status).Final() && rng.IntN(5) == 0 {
			rating = &ratingRow{Overall: 1 + rng.IntN(5), TimeKept: 1 + rng.IntN(5), Attitude: 1 + rng.IntN(5), Guidance: 1 + rng.IntN(5), Fees: 1 + rng.IntN(5)}
		}
		d.add(caseFacts(cal, &r, map[string]int{string(motcua.ActionRequestInfo): rng.IntN(2)}, pays, rating), 1)
	}
	d = d.withTotals()
	if err := bulkSums(ctx, db, "stats_daily", d); err != nil {
		return err
	}
	if err := bulkSums(ctx, db, "stats_monthly", d.rollup(monthOf)); err != nil {
		return err
	}
	return bulkSums(ctx, db, "stats_quarterly", d.rollup(quarterOf))
}

func bulkSums(ctx context.Context, db *DB, table string, d *statsDelta) error {
	const batch = 200
	var (
		values []string
		args   []any
	)
	row := "(?, ?, ?, ?" + strings.Repeat(", ?", nMetrics) + ")"
	flush := func() error {
		if len(values) == 0 {
			return nil
		}
		err := db.Exec(ctx, "INSERT INTO "+table+" (day, agency, procedure_code, channel, "+strings.Join(metricColumns[:], ", ")+") VALUES "+
			strings.Join(values, ", "), args...)
		values, args = values[:0], args[:0]
		return err
	}
	for k, m := range d.daily {
		values = append(values, row)
		args = append(args, k.Day, k.Agency, k.Procedure, k.Channel)
		for _, v := range m {
			args = append(args, v)
		}
		if len(values) == batch {
			if err := flush(); err != nil {
				return err
			}
		}
	}
	return flush()
}

// BenchmarkStats: a year of a million cases, the province's statistics
// as the public page and the open data ask for them.
//
//	go test ./store -run '^$' -bench BenchmarkStats -benchtime 20x
func BenchmarkStats(b *testing.B) {
	ctx := context.Background()
	db := MustOpenDB(b, Postgres)
	start := time.Now()
	if err := seedStats(ctx, db, statsBenchCases); err != nil {
		b.Fatal(err)
	}
	var rows int64
	_ = db.gorm.Raw("SELECT count(*) FROM stats_daily").Scan(&rows).Error
	_ = db.Exec(ctx, "ANALYZE")
	b.Logf("seeded %d cases of 2025 in %s: %d daily rows", statsBenchCases, time.Since(start).Round(time.Second), rows)
	from := time.Date(2025, 1, 1, 0, 0, 0, 0, calendar.Location)
	to := time.Date(2025, 12, 31, 0, 0, 0, 0, calendar.Location)
	for _, q := range []struct {
		name string
		q    motcua.StatsQuery
	}{
		{"province-year", motcua.StatsQuery{From: from, To: to, Period: motcua.PeriodAll}},
		{"province-by-month", motcua.StatsQuery{From: from, To: to, Period: motcua.PeriodMonth}},
		{"by-agency-year", motcua.StatsQuery{From: from, To: to, Period: motcua.PeriodYear, By: []string{motcua.ByAgency}}},
		{"by-procedure-quarter", motcua.StatsQuery{From: from, To: to, Period: motcua.PeriodQuarter, By: []string{motcua.ByProcedure}}},
		{"one-agency-days", motcua.StatsQuery{From: from, To: to, Period: motcua.PeriodDay, Agency: "A07"}},
		{"province-year-to-date", motcua.StatsQuery{From: from, To: time.Date(2025, 11, 17, 0, 0, 0, 0, calendar.Location), Period: motcua.PeriodAll}},
	} {
		if os.Getenv("MOTCUA_BENCH_STATS_EXPLAIN") != "" {
			explain(ctx, b, db, q.name, q.q)
		}
		b.Run(q.name, func(b *testing.B) {
			var worst time.Duration
			var got []motcua.StatsRow
			for b.Loop() {
				t := time.Now()
				var err error
				if got, err = db.Stats(ctx, q.q); err != nil {
					b.Fatal(err)
				}
				worst = max(worst, time.Since(t))
			}
			b.ReportMetric(float64(worst.Microseconds())/1000, "worst-ms")
			if q.name == "province-year" && (len(got) != 1 || got[0].Received != int64(statsBenchCases)) {
				b.Fatalf("the year counts %+v", got)
			}
			b.ReportMetric(math.Round(float64(len(got))), "rows")
		})
	}
}

// explain logs the plan PostgreSQL runs q with, timed
// (MOTCUA_BENCH_STATS_EXPLAIN=1).
func explain(ctx context.Context, b *testing.B, db *DB, name string, q motcua.StatsQuery) {
	sql, args, _, err := db.statsSQL(q)
	if err != nil {
		b.Fatal(err)
	}
	rows, done, err := db.queryStats(ctx, "EXPLAIN (ANALYZE, BUFFERS) "+sql, args)
	if err != nil {
		b.Fatal(err)
	}
	defer done()
	var plan []string
	for rows.Next() {
		var line string
		if err := rows.Scan(&line); err != nil {
			b.Fatal(err)
		}
		plan = append(plan, line)
	}
	b.Logf("%s:\n%s", name, strings.Join(plan, "\n"))
}
