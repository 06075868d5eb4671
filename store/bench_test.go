package store

import (
	"context"
	"fmt"
	"math/rand/v2"
	"os"
	"strconv"
	"sync"
	"testing"
	"time"

	"github.com/motcua/motcua"
)

// benchCases is the size of the read model the benchmarks run against:
// 100,000 cases, or MOTCUA_BENCH_CASES.
var benchCases = func() int {
	if n, err := strconv.Atoi(os.Getenv("MOTCUA_BENCH_CASES")); err == nil && n > 0 {
		return n
	}
	return 100_000
}()

var (
	benchOnce sync.Once
	benchDB   *DB
	benchErr  error
	benchDone func()
)

func TestMain(m *testing.M) {
	code := m.Run()
	if benchDone != nil {
		benchDone()
	}
	os.Exit(code)
}

// benchStore seeds, once per process, a PostgreSQL schema with benchCases
// cases over 20 agencies: a third open (with inbox tasks), each with five
// timeline events. Rows go in by the batch, not through RecordCase, or
// seeding would take longer than the benchmarks. TestMain drops the schema.
func benchStore(b *testing.B) *DB {
	benchOnce.Do(func() {
		ctx := context.Background()
		schema := randomName("bench_")
		benchDB, benchErr = Open(ctx, Options{DSN: testDSN(), Schema: schema, MaxOpenConns: 8})
		if benchErr != nil {
			return
		}
		benchDone = func() {
			_ = benchDB.Exec(context.Background(), "DROP SCHEMA "+schema+" CASCADE")
			benchDB.Close()
		}
		if benchErr = benchDB.MigrateUp(ctx); benchErr != nil {
			return
		}
		start := time.Now()
		benchErr = seed(ctx, benchDB, benchCases)
		b.Logf("seeded %d cases in %s", benchCases, time.Since(start).Round(time.Millisecond))
	})
	if benchErr != nil {
		b.Fatal(benchErr)
	}
	return benchDB
}

func benchAgency(i int) string { return fmt.Sprintf("AG%02d", i%20) }
func benchCode(i int) string   { return fmt.Sprintf("%s-260301-%06d", benchAgency(i), i) }

func seed(ctx context.Context, db *DB, n int) error {
	const batch = 2000
	g := db.gorm.WithContext(ctx)
	for lo := 0; lo < n; lo += batch {
		var cases []caseRow
		var events []eventRow
		var tasks []taskRow
		for i := lo; i < min(lo+batch, n); i++ {
			submitted := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC).Add(time.Duration(i) * time.Minute)
			due := submitted.Add(time.Duration(72+i%200) * time.Hour)
			open := i%3 == 0
			c := newCase(benchCode(i), benchAgency(i), fmt.Sprintf("0792%08d", i%40000), submitted)
			c.Status, c.DueAt, c.ReceivedAt, c.Version = motcua.StatusCompleted, &due, &submitted, 5
			if open {
				c.Status = motcua.StatusInReview
				c.Overdue = i%10 == 0
				tasks = append(tasks, toTaskRows(&motcua.Case{Code: c.Code, Status: c.Status, SubmittedAt: submitted, DueAt: &due,
					Procedure: c.Procedure, Overdue: c.Overdue, Actions: []motcua.Permission{
						{Action: motcua.ActionReview, Role: motcua.RoleReviewer, Agency: c.Agency},
						{Action: motcua.ActionWithdraw, Role: motcua.RoleApplicant}}})...)
			}
			cases = append(cases, toCaseRow(c))
			for s := 1; s <= 5; s++ {
				events = append(events, toEventRow(c.Code, event(s, motcua.ActionReview, c.Status, submitted.Add(time.Duration(s)*time.Hour))))
			}
		}
		if err := g.CreateInBatches(cases, 500).Error; err != nil {
			return err
		}
		if err := g.CreateInBatches(events, 1000).Error; err != nil {
			return err
		}
		if len(tasks) > 0 {
			if err := g.CreateInBatches(tasks, 1000).Error; err != nil {
				return err
			}
		}
	}
	return db.Exec(ctx, "ANALYZE")
}

// BenchmarkLookup is a status look-up: the full case view of a random code
// (case row, timeline, documents, payments, tasks).
func BenchmarkLookup(b *testing.B) {
	db := benchStore(b)
	ctx := context.Background()
	r := rand.New(rand.NewPCG(1, 2))
	b.ResetTimer()
	for b.Loop() {
		if _, err := db.Case(ctx, benchCode(r.IntN(benchCases))); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkInbox is an officer's first inbox page (50 cases, soonest due).
func BenchmarkInbox(b *testing.B) {
	db := benchStore(b)
	ctx := context.Background()
	r := rand.New(rand.NewPCG(3, 4))
	b.ResetTimer()
	for b.Loop() {
		p, err := db.Inbox(ctx, motcua.InboxQuery{Agency: benchAgency(r.IntN(20)), Roles: []motcua.Role{motcua.RoleReviewer, motcua.RoleApprover}})
		if err != nil || len(p.Cases) != 50 {
			b.Fatalf("%d cases, %v", len(p.Cases), err)
		}
	}
}

// BenchmarkInboxDeepPage follows the cursor to the tenth page.
func BenchmarkInboxDeepPage(b *testing.B) {
	db := benchStore(b)
	ctx := context.Background()
	q := motcua.InboxQuery{Agency: "AG07", Roles: []motcua.Role{motcua.RoleReviewer}}
	for range 9 {
		p, err := db.Inbox(ctx, q)
		if err != nil {
			b.Fatal(err)
		}
		q.Cursor = p.Next
	}
	b.ResetTimer()
	for b.Loop() {
		if p, err := db.Inbox(ctx, q); err != nil || len(p.Cases) != 50 {
			b.Fatalf("%v", err)
		}
	}
}

// BenchmarkInboxOverdue filters the inbox to overdue cases.
func BenchmarkInboxOverdue(b *testing.B) {
	db := benchStore(b)
	ctx := context.Background()
	yes := true
	b.ResetTimer()
	for b.Loop() {
		if _, err := db.Inbox(ctx, motcua.InboxQuery{Agency: "AG03", Roles: []motcua.Role{motcua.RoleReviewer}, Overdue: &yes}); err != nil {
			b.Fatal(err)
		}
	}
}
