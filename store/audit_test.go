package store

import (
	"context"
	"testing"
	"time"

	"github.com/motcua/motcua"
)

func TestAuditLog(t *testing.T) {
	eachDialect(t, func(t *testing.T, db *DB) {
		ctx := context.Background()
		at := time.Date(2026, 11, 27, 8, 0, 0, 0, time.UTC)
		entries := []motcua.AuditEntry{
			{At: at, Subject: "canbo1", Kind: motcua.KindOfficer, Roles: []motcua.Role{motcua.RoleReceiver, motcua.RoleHead}, Agency: "DN-STC",
				Action: "receive", Case: "DN-STC-261127-0001", Method: "POST", Path: "/api/v1/cases/DN-STC-261127-0001/actions/receive",
				Status: 200, Outcome: "ok", ClientIP: "10.0.0.7", UserAgent: "Mozilla/5.0"},
			{At: at.Add(time.Minute), Subject: "canbo2", Kind: motcua.KindOfficer, Agency: "DN-SXD", Action: "approve",
				Case: "DN-SXD-261127-0001", Method: "POST", Path: "/x", Status: 409, Outcome: "conflict", ClientIP: "10.0.0.8"},
			{At: at.Add(2 * time.Minute), Subject: "admin", Kind: motcua.KindAdmin, Action: "secret.revoke",
				Case: "DN-STC-261127-0001", Method: "DELETE", Path: "/y", Status: 204, Outcome: "ok", ClientIP: "10.0.0.9"},
		}
		for _, e := range entries {
			if err := db.AppendAudit(ctx, e); err != nil {
				t.Fatal(err)
			}
		}

		t.Run("NewestFirstWithEveryField", func(t *testing.T) {
			got, next, err := db.Audit(ctx, motcua.AuditQuery{})
			if err != nil {
				t.Fatal(err)
			}
			if len(got) != 3 || next != 0 {
				t.Fatalf("got %d entries, next %d", len(got), next)
			}
			first := got[2]
			first.ID = 0
			if first.At != at || first.Subject != "canbo1" || len(first.Roles) != 2 || first.UserAgent != "Mozilla/5.0" ||
				first.ClientIP != "10.0.0.7" || first.Case != entries[0].Case || first.Outcome != "ok" || first.Status != 200 {
				t.Errorf("stored entry reads back as %+v", first)
			}
			if got[0].Action != "secret.revoke" {
				t.Errorf("newest first: got %s", got[0].Action)
			}
		})
		t.Run("Filters", func(t *testing.T) {
			for name, q := range map[string]motcua.AuditQuery{
				"case":    {Case: "DN-STC-261127-0001"},
				"agency":  {Agency: "DN-SXD"},
				"subject": {Subject: "canbo1"},
				"outcome": {Outcome: "ok"},
				"from":    {From: at.Add(time.Minute)},
				"to":      {To: at.Add(time.Minute)},
			} {
				got, _, err := db.Audit(ctx, q)
				if err != nil {
					t.Fatal(err)
				}
				want := map[string]int{"case": 2, "agency": 1, "subject": 1, "outcome": 2, "from": 2, "to": 1}[name]
				if len(got) != want {
					t.Errorf("%s: %d entries, want %d", name, len(got), want)
				}
			}
		})
		t.Run("Pages", func(t *testing.T) {
			page1, next, err := db.Audit(ctx, motcua.AuditQuery{Limit: 2})
			if err != nil || len(page1) != 2 || next == 0 {
				t.Fatalf("page 1: %d entries, next %d, %v", len(page1), next, err)
			}
			page2, next2, err := db.Audit(ctx, motcua.AuditQuery{Limit: 2, Before: next})
			if err != nil || len(page2) != 1 || next2 != 0 || page2[0].Subject != "canbo1" {
				t.Fatalf("page 2: %+v, next %d, %v", page2, next2, err)
			}
		})
		t.Run("AppendOnly", func(t *testing.T) {
			if err := db.Exec(ctx, "UPDATE audit_log SET outcome = 'ok'"); err == nil {
				t.Error("an audit entry was updated")
			}
			if err := db.Exec(ctx, "DELETE FROM audit_log"); err == nil {
				t.Error("audit entries were deleted")
			}
			if got, _, _ := db.Audit(ctx, motcua.AuditQuery{Outcome: "conflict"}); len(got) != 1 {
				t.Errorf("the log changed: %d conflict entries", len(got))
			}
		})
	})
}
