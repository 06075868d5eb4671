package workflows

import (
	"cmp"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"go.temporal.io/sdk/log"
	"go.temporal.io/sdk/temporal"
	"go.temporal.io/sdk/workflow"

	"github.com/motcua/motcua"
)

// caseRun is the state of one running case, shared by every shape. The main
// coroutine walks the shape's steps; Update handlers only queue accepted
// actions and wait until the main coroutine has applied them and recorded
// the result, so an Update returns what the read model now shows.
type caseRun struct {
	in      CaseInput
	proc    *motcua.Procedure
	state   motcua.Case // the case as it stands
	version workflow.Version
	logger  log.Logger

	open     []motcua.Permission // actions open in the current stage
	pending  []*pendingAction    // accepted, not yet applied
	clockDue []motcua.Action     // clock events waiting for the main coroutine
	recorded int                 // timeline events already in the read model
	idle     bool                // the main coroutine waits for an actor
	working  bool                // it does slow work with the next stage's actions open (versionQuickAnswers)
	finished bool
	effects  int  // background work still running (notifications, documents, checks)
	flushing bool // a record of the case is being written

	clockFrom  time.Time // the day after which the clock counts
	clockDays  int       // the working days it counts
	dueChanged int       // bumped whenever DueAt or Paused changes, to wake the clock watcher
	warnAt     time.Time // when the case warns that its due date nears
	warnedFor  time.Time // the due time already warned about
}

type pendingAction struct {
	req  motcua.ActionRequest
	done bool
	err  error
	seq  int // the timeline event that recorded it, 0 if none
}

// errEnded unwinds the steps once a case reaches a final status.
var errEnded = errors.New("case ended")

func newCaseRun(ctx workflow.Context, in CaseInput) (*caseRun, error) {
	if in.Code == "" || in.Procedure.Code == "" || in.Agency == "" {
		return nil, temporal.NewNonRetryableApplicationError("case input lacks code, procedure or agency", motcua.EINVALID, nil)
	}
	proc := in.Procedure
	if len(proc.Steps) == 0 {
		// A level-2 procedure received at the desk. No case before
		// versionQuickAnswers could have one (the API refused them), so
		// this needs no version of its own.
		proc.Steps = defaultSteps(proc.Shape)
	}
	c := &caseRun{in: in, proc: &proc, logger: log.With(workflow.GetLogger(ctx), "case", in.Code)}
	c.version = workflow.GetVersion(ctx, versionChange, versionOriginal, versionLatest)
	c.state = motcua.Case{
		Code: in.Code, Procedure: procedureRef(&proc), Agency: in.Agency, Status: motcua.StatusSubmitted,
		Step: "reception", Channel: in.Channel, Owner: in.Owner, Applicant: in.Applicant, Delivery: in.Delivery,
		Form: in.Form, Fee: proc.FeeAmount(), SubmittedAt: workflow.Now(ctx), Pauses: []motcua.Pause{}, Notify: in.Notify,
		Documents: []motcua.Document{}, Payments: []motcua.Payment{}, Timeline: []motcua.Event{},
	}
	c.state.Agencies = involved(&proc, in.Agency)
	if c.state.Procedure.Shape == "" {
		c.state.Procedure.Shape = motcua.ShapeStandard
	}
	c.append(ctx, motcua.Event{Action: motcua.ActionSubmit, Status: motcua.StatusSubmitted,
		Actor: in.SubmittedBy.Ref(roleOf(in.SubmittedBy))})

	if err := workflow.SetQueryHandler(ctx, QueryCase, func() (motcua.Case, error) { return c.view(), nil }); err != nil {
		return nil, err
	}
	if err := workflow.SetUpdateHandler(ctx, UpdateSubmit, func(ctx workflow.Context) (motcua.Case, error) {
		err := workflow.Await(ctx, func() bool { return c.idle || c.finished })
		return c.answer(), err
	}); err != nil {
		return nil, err
	}
	// Every shape answers every action: one it never opens is refused as
	// a conflict, so callers get one behaviour.
	for _, spec := range actionSpecs {
		a := spec.Action
		err := workflow.SetUpdateHandlerWithOptions(ctx, string(a),
			func(ctx workflow.Context, req motcua.ActionRequest) (motcua.Case, error) {
				req.Action = a
				return c.handle(ctx, req)
			},
			workflow.UpdateHandlerOptions{Validator: func(ctx workflow.Context, req motcua.ActionRequest) error {
				req.Action = a
				return c.validate(ctx, req)
			}})
		if err != nil {
			return nil, err
		}
	}
	workflow.Go(ctx, c.watchClock)
	if c.version >= versionQuickAnswers {
		// The back-ends answer while the file waits at the desk, so the
		// receiver sees their answers before accepting it.
		c.background(ctx, func(ctx workflow.Context) {
			if _, _, err := c.runChecks(ctx, motcua.AtReception); err != nil {
				c.logger.Warn("reception checks", "err", err)
			}
		})
	}
	return c, nil
}

