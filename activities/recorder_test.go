package activities_test

import (
	"bytes"
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"log/slog"
	"os"
	"strings"
	"testing"
	"time"

	"go.temporal.io/sdk/temporal"

	"github.com/motcua/motcua"
	"github.com/motcua/motcua/activities"
	"github.com/motcua/motcua/store"
	"github.com/motcua/motcua/workflows"
)

func testPostgres(t *testing.T) *store.DB {
	t.Helper()
	dsn := os.Getenv("MOTCUA_TEST_POSTGRES")
	if dsn == "" {
		dsn = "postgres://postgres@127.0.0.1:5432/test?sslmode=disable"
	}
	b := make([]byte, 6)
	_, _ = rand.Read(b)
	schema := "activities_" + hex.EncodeToString(b)
	ctx := context.Background()
	db, err := store.Open(ctx, store.Options{DSN: dsn, Schema: schema, MaxOpenConns: 2})
	if err != nil {
		t.Fatalf("PostgreSQL is needed (MOTCUA_TEST_POSTGRES; .ci/run starts it): %v", err)
	}
	t.Cleanup(func() {
		_ = db.Exec(context.Background(), "DROP SCHEMA "+schema+" CASCADE")
		db.Close()
	})
	if err := db.MigrateUp(ctx); err != nil {
		t.Fatal(err)
	}
	return db
}

// A record PostgreSQL refuses for its content (a NUL: SQLSTATE 22P05)
// fails for good, logged with the case code, instead of being retried
// forever; a passing failure stays retryable.
func TestRecordRefusedForItsContentIsNotRetried(t *testing.T) {
	var logs bytes.Buffer
	rec := &activities.Recorder{DB: testPostgres(t), Logger: slog.New(slog.NewTextHandler(&logs, nil))}
	at := time.Date(2026, 11, 27, 2, 0, 0, 0, time.UTC)
	c := motcua.Case{Code: "SKHDT-261127-0001", Procedure: motcua.ProcedureRef{Code: "p", Version: 1, Hash: "h", Name: "P", Shape: "standard", Level: 4},
		Agency: "SKHDT", Agencies: []string{"SKHDT"}, Status: motcua.StatusSubmitted, Step: "reception", Channel: motcua.ChannelOnline,
		Owner: "079201001234", Applicant: motcua.Applicant{Name: "Trần\x00Ngọc", IDNumber: "079201001234"},
		Delivery: motcua.Delivery{Method: motcua.DeliveryCounter}, SubmittedAt: at, Version: 1}
	events := []motcua.Event{{Seq: 1, At: at, Action: motcua.ActionSubmit, Status: motcua.StatusSubmitted,
		Actor: motcua.ActorRef{Kind: motcua.KindCitizen, Subject: "079201001234", Role: motcua.RoleApplicant}}}

	err := rec.RecordCase(context.Background(), workflows.Record{Case: c, Events: events})
	var appErr *temporal.ApplicationError
	if !errors.As(err, &appErr) || !appErr.NonRetryable() || appErr.Type() != activities.ErrRecordRefused {
		t.Fatalf("NUL in a name: %v, want a non-retryable %s", err, activities.ErrRecordRefused)
	}
	if !strings.Contains(logs.String(), c.Code) || !strings.Contains(logs.String(), "22P05") {
		t.Errorf("the refusal is not logged with the case and SQLSTATE: %s", logs.String())
	}

	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	c.Applicant.Name = "Trần Ngọc"
	err = rec.RecordCase(ctx, workflows.Record{Case: c, Events: events})
	if err == nil || errors.As(err, &appErr) {
		t.Fatalf("a cancelled write: %v, want a plain (retryable) error", err)
	}
	if err := rec.RecordCase(context.Background(), workflows.Record{Case: c, Events: events}); err != nil {
		t.Fatalf("the clean record: %v", err)
	}
}
