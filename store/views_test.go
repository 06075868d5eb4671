package store

import (
	"context"
	"testing"

	"github.com/motcua/motcua"
)

// A look-up answered from the last read is never older than the stored
// case: every record raises the version, and the cache answers only for
// the version stored now; callers get their own copy.
func TestCaseViewNeverStale(t *testing.T) {
	eachDialect(t, func(t *testing.T, db *DB) {
		ctx := context.Background()
		c := newCase("SKHDT-260302-0001", "SKHDT", "079201001234", t0)
		c.Actions = []motcua.Permission{{Action: motcua.ActionReceive, Role: motcua.RoleReceiver, Agency: "SKHDT"}}
		c.Version = 1
		if err := db.RecordCase(ctx, c, []motcua.Event{{Seq: 1, At: t0, Action: motcua.ActionSubmit, Status: motcua.StatusSubmitted}}); err != nil {
			t.Fatal(err)
		}
		first, err := db.Case(ctx, c.Code)
		if err != nil || first.Version != 1 || len(first.Timeline) != 1 {
			t.Fatalf("first read: %+v %v", first, err)
		}
		first.Timeline[0].Note = "changed by a caller"
		if again, _ := db.Case(ctx, c.Code); again.Timeline[0].Note != "" {
			t.Fatal("a caller's change reached the cache")
		}
		c.Status, c.Version, c.Actions = motcua.StatusReceived, 2, nil
		if err := db.RecordCase(ctx, c, []motcua.Event{{Seq: 2, At: t0, Action: motcua.ActionReceive, Status: motcua.StatusReceived}}); err != nil {
			t.Fatal(err)
		}
		after, err := db.Case(ctx, c.Code)
		if err != nil || after.Version != 2 || after.Status != motcua.StatusReceived || len(after.Timeline) != 2 || len(after.Actions) != 0 {
			t.Fatalf("after the record: %+v %v", after, err)
		}
	})
}