// involved lists the lead agency, the co-processing agencies and any agency
// a step names.
func involved(p *motcua.Procedure, lead string) []string {
	out := []string{lead}
	add := func(a string) {
		if a != "" && !slices.Contains(out, a) {
			out = append(out, a)
		}
	}
	for _, co := range p.CoAgencies {
		add(co.Agency)
	}
	for _, name := range motcua.StepNames {
		if s := p.Steps[name]; s != nil {
			add(s.Agency)
		}
	}
	return out
}

// procedureRef is the reference a case keeps to its procedure.
func procedureRef(p *motcua.Procedure) motcua.ProcedureRef {
	return motcua.ProcedureRef{Code: p.Code, Version: p.Version, Hash: p.Hash, Name: p.Name.Vi, Shape: p.Shape, Level: p.Level}
}

func (c *caseRun) handle(ctx workflow.Context, req motcua.ActionRequest) (motcua.Case, error) {
	p := &pendingAction{req: req}
	c.pending = append(c.pending, p)
	answered := func() bool { return p.done && (c.idle || c.finished) }
	if c.version >= versionQuickAnswers {
		// Answer once the action is recorded, even if the case has
		// started slow work before its next wait.
		answered = func() bool {
			return p.done && (c.idle || c.finished || p.err != nil || c.working && c.recorded >= p.seq)
		}
	}
	if err := workflow.Await(ctx, answered); err != nil {
		return motcua.Case{}, err
	}
	if p.err != nil {
		return motcua.Case{}, p.err
	}
	return c.answer(), nil
}

// answer is an Update's result. Callers read the case from the read model,
// which holds it once the Update answers; from versionQuickAnswers on the
// result only says where the case stands, so histories stay small.
func (c *caseRun) answer() motcua.Case {
	if c.version < versionQuickAnswers {
		return c.view()
	}
	return motcua.Case{Code: c.state.Code, Status: c.state.Status, Step: c.state.Step, Version: c.state.Version,
		Procedure: c.state.Procedure, Agency: c.state.Agency, Timeline: []motcua.Event{}, Actions: []motcua.Permission{},
		Pauses: []motcua.Pause{}, Documents: []motcua.Document{}, Payments: []motcua.Payment{}}
}

// validate rejects an action before it enters history: the case is busy or
// in the wrong state (conflict), the actor may not (forbidden), or the
// payload is bad (invalid).
func (c *caseRun) validate(ctx workflow.Context, req motcua.ActionRequest) error {
	if len(c.pending) > 0 || (!c.idle && !c.finished && !c.working) {
		return temporal.NewApplicationError("Hồ sơ đang xử lý một thao tác khác, vui lòng thử lại.", ErrBusy)
	}
	if err := c.check(req); err != nil {
		return err
	}
	if fields := checkPayload(req, workflow.Now(ctx), c.state.Fee); len(fields) > 0 {
		return temporal.NewApplicationError("Dữ liệu gửi kèm thao tác không hợp lệ.", motcua.EINVALID, fields)
	}
	return nil
}

// check is the state and actor part of validate.
func (c *caseRun) check(req motcua.ActionRequest) error {
	var candidates []motcua.Permission
	for _, p := range c.open {
		if p.Action == req.Action {
			candidates = append(candidates, p)
		}
	}
	if len(candidates) == 0 || c.finished {
		return temporal.NewApplicationError(fmt.Sprintf("Không thể thực hiện %q khi hồ sơ ở trạng thái %q. Thao tác được phép lúc này: %s.",
			req.Action, c.state.Status, strings.Join(c.openActionNames(), ", ")), motcua.ECONFLICT)
	}
	if !slices.ContainsFunc(candidates, func(p motcua.Permission) bool { return c.permits(p, req.Actor) }) {
		return temporal.NewApplicationError(fmt.Sprintf("Bạn không có quyền thực hiện %q trên hồ sơ này.", req.Action), motcua.EFORBIDDEN)
	}
	return nil
}

