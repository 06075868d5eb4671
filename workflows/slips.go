package workflows

import (
	"cmp"
	"strings"

	"go.temporal.io/sdk/workflow"

	"github.com/motcua/motcua"
)

// slip issues, from versionFeeSchedule on, the signed slip that goes with
// an action: the supplement request slip when the desk returns a file or
// the reviewer asks for more (every item the officer wrote, one a line),
// the refusal slip when the desk refuses a file or the agency refuses it
// after review (documents.RenderSupplementRequest, RenderRefusal). It runs
// in the background, like the signed result.
func (c *caseRun) slip(ctx workflow.Context, kind string, p *pendingAction, afterReview bool) {
	if c.version < versionFeeSchedule || c.state.Procedure.Shape != motcua.ShapeStandard {
		return // complaints have their own notices (Luật Khiếu nại, Luật Tố cáo)
	}
	items, seq, at := slipItems(p.req.Reason), c.state.Version, workflow.Now(ctx)
	by := cmp.Or(p.req.Actor.Name, p.req.Actor.Subject)
	c.background(ctx, func(ctx workflow.Context) {
		req := DocumentRequest{Kind: kind, Case: c.view(), By: by, Items: items, AfterReview: afterReview, Seq: seq, At: at}
		req.Case.Timeline = nil
		doc, err := issueDocument.run(ctx, req)
		if err != nil {
			c.logger.Error("slip", "kind", kind, "err", err)
			return
		}
		doc.Uploaded = workflow.Now(ctx)
		doc.By = motcua.SystemActor.Ref(motcua.RoleSystem)
		c.state.Documents = append(c.state.Documents, doc)
		note := "Đã ký số phiếu yêu cầu bổ sung, hoàn thiện hồ sơ."
		if kind == motcua.DocumentRefusal {
			note = "Đã ký số phiếu từ chối."
		}
		c.system(ctx, motcua.EventSlipIssued, "", note)
	})
}

// slipItems are the lines of an officer's reason, each an item of the slip.
func slipItems(reason string) []string {
	var out []string
	for _, line := range strings.Split(reason, "\n") {
		if line = strings.TrimSpace(strings.TrimLeft(strings.TrimSpace(line), "-•*")); line != "" {
			out = append(out, line)
		}
	}
	return out
}
