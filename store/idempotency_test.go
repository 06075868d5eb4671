package store

import (
	"context"
	"sync"
	"testing"
	"time"

	"github.com/motcua/motcua"
)

func TestIdempotencyKeys(t *testing.T) {
	eachDialect(t, func(t *testing.T, db *DB) {
		ctx := context.Background()
		now := t0
		lease := now.Add(30 * time.Second)
		t.Run("ClaimAnswerReplay", func(t *testing.T) {
			r, err := db.BeginRequest(ctx, "k1", "h1", now, lease)
			if err != nil || !r.Claimed {
				t.Fatalf("first claim: %+v %v", r, err)
			}
			if r, _ := db.BeginRequest(ctx, "k1", "h1", now, lease); r.Claimed || r.Status != 0 || r.Hash != "h1" {
				t.Fatalf("in progress: %+v", r)
			}
			if err := db.FinishRequest(ctx, "k1", 200, []byte(`{"ok":true}`), now.Add(24*time.Hour)); err != nil {
				t.Fatal(err)
			}
			r, _ = db.BeginRequest(ctx, "k1", "h1", now.Add(23*time.Hour), lease)
			if r.Claimed || r.Status != 200 || string(r.Body) != `{"ok":true}` {
				t.Fatalf("retry: %+v", r)
			}
			if r, _ := db.BeginRequest(ctx, "k1", "h2", now, lease); r.Claimed || r.Hash != "h1" {
				t.Fatalf("another request with the key: %+v", r)
			}
			// A day later the key is free again.
			later := now.Add(25 * time.Hour)
			if r, _ := db.BeginRequest(ctx, "k1", "h2", later, later.Add(time.Minute)); !r.Claimed {
				t.Fatalf("expired key not claimed: %+v", r)
			}
		})
		t.Run("AbandonFrees", func(t *testing.T) {
			_, _ = db.BeginRequest(ctx, "k2", "h", now, lease)
			if err := db.AbandonRequest(ctx, "k2"); err != nil {
				t.Fatal(err)
			}
			if r, _ := db.BeginRequest(ctx, "k2", "h", now, lease); !r.Claimed {
				t.Fatalf("abandoned key not claimed: %+v", r)
			}
		})
		t.Run("LeaseEnds", func(t *testing.T) {
			_, _ = db.BeginRequest(ctx, "k3", "h", now, lease)
			if r, _ := db.BeginRequest(ctx, "k3", "h", lease.Add(time.Millisecond), lease.Add(time.Minute)); !r.Claimed {
				t.Fatalf("a dead request's key not taken over: %+v", r)
			}
		})
		t.Run("OneClaimUnderConcurrency", func(t *testing.T) {
			var mu sync.Mutex
			claimed := 0
			var wg sync.WaitGroup
			for range 8 {
				wg.Go(func() {
					r, err := db.BeginRequest(ctx, "k4", "h", now, lease)
					if err != nil {
						t.Error(err)
					}
					mu.Lock()
					defer mu.Unlock()
					if r.Claimed {
						claimed++
					}
				})
			}
			wg.Wait()
			if claimed != 1 {
				t.Fatalf("%d claims of one key", claimed)
			}
		})
		t.Run("Purge", func(t *testing.T) {
			db.lastPurge.Store(0)
			far := now.Add(48 * time.Hour)
			_, _ = db.BeginRequest(ctx, "k5", "h", far, far.Add(time.Minute))
			var n int
			if err := db.gorm.Raw("SELECT COUNT(*) FROM idempotency_keys WHERE expires_at <= ?", far.UnixMilli()).Scan(&n).Error; err != nil || n != 0 {
				t.Fatalf("%d expired keys left after a purge (%v)", n, err)
			}
		})
	})
}

func TestPermanentRecordErrors(t *testing.T) {
	ctx := context.Background()
	db := MustOpenDB(t, Postgres)
	c := newCase("SKHDT-260302-0009", "SKHDT", "079201001234", t0)
	c.Version = 1
	c.Applicant.Name = "Lê\x00Nhung"
	err := db.RecordCase(ctx, c, []motcua.Event{event(1, motcua.ActionSubmit, motcua.StatusSubmitted, t0)})
	if err == nil || !Permanent(err) {
		t.Fatalf("a NUL in the applicant's name: %v, want a permanent error", err)
	}
	c.Version = 2
	if err := db.RecordCase(ctx, c, []motcua.Event{event(1, motcua.ActionSubmit, motcua.StatusSubmitted, t0)}); !Permanent(err) {
		t.Fatalf("an inconsistent record: %v, want a permanent error", err)
	}
	gone, cancel := context.WithCancel(ctx)
	cancel()
	c.Applicant.Name, c.Version = "Lê Nhung", 1
	if err := db.RecordCase(gone, c, []motcua.Event{event(1, motcua.ActionSubmit, motcua.StatusSubmitted, t0)}); err == nil || Permanent(err) {
		t.Fatalf("a request cancelled: %v, want a passing error", err)
	}
}