func (c *caseRun) openActionNames() []string {
	var names []string
	if !c.finished {
		for _, p := range c.open {
			if !slices.Contains(names, string(p.Action)) {
				names = append(names, string(p.Action))
			}
		}
	}
	if len(names) == 0 {
		return []string{"không có"}
	}
	return names
}

// permits reports whether actor a may take an action open as p.
func (c *caseRun) permits(p motcua.Permission, a motcua.Actor) bool {
	switch p.Role {
	case motcua.RoleApplicant:
		return a.Kind == motcua.KindCitizen && (a.Subject == c.state.Owner || a.WithSecret)
	case motcua.RoleSystem:
		return a.Kind == motcua.KindSystem
	}
	return a.Kind == motcua.KindOfficer && a.Agency == p.Agency && a.HasRole(p.Role) &&
		(p.Subject == "" || p.Subject == a.Subject)
}

// roleOf names the role an actor acts in when no permission says.
func roleOf(a motcua.Actor) motcua.Role {
	switch a.Kind {
	case motcua.KindCitizen:
		return motcua.RoleApplicant
	case motcua.KindSystem:
		return motcua.RoleSystem
	case motcua.KindOfficer:
		if len(a.Roles) > 0 {
			return a.Roles[0]
		}
	}
	return ""
}

// view is the case as callers see it.
func (c *caseRun) view() motcua.Case {
	v := c.state
	v.Actions = []motcua.Permission{}
	if !c.finished {
		v.Actions = append(v.Actions, c.open...)
	}
	motcua.SortPermissions(v.Actions)
	v.Timeline = slices.Clone(c.state.Timeline)
	v.Pauses = slices.Clone(c.state.Pauses)
	v.Opinions = slices.Clone(c.state.Opinions)
	v.Documents = slices.Clone(c.state.Documents)
	v.Payments = slices.Clone(c.state.Payments)
	return v
}

// append adds an event to the timeline and moves the case to its status.
func (c *caseRun) append(ctx workflow.Context, e motcua.Event) {
	e.Seq = len(c.state.Timeline) + 1
	e.At = workflow.Now(ctx)
	if e.Status == "" {
		e.Status = c.state.Status
	}
	c.state.Status = e.Status
	c.state.Timeline = append(c.state.Timeline, e)
	c.state.Version = e.Seq
}

// act records an actor's accepted action, moving the case to status ("" to
// leave the status to the next stage).
func (c *caseRun) act(ctx workflow.Context, p *pendingAction, status motcua.Status) {
	c.append(ctx, motcua.Event{Action: p.req.Action, Status: status, Actor: p.req.Actor.Ref(c.roleFor(p.req)),
		Note: p.req.Note, Reason: p.req.Reason, Data: p.req.Data})
	p.done, p.seq = true, c.state.Version
	if c.version >= versionQuickAnswers {
		c.open = nil // nothing is open until the next stage opens
	}
}

// system records an event of the system's own making.
func (c *caseRun) system(ctx workflow.Context, a motcua.Action, status motcua.Status, note string) {
	c.append(ctx, motcua.Event{Action: a, Status: status, Actor: motcua.SystemActor.Ref(motcua.RoleSystem), Note: note})
}

// roleFor is the role of the permission an accepted request used.
func (c *caseRun) roleFor(req motcua.ActionRequest) motcua.Role {
	for _, p := range c.open {
		if p.Action == req.Action && c.permits(p, req.Actor) {
			return p.Role
		}
	}
	return roleOf(req.Actor)
}

// stage is what a step waits for: the status and step name the case shows
// and the actions the step itself handles.
type stage struct {
	status  motcua.Status
	step    string
	actions []motcua.Permission
	// until, when set, ends the wait with timedOut at that time.
	until time.Time
}

