package workflows

import (
	"go.temporal.io/sdk/workflow"

	"github.com/motcua/motcua"
)

// DenunciationCase runs denunciations (giải quyết tố cáo) under the Law on
// Denunciations 2018 (docs/law/complaints-denunciations.md, part B): the
// inspectorate logs and accepts the denunciation within deadlines.accept
// working days (Điều 24 khoản 1: 07, up to 10 when verified at several
// places), its head assigns an investigator who verifies, the time limit
// may be extended by decision (Điều 30), and the head concludes: đúng, đúng
// một phần or sai sự thật (Điều 35). The denouncer's identity never enters
// the workflow: the API seals it before the case starts (api/denouncer.go),
// so no workflow input, history, view or record holds it (Điều 8 khoản 3,
// Điều 31 khoản 4, Điều 47 khoản 2).
//
// A denunciation whose denouncer is unknown (in.Anonymous) is not handled
// under the Law (Điều 25 khoản 1): no acceptance, no time limit; the head
// refers it for inspection when it is specific and evidenced (khoản 2), or
// files it.
func DenunciationCase(ctx workflow.Context, in CaseInput) (motcua.Case, error) {
	c, err := newCaseRun(ctx, in)
	if err != nil {
		return motcua.Case{}, err
	}
	return c.run(ctx, func(ctx workflow.Context) error {
		if in.Anonymous {
			return c.anonymousDenunciation(ctx)
		}
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
		if err := c.concludeComplaint(ctx); err != nil {
			return err
		}
		return c.deliver(ctx)
	})
}

// anonymousDenunciation: information with a denunciation's content but no
// known denouncer (Luật Tố cáo 2018 Điều 25).
func (c *caseRun) anonymousDenunciation(ctx workflow.Context) error {
	c.system(ctx, motcua.EventTransferred, "", "Thông tin có nội dung tố cáo nhưng không rõ người tố cáo: không xử lý theo Luật Tố cáo "+
		"(Luật Tố cáo 2018 Điều 25 khoản 1). Nếu nội dung rõ ràng, có tài liệu, chứng cứ cụ thể thì chuyển thanh tra, kiểm tra (khoản 2).")
	p, _, err := c.await(ctx, stage{status: motcua.StatusSubmitted, step: "anonymous", actions: []motcua.Permission{
		c.perm(motcua.ActionRefer, motcua.StepConclude, motcua.RoleHead),
		c.perm(motcua.ActionReject, motcua.StepConclude, motcua.RoleHead),
	}})
	if err != nil {
		return err
	}
	if p.req.Action == motcua.ActionRefer {
		c.act(ctx, p, motcua.StatusCompleted)
	} else {
		c.act(ctx, p, motcua.StatusRejected)
	}
	return errEnded
}
