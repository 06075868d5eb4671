// Package trial runs a procedure definition before it is published: its
// case, on its shape's real workflow code and the province's calendar, in
// Temporal's test environment with time skipping, with the agency back-ends
// answering yes. A developer sees, in seconds, what each scenario does: each
// step, who takes it, the due date, what the applicant is told.
// `motcua procedures try` prints it; the table test of every definition
// runs it.
package trial

import (
	"cmp"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"slices"
	"time"

	tlog "go.temporal.io/sdk/log"
	"go.temporal.io/sdk/testsuite"

	"github.com/motcua/motcua"
	"github.com/motcua/motcua/activities"
	"github.com/motcua/motcua/calendar"
	"github.com/motcua/motcua/workflows"
)

// Scenarios a trial runs.
const (
	Happy      = "happy"      // every step taken, on time
	Supplement = "supplement" // the reviewer asks for more; the applicant supplies it two days later
	Late       = "late"       // the review waits past the due date; the head apologises and sets a new date
	Refusal    = "refusal"    // the reviewer rejects the file
)

// Scenarios are all of them, in the order a report shows them.
var Scenarios = []string{Happy, Supplement, Late, Refusal}

// Step is one line of a trial: an event of the case's timeline.
type Step struct {
	At     time.Time
	Action motcua.Action
	Actor  motcua.ActorRef
	Status motcua.Status
	Note   string
	DueAt  *time.Time
}

// Result is one scenario's run.
type Result struct {
	Scenario string
	Steps    []Step
	Final    motcua.Case
	// Told is what the applicant was told (SMS and e-mail), in order.
	Told []string
}

// Run runs scenario on p from the working day from (9:00 local time).
func Run(p *motcua.Procedure, scenario string, from time.Time) (*Result, error) {
	if !slices.Contains(Scenarios, scenario) {
		return nil, fmt.Errorf("no scenario %q (one of %v)", scenario, Scenarios)
	}
	if p.Level < 2 {
		return nil, fmt.Errorf("%s is level %d: information only, no case runs", p.Code, p.Level)
	}
	shape, ok := workflows.ShapeFor(p.Shape)
	if !ok {
		return nil, fmt.Errorf("%s: no shape %q", p.Code, p.Shape)
	}
	var suite testsuite.WorkflowTestSuite
	suite.SetLogger(tlog.NewStructuredLogger(slog.New(slog.DiscardHandler)))
	env := suite.NewTestWorkflowEnvironment()
	env.SetStartTime(time.Date(from.Year(), from.Month(), from.Day(), 9, 0, 0, 0, calendar.Location))
	d := &driver{p: p, scenario: scenario, env: env}
	workflows.Register(env, &backends{d: d, deadlines: &activities.Deadlines{Calendar: calendar.Default(), WarnDays: 1}})

	in := workflows.CaseInput{Code: "THU-" + p.Code, Procedure: *p, Agency: p.Agencies[0], Owner: applicant.Subject,
		Channel: motcua.ChannelOnline, Applicant: motcua.Applicant{Name: applicant.Name, IDNumber: applicant.Subject,
			Phone: "0905123456", Email: "an@example.vn", Address: "12 Phan Chu Trinh, Hội An"},
		Delivery: motcua.Delivery{Method: firstOf(p.Delivery, motcua.DeliveryCounter), Address: "12 Phan Chu Trinh, Hội An"},
		Form:     p.ExampleForm, SubmittedBy: applicant, Notify: []string{motcua.NotifySMS}}
	if p.Level < 3 {
		in.Channel, in.Delivery.Method = motcua.ChannelCounter, motcua.DeliveryCounter
	}
	env.RegisterDelayedCallback(d.next, time.Hour)
	env.ExecuteWorkflow(shape.Workflow, in)
	if err := cmp.Or(d.err, env.GetWorkflowError()); err != nil {
		return nil, err
	}
	if !env.IsWorkflowCompleted() {
		return nil, errors.New("the case did not close")
	}
	res := &Result{Scenario: scenario, Told: d.told, Final: workflows.ReadModelOf(d.records)}
	for _, rec := range d.records {
		for _, e := range rec.Events {
			res.Steps = append(res.Steps, Step{At: e.At, Action: e.Action, Actor: e.Actor, Status: e.Status, Note: cmp.Or(e.Reason, e.Note), DueAt: rec.Case.DueAt})
		}
	}
	return res, nil
}

