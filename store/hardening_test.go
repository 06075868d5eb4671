package store

import (
	"context"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/motcua/motcua"
)

// One-time codes: short-lived, single use, attempts limited, replaced when
// sent again (issue 16, finding 3).
func TestOneTimeCodes(t *testing.T) {
	eachDialect(t, func(t *testing.T, db *DB) {
		ctx := context.Background()
		now, exp := t0, t0.Add(10*time.Minute)
		use := func(code, hash string, at time.Time) (bool, int) {
			t.Helper()
			ok, left, err := db.UseOneTimeCode(ctx, code, "withdraw", hash, 3, at)
			if err != nil {
				t.Fatal(err)
			}
			return ok, left
		}
		save := func(code, hash string) {
			t.Helper()
			if err := db.SaveOneTimeCode(ctx, code, "withdraw", hash, exp, now); err != nil {
				t.Fatal(err)
			}
		}
		t.Run("OnceOnly", func(t *testing.T) {
			save("A-1", "h")
			if ok, left := use("A-1", "x", now); ok || left != 2 {
				t.Fatalf("wrong code: %v %d", ok, left)
			}
			if ok, _ := use("A-1", "h", now); !ok {
				t.Fatal("right code refused")
			}
			if ok, _ := use("A-1", "h", now); ok {
				t.Fatal("a used code works again")
			}
			if ok, _, _ := db.UseOneTimeCode(ctx, "A-1", "pay", "h", 3, now); ok {
				t.Fatal("a code works for another purpose")
			}
		})
		t.Run("AttemptsSpent", func(t *testing.T) {
			save("A-2", "h")
			for range 3 {
				use("A-2", "x", now)
			}
			if ok, left := use("A-2", "h", now); ok || left != 0 {
				t.Fatalf("the right code after the attempts: %v %d", ok, left)
			}
			save("A-2", "h2") // a new code, new attempts
			if ok, _ := use("A-2", "h2", now); !ok {
				t.Fatal("a new code after spent attempts refused")
			}
		})
		t.Run("Expired", func(t *testing.T) {
			save("A-3", "h")
			if ok, _ := use("A-3", "h", exp); ok {
				t.Fatal("an expired code works")
			}
		})
		t.Run("ConcurrentUseOnce", func(t *testing.T) {
			save("A-4", "h")
			var wins atomic.Int32
			var wg sync.WaitGroup
			for range 8 {
				wg.Go(func() {
					if ok, _, err := db.UseOneTimeCode(ctx, "A-4", "withdraw", "h", 100, now); err == nil && ok {
						wins.Add(1)
					}
				})
			}
			wg.Wait()
			if wins.Load() != 1 {
				t.Fatalf("%d concurrent uses succeeded", wins.Load())
			}
		})
	})
}

func TestIncidents(t *testing.T) {
	eachDialect(t, func(t *testing.T, db *DB) {
		ctx := context.Background()
		inc := motcua.Incident{Code: "C-1", RunID: "r1", Kind: motcua.IncidentTerminated, Detail: "x", OpenedAt: t0}
		first, created, err := db.OpenIncident(ctx, inc)
		if err != nil || !created || first.ID == 0 {
			t.Fatalf("open: %+v %v %v", first, created, err)
		}
		again, created, err := db.OpenIncident(ctx, inc)
		if err != nil || created || again.ID != first.ID {
			t.Fatalf("the same run again: %+v %v %v", again, created, err)
		}
		if got, err := db.OpenIncidentOf(ctx, "C-1"); err != nil || got == nil || got.ID != first.ID {
			t.Fatalf("open incident of the case: %+v %v", got, err)
		}
		if got, _ := db.OpenIncidentOf(ctx, "C-2"); got != nil {
			t.Fatalf("a case without incident: %+v", got)
		}
		done, err := db.ResolveIncident(ctx, first.ID, "admin", "Đã xử lý.", t0.Add(time.Hour))
		if err != nil || done.ResolvedAt == nil || done.ResolvedBy != "admin" {
			t.Fatalf("resolve: %+v %v", done, err)
		}
		if _, err := db.ResolveIncident(ctx, first.ID, "admin", "lại", t0); motcua.ErrorCode(err) != motcua.ENOTFOUND {
			t.Fatalf("resolve twice: %v", err)
		}
		if got, _ := db.OpenIncidentOf(ctx, "C-1"); got != nil {
			t.Fatalf("resolved but open: %+v", got)
		}
		// Found again on the same run, it stays resolved.
		if again, created, _ := db.OpenIncident(ctx, inc); created || again.ResolvedAt == nil {
			t.Fatalf("the resolved run found again: %+v %v", again, created)
		}
		open, _ := db.ListIncidents(ctx, false, 10)
		all, _ := db.ListIncidents(ctx, true, 10)
		if len(open) != 0 || len(all) != 1 {
			t.Fatalf("lists: open %v, all %v", open, all)
		}
	})
}

func TestCaseAccess(t *testing.T) {
	eachDialect(t, func(t *testing.T, db *DB) {
		ctx := context.Background()
		c := &motcua.Case{Code: "SKHDT-250115-0001", Agency: "SKHDT", Agencies: []string{"SKHDT", "CT"}, Owner: "079201001234",
			Status: motcua.StatusSubmitted, SubmittedAt: t0, Version: 1}
		ev := []motcua.Event{{Seq: 1, At: t0, Action: motcua.ActionSubmit, Status: motcua.StatusSubmitted,
			Actor: motcua.ActorRef{Kind: motcua.KindCitizen, Subject: c.Owner}}}
		if err := db.RecordCase(ctx, c, ev); err != nil {
			t.Fatal(err)
		}
		acc, err := db.CaseAccess(ctx, c.Code)
		if err != nil || !acc.Found || acc.Owner != c.Owner || len(acc.Agencies) != 2 || acc.Revision != 1 ||
			acc.Secret != (motcua.SecretState{}) || acc.Incident != 0 {
			t.Fatalf("access %+v %v", acc, err)
		}
		// The same read gives the secret's state and the open incident.
		if err := db.SetSecretState(ctx, c.Code, motcua.SecretState{Generation: 2, Revoked: true}); err != nil {
			t.Fatal(err)
		}
		inc, _, err := db.OpenIncident(ctx, motcua.Incident{Code: c.Code, RunID: "r1", Kind: "workflow_failed", OpenedAt: t0})
		if err != nil {
			t.Fatal(err)
		}
		if acc, err = db.CaseAccess(ctx, c.Code); err != nil || acc.Secret != (motcua.SecretState{Generation: 2, Revoked: true}) ||
			acc.Incident != inc.ID || inc.ID == 0 {
			t.Fatalf("access with a secret re-issued and an incident %+v %v (incident %d)", acc, err, inc.ID)
		}
		if acc, err := db.CaseAccess(ctx, "SKHDT-250115-0002"); err != nil || acc.Found {
			t.Fatalf("a missing case: %+v %v", acc, err)
		}
	})
}