// await opens a stage and waits for an action the step handles, recording
// the case first. Ambient actions (withdraw, reschedule, attach) and clock
// events are applied here; withdraw ends the case with errEnded.
func (c *caseRun) await(ctx workflow.Context, s stage) (p *pendingAction, timedOut bool, err error) {
	c.enter(ctx, s)
	for _, p := range s.actions {
		if _, ok := Spec(p.Action); !ok {
			// No Update handler answers it: a step opened an action
			// without describing it in actionSpecs.
			panic(fmt.Sprintf("action %q is opened but not described in actionSpecs", p.Action))
		}
	}
	for {
		c.open = append(slices.Clone(s.actions), c.ambientPermissions(s)...)
		// From versionQuickAnswers on, actions of this stage queue while
		// it is recorded, rather than being refused as busy.
		c.working = c.version >= versionQuickAnswers
		if err := c.flush(ctx); err != nil {
			return nil, false, err
		}
		c.idle = true
		// Background work that added events wakes the case to record them
		// with the actions now open.
		ready := func() bool { return len(c.pending) > 0 || len(c.clockDue) > 0 || c.recorded < len(c.state.Timeline) }
		if s.until.IsZero() {
			err = workflow.Await(ctx, ready)
		} else {
			var ok bool
			ok, err = workflow.AwaitWithTimeout(ctx, s.until.Sub(workflow.Now(ctx)), ready)
			timedOut = !ok
		}
		c.idle, c.working = false, false
		if err != nil {
			return nil, false, err
		}
		if len(c.clockDue) > 0 {
			c.applyClock(ctx)
			continue
		}
		if len(c.pending) == 0 && !timedOut {
			continue // background events: record them
		}
		if timedOut {
			return nil, true, nil
		}
		p = c.pending[0]
		c.pending = c.pending[1:]
		// Two Updates delivered in one workflow task both pass their
		// validators before either is applied: check again.
		if err := c.check(p.req); err != nil {
			p.err, p.done = err, true
			continue
		}
		switch p.req.Action {
		case motcua.ActionWithdraw:
			c.act(ctx, p, motcua.StatusWithdrawn)
			return nil, false, errEnded
		case motcua.ActionReschedule:
			c.reschedule(ctx, p)
			continue
		case motcua.ActionAttach:
			c.attach(ctx, p)
			continue
		case motcua.ActionPaymentResult:
			if !slices.ContainsFunc(s.actions, func(x motcua.Permission) bool { return x.Action == motcua.ActionPaymentResult }) {
				if err := c.latePayment(ctx, p); err != nil {
					return nil, false, err
				}
				continue
			}
		}
		return p, false, nil
	}
}

// enter moves the case into stage s. An event's status is the status it led
// to, so the last event not yet recorded takes the stage's status ("approve"
// is recorded as leading to awaiting_payment, say) unless it only informed
// (a check, the receipt): then the move is an event of its own.
func (c *caseRun) enter(ctx workflow.Context, s stage) {
	c.state.Step = s.step
	if c.state.Status == s.status {
		return
	}
	if n := len(c.state.Timeline); n > c.recorded && !informational(c.state.Timeline[n-1].Action) {
		c.state.Timeline[n-1].Status = s.status
		c.state.Status = s.status
		return
	}
	c.system(ctx, motcua.EventTransferred, s.status, "Chuyển hồ sơ sang bước tiếp theo.")
}

// informational events record what happened without moving the case.
func informational(a motcua.Action) bool {
	switch a {
	case motcua.EventCheck, motcua.EventCheckFailed, motcua.EventReceiptIssued, motcua.EventResultSigned, motcua.EventDueSoon,
		motcua.EventOverdue, motcua.EventCoReviewOverdue:
		return true
	}
	return false
}

// ambientPermissions are the ambient actions open in stage s.
func (c *caseRun) ambientPermissions(s stage) []motcua.Permission {
	var ps []motcua.Permission
	if c.withdrawable() {
		ps = append(ps, motcua.Permission{Action: motcua.ActionWithdraw, Role: motcua.RoleApplicant})
	}
	if c.state.Overdue {
		ps = append(ps, c.perm(motcua.ActionReschedule, motcua.StepOverdue, motcua.RoleHead))
	}
	// An order left open at the gateway may still be paid, after the fee was
	// taken otherwise: the case must hear of it, to give the money back.
	if slices.ContainsFunc(c.state.Payments, func(p motcua.Payment) bool {
		return p.Method == motcua.PaymentOnline && (p.Status == motcua.PaymentPending || p.Status == motcua.PaymentFailed)
	}) {
		ps = append(ps, motcua.Permission{Action: motcua.ActionPaymentResult, Role: motcua.RoleSystem})
	}
	// Applicants attach files to the file they are completing; officers of
	// the lead agency attach working papers at any stage.
	if s.status == motcua.StatusSubmitted || s.status == motcua.StatusAwaitingSupplement {
		ps = append(ps, motcua.Permission{Action: motcua.ActionAttach, Role: motcua.RoleApplicant})
	}
	for _, p := range s.actions {
		if p.Role != motcua.RoleApplicant && p.Role != motcua.RoleSystem && p.Agency == c.state.Agency {
			ps = append(ps, motcua.Permission{Action: motcua.ActionAttach, Role: p.Role, Agency: p.Agency})
		}
	}
	return dedupe(ps)
}