var applicant = motcua.Actor{Kind: motcua.KindCitizen, Subject: "049090001234", Name: "Nguyễn Văn An"}

func firstOf(options []string, prefer string) string {
	if slices.Contains(options, prefer) || len(options) == 0 {
		return prefer
	}
	return options[0]
}

// driver takes the next action each time the case settles, as the
// scenario's people would.
type driver struct {
	p        *motcua.Procedure
	scenario string
	env      *testsuite.TestWorkflowEnvironment
	records  []workflows.Record
	told     []string
	acted    map[motcua.Action]int
	moves    int // actions taken
	waits    int // looks at a case waiting on the clock or a back-end
	err      error
}

func (d *driver) last() motcua.Case { return d.records[len(d.records)-1].Case }

// next takes one action, then schedules itself again.
func (d *driver) next() {
	if d.acted == nil {
		d.acted = map[motcua.Action]int{}
	}
	c := d.last()
	if c.Status.Final() || d.err != nil {
		return
	}
	perm, req, wait, ok := d.choose(c)
	if !ok {
		// Waiting on the clock or a back-end: look again later.
		if d.waits++; d.waits > 1000 {
			d.err = fmt.Errorf("%s: the case waits at %s for nothing the scenario does", d.scenario, c.Status)
			return
		}
		d.env.RegisterDelayedCallback(d.next, 4*time.Hour)
		return
	}
	if d.moves++; d.moves > 50 {
		d.err = fmt.Errorf("%s: no end after 50 actions (at %s)", d.scenario, c.Status)
		return
	}
	if perm.Role != motcua.RoleApplicant {
		wait = atDesk(d.env.Now().Add(wait)).Sub(d.env.Now())
	}
	d.env.RegisterDelayedCallback(func() {
		d.acted[perm.Action]++
		d.env.UpdateWorkflow(string(perm.Action), fmt.Sprint("move-", d.moves), &testsuite.TestUpdateCallback{
			OnAccept: func() {},
			OnReject: func(err error) { d.err = fmt.Errorf("%s: %s refused: %w", d.scenario, perm.Action, err) },
			OnComplete: func(_ any, err error) {
				if err != nil {
					d.err = fmt.Errorf("%s: %s: %w", d.scenario, perm.Action, err)
					return
				}
				d.env.RegisterDelayedCallback(d.next, time.Hour)
			},
		}, req)
	}, wait)
}

// atDesk is t, or the next moment after it when a desk is open (a working
// day of the province's calendar, 8:00–17:00): officers do not act on
// Sundays and holidays, so a trial must not show them doing so.
func atDesk(t time.Time) time.Time {
	t = t.In(calendar.Location)
	day := func(t time.Time, hour int) time.Time {
		return time.Date(t.Year(), t.Month(), t.Day(), hour, 0, 0, 0, calendar.Location)
	}
	switch {
	case t.Hour() < 8:
		t = day(t, 8)
	case t.Hour() >= 17:
		t = day(t.AddDate(0, 0, 1), 8)
	}
	for cal := calendar.Default(); !cal.IsWorkingDay(t); {
		t = day(t.AddDate(0, 0, 1), 8)
	}
	return t
}

// seen says whether the case's timeline has an event a.
func (d *driver) seen(a motcua.Action) bool {
	for _, rec := range d.records {
		for _, e := range rec.Events {
			if e.Action == a {
				return true
			}
		}
	}
	return false
}

