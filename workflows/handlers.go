package workflows

import (
	"slices"

	"go.temporal.io/sdk/temporal"
	"go.temporal.io/sdk/workflow"

	"github.com/motcua/motcua"
)

// How actions reach a case: the Update handlers and their validation, and
// the recording of what an actor did.

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
	if err := c.checkAttach(req); err != nil {
		return err
	}
	if err := c.refusalHolds(req); err != nil {
		return err
	}
	if err := c.checkLaw(req); err != nil {
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
		return c.notNow(req.Action)
	}
	if !slices.ContainsFunc(candidates, func(p motcua.Permission) bool { return c.permits(p, req.Actor) }) {
		return notYours(req.Action)
	}
	return nil
}

// permits reports whether actor a may take an action open as p.
func (c *caseRun) permits(p motcua.Permission, a motcua.Actor) bool {
	switch p.Role {
	case motcua.RoleApplicant:
		// The secret on the receipt lets its holder look the case up and
		// complete the file; ending or paying for it needs the owner.
		spec, _ := Spec(p.Action)
		// From versionOneTimeCodes on, ending or paying also opens to a
		// secret holder who gave the one-time code sent to the applicant.
		return a.Kind == motcua.KindCitizen && (a.Subject == c.state.Owner ||
			a.WithSecret && (spec.BySecret || a.OneTimeCode && c.version >= versionOneTimeCodes))
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
