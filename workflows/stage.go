package workflows

import (
	"fmt"
	"slices"
	"time"

	"go.temporal.io/sdk/workflow"

	"github.com/motcua/motcua"
)

// Stages: what a step waits for, the actions it opens, and the records of
// the case it writes before each wait.

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
		s.actions = c.handedOver(s.actions) // a hand-over while the stage waits
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
		ready := func() bool {
			return len(c.pending) > 0 || len(c.clockDue) > 0 || c.recorded < len(c.state.Timeline) || c.resync
		}
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
			if err := c.reschedule(ctx, p); err != nil {
				return nil, false, err
			}
			continue
		case motcua.ActionExtend:
			if err := c.extend(ctx, p); err != nil {
				return nil, false, err
			}
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
	case motcua.EventCheck, motcua.EventCheckFailed, motcua.EventReceiptIssued, motcua.EventResultSigned, motcua.EventSlipIssued, motcua.EventDueSoon,
		motcua.EventOverdue, motcua.EventCoReviewOverdue, motcua.EventApologyTardy, motcua.EventReceptionLate:
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
	if c.law != nil {
		ps = append(ps, c.apologyPermissions()...)
		ps = append(ps, c.extendPermissions()...)
	} else if c.state.Overdue {
		ps = append(ps, c.perm(motcua.ActionReschedule, motcua.StepOverdue, motcua.RoleHead))
	}
	// An order left open at the gateway may still be paid, after the fee was
	// taken otherwise: the case must hear of it, to give the money back.
	if slices.ContainsFunc(c.state.Payments, func(p motcua.Payment) bool {
		return p.Method == motcua.PaymentOnline && (p.Status == motcua.PaymentPending || p.Status == motcua.PaymentFailed || p.Status == motcua.PaymentCancelled)
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
	n := len(c.state.Timeline)
	from := c.recorded
	if from == n {
		if !c.resync || n == 0 {
			return nil
		}
		from = n - 1 // a record carries at least the event of its version
	}
	if err := c.upsertSearch(ctx); err != nil {
		return err
	}
	v := c.view()
	v.Timeline = nil
	if c.state.Status.Final() {
		v.Actions = []motcua.Permission{}
	}
	docs := len(v.Documents)
	if c.version >= versionQuickAnswers {
		// The read model keeps what never changes: the form goes in the
		// first record, each document in the first record that has it.
		if c.recorded > 0 {
			v.Form = nil
		}
		v.Documents = v.Documents[c.recDocs:]
	}
	if c.version >= versionLeanRecords && c.recorded > 0 {
		// Nor the procedure or the fee lines: they never change (the store
		// reads them back), and they were a third of every record.
		v.Procedure, v.FeeLines = motcua.ProcedureRef{}, nil
	}
	r, rec := Record{Case: v, Events: slices.Clone(c.state.Timeline[from:n])}, recordCase
	if c.version >= versionLocalRecords {
		r.Clock, rec = int64(workflow.GetInfo(ctx).GetCurrentHistoryLength()), recordCaseLocal
	}
	if _, err := rec.run(ctx, r); err != nil {
		return err
	}
	c.recorded, c.recDocs, c.resync = n, docs, false
	return nil
}

// watchResync takes SignalResync: the main coroutine records the case at
// its next wait (or at once, if it waits). Added without a version: no
// history before it holds the signal, and cases before
// versionLocalRecords only drain it.
func (c *caseRun) watchResync(ctx workflow.Context) {
	ch := workflow.GetSignalChannel(ctx, SignalResync)
	for {
		ch.Receive(ctx, nil)
		if c.version >= versionLocalRecords {
			c.resync = true
		}
	}
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