// choose picks the scenario's next action among those open, its request
// and how long its taker waits before taking it.
func (d *driver) choose(c motcua.Case) (motcua.Permission, motcua.ActionRequest, time.Duration, bool) {
	open := func(a motcua.Action) (motcua.Permission, bool) {
		i := slices.IndexFunc(c.Actions, func(p motcua.Permission) bool { return p.Action == a })
		if i < 0 {
			return motcua.Permission{}, false
		}
		return c.Actions[i], true
	}
	take := func(a motcua.Action, wait time.Duration) (motcua.Permission, motcua.ActionRequest, time.Duration, bool) {
		p, ok := open(a)
		if !ok {
			return p, motcua.ActionRequest{}, 0, false
		}
		return p, d.request(p), wait, true
	}
	hour, day := time.Hour, 24*time.Hour
	// The head apologises and sets a new date only in the late scenario,
	// once the case is due soon or overdue (from version 3 the apology is
	// open before the due date, to the agency that sees it will be late).
	if _, ok := open(motcua.ActionReschedule); ok && d.scenario == Late && d.acted[motcua.ActionReschedule] == 0 &&
		(d.seen(motcua.EventDueSoon) || d.seen(motcua.EventOverdue)) {
		return take(motcua.ActionReschedule, hour)
	}
	switch {
	case d.scenario == Supplement && d.acted[motcua.ActionRequestInfo] == 0:
		if p, r, w, ok := take(motcua.ActionRequestInfo, hour); ok {
			return p, r, w, ok
		}
	case d.scenario == Refusal:
		// After review; a complaint or a denunciation, which have no refusal after acceptance,
		// is refused at reception.
		if _, ok := open(motcua.ActionReject); ok && (d.acted[motcua.ActionReceive] > 0 || d.p.Shape == motcua.ShapeComplaint || d.p.Shape == motcua.ShapeDenunciation) {
			return take(motcua.ActionReject, day)
		}
	case d.scenario == Late && d.acted[motcua.ActionReschedule] == 0 && d.acted[motcua.ActionExtend] == 0:
		// A complaint or denunciation found complex has its time limit
		// extended (Luật Khiếu nại 2011 Điều 28, Luật Tố cáo 2018 Điều 30).
		if d.seen(motcua.EventDueSoon) || d.seen(motcua.EventOverdue) {
			if p, r, w, ok := take(motcua.ActionExtend, hour); ok {
				return p, r, w, ok
			}
		}
		_, review := open(motcua.ActionReview)
		_, verify := open(motcua.ActionVerify)
		if review || verify {
			return motcua.Permission{}, motcua.ActionRequest{}, 0, false // let the due date pass
		}
	}
	for _, a := range []struct {
		action motcua.Action
		wait   time.Duration
	}{{motcua.ActionSupplement, 2 * day}, {motcua.ActionReceive, hour}, {motcua.ActionAssign, hour}, {motcua.ActionReview, day},
		{motcua.ActionVerify, day}, {motcua.ActionCoReview, day}, {motcua.ActionApprove, hour}, {motcua.ActionConclude, hour},
		{motcua.ActionConfirmPayment, hour}, {motcua.ActionIssue, hour}, {motcua.ActionDeliver, day}, {motcua.ActionAnswer, day}} {
		if p, r, w, ok := take(a.action, a.wait); ok {
			return p, r, w, true
		}
	}
	return motcua.Permission{}, motcua.ActionRequest{}, 0, false
}

