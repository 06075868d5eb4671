package workflows_test

import (
	"testing"

	"github.com/motcua/motcua"
)

// From versionResultTemplates (4) on, the issuing activity is given the
// definition's result template and the approver, who signs the result; a
// case pinned at 3 keeps its plain letter (no template, no approver).
func TestResultTemplateReachesTheIssuingActivity(t *testing.T) {
	p := procedure()
	p.Result.Template = &motcua.ResultTemplate{Kind: motcua.ResultCertificate, Signer: motcua.ResultSigner{Title: "GIÁM ĐỐC"},
		Fields: []motcua.ResultField{{Label: "Người được cấp", Value: "{applicant.name}"}}}
	moves := []move{
		{action: motcua.ActionReceive, actor: receiver},
		{action: motcua.ActionReview, actor: reviewer},
		{action: motcua.ActionApprove, actor: approver},
		{action: motcua.ActionConfirmPayment, actor: cashier, data: `{"receipt_no":"BL-0001"}`},
		{action: motcua.ActionIssue, actor: reviewer, data: `{"number":"12/GCN"}`},
		{action: motcua.ActionDeliver, actor: receiver},
	}
	for _, tc := range []struct {
		version  int
		template bool
	}{{3, false}, {4, true}} {
		h := newHarness(t)
		h.pin(tc.version)
		h.run(t, standardWF, input(p, motcua.DeliveryCounter), moves)
		var found bool
		for _, r := range h.backend.documents {
			if r.Kind != motcua.DocumentResult {
				continue
			}
			found = true
			switch {
			case tc.template && (r.Template == nil || r.Template.Signer.Title != "GIÁM ĐỐC"):
				t.Errorf("v%d: the result request has template %+v", tc.version, r.Template)
			case tc.template && (r.Approver == nil || r.Approver.Subject != approver.Subject || r.Approver.Role != motcua.RoleApprover):
				t.Errorf("v%d: the result is signed by %+v, want the approver %s", tc.version, r.Approver, approver.Subject)
			case !tc.template && (r.Template != nil || r.Approver != nil):
				t.Errorf("v%d: a case before the templates got template %+v, approver %+v", tc.version, r.Template, r.Approver)
			}
		}
		if !found {
			t.Errorf("v%d: no result was issued (documents %d)", tc.version, len(h.backend.documents))
		}
	}
}
