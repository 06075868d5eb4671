package workflows

import (
	"go.temporal.io/sdk/workflow"

	"github.com/motcua/motcua"
)

// StandardCase runs the one-stop shape most procedures share: reception,
// review (with requests for more information), co-review by other agencies,
// approval, fee, result, delivery. Steps the definition leaves out are
// skipped.
func StandardCase(ctx workflow.Context, in CaseInput) (motcua.Case, error) {
	c, err := newCaseRun(ctx, in)
	if err != nil {
		return motcua.Case{}, err
	}
	return c.run(ctx, func(ctx workflow.Context) error {
		if err := c.reception(ctx, c.proc.ProcessingDays); err != nil {
			return err
		}
		if err := c.feeAtFiling(ctx); err != nil {
			return err
		}
		c.transfer(ctx, motcua.StatusInReview)
		if err := c.review(ctx, motcua.StatusInReview, "review", motcua.ActionReview, ""); err != nil {
			return err
		}
		for _, step := range []func(workflow.Context) error{c.coReview, c.approval, c.paymentWait, c.issueReady, c.deliver} {
			if err := step(ctx); err != nil {
				return err
			}
		}
		return nil
	})
}
