package workflows_test

import (
	"cmp"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/motcua/motcua"
	"github.com/motcua/motcua/workflows"
)

func level4() (motcua.Procedure, workflows.CaseInput) {
	p := procedure()
	p.Level, p.Online = 4, motcua.OnlineFull
	p.Checks = []motcua.Check{
		{Kind: motcua.CheckBusinessName, At: motcua.AtReception, Field: "ten"},
		{Kind: motcua.CheckBusinessRegister, At: motcua.AtIssue, Field: "ten"},
	}
	in := input(p, motcua.DeliveryPost)
	in.Delivery.Address = "12 Phan Chu Trinh, Tam Kỳ"
	in.Applicant.Phone, in.Applicant.Email = "0905123456", "an@example.vn"
	in.Notify = []string{motcua.NotifySMS, motcua.NotifyEmail}
	in.ReconcileAfter = 10 * time.Minute
	return p, in
}

var system = motcua.SystemActor

func paid(order string) string {
	return fmt.Sprintf(`{"order_id":%q,"gateway_ref":"GW","status":"paid","amount":50000}`, order)
}

// Level 4: checks at reception, a signed receipt, payment online by the
// gateway's callback, a registration number from the registry at issue, the
// result posted and tracked until delivered, the applicant told throughout.
func TestLevel4PaidOnlineDeliveredByPost(t *testing.T) {
	_, in := level4()
	h := newHarness(t)
	order := in.Code + "-fee-1"
	final := h.run(t, standardWF, in, []move{
		{action: motcua.ActionReceive, actor: receiver},
		{action: motcua.ActionReview, actor: reviewer},
		{action: motcua.ActionApprove, actor: approver},
		{action: motcua.ActionPaymentResult, actor: citizen, data: paid(order), want: motcua.EFORBIDDEN},
		{action: motcua.ActionPaymentResult, actor: system, data: `{"order_id":"x"}`, want: motcua.EINVALID},
		{action: motcua.ActionPaymentResult, actor: system, data: paid(order)},
		{action: motcua.ActionIssue, actor: reviewer},
		{action: motcua.ActionPostalTracking, actor: system, data: `{"tracking_number":"EB123456789VN","status":"in_transit","note":"Đang vận chuyển"}`},
		{action: motcua.ActionPostalTracking, actor: system, data: `{"tracking_number":"EB123456789VN","status":"delivered","note":"Đã phát thành công"}`},
	})
	assertTimeline(t, final, "submit>submitted", "check>submitted", "receive>received", "transferred>in_review", "receipt_issued>in_review", "review>awaiting_approval", "approve>awaiting_payment", "payment_ordered>awaiting_payment", "payment_result>awaiting_issue", "issue>awaiting_issue", "check>awaiting_issue", "result_issued>result_ready", "result_signed>result_ready", "posted>result_ready", "postal_tracking>result_ready", "postal_tracking>completed")
	if final.Result == nil || final.Result.Number != "4000000001" || final.Delivery.Tracking != "EB123456789VN" {
		t.Fatalf("result %+v delivery %+v", final.Result, final.Delivery)
	}
	if len(final.Payments) != 1 || final.Payments[0].Status != motcua.PaymentPaid || final.Payments[0].PayURL == "" {
		t.Fatalf("payments %+v", final.Payments)
	}
	var kinds []string
	for _, d := range final.Documents {
		kinds = append(kinds, d.Kind)
	}
	if !slices.Equal(kinds, []string{"receipt", "result"}) || final.Documents[0].Signature == "" {
		t.Fatalf("documents %+v", final.Documents)
	}
	// Notifications go out in the background, in any order; their keys
	// carry the timeline position that raised them. The invitation to
	// rate the case and give feedback (quality.go) comes once it ends.
	invites := slices.DeleteFunc(slices.Clone(h.backend.notifications), func(n workflows.Notification) bool { return !isInvitation(n) })
	h.backend.notifications = slices.DeleteFunc(h.backend.notifications, isInvitation)
	if len(invites) != 1 {
		t.Fatalf("invitations %+v", invites)
	}
	slices.SortFunc(h.backend.notifications, func(a, b workflows.Notification) int {
		return cmp.Compare(keySeq(a.IdempotencyKey), keySeq(b.IdempotencyKey))
	})
	var subjects []string
	for _, n := range h.backend.notifications {
		subjects = append(subjects, n.Subject)
		if !slices.Equal(n.Channels, in.Notify) || n.Phone != "0905123456" {
			t.Fatalf("notification %+v", n)
		}
	}
	want := []string{"Hồ sơ đã được tiếp nhận", "Hồ sơ đã được phê duyệt", "Đề nghị nộp phí, lệ phí", "Đã có kết quả giải quyết hồ sơ"}
	if !slices.Equal(subjects, want) {
		t.Fatalf("notifications %v, want %v", subjects, want)
	}
	if !strings.Contains(h.backend.notifications[2].Text, "50.000 đồng") || !strings.Contains(h.backend.notifications[2].Text, "http://gateway/pay/") {
		t.Fatalf("payment notification %q", h.backend.notifications[2].Text)
	}
}