// withdrawable: an applicant may withdraw until the result is issued.
func (c *caseRun) withdrawable() bool {
	return c.state.Result == nil && !c.state.Status.Final()
}

func dedupe(ps []motcua.Permission) []motcua.Permission {
	var out []motcua.Permission
	for _, p := range ps {
		if !slices.Contains(out, p) {
			out = append(out, p)
		}
	}
	return out
}

// perm is the permission to take action a in the definition's step (by
// default role def at the lead agency).
func (c *caseRun) perm(a motcua.Action, step string, def motcua.Role) motcua.Permission {
	p := motcua.Permission{Action: a, Role: def, Agency: c.state.Agency}
	if s := c.proc.Steps[step]; s != nil {
		if s.Role != "" {
			p.Role = s.Role
		}
		if s.Agency != "" {
			p.Agency = s.Agency
		}
	}
	return p
}

// flush writes the events not yet recorded, with the case as it stands and
// its open actions, to the read model. Only the steps flush (and end, once
// background work is done), so a record always shows the actions open.
func (c *caseRun) flush(ctx workflow.Context) error {
	// Background work records what it adds too: one record at a time.
	if err := workflow.Await(ctx, func() bool { return !c.flushing }); err != nil {
		return err
	}
	n := len(c.state.Timeline)
	if c.recorded == n {
		return nil
	}
	v := c.view()
	v.Timeline = nil
	if c.state.Status.Final() {
		v.Actions = []motcua.Permission{}
	}
	rec := Record{Case: v, Events: slices.Clone(c.state.Timeline[c.recorded:n])}
	c.flushing = true
	_, err := recordCase.run(ctx, rec)
	c.flushing = false
	if err != nil {
		return err
	}
	c.recorded = n
	return nil
}

// recordNow opens stage s and records the case before slow work (a
// back-end call) from versionQuickAnswers on: the action that led here
// answers at once, and actions s takes queue until the work is done.
func (c *caseRun) recordNow(ctx workflow.Context, s stage) error {
	if c.version < versionQuickAnswers {
		return nil
	}
	c.open = append(slices.Clone(s.actions), c.ambientPermissions(s)...)
	c.working = true
	return c.flush(ctx)
}

// end closes the case in a final status and records it.
func (c *caseRun) end(ctx workflow.Context) error {
	now := workflow.Now(ctx)
	c.state.ClosedAt = &now
	c.open = nil
	c.state.Step = "closed"
	c.dueChanged++
	switch c.state.Status {
	case motcua.StatusRejected:
		c.notify(ctx, "Hồ sơ không được giải quyết", fmt.Sprintf("Hồ sơ %s bị từ chối: %s", c.state.Code, c.lastReason()))
	case motcua.StatusCancelled:
		c.notify(ctx, "Hồ sơ đã bị hủy", fmt.Sprintf("Hồ sơ %s đã bị hủy do quá hạn bổ sung.", c.state.Code))
	}
	if err := c.flush(ctx); err != nil {
		return err
	}
	c.finished = true
	// Actions accepted alongside the one that closed the case are answered,
	// not left waiting: the case no longer takes them.
	for _, p := range c.pending {
		p.err = temporal.NewApplicationError("Hồ sơ đã kết thúc, không thể thực hiện thêm thao tác.", motcua.ECONFLICT)
		p.done = true
	}
	c.pending = nil
	if err := workflow.Await(ctx, func() bool { return workflow.AllHandlersFinished(ctx) && c.effects == 0 }); err != nil {
		return err
	}
	return c.flush(ctx) // what background work added after the case closed
}

// lastReason is the reason of the newest event that gave one.
func (c *caseRun) lastReason() string {
	for i := len(c.state.Timeline) - 1; i >= 0; i-- {
		if e := c.state.Timeline[i]; e.Reason != "" || e.Action == motcua.EventCheckFailed {
			return cmp.Or(e.Reason, e.Note)
		}
	}
	return ""
}

// run drives a shape's steps and closes the case however they end.
func (c *caseRun) run(ctx workflow.Context, steps func(workflow.Context) error) (motcua.Case, error) {
	err := steps(ctx)
	if err != nil && !errors.Is(err, errEnded) {
		return motcua.Case{}, err
	}
	if err := c.end(ctx); err != nil {
		return motcua.Case{}, err
	}
	return c.view(), nil
}
