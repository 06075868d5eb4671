package workflows

import (
	"slices"

	"go.temporal.io/sdk/workflow"

	"github.com/motcua/motcua"
)

// Documents the agency issues: signed receipts and results.

// issueDocument renders, stores and signs a receipt or result, and adds it
// to the case's documents.
func (c *caseRun) issueDocument(ctx workflow.Context, kind string, by string) error {
	req := DocumentRequest{Kind: kind, Case: c.view(), Result: c.state.Result, By: by,
		Received: c.received()}
	if kind == motcua.DocumentResult && c.version >= versionResultTemplates {
		req.Template, req.Approver = c.proc.Result.Template, c.approver()
	}
	req.Case.Timeline = nil
	doc, err := issueDocument.run(ctx, req)
	if err != nil {
		return err
	}
	doc.Uploaded = workflow.Now(ctx)
	doc.By = motcua.SystemActor.Ref(motcua.RoleSystem)
	if !slices.ContainsFunc(c.state.Documents, func(d motcua.Document) bool { return d.ID == doc.ID }) {
		c.state.Documents = append(c.state.Documents, doc)
	}
	return nil
}

// received names the documents a receipt acknowledges: the files the
// applicant attached, else (a file handed in on paper) those the procedure
// requires.
func (c *caseRun) received() []string {
	var out []string
	for _, d := range c.state.Documents {
		if d.Kind == motcua.DocumentApplication || d.Kind == motcua.DocumentSupplement {
			out = append(out, d.Name)
		}
	}
	if len(out) > 0 {
		return out
	}
	for _, d := range c.proc.Documents {
		if d.Required && d.Copies != "" {
			out = append(out, d.Name+" ("+d.Copies+")")
		} else if d.Required {
			out = append(out, d.Name)
		}
	}
	return out
}

// resultDocument signs the result the case now holds: before the action is
// recorded from versionBackends on, after it, in the background, from
// versionQuickAnswers on.
func (c *caseRun) resultDocument(ctx workflow.Context, by string) error {
	switch {
	case c.version >= versionQuickAnswers:
		c.background(ctx, func(ctx workflow.Context) {
			if err := c.issueDocument(ctx, motcua.DocumentResult, by); err != nil {
				c.logger.Error("result document", "err", err)
				return
			}
			c.system(ctx, motcua.EventResultSigned, "", "Đã ký số văn bản kết quả.")
		})
	case c.version >= versionBackends:
		return c.issueDocument(ctx, motcua.DocumentResult, by)
	}
	return nil
}

// approver is who approved the result (the last approval, or a complaint's
// conclusion), nil when no one did.
func (c *caseRun) approver() *motcua.ActorRef {
	for i := len(c.state.Timeline) - 1; i >= 0; i-- {
		if e := c.state.Timeline[i]; e.Action == motcua.ActionApprove || e.Action == motcua.ActionConclude {
			return &e.Actor
		}
	}
	return nil
}
