package workflows_test

import (
	"cmp"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"maps"
	"slices"
	"strings"
	"testing"
	"time"

	tlog "go.temporal.io/sdk/log"
	"go.temporal.io/sdk/temporal"
	"go.temporal.io/sdk/testsuite"

	"github.com/motcua/motcua"
	"github.com/motcua/motcua/activities"
	"github.com/motcua/motcua/calendar"
	"github.com/motcua/motcua/workflows"
)

// Actors used across the tests. SKHDT leads, STNMT co-reviews.
var (
	citizen  = motcua.Actor{Kind: motcua.KindCitizen, Subject: "079201001234", Name: "Nguyễn Văn An"}
	stranger = motcua.Actor{Kind: motcua.KindCitizen, Subject: "001099000001"}
	holder   = motcua.Actor{Kind: motcua.KindCitizen, Subject: "anonymous", WithSecret: true}
	receiver = officer("SKHDT", "tiepnhan", motcua.RoleReceiver)
	reviewer = officer("SKHDT", "chuyenvien", motcua.RoleReviewer)
	approver = officer("SKHDT", "giamdoc", motcua.RoleApprover)
	cashier  = officer("SKHDT", "thuquy", motcua.RoleCashier)
	head     = officer("SKHDT", "truongphong", motcua.RoleHead)
	coOff    = officer("STNMT", "phoihop", motcua.RoleReviewer)
	otherRev = officer("SXD", "chuyenvien2", motcua.RoleReviewer)
)

func officer(agency, subject string, roles ...motcua.Role) motcua.Actor {
	return motcua.Actor{Kind: motcua.KindOfficer, Subject: subject, Agency: agency, Roles: roles}
}

// Monday 3 March 2025, 09:00 in Vietnam.
var start = time.Date(2025, 3, 3, 9, 0, 0, 0, calendar.Location)

func procedure() motcua.Procedure {
	return motcua.Procedure{
		Code: "dang-ky-kinh-doanh", Version: 1, Name: motcua.Text{Vi: "Đăng ký kinh doanh", En: "Business registration"},
		Tier: motcua.TierProvince, Agencies: []string{"SKHDT"}, Level: 3, Online: motcua.OnlinePartial,
		Shape: motcua.ShapeStandard, Fee: &motcua.Fee{Amount: 50000, Name: "Lệ phí", LegalBasis: "TT 47/2019"},
		ProcessingDays: 3, SupplementDays: 5,
		Steps: motcua.Steps{
			motcua.StepReceive: {Role: motcua.RoleReceiver}, motcua.StepReview: {Role: motcua.RoleReviewer},
			motcua.StepApprove: {Role: motcua.RoleApprover}, motcua.StepPayment: {Role: motcua.RoleCashier},
			motcua.StepIssue: {Role: motcua.RoleReviewer}, motcua.StepDeliver: {Role: motcua.RoleReceiver},
		},
		Result:   motcua.ResultSpec{Type: "certificate", Name: "Giấy chứng nhận đăng ký doanh nghiệp"},
		Delivery: []string{"online", "counter", "post"}, Hash: "abc",
	}
}

func input(p motcua.Procedure, delivery string) workflows.CaseInput {
	return workflows.CaseInput{
		Code: "SKHDT-250303-TEST01", Procedure: p, Agency: "SKHDT", Owner: citizen.Subject, Channel: motcua.ChannelOnline,
		Applicant: motcua.Applicant{Name: "Nguyễn Văn An", IDNumber: citizen.Subject},
		Delivery:  motcua.Delivery{Method: delivery}, Form: json.RawMessage(`{"ten":"Công ty An Phú"}`),
		SubmittedBy: citizen,
	}
}

// move is one scripted action: after the previous one, wait `after`, then
// let actor take action; want is the error code expected ("" = accepted).
type move struct {
	after  time.Duration
	action motcua.Action
	actor  motcua.Actor
	reason string
	note   string
	data   string
	want   string
}

type outcome struct {
	at   time.Time
	err  error
	view motcua.Case
}

type harness struct {
	testsuite.WorkflowTestSuite
	env     *testsuite.TestWorkflowEnvironment
	records []workflows.Record
	// recordsAsWritten: each record's JSON when the activity ran.
	recordsAsWritten [][]byte
	outcomes         []outcome
	backend          *fakeBackend
}

// fakeBackend stands in for the agency back-ends in workflow unit tests
// (the end-to-end tests use the HTTP simulator). It records every call.
type fakeBackend struct {
	calls         []string
	refuse        map[string]string // check kind → the back-end's refusal
	down          map[string]int    // check kind → calls that fail (unavailable) before it answers
	paymentStatus string            // what an enquiry answers
	notifications []workflows.Notification
	documents     []workflows.DocumentRequest
}

