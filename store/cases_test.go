package store

import (
	"context"
	"encoding/json"
	"fmt"
	"reflect"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/motcua/motcua"
)

var t0 = time.Date(2026, 3, 2, 2, 0, 0, 0, time.UTC)

func newCase(code, agency, owner string, submitted time.Time) *motcua.Case {
	return &motcua.Case{
		Code: code, Procedure: motcua.ProcedureRef{Code: "dang-ky-kinh-doanh", Version: 1, Hash: "h", Name: "Đăng ký kinh doanh", Shape: "standard", Level: 4},
		Agency: agency, Agencies: []string{agency}, Status: motcua.StatusSubmitted, Step: "reception", Channel: "online", Owner: owner,
		Applicant: motcua.Applicant{Name: "Lê Thị Hồng Nhung", IDNumber: owner}, Delivery: motcua.Delivery{Method: "counter"},
		Form: json.RawMessage(`{"ten":"Công ty Hòa Bình"}`), Fee: 50000, SubmittedAt: submitted, Pauses: []motcua.Pause{},
		Actions: []motcua.Permission{
			{Action: motcua.ActionReceive, Role: motcua.RoleReceiver, Agency: agency},
			{Action: motcua.ActionReject, Role: motcua.RoleReceiver, Agency: agency},
			{Action: motcua.ActionWithdraw, Role: motcua.RoleApplicant},
		},
		Documents: []motcua.Document{}, Payments: []motcua.Payment{},
	}
}

func event(seq int, a motcua.Action, s motcua.Status, at time.Time) motcua.Event {
	return motcua.Event{Seq: seq, At: at, Action: a, Status: s, Actor: motcua.ActorRef{Kind: motcua.KindCitizen, Subject: "x", Role: motcua.RoleApplicant}, Note: "ghi chú có dấu"}
}

// receive moves c to in_review as the workflow would record it.
func receive(c *motcua.Case, due time.Time) []motcua.Event {
	c.Status, c.Step, c.Version = motcua.StatusInReview, "review", 3
	rec := c.SubmittedAt.Add(time.Hour)
	c.ReceivedAt, c.DueAt = &rec, &due
	c.Actions = []motcua.Permission{
		{Action: motcua.ActionReview, Role: motcua.RoleReviewer, Agency: c.Agency},
		{Action: motcua.ActionRequestInfo, Role: motcua.RoleReviewer, Agency: c.Agency},
		{Action: motcua.ActionWithdraw, Role: motcua.RoleApplicant},
	}
	motcua.SortPermissions(c.Actions)
	return []motcua.Event{event(2, motcua.ActionReceive, motcua.StatusReceived, rec), event(3, motcua.EventTransferred, motcua.StatusInReview, rec)}
}

