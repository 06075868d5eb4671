package workflows_test

import (
	"slices"
	"testing"
	"time"

	"github.com/motcua/motcua"
)

// The officer's issue answers before the registry is called: the answer
// shows the case still at issue, without a result; the registry's number
// follows on its own.
func TestIssueAnswersBeforeTheRegistry(t *testing.T) {
	_, in := level4()
	in.Delivery.Method = motcua.DeliveryOnline
	h := newHarness(t)
	final := h.run(t, standardWF, in, []move{
		{action: motcua.ActionReceive, actor: receiver},
		{action: motcua.ActionReview, actor: reviewer},
		{action: motcua.ActionApprove, actor: approver},
		{action: motcua.ActionPaymentResult, actor: system, data: paid(in.Code + "-fee-1")},
		{action: motcua.ActionIssue, actor: reviewer},
	})
	issued := h.outcomes[4].view
	if issued.Status != motcua.StatusAwaitingIssue || issued.Result != nil {
		t.Fatalf("issue answered with %s %+v: it waited for the registry", issued.Status, issued.Result)
	}
	assertTimeline(t, final, "submit>submitted", "check>submitted", "receive>received", "transferred>in_review", "receipt_issued>in_review",
		"review>awaiting_approval", "approve>awaiting_payment", "payment_ordered>awaiting_payment", "payment_result>awaiting_issue",
		"issue>awaiting_issue", "check>awaiting_issue", "result_issued>result_ready", "result_signed>result_ready", "delivered>completed")
	if final.Result == nil || final.Result.Number != "4000000001" || final.Result.IssuedBy.Subject != reviewer.Subject {
		t.Fatalf("result %+v", final.Result)
	}
}

// A registry that does not answer after its retries leaves the case at
// issue, the silence on its timeline; the officer issues again later.
func TestIssueAgainWhenTheRegistryIsDown(t *testing.T) {
	_, in := level4()
	in.Delivery.Method = motcua.DeliveryOnline
	h := newHarness(t)
	h.backend.down[motcua.CheckBusinessRegister] = 12 // every attempt of the first issue
	final := h.run(t, standardWF, in, []move{
		{action: motcua.ActionReceive, actor: receiver},
		{action: motcua.ActionReview, actor: reviewer},
		{action: motcua.ActionApprove, actor: approver},
		{action: motcua.ActionPaymentResult, actor: system, data: paid(in.Code + "-fee-1")},
		{action: motcua.ActionIssue, actor: reviewer},
		{after: 2 * time.Hour, action: motcua.ActionIssue, actor: reviewer},
	})
	tl := timeline(final)
	i := slices.Index(tl, "issue>awaiting_issue")
	if i < 0 || !slices.Equal(tl[i:i+5], []string{"issue>awaiting_issue", "check_failed>awaiting_issue", "issue>awaiting_issue",
		"check>awaiting_issue", "result_issued>result_ready"}) || final.Status != motcua.StatusCompleted {
		t.Fatalf("timeline %v", tl)
	}
}
