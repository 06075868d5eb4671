package store

import (
	"context"
	"encoding/json"
	"slices"
	"testing"
	"time"

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

// The view read in one statement gives back every field a record wrote:
// the case's columns and JSON columns, its whole timeline, its documents
// by upload and payments by time (then id), its open actions by agency,
// role and subject.
func TestCaseViewReadsEveryField(t *testing.T) {
	eachDialect(t, func(t *testing.T, db *DB) {
		ctx := context.Background()
		c := newCase("SKHDT-260302-0009", "SKHDT", "079201001234", t0)
		c.Version = 1
		c.FeeLines = []motcua.FeeLine{{Name: "Lệ phí", Amount: 50000, Basis: "TT 1"}} // the first record's, kept
		first := event(1, motcua.ActionSubmit, motcua.StatusSubmitted, t0)
		if err := db.RecordCase(ctx, c, []motcua.Event{first}); err != nil {
			t.Fatal(err)
		}
		evs := receive(c, t0.Add(72*time.Hour))
		evs[0].Data, evs[1].Agency = json.RawMessage(`{"a":"b"}`), "SXD"
		to := t0.Add(5 * time.Hour)
		yes := true
		c.Agencies, c.Notify = []string{"SKHDT", "SXD"}, []string{motcua.NotifySMS}
		c.Delivery = motcua.Delivery{Method: motcua.DeliveryPost, Address: "1 Lê Lợi", Tracking: "EMS1"}
		c.Pauses = []motcua.Pause{{From: t0.Add(2 * time.Hour), To: &to, Wait: "supplement"}}
		c.Opinions = []motcua.Opinion{{Agency: "SXD", DueAt: &to, Agree: &yes, Note: "đồng ý"}}
		c.Result = &motcua.Result{Type: "gcn", Name: "Giấy", Number: "12", IssuedAt: to, IssuedBy: motcua.ActorRef{Kind: motcua.KindOfficer, Subject: "cb"}}
		c.Law = &motcua.CaseLaw{Late: true, SupplementBy: &to}
		c.Paused, c.Overdue, c.RescheduledTo = true, true, &to
		c.Actions = append(c.Actions, motcua.Permission{Action: motcua.ActionReview, Role: motcua.RoleReviewer, Agency: "SXD", Subject: "cb2"})
		motcua.SortPermissions(c.Actions)
		by := motcua.ActorRef{Kind: motcua.KindCitizen, Subject: "x"}
		c.Documents = []motcua.Document{ // recorded out of order: the view orders them
			{ID: "d3", Name: "Đơn.pdf", Type: "application/pdf", Size: 3, SHA256: "c", Kind: "application", Uploaded: t0.Add(time.Minute), By: by},
			{ID: "d2", Name: "Đơn.pdf", Type: "application/pdf", Size: 2, SHA256: "b", Kind: "receipt", Uploaded: t0, By: by, Signature: "s", KeyID: "k"},
			{ID: "d1", Name: "Đơn.pdf", Type: "application/pdf", Size: 1, SHA256: "a", Kind: "application", Uploaded: t0, By: by},
		}
		c.Payments = []motcua.Payment{{ID: "p2", Amount: 50000, Method: "online", Reference: "R", Status: "paid", PayURL: "https://pay", At: to},
			{ID: "p1", Amount: 1, Method: "counter", Status: "pending", At: to}}
		if err := db.RecordCase(ctx, c, evs); err != nil {
			t.Fatal(err)
		}
		db.views.Purge()
		got, err := db.Case(ctx, c.Code)
		if err != nil {
			t.Fatal(err)
		}
		want := *c
		want.Timeline = append([]motcua.Event{first}, evs...)
		for i := range want.Timeline {
			if want.Timeline[i].Agency == "" {
				want.Timeline[i].Agency = c.Agency // the agency handling the case then
			}
		}
		want.Documents = []motcua.Document{c.Documents[2], c.Documents[1], c.Documents[0]}
		want.Payments = []motcua.Payment{c.Payments[1], c.Payments[0]}
		if g, w := viewJSON(t, got), viewJSON(t, &want); g != w {
			t.Fatalf("read\n%s\nwant\n%s", g, w)
		}
		if _, err := db.Case(ctx, "SKHDT-260302-9999"); motcua.ErrorCode(err) != motcua.ENOTFOUND {
			t.Fatalf("a case not recorded: %v", err)
		}
		if byTracking, err := db.CaseByTracking(ctx, "EMS1"); err != nil || byTracking.Code != c.Code || len(byTracking.Timeline) != 3 {
			t.Fatalf("by tracking: %+v %v", byTracking, err)
		}
	})
}

// viewJSON is c as JSON with its times in UTC, as either dialect may hand
// them back in another zone (JSON columns come back compacted by Marshal).
func viewJSON(t *testing.T, c *motcua.Case) string {
	t.Helper()
	v := *c
	utcs := []*time.Time{&v.SubmittedAt}
	for _, p := range []**time.Time{&v.ReceivedAt, &v.DueAt, &v.RescheduledTo, &v.ClosedAt} {
		if *p != nil {
			u := **p
			*p = &u
			utcs = append(utcs, &u)
		}
	}
	v.Timeline, v.Documents, v.Payments = slices.Clone(v.Timeline), slices.Clone(v.Documents), slices.Clone(v.Payments)
	for i := range v.Timeline {
		utcs = append(utcs, &v.Timeline[i].At)
	}
	for i := range v.Documents {
		utcs = append(utcs, &v.Documents[i].Uploaded)
	}
	for i := range v.Payments {
		utcs = append(utcs, &v.Payments[i].At)
	}
	for _, p := range utcs {
		*p = p.UTC()
	}
	b, err := json.MarshalIndent(v, "", " ")
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// The look-up and inbox statements run on sessions that keep one generic
// plan (store.Open); the rest of the read model keeps PostgreSQL's default.
func TestReadPoolKeepsGenericPlans(t *testing.T) {
	db := MustOpenDB(t, Postgres)
	ctx := context.Background()
	var read, rest string
	if err := db.read.QueryRowContext(ctx, "SELECT current_setting('plan_cache_mode')").Scan(&read); err != nil {
		t.Fatal(err)
	}
	if err := db.sql.QueryRowContext(ctx, "SELECT current_setting('plan_cache_mode')").Scan(&rest); err != nil {
		t.Fatal(err)
	}
	if read != "force_generic_plan" || rest != "auto" {
		t.Fatalf("plan_cache_mode: read pool %q, the rest %q", read, rest)
	}
}

// A record written in a workflow task that a crash lost (a phantom) is
// replaced by the records of the tasks that follow, even at a lower or the
// same version: its events past their version go, theirs replace its own,
// its payment goes; the cached view and the revision follow. A late record
// of an earlier task changes nothing.
func TestRecordReplacesLostTask(t *testing.T) {
	eachDialect(t, func(t *testing.T, db *DB) {
		ctx := context.Background()
		c := newCase("SKHDT-260302-0011", "SKHDT", "079201001234", t0)
		review := []motcua.Permission{{Action: motcua.ActionReview, Role: motcua.RoleReviewer, Agency: "SKHDT"}}
		approve := []motcua.Permission{{Action: motcua.ActionApprove, Role: motcua.RoleApprover, Agency: "SKHDT"}}
		record := func(clock int64, version int, status motcua.Status, actions []motcua.Permission, pays []motcua.Payment, evs ...motcua.Event) {
			t.Helper()
			c.Version, c.Status, c.Actions, c.Payments = version, status, actions, pays
			if err := db.RecordCaseAt(ctx, clock, c, evs); err != nil {
				t.Fatal(err)
			}
		}
		read := func() *motcua.Case {
			t.Helper()
			got, err := db.Case(ctx, c.Code)
			if err != nil {
				t.Fatal(err)
			}
			return got
		}
		record(3, 1, motcua.StatusSubmitted, nil, nil, event(1, motcua.ActionSubmit, motcua.StatusSubmitted, t0))
		record(9, 2, motcua.StatusInReview, review, nil, event(2, motcua.ActionReceive, motcua.StatusInReview, t0))
		// The lost task reviewed the case and ordered the fee.
		pay := []motcua.Payment{{ID: "PAY-1", Amount: 50000, Method: motcua.PaymentOnline, Status: motcua.PaymentPending, At: t0}}
		record(15, 4, motcua.StatusAwaitingPayment, approve, pay, event(3, motcua.ActionReview, motcua.StatusAwaitingApproval, t0),
			event(4, motcua.ActionApprove, motcua.StatusAwaitingPayment, t0))
		phantom := read()
		if phantom.Version != 4 || len(phantom.Payments) != 1 {
			t.Fatalf("phantom not stored: %+v", phantom)
		}
		// The workflow, replayed at version 2, records again from a later task.
		record(18, 2, motcua.StatusInReview, review, nil, event(2, motcua.ActionReceive, motcua.StatusInReview, t0))
		got := read()
		if got.Version != 2 || got.Status != motcua.StatusInReview || len(got.Timeline) != 2 || len(got.Payments) != 0 ||
			len(got.Actions) != 1 || got.Actions[0].Action != motcua.ActionReview || got.Revision <= phantom.Revision {
			t.Fatalf("after the workflow recorded again: %+v", got)
		}
		// A task the server lost without a trace starts at the same history
		// length as the one after it: same clock, same version, other content.
		lost := event(3, motcua.ActionReview, motcua.StatusAwaitingApproval, t0)
		lost.Note = "lost"
		record(21, 3, motcua.StatusAwaitingApproval, approve, nil, lost)
		before := read()
		kept := lost
		kept.Note = "kept"
		record(21, 3, motcua.StatusAwaitingApproval, approve, nil, kept)
		got = read()
		if got.Timeline[2].Note != "kept" || got.Revision <= before.Revision {
			t.Fatalf("same clock and version: timeline %+v, revision %d after %d", got.Timeline, got.Revision, before.Revision)
		}
		// A late record of an earlier task moves nothing.
		record(12, 9, motcua.StatusCompleted, nil, nil, event(9, motcua.ActionDeliver, motcua.StatusCompleted, t0))
		if late := read(); late.Version != 3 || late.Status != motcua.StatusAwaitingApproval || late.Revision != got.Revision {
			t.Fatalf("a late record moved the case: %+v", late)
		}
		acc, err := db.CaseAccess(ctx, c.Code)
		if err != nil || acc.Revision != got.Revision {
			t.Fatalf("access revision %d, view %d (%v)", acc.Revision, got.Revision, err)
		}
	})
}