func (f *fakeBackend) check(req workflows.CheckRequest) (workflows.CheckResult, error) {
	f.calls = append(f.calls, "check:"+req.Kind)
	if f.down[req.Kind] > 0 {
		f.down[req.Kind]--
		return workflows.CheckResult{}, errors.New("503 Service Unavailable")
	}
	if msg, ok := f.refuse[req.Kind]; ok {
		return workflows.CheckResult{}, temporal.NewNonRetryableApplicationError(msg, "rejected", nil)
	}
	res := workflows.CheckResult{OK: true, Summary: "Hợp lệ"}
	if req.Kind == motcua.CheckBusinessRegister {
		res.Number = "4000000001"
	}
	return res, nil
}

func (f *fakeBackend) createPayment(o workflows.PaymentOrder) (workflows.PaymentOrder, error) {
	f.calls = append(f.calls, "pay:"+o.OrderID)
	o.GatewayRef, o.PayURL = "GW-"+o.OrderID, "http://gateway/pay/GW-"+o.OrderID
	return o, nil
}

func (f *fakeBackend) paymentState(o workflows.PaymentOrder) (workflows.PaymentState, error) {
	f.calls = append(f.calls, "status:"+o.OrderID)
	return workflows.PaymentState{OrderID: o.OrderID, Status: cmp.Or(f.paymentStatus, "pending")}, nil
}

func (f *fakeBackend) refund(r workflows.RefundRequest) (workflows.RefundResult, error) {
	f.calls = append(f.calls, "refund:"+r.OrderID)
	return workflows.RefundResult{RefundRef: "RF-1"}, nil
}

func (f *fakeBackend) ship(r workflows.ShipmentRequest) (workflows.Shipment, error) {
	f.calls = append(f.calls, "ship")
	return workflows.Shipment{Tracking: "EB123456789VN"}, nil
}

func (f *fakeBackend) notify(n workflows.Notification) error {
	f.notifications = append(f.notifications, n)
	return nil
}

func (f *fakeBackend) document(r workflows.DocumentRequest) (motcua.Document, error) {
	f.calls = append(f.calls, "document:"+r.Kind)
	f.documents = append(f.documents, r)
	return motcua.Document{ID: r.Case.Code + "-" + r.Kind, Name: r.Kind + ".pdf", Type: "application/pdf", Size: 1000,
		SHA256: strings.Repeat("ab", 32), Kind: r.Kind, Signature: "c2ln", KeyID: "k1"}, nil
}

func newHarness(t *testing.T) *harness {
	h := &harness{}
	h.SetLogger(tlog.NewStructuredLogger(slog.New(slog.DiscardHandler)))
	h.env = h.NewTestWorkflowEnvironment()
	h.env.SetStartTime(start)
	h.backend = &fakeBackend{refuse: map[string]string{}, down: map[string]int{}}
	workflows.Register(h.env, testActivities{h: h, deadlines: &activities.Deadlines{Calendar: calendar.Default(), WarnDays: 1}})
	return h
}

// testActivities are the real calendar, a recorder into the harness and the
// fake back-ends.
type testActivities struct {
	h         *harness
	deadlines *activities.Deadlines
}

func (a testActivities) RecordCase(_ context.Context, rec workflows.Record) error {
	a.h.records = append(a.h.records, rec)
	b, err := json.Marshal(rec)
	a.h.recordsAsWritten = append(a.h.recordsAsWritten, b)
	return err
}
func (a testActivities) Deadline(ctx context.Context, req workflows.DeadlineRequest) (workflows.Deadline, error) {
	return a.deadlines.Deadline(ctx, req)
}
func (a testActivities) RunCheck(_ context.Context, r workflows.CheckRequest) (workflows.CheckResult, error) {
	return a.h.backend.check(r)
}
func (a testActivities) CreatePayment(_ context.Context, o workflows.PaymentOrder) (workflows.PaymentOrder, error) {
	return a.h.backend.createPayment(o)
}
func (a testActivities) PaymentStatus(_ context.Context, o workflows.PaymentOrder) (workflows.PaymentState, error) {
	return a.h.backend.paymentState(o)
}
func (a testActivities) RefundPayment(_ context.Context, r workflows.RefundRequest) (workflows.RefundResult, error) {
	return a.h.backend.refund(r)
}
func (a testActivities) CreateShipment(_ context.Context, r workflows.ShipmentRequest) (workflows.Shipment, error) {
	return a.h.backend.ship(r)
}
func (a testActivities) Notify(_ context.Context, n workflows.Notification) error {
	return a.h.backend.notify(n)
}
func (a testActivities) IssueDocument(_ context.Context, r workflows.DocumentRequest) (motcua.Document, error) {
	return a.h.backend.document(r)
}

// The workflow types of the shapes, as the registry names them.
var (
	standardWF  = workflowOf(motcua.ShapeStandard)
	complaintWF = workflowOf(motcua.ShapeComplaint)
)