// A callback that never comes: the case asks the gateway itself.
func TestLevel4LostCallbackReconciled(t *testing.T) {
	_, in := level4()
	in.Delivery = motcua.Delivery{Method: motcua.DeliveryOnline}
	h := newHarness(t)
	h.backend.paymentStatus = motcua.PaymentPaid
	final := h.run(t, standardWF, in, []move{
		{action: motcua.ActionReceive, actor: receiver},
		{action: motcua.ActionReview, actor: reviewer},
		{action: motcua.ActionApprove, actor: approver},
		{after: 11 * time.Minute, action: motcua.ActionIssue, actor: reviewer},
	})
	if final.Status != motcua.StatusCompleted || final.Payments[0].Status != motcua.PaymentPaid {
		t.Fatalf("final %s payments %+v", final.Status, final.Payments)
	}
	if !slices.Contains(timeline(final), "payment_reconciled>awaiting_issue") || !slices.Contains(h.backend.calls, "status:"+in.Code+"-fee-1") {
		t.Fatalf("timeline %v calls %v", timeline(final), h.backend.calls)
	}
}

// A failed payment lets the applicant ask for a new link; a repeated
// callback for a paid order is recorded once.
func TestLevel4FailedThenNewOrder(t *testing.T) {
	_, in := level4()
	in.Delivery = motcua.Delivery{Method: motcua.DeliveryOnline}
	h := newHarness(t)
	first, second := in.Code+"-fee-1", in.Code+"-fee-2"
	final := h.run(t, standardWF, in, []move{
		{action: motcua.ActionReceive, actor: receiver},
		{action: motcua.ActionReview, actor: reviewer},
		{action: motcua.ActionApprove, actor: approver},
		{action: motcua.ActionPay, actor: citizen, want: motcua.ECONFLICT}, // the first order is still pending
		{action: motcua.ActionPaymentResult, actor: system, data: fmt.Sprintf(`{"order_id":%q,"status":"failed"}`, first)},
		{action: motcua.ActionPay, actor: citizen},
		{action: motcua.ActionPaymentResult, actor: system, data: paid(second)},
		{action: motcua.ActionPaymentResult, actor: system, data: paid(second)}, // a repeat: taken, changes nothing
		{action: motcua.ActionIssue, actor: reviewer},
	})
	var statuses []string
	for _, p := range final.Payments {
		statuses = append(statuses, p.ID+"="+p.Status)
	}
	if !slices.Equal(statuses, []string{first + "=failed", second + "=paid"}) {
		t.Fatalf("payments %v", statuses)
	}
	n := 0
	for _, e := range final.Timeline {
		if e.Action == motcua.ActionPaymentResult {
			n++
		}
	}
	if n != 2 { // the failure and the payment; not the repeat
		t.Fatalf("%d payment results on the timeline: %v", n, timeline(final))
	}
}

// The fee was paid at the counter, then the forgotten online order is paid
// too: the second payment is refunded at once.
func TestLevel4DoublePaymentRefunded(t *testing.T) {
	_, in := level4()
	in.Delivery = motcua.Delivery{Method: motcua.DeliveryCounter}
	h := newHarness(t)
	order := in.Code + "-fee-1"
	final := h.run(t, standardWF, in, []move{
		{action: motcua.ActionReceive, actor: receiver},
		{action: motcua.ActionReview, actor: reviewer},
		{action: motcua.ActionApprove, actor: approver},
		{action: motcua.ActionConfirmPayment, actor: cashier, data: `{"receipt_no":"BL-9"}`},
		{action: motcua.ActionPaymentResult, actor: system, data: paid(order)},
		{action: motcua.ActionIssue, actor: reviewer},
		{action: motcua.ActionPaymentResult, actor: system, data: paid(order), want: motcua.ECONFLICT}, // repeat: nothing left to pay (the API acknowledges it)
		{action: motcua.ActionDeliver, actor: receiver},
	})
	var statuses []string
	for _, p := range final.Payments {
		statuses = append(statuses, p.Method+"="+p.Status)
	}
	if final.Status != motcua.StatusCompleted || !slices.Equal(statuses, []string{"online=refunded", "counter=paid"}) ||
		!slices.Contains(h.backend.calls, "refund:"+order) {
		t.Fatalf("final %s payments %v calls %v", final.Status, statuses, h.backend.calls)
	}
	if n := strings.Count(strings.Join(timeline(final), " "), "refunded>"); n != 1 {
		t.Fatalf("%d refunds: %v", n, timeline(final))
	}
}