func TestRecordCase(t *testing.T) {
	eachDialect(t, func(t *testing.T, db *DB) {
		ctx := context.Background()
		c := newCase("SKHDT-260302-0001", "SKHDT", "079201001234", t0)
		c.Version = 1
		first := []motcua.Event{event(1, motcua.ActionSubmit, motcua.StatusSubmitted, t0)}
		motcua.SortPermissions(c.Actions)
		if err := db.RecordCase(ctx, c, first); err != nil {
			t.Fatal(err)
		}
		submitted := *c
		submitted.Actions = slices.Clone(c.Actions)

		t.Run("RoundTrip", func(t *testing.T) {
			got, err := db.Case(ctx, c.Code)
			if err != nil {
				t.Fatal(err)
			}
			if got.Status != motcua.StatusSubmitted || got.Applicant.Name != "Lê Thị Hồng Nhung" || !got.SubmittedAt.Equal(t0) ||
				string(got.Form) != `{"ten": "Công ty Hòa Bình"}` && string(got.Form) != `{"ten":"Công ty Hòa Bình"}` ||
				len(got.Timeline) != 1 || got.Timeline[0].Note != "ghi chú có dấu" || !slices.Equal(got.Actions, c.Actions) {
				t.Fatalf("round trip: %+v", got)
			}
		})

		due := t0.Add(72 * time.Hour)
		evs := receive(c, due)
		if err := db.RecordCase(ctx, c, evs); err != nil {
			t.Fatal(err)
		}
		t.Run("RetryWritesNothingTwice", func(t *testing.T) {
			if err := db.RecordCase(ctx, c, evs); err != nil {
				t.Fatal(err)
			}
			got, _ := db.Case(ctx, c.Code)
			if len(got.Timeline) != 3 || got.Version != 3 || got.Status != motcua.StatusInReview || !got.DueAt.Equal(due) {
				t.Fatalf("after retry: %d events, v%d %s", len(got.Timeline), got.Version, got.Status)
			}
		})
		t.Run("LateOlderRecordChangesNothing", func(t *testing.T) {
			if err := db.RecordCase(ctx, &submitted, first); err != nil {
				t.Fatal(err)
			}
			got, _ := db.Case(ctx, c.Code)
			if got.Status != motcua.StatusInReview || got.Version != 3 || !slices.Equal(got.Actions, c.Actions) {
				t.Fatalf("moved backwards: %s v%d %v", got.Status, got.Version, got.Actions)
			}
		})
		t.Run("Inconsistent", func(t *testing.T) {
			bad := *c
			bad.Version = 9
			if err := db.RecordCase(ctx, &bad, evs); err == nil {
				t.Fatal("a record whose version is not its last event was accepted")
			}
		})
		t.Run("ClosedCaseLeavesInboxes", func(t *testing.T) {
			closed := *c
			closed.Status, closed.Version = motcua.StatusWithdrawn, 4
			now := t0.Add(2 * time.Hour)
			closed.ClosedAt = &now
			closed.Actions = []motcua.Permission{}
			closed.Payments = []motcua.Payment{{ID: "p1", Amount: 50000, Method: "counter", Reference: "BL1", Status: "paid", At: now}}
			if err := db.RecordCase(ctx, &closed, []motcua.Event{event(4, motcua.ActionWithdraw, motcua.StatusWithdrawn, now)}); err != nil {
				t.Fatal(err)
			}
			page, err := db.Inbox(ctx, motcua.InboxQuery{Agency: "SKHDT", Roles: []motcua.Role{motcua.RoleReviewer}})
			if err != nil || len(page.Cases) != 0 {
				t.Fatalf("inbox after close: %+v %v", page, err)
			}
			got, _ := db.Case(ctx, c.Code)
			if len(got.Actions) != 0 || got.ClosedAt == nil || len(got.Payments) != 1 || got.Payments[0].Reference != "BL1" {
				t.Fatalf("closed case %+v", got)
			}
		})
		t.Run("NotFound", func(t *testing.T) {
			if _, err := db.Case(ctx, "NOPE-1"); motcua.ErrorCode(err) != motcua.ENOTFOUND {
				t.Fatalf("err %v", err)
			}
		})
	})
}

