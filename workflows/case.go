package workflows

import (
	"cmp"
	"errors"
	"fmt"
	"slices"
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
	resync   bool                // record again even if nothing is new (SignalResync)
	recDocs  int                 // documents already in the read model
	idle     bool                // the main coroutine waits for an actor
	working  bool                // it does slow work with the next stage's actions open (versionQuickAnswers)
	finished bool
	effects  int // background work still running (notifications, documents, checks)

	receptionChecked bool   // the reception checks have answered (versionRefusalStops)
	receptionRefusal string // what a back-end refused at reception, "" if none

	clockFrom  time.Time // the day after which the clock counts
	clockDays  int       // the working days it counts
	dueChanged int       // bumped whenever DueAt or Paused changes, to wake the clock watcher
	warnAt     time.Time // when the case warns that its due date nears
	warnedFor  time.Time // the due time already warned about

	moved    []agencyMove // agencies handed over: old → new (handover.go)
	handedBy []string     // the hand-overs that moved the case
	search   searchState  // what visibility was last told (versionSearchAttributes)
	law      *lawRun      // the legal clock's rules, from versionLawClock on (lawclock.go)
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
	c.initLaw()
	c.quoteFee()
	if c.state.Procedure.Shape == "" {
		c.state.Procedure.Shape = motcua.ShapeStandard
	}
	c.append(ctx, motcua.Event{Action: motcua.ActionSubmit, Status: motcua.StatusSubmitted,
		Actor: in.SubmittedBy.Ref(roleOf(in.SubmittedBy)), Note: c.secondInstanceNote()})
	c.forwarded(ctx)

	if err := workflow.SetQueryHandler(ctx, QueryCase, func() (motcua.Case, error) { return c.view(), nil }); err != nil {
		return nil, err
	}
	if err := workflow.SetUpdateHandler(ctx, UpdateSubmit, func(ctx workflow.Context) (motcua.Case, error) {
		err := workflow.Await(ctx, func() bool { return c.idle || c.finished })
		return c.answer(), err
	}); err != nil {
		return nil, err
	}
	if err := c.setHandover(ctx); err != nil {
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
	workflow.Go(ctx, c.watchResync)
	if c.version >= versionQuickAnswers {
		// The back-ends answer while the file waits at the desk, so the
		// receiver sees their answers before accepting it.
		c.background(ctx, func(ctx workflow.Context) {
			_, refused, err := c.runChecks(ctx, motcua.AtReception)
			if err != nil {
				c.logger.Warn("reception checks", "err", err)
			}
			c.receptionRefusal, c.receptionChecked = refused, true
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

// view is the case as callers see it.
func (c *caseRun) view() motcua.Case {
	v := c.state
	v.Actions = []motcua.Permission{}
	if !c.finished {
		v.Actions = append(v.Actions, c.open...)
		if c.version >= versionFeeSchedule {
			v.Actions = dedupe(v.Actions) // a stage's action may also be ambient (payment_result)
		}
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
	c.inviteQuality(ctx)
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
	return c.answer(), nil // the whole case is in the read model
}
