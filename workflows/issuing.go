package workflows

import (
	"cmp"
	"fmt"

	"go.temporal.io/sdk/temporal"
	"go.temporal.io/sdk/workflow"

	"github.com/motcua/motcua"
)

// Issuing a result whose definition calls back-ends at issue (registering
// an enterprise gives the certificate its number), from versionSlowBackends
// on: the officer's decision is recorded and answered first, and the
// back-ends are called after it, so a slow or failing registry never holds
// the officer (nor the next officer, who sees the case move on its own).

// hasChecks reports whether the definition calls a back-end at step at.
func (c *caseRun) hasChecks(at string) bool {
	for _, chk := range c.proc.Checks {
		if chk.At == at {
			return true
		}
	}
	return false
}

// issueThenCheck records the issue action p, answers it, then runs the
// issue checks. issued is false when the back-ends did not answer after
// their retries: the case is back at issue for the officer to try again.
// A refusal refunds every fee paid and rejects the case (errEnded).
func (c *caseRun) issueThenCheck(ctx workflow.Context, p *pendingAction, d IssueData) (issued bool, err error) {
	by := p.req.Actor.Ref(c.roleFor(p.req))
	c.act(ctx, p, "")
	// Nothing the officer does waits here: only ambient actions (withdraw,
	// attach) are open, and they queue until the back-ends have answered.
	if err := c.recordNow(ctx, stage{status: motcua.StatusAwaitingIssue, step: "issue"}); err != nil {
		return false, err
	}
	number, refused, err := c.runChecks(ctx, motcua.AtIssue)
	switch {
	case temporal.IsCanceledError(err):
		return false, err
	case err != nil:
		// runChecks put the silence on the timeline; issue opens again.
		return false, nil
	case refused != "":
		if err := c.refund(ctx, refused); err != nil {
			return false, err
		}
		c.system(ctx, motcua.EventCheckFailed, motcua.StatusRejected, "Không thể ban hành kết quả: "+refused)
		return false, errEnded
	}
	c.state.Result = &motcua.Result{Type: c.proc.Result.Type, Name: c.proc.Result.Name, Number: c.resultNumber(ctx, d.Number, number),
		IssuedAt: workflow.Now(ctx), IssuedBy: by, Note: p.req.Note}
	if err := c.resultDocument(ctx, cmp.Or(p.req.Actor.Name, p.req.Actor.Subject)); err != nil {
		return false, err
	}
	note := "Đã ban hành kết quả."
	if c.state.Result.Number != "" {
		note = fmt.Sprintf("Đã ban hành kết quả, số %s.", c.state.Result.Number)
	}
	c.system(ctx, motcua.EventResultIssued, motcua.StatusResultReady, note)
	c.notify(ctx, "Đã có kết quả giải quyết hồ sơ", fmt.Sprintf("Hồ sơ %s đã có kết quả: %s. %s", c.state.Code, c.proc.Result.Name, deliveryWord(c.state.Delivery.Method)))
	return true, nil
}