// The registry refuses at issue: the fee paid online is refunded and the
// case rejected with the registry's reason (compensation).
func TestLevel4RefundWhenIssueRefused(t *testing.T) {
	_, in := level4()
	h := newHarness(t)
	h.backend.refuse[motcua.CheckBusinessRegister] = "Tên doanh nghiệp đã được đăng ký"
	final := h.run(t, standardWF, in, []move{
		{action: motcua.ActionReceive, actor: receiver},
		{action: motcua.ActionReview, actor: reviewer},
		{action: motcua.ActionApprove, actor: approver},
		{action: motcua.ActionPaymentResult, actor: system, data: paid(in.Code + "-fee-1")},
		{action: motcua.ActionIssue, actor: reviewer},
	})
	if final.Status != motcua.StatusRejected || final.Result != nil || final.Payments[0].Status != motcua.PaymentRefunded {
		t.Fatalf("final %s result %+v payments %+v", final.Status, final.Result, final.Payments)
	}
	tl := timeline(final)
	if !slices.Equal(tl[len(tl)-4:], []string{"issue>awaiting_issue", "check_failed>awaiting_issue", "refunded>awaiting_issue", "check_failed>rejected"}) {
		t.Fatalf("timeline %v", tl)
	}
	h.backend.notifications = slices.DeleteFunc(h.backend.notifications, isInvitation)
	if last := h.backend.notifications[len(h.backend.notifications)-1]; !strings.Contains(last.Text, "Tên doanh nghiệp đã được đăng ký") {
		t.Fatalf("rejection notice %q", last.Text)
	}
}

// A back-end refusal at reception is on the timeline for the officer and,
// from versionRefusalStops, holds the case at the desk: receive is refused
// unless the receiver gives a reason (issue 16, finding 9).
func TestLevel4CheckRefusalIsVisible(t *testing.T) {
	_, in := level4()
	h := newHarness(t)
	h.backend.refuse[motcua.CheckBusinessName] = "Tên doanh nghiệp có từ ngữ bị cấm"
	final := h.run(t, standardWF, in, []move{
		{action: motcua.ActionReceive, actor: receiver, want: motcua.EINVALID},
		{action: motcua.ActionReceive, actor: receiver, reason: "Người nộp đã được chấp thuận dùng tên"},
		{action: motcua.ActionReject, actor: reviewer, reason: "Tên vi phạm Điều 38 Luật Doanh nghiệp"},
	})
	var failed *motcua.Event
	for i, e := range final.Timeline {
		if e.Action == motcua.EventCheckFailed {
			failed = &final.Timeline[i]
		}
	}
	if failed == nil || !strings.Contains(failed.Note, "Tên doanh nghiệp có từ ngữ bị cấm") || final.Status != motcua.StatusRejected {
		t.Fatalf("timeline %+v", final.Timeline)
	}
}

// A cashier may still take a level-4 fee in cash; the pending order is void.
func TestLevel4CounterPayment(t *testing.T) {
	_, in := level4()
	in.Delivery = motcua.Delivery{Method: motcua.DeliveryCounter}
	h := newHarness(t)
	final := h.run(t, standardWF, in, []move{
		{action: motcua.ActionReceive, actor: receiver},
		{action: motcua.ActionReview, actor: reviewer},
		{action: motcua.ActionApprove, actor: approver},
		{action: motcua.ActionConfirmPayment, actor: cashier, data: `{"receipt_no":"BL-7","amount":50001}`, want: motcua.EINVALID},
		{action: motcua.ActionConfirmPayment, actor: cashier, data: `{"receipt_no":"BL-7","amount":50000}`},
		{action: motcua.ActionIssue, actor: reviewer},
		{action: motcua.ActionDeliver, actor: receiver},
	})
	var statuses []string
	for _, p := range final.Payments {
		statuses = append(statuses, p.Method+"="+p.Status)
	}
	// The order the counter payment superseded is cancelled, not failed.
	if final.Status != motcua.StatusCompleted || !slices.Equal(statuses, []string{"online=cancelled", "counter=paid"}) {
		t.Fatalf("final %s payments %v", final.Status, statuses)
	}
}

// keySeq is the timeline position in a notification's idempotency key.
// isInvitation: the message inviting the applicant of an ended case to
// rate it and give feedback.
func isInvitation(n workflows.Notification) bool {
	return strings.HasSuffix(n.IdempotencyKey, "-quality")
}

func keySeq(key string) int {
	n, _ := strconv.Atoi(key[strings.LastIndex(key, "-")+1:])
	return n
}