func TestInbox(t *testing.T) {
	eachDialect(t, func(t *testing.T, db *DB) {
		ctx := context.Background()
		// 7 cases at SKHDT: 3 received (due dates), 4 submitted; 1 at SXD.
		var want []string
		for i := range 7 {
			c := newCase(fmt.Sprintf("SKHDT-260302-%04d", i+1), "SKHDT", "079201001234", t0.Add(time.Duration(i)*time.Minute))
			c.Version = 1
			evs := []motcua.Event{event(1, motcua.ActionSubmit, motcua.StatusSubmitted, c.SubmittedAt)}
			if i < 3 {
				evs = append(evs, receive(c, t0.Add(time.Duration(100-i)*time.Hour))...)
				c.Overdue = i == 1
			}
			if err := db.RecordCase(ctx, c, evs); err != nil {
				t.Fatal(err)
			}
			if i >= 3 {
				want = append(want, c.Code)
			}
		}
		other := newCase("SXD-260302-0001", "SXD", "079201001234", t0)
		other.Version = 1
		if err := db.RecordCase(ctx, other, []motcua.Event{event(1, motcua.ActionSubmit, motcua.StatusSubmitted, t0)}); err != nil {
			t.Fatal(err)
		}
		codes := func(p *motcua.Page) []string {
			var out []string
			for _, c := range p.Cases {
				out = append(out, c.Code)
			}
			return out
		}
		t.Run("ByRole", func(t *testing.T) {
			p, err := db.Inbox(ctx, motcua.InboxQuery{Agency: "SKHDT", Roles: []motcua.Role{motcua.RoleReceiver}})
			if err != nil || !slices.Equal(codes(p), want) {
				t.Fatalf("receiver inbox %v, want %v (%v)", codes(p), want, err)
			}
			// Soonest due first: 0003 (due +98h), 0002, 0001.
			p, _ = db.Inbox(ctx, motcua.InboxQuery{Agency: "SKHDT", Roles: []motcua.Role{motcua.RoleReviewer}})
			if got := codes(p); !slices.Equal(got, []string{"SKHDT-260302-0003", "SKHDT-260302-0002", "SKHDT-260302-0001"}) {
				t.Fatalf("reviewer inbox %v", got)
			}
			if len(p.Cases[0].Actions) != 3 || p.Cases[0].DueAt == nil {
				t.Fatalf("summary %+v", p.Cases[0])
			}
		})
		t.Run("Filters", func(t *testing.T) {
			yes := true
			p, _ := db.Inbox(ctx, motcua.InboxQuery{Agency: "SKHDT", Roles: []motcua.Role{motcua.RoleReviewer, motcua.RoleReceiver}, Overdue: &yes})
			if got := codes(p); !slices.Equal(got, []string{"SKHDT-260302-0002"}) {
				t.Fatalf("overdue %v", got)
			}
			p, _ = db.Inbox(ctx, motcua.InboxQuery{Agency: "SKHDT", Roles: []motcua.Role{motcua.RoleReviewer, motcua.RoleReceiver}, Status: "submitted"})
			if len(p.Cases) != 4 {
				t.Fatalf("status filter %v", codes(p))
			}
			p, _ = db.Inbox(ctx, motcua.InboxQuery{Agency: "SKHDT", Roles: []motcua.Role{motcua.RoleCashier}})
			if len(p.Cases) != 0 {
				t.Fatalf("cashier %v", codes(p))
			}
			p, _ = db.Inbox(ctx, motcua.InboxQuery{Agency: "SXD", Roles: []motcua.Role{motcua.RoleReceiver}})
			if got := codes(p); !slices.Equal(got, []string{"SXD-260302-0001"}) {
				t.Fatalf("SXD %v", got)
			}
		})
		t.Run("KeysetPages", func(t *testing.T) {
			var all []string
			cursor := ""
			for page := 0; ; page++ {
				p, err := db.Inbox(ctx, motcua.InboxQuery{Agency: "SKHDT", Roles: []motcua.Role{motcua.RoleReviewer, motcua.RoleReceiver}, Limit: 2, Cursor: cursor})
				if err != nil {
					t.Fatal(err)
				}
				all = append(all, codes(p)...)
				if p.Next == "" {
					break
				}
				cursor = p.Next
				if page > 10 {
					t.Fatal("pagination does not end")
				}
			}
			if len(all) != 7 || len(slices.Compact(slices.Sorted(slices.Values(all)))) != 7 {
				t.Fatalf("pages gave %v", all)
			}
			if _, err := db.Inbox(ctx, motcua.InboxQuery{Agency: "SKHDT", Roles: []motcua.Role{motcua.RoleReceiver}, Cursor: "garbage!"}); motcua.ErrorCode(err) != motcua.EINVALID {
				t.Fatalf("bad cursor: %v", err)
			}
		})
		t.Run("Owner", func(t *testing.T) {
			p, err := db.CasesByOwner(ctx, "079201001234", 3, "")
			if err != nil || len(p.Cases) != 3 || p.Next == "" || p.Cases[0].Code != "SKHDT-260302-0007" {
				t.Fatalf("owner page 1: %v %v", codes(p), err)
			}
			p2, _ := db.CasesByOwner(ctx, "079201001234", 10, p.Next)
			if len(p2.Cases) != 5 || p2.Next != "" {
				t.Fatalf("owner page 2: %v", codes(p2))
			}
		})
	})
}