// request is what the taker of p sends.
func (d *driver) request(p motcua.Permission) motcua.ActionRequest {
	actor := applicant
	if p.Role != motcua.RoleApplicant {
		actor = motcua.Actor{Kind: motcua.KindOfficer, Subject: cmp.Or(p.Subject, string(p.Role)+"@"+p.Agency), Agency: p.Agency,
			Roles: []motcua.Role{p.Role}, Name: "Cán bộ " + p.Agency}
	}
	r := motcua.ActionRequest{Action: p.Action, Actor: actor}
	data := func(v any) { r.Data, _ = json.Marshal(v) }
	switch p.Action {
	case motcua.ActionReject:
		r.Reason = "Hồ sơ không đủ điều kiện theo quy định."
	case motcua.ActionRequestInfo:
		r.Reason = "Bổ sung bản sao giấy tờ còn thiếu."
	case motcua.ActionSupplement:
		r.Note = "Đã bổ sung."
	case motcua.ActionCoReview:
		data(map[string]any{"agree": true})
	case motcua.ActionConfirmPayment:
		data(map[string]any{"receipt_no": "BL-0001"})
	case motcua.ActionIssue:
		data(map[string]any{"number": "01/KQ"})
	case motcua.ActionReschedule:
		r.Reason = "Xin lỗi ông/bà vì hồ sơ chậm giải quyết do cần xác minh thêm."
		// Three working days after the later of now and the due date (a new
		// date must follow the current due date, NĐ 61/2018 Điều 19 khoản 9).
		from := d.env.Now()
		if due := d.last().DueAt; due != nil && due.After(from) {
			from = *due
		}
		data(map[string]any{"new_date": calendar.Default().AddWorkingDays(from, 3).In(calendar.Location).Format(time.DateOnly)})
	case motcua.ActionExtend:
		r.Reason = "Vụ việc phức tạp, cần xác minh thêm."
		if d.p.Shape == motcua.ShapeDenunciation {
			data(map[string]any{"criteria": []string{"a"}, "days": 30})
		} else {
			data(map[string]any{"kind": "complex"})
		}
	case motcua.ActionAssign:
		data(map[string]any{"investigator": "xacminh@" + p.Agency})
	case motcua.ActionVerify:
		r.Note = "Đã xác minh nội dung khiếu nại."
	case motcua.ActionConclude:
		r.Note = "Khiếu nại đúng một phần."
		data(map[string]any{"decision": "partly_upheld"})
	case motcua.ActionAnswer:
		data(map[string]any{"answer": "Cơ quan đã tiếp thu và chấn chỉnh bộ phận một cửa."})
	}
	return r
}

// backends are the activities of a trial: the real calendar, the read
// model kept in memory, back-ends that say yes and documents that are named
// but not rendered.
type backends struct {
	d         *driver
	deadlines *activities.Deadlines
}

func (b *backends) RecordCase(_ context.Context, rec workflows.Record) error {
	b.d.records = append(b.d.records, rec)
	return nil
}

func (b *backends) Deadline(ctx context.Context, req workflows.DeadlineRequest) (workflows.Deadline, error) {
	return b.deadlines.Deadline(ctx, req)
}

func (b *backends) RunCheck(_ context.Context, req workflows.CheckRequest) (workflows.CheckResult, error) {
	spec, _ := motcua.CheckOf(req.Kind)
	res := workflows.CheckResult{OK: true, Summary: spec.Title + ": hợp lệ (thử)."}
	if req.Kind == motcua.CheckBusinessRegister {
		res.Number = "4000000001"
	}
	return res, nil
}

func (b *backends) CreatePayment(_ context.Context, o workflows.PaymentOrder) (workflows.PaymentOrder, error) {
	o.GatewayRef, o.PayURL = "GW-"+o.OrderID, "https://thanh-toan.example/"+o.OrderID
	return o, nil
}

func (b *backends) PaymentStatus(_ context.Context, o workflows.PaymentOrder) (workflows.PaymentState, error) {
	return workflows.PaymentState{OrderID: o.OrderID, Status: motcua.PaymentPending}, nil
}

func (b *backends) RefundPayment(_ context.Context, r workflows.RefundRequest) (workflows.RefundResult, error) {
	return workflows.RefundResult{RefundRef: "RF-" + r.OrderID}, nil
}

func (b *backends) CreateShipment(_ context.Context, r workflows.ShipmentRequest) (workflows.Shipment, error) {
	return workflows.Shipment{Tracking: "EB000000001VN"}, nil
}

func (b *backends) Notify(_ context.Context, n workflows.Notification) error {
	b.d.told = append(b.d.told, n.Subject+": "+n.Text)
	return nil
}

func (b *backends) IssueDocument(_ context.Context, r workflows.DocumentRequest) (motcua.Document, error) {
	return motcua.Document{ID: r.Case.Code + "-" + r.Kind, Name: r.Kind + ".pdf", Type: "application/pdf", Kind: r.Kind}, nil
}