func workflowOf(shape string) string {
	s, _ := workflows.ShapeFor(shape)
	return s.Workflow
}

// run executes the workflow, applying the moves one after another, and
// checks each move's outcome against its want.
func (h *harness) run(t *testing.T, wf string, in workflows.CaseInput, moves []move) motcua.Case {
	t.Helper()
	var at time.Duration
	for i, m := range moves {
		at += m.after
		if m.after == 0 {
			at += time.Minute
		}
		h.env.RegisterDelayedCallback(func() {
			req := motcua.ActionRequest{Actor: m.actor, Reason: m.reason, Note: m.note}
			if m.data != "" {
				req.Data = json.RawMessage(m.data)
			}
			o := &outcome{at: h.env.Now()}
			h.env.UpdateWorkflow(string(m.action), fmt.Sprint("u", i), &testsuite.TestUpdateCallback{
				OnAccept: func() {},
				OnReject: func(err error) { o.err = err; h.check(t, i, m, o) },
				OnComplete: func(_ any, err error) {
					o.err = err
					// Callers read the case from the read model, which
					// holds it once the Update answers.
					if err == nil && len(h.records) > 0 {
						o.view = h.records[len(h.records)-1].Case
					}
					h.check(t, i, m, o)
				},
			}, req)
		}, at)
	}
	h.env.ExecuteWorkflow(wf, in)
	if !h.env.IsWorkflowCompleted() {
		t.Fatalf("workflow did not complete")
	}
	if err := h.env.GetWorkflowError(); err != nil {
		t.Fatalf("workflow failed: %v", err)
	}
	var answer motcua.Case
	if err := h.env.GetWorkflowResult(&answer); err != nil {
		t.Fatal(err)
	}
	// The result says where the case ended; the case is in the read model.
	final := workflows.ReadModelOf(h.records)
	if answer.Code != final.Code || answer.Status != final.Status || answer.Version != final.Version {
		t.Fatalf("result %s %s v%d, read model %s %s v%d", answer.Code, answer.Status, answer.Version, final.Code, final.Status, final.Version)
	}
	if len(h.outcomes) != len(moves) {
		t.Fatalf("%d of %d moves answered", len(h.outcomes), len(moves))
	}
	h.checkRecords(t, final)
	return final
}

func (h *harness) check(t *testing.T, i int, m move, o *outcome) {
	t.Helper()
	h.outcomes = append(h.outcomes, *o)
	var appErr *temporal.ApplicationError
	got := ""
	if o.err != nil {
		got = "error"
		if errors.As(o.err, &appErr) {
			got = appErr.Type()
		}
	}
	if got != m.want {
		t.Errorf("move %d (%s by %s): got %q (%v), want %q", i, m.action, m.actor.Subject, got, o.err, m.want)
	}
}

// checkRecords: the read model received every event exactly once, in order,
// and its last record matches the final case.
func (h *harness) checkRecords(t *testing.T, final motcua.Case) {
	t.Helper()
	seq := 0
	for _, r := range h.records {
		for _, e := range r.Events {
			seq++
			if e.Seq != seq {
				t.Fatalf("recorded event seq %d, want %d", e.Seq, seq)
			}
		}
		if r.Case.Version != seq {
			t.Fatalf("record version %d after %d events", r.Case.Version, seq)
		}
	}
	if seq != len(final.Timeline) {
		t.Fatalf("recorded %d events, timeline has %d", seq, len(final.Timeline))
	}
	last := h.records[len(h.records)-1].Case
	if last.Status != final.Status || len(last.Actions) != 0 {
		t.Fatalf("last record: status %s actions %v, final %s", last.Status, last.Actions, final.Status)
	}
}

func timeline(c motcua.Case) []string {
	var out []string
	for _, e := range c.Timeline {
		out = append(out, string(e.Action)+">"+string(e.Status))
	}
	return out
}

// assertTimeline compares a case's timeline with want. Signed documents
// follow their actions in the background, so where their events fall among
// the others varies: they are compared by count, the rest in order.
func assertTimeline(t *testing.T, c motcua.Case, want ...string) {
	t.Helper()
	got := timeline(c)
	split := func(events []string) (steps []string, background map[string]int) {
		background = map[string]int{}
		for _, e := range events {
			if a, _, _ := strings.Cut(e, ">"); a == string(motcua.EventReceiptIssued) || a == string(motcua.EventResultSigned) || a == string(motcua.EventSlipIssued) {
				background[a]++
			} else {
				steps = append(steps, e)
			}
		}
		return steps, background
	}
	gotSteps, gotBg := split(got)
	wantSteps, wantBg := split(want)
	if !slices.Equal(gotSteps, wantSteps) || !maps.Equal(gotBg, wantBg) {
		t.Fatalf("timeline\n got  %v\n want %v", got, want)
	}
}