func TestAllocateCode(t *testing.T) {
	eachDialect(t, func(t *testing.T, db *DB) {
		ctx := context.Background()
		code, created, err := db.AllocateCode(ctx, "k1", "SKHDT", "260302")
		if err != nil || !created || code != "SKHDT-260302-0001" {
			t.Fatalf("first: %s %v %v", code, created, err)
		}
		again, created, _ := db.AllocateCode(ctx, "k1", "SKHDT", "260303")
		if again != code || created {
			t.Fatalf("retry next day got %s created=%v", again, created)
		}
		if c, _, _ := db.AllocateCode(ctx, "k2", "SKHDT", "260302"); c != "SKHDT-260302-0002" {
			t.Fatalf("second %s", c)
		}
		if c, _, _ := db.AllocateCode(ctx, "k3", "SXD", "260302"); c != "SXD-260302-0001" {
			t.Fatalf("other agency %s", c)
		}
		if err := db.ReleaseCode(ctx, "k2"); err != nil {
			t.Fatal(err)
		}
		if c, created, _ := db.AllocateCode(ctx, "k2", "SKHDT", "260302"); c != "SKHDT-260302-0003" || !created {
			t.Fatalf("after release %s (numbers are never reused)", c)
		}
		// Concurrent submissions: distinct numbers; concurrent retries of
		// one submission: one code.
		var mu sync.Mutex
		byKey := map[string]map[string]bool{}
		var wg sync.WaitGroup
		for i := range 20 {
			wg.Add(1)
			go func() {
				defer wg.Done()
				key := fmt.Sprintf("c%d", i%10)
				c, _, err := db.AllocateCode(ctx, key, "STP", "260302")
				if err != nil {
					t.Error(err)
					return
				}
				mu.Lock()
				if byKey[key] == nil {
					byKey[key] = map[string]bool{}
				}
				byKey[key][c] = true
				mu.Unlock()
			}()
		}
		wg.Wait()
		codes := map[string]bool{}
		for k, cs := range byKey {
			if len(cs) != 1 {
				t.Fatalf("submission %s got codes %v", k, cs)
			}
			for c := range cs {
				codes[c] = true
			}
		}
		if len(codes) != 10 {
			t.Fatalf("10 submissions got %d codes: %v", len(codes), byKey)
		}
	})
}

// A record after the first may leave out the procedure and the fee lines
// (workflows' versionLeanRecords): the case keeps them, and its tasks and
// statistics are drawn from them as before.
func TestLeanRecordKeepsWhatNeverChanges(t *testing.T) {
	eachDialect(t, func(t *testing.T, db *DB) {
		ctx := context.Background()
		c := newCase("SKHDT-260302-0009", "SKHDT", "079201001234", t0)
		c.FeeLines = []motcua.FeeLine{{Name: "Lệ phí đăng ký", Amount: 50000, Basis: "Thông tư số 47/2019/TT-BTC"}}
		c.Version = 1
		motcua.SortPermissions(c.Actions)
		if err := db.RecordCase(ctx, c, []motcua.Event{event(1, motcua.ActionSubmit, motcua.StatusSubmitted, t0)}); err != nil {
			t.Fatal(err)
		}
		lean := *c
		evs := receive(&lean, t0.AddDate(0, 0, 10))
		lean.Procedure, lean.FeeLines, lean.Form = motcua.ProcedureRef{}, nil, nil
		if err := db.RecordCase(ctx, &lean, evs); err != nil {
			t.Fatal(err)
		}
		got, err := db.Case(ctx, c.Code)
		if err != nil {
			t.Fatal(err)
		}
		if got.Procedure != c.Procedure || !slices.Equal(got.FeeLines, c.FeeLines) || got.Status != motcua.StatusInReview {
			t.Fatalf("after a lean record: procedure %+v, fee lines %+v, status %s", got.Procedure, got.FeeLines, got.Status)
		}
		page, err := db.Inbox(ctx, motcua.InboxQuery{Agency: "SKHDT", Roles: []motcua.Role{motcua.RoleReviewer}, Procedure: c.Procedure.Code})
		if err != nil || len(page.Cases) != 1 {
			t.Fatalf("the reviewer's inbox by procedure: %+v %v", page, err)
		}
	})
}

