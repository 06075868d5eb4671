package workflows

import (
	"cmp"
	"encoding/json"
	"fmt"

	"go.temporal.io/sdk/workflow"

	"github.com/motcua/motcua"
)

// Deadlines a complaint definition sets, in working days.
const (
	DeadlineAccept  = "accept"  // to accept the complaint for handling (thụ lý)
	DeadlineResolve = "resolve" // to resolve it once accepted
)

// ComplaintCase runs complaints and denunciations (giải quyết khiếu nại, tố
// cáo): the inspectorate accepts the complaint, its head assigns an
// investigator, who verifies (and may ask the complainant for more), and the
// head concludes with a decision that is then delivered. It reuses the
// standard shape's steps; only the assignment and conclusion are its own.
func ComplaintCase(ctx workflow.Context, in CaseInput) (motcua.Case, error) {
	c, err := newCaseRun(ctx, in)
	if err != nil {
		return motcua.Case{}, err
	}
	return c.run(ctx, func(ctx workflow.Context) error {
		// The acceptance deadline runs from submission; the resolution
		// deadline from acceptance.
		if err := c.startClock(ctx, c.state.SubmittedAt, c.proc.Deadlines[DeadlineAccept]); err != nil {
			return err
		}
		if err := c.reception(ctx, c.proc.Deadlines[DeadlineResolve]); err != nil {
			return err
		}
		investigator, err := c.assign(ctx)
		if err != nil {
			return err
		}
		if err := c.review(ctx, motcua.StatusInvestigating, "verification", motcua.ActionVerify, investigator); err != nil {
			return err
		}
		if c.law != nil {
			var v VerifyData
			_ = json.Unmarshal(c.lastData(motcua.ActionVerify), &v)
			if err := c.dialogue(ctx, v.Differs); err != nil {
				return err
			}
		}
		if err := c.concludeComplaint(ctx); err != nil {
			return err
		}
		return c.deliver(ctx)
	})
}

// assign waits for the head to name the investigator.
func (c *caseRun) assign(ctx workflow.Context) (string, error) {
	p, _, err := c.await(ctx, stage{status: motcua.StatusAwaitingAssignment, step: "assignment", actions: []motcua.Permission{
		c.perm(motcua.ActionAssign, motcua.StepAssign, motcua.RoleHead),
	}})
	if err != nil {
		return "", err
	}
	var d AssignData
	_ = json.Unmarshal(p.req.Data, &d)
	c.act(ctx, p, "")
	return d.Investigator, nil
}

// concludeComplaint records the head's decision as the case's result.
func (c *caseRun) concludeComplaint(ctx workflow.Context) error {
	p, _, err := c.await(ctx, stage{status: motcua.StatusAwaitingConclusion, step: "conclusion", actions: []motcua.Permission{
		c.perm(motcua.ActionConclude, motcua.StepConclude, motcua.RoleHead),
	}})
	if err != nil {
		return err
	}
	var d ConcludeData
	_ = json.Unmarshal(p.req.Data, &d)
	c.state.Result = &motcua.Result{Type: c.proc.Result.Type, Name: c.proc.Result.Name, Outcome: d.Decision,
		IssuedAt: workflow.Now(ctx), IssuedBy: p.req.Actor.Ref(c.roleFor(p.req)), Note: p.req.Note}
	if err := c.resultDocument(ctx, cmp.Or(p.req.Actor.Name, p.req.Actor.Subject)); err != nil {
		return err
	}
	c.concluded(p)
	c.act(ctx, p, motcua.StatusResultReady)
	c.resultReady(ctx)
	c.notify(ctx, "Đã có kết luận giải quyết", fmt.Sprintf("Đơn %s đã có kết luận. %s", c.state.Code, deliveryWord(c.state.Delivery.Method)))
	return nil
}
