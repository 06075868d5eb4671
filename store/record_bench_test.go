package store

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/motcua/motcua"
)

// BenchmarkRecordCase records whole cases of six transitions, as a case
// workflow does (the first record carries the form), on each dialect:
// a record is a local activity in the workflow task of the action, with
// the task's history length as its clock.
func BenchmarkRecordCase(b *testing.B) {
	for _, d := range []string{SQLite, Postgres} {
		b.Run(d, func(b *testing.B) {
			db := MustOpenDB(b, d)
			ctx := context.Background()
			steps := []motcua.Status{motcua.StatusSubmitted, motcua.StatusReceived, motcua.StatusInReview,
				motcua.StatusAwaitingApproval, motcua.StatusAwaitingIssue, motcua.StatusCompleted}
			b.ResetTimer()
			for i := range b.N {
				c := newCase(fmt.Sprintf("SKHDT-260302-%06d", i), "SKHDT", "079201001234", t0)
				for s, st := range steps {
					at := t0.Add(time.Duration(s) * time.Minute)
					c.Status, c.Version = st, s+1
					if st == motcua.StatusCompleted {
						c.ClosedAt = &at
					}
					ev := []motcua.Event{{Seq: s + 1, At: at, Action: motcua.ActionReceive, Status: st}}
					if err := db.RecordCaseAt(ctx, int64(3+6*s), c, ev); err != nil {
						b.Fatal(err)
					}
					if s == 0 {
						c.Form = nil // later records leave out what never changes
					}
				}
			}
			b.ReportMetric(float64(b.Elapsed().Microseconds())/float64(b.N*len(steps)), "µs/record")
		})
	}
}