// An inbox shows an online filing the desk answered late (Decree 118/2025
// Điều 17 khoản 2 điểm c): the list carries the flag, not the whole law.
func TestInboxShowsLateReception(t *testing.T) {
	eachDialect(t, func(t *testing.T, db *DB) {
		ctx := context.Background()
		late := newCase("SKHDT-260302-0011", "SKHDT", "079201001234", t0)
		late.Version, late.Law = 1, &motcua.CaseLaw{ReceptionLate: true}
		onTime := newCase("SKHDT-260302-0012", "SKHDT", "079201001234", t0.Add(time.Minute))
		onTime.Version = 1
		for _, c := range []*motcua.Case{late, onTime} {
			motcua.SortPermissions(c.Actions)
			if err := db.RecordCase(ctx, c, []motcua.Event{event(1, motcua.ActionSubmit, motcua.StatusSubmitted, c.SubmittedAt)}); err != nil {
				t.Fatal(err)
			}
		}
		page, err := db.Inbox(ctx, motcua.InboxQuery{Agency: "SKHDT", Roles: []motcua.Role{motcua.RoleReceiver}})
		if err != nil || len(page.Cases) != 2 {
			t.Fatalf("inbox: %+v %v", page, err)
		}
		for _, c := range page.Cases {
			if got := c.Law != nil && c.Law.ReceptionLate; got != (c.Code == late.Code) {
				t.Errorf("%s: reception late %v", c.Code, got)
			}
		}
	})
}

// An inbox page is read from the task rows alone: they follow every
// record of what the page shows, and migration 00021 fills them in for
// the tasks recorded before it as the records since do.
func TestInboxRowsFollowTheCase(t *testing.T) {
	eachDialect(t, func(t *testing.T, db *DB) {
		ctx := context.Background()
		for i := range 5 {
			c := newCase(fmt.Sprintf("SKHDT-260302-%04d", i+1), "SKHDT", "079201001234", t0.Add(time.Duration(i)*time.Minute))
			c.Version, c.Applicant.Name = 1, fmt.Sprintf("Người nộp %d", i)
			c.Law = &motcua.CaseLaw{ReceptionLate: i == 2}
			c.Actions = append(c.Actions, motcua.Permission{Action: motcua.ActionReview, Role: motcua.RoleReviewer, Agency: "SXD", Subject: "cb1"})
			motcua.SortPermissions(c.Actions)
			evs := []motcua.Event{event(1, motcua.ActionSubmit, motcua.StatusSubmitted, c.SubmittedAt)}
			if err := db.RecordCase(ctx, c, evs); err != nil {
				t.Fatal(err)
			}
			if i%2 == 0 {
				// Received: another step, due date, actions and name.
				evs = receive(c, t0.Add(time.Duration(90+i)*time.Hour))
				c.Applicant.Name, c.Paused = "Tên đã sửa", true
				if err := db.RecordCase(ctx, c, evs); err != nil {
					t.Fatal(err)
				}
			}
		}
		page := func() *motcua.Page {
			p, err := db.Inbox(ctx, motcua.InboxQuery{Agency: "SKHDT", Roles: []motcua.Role{motcua.RoleReceiver, motcua.RoleReviewer}})
			if err != nil || len(p.Cases) != 5 {
				t.Fatalf("inbox: %+v %v", p, err)
			}
			return p
		}
		recorded := page()
		for _, s := range recorded.Cases {
			view, err := db.Case(ctx, s.Code)
			if err != nil {
				t.Fatal(err)
			}
			if s.Applicant.Name != view.Applicant.Name || s.Step != view.Step || s.Status != view.Status || s.Paused != view.Paused ||
				!s.SubmittedAt.Equal(view.SubmittedAt) || (s.DueAt == nil) != (view.DueAt == nil) || s.Procedure != view.Procedure ||
				(s.Law != nil) != view.Law.ReceptionLate || !slices.Equal(s.Actions, view.Actions) {
				t.Errorf("%s: the page shows %+v, the case is %+v", s.Code, s, view)
			}
		}
		if err := db.MigrateDown(ctx); err != nil {
			t.Fatal(err)
		}
		if err := db.MigrateUp(ctx); err != nil {
			t.Fatal(err)
		}
		if backfilled := page(); !reflect.DeepEqual(backfilled, recorded) {
			t.Fatalf("after the migration's backfill\n%+v\nrecorded\n%+v", backfilled, recorded)
		}
	})
}
