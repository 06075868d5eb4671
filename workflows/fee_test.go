package workflows_test

import (
	"fmt"
	"slices"
	"strings"
	"testing"

	"github.com/motcua/motcua"
	"github.com/motcua/motcua/workflows"
)

// scheduled is the test procedure with the temporary residence schedule
// (TT 75/2022/TT-BTC, Biểu mức thu dòng 2: 15.000 đ at the counter, 7.000 đ
// online) and the enterprise publication fee as a separate charge (TT
// 47/2019/TT-BTC).
func scheduled(due string) motcua.Procedure {
	p := procedure()
	p.Fee = &motcua.Fee{Amount: 15000, Name: "Lệ phí", LegalBasis: "TT 75/2022, Biểu dòng 2 (trực tiếp)", Due: due,
		Rates:   []motcua.FeeRate{{Channel: motcua.ChannelOnline, Amount: 7000, Label: "nộp trực tuyến", Basis: "TT 75/2022, Biểu dòng 2 (trực tuyến)"}},
		Charges: []motcua.Charge{{Name: "Phí công bố", Amount: 100000, LegalBasis: "TT 47/2019"}}}
	return p
}

// The channel the case was filed through sets its fee: a counter filing
// pays the counter rate, an online filing the online rate; the cashier
// must take exactly that amount.
func TestFeeByFilingChannel(t *testing.T) {
	for _, tc := range []struct {
		channel string
		fee     int64
	}{
		{motcua.ChannelCounter, 115000},
		{motcua.ChannelOnline, 107000},
	} {
		t.Run(tc.channel, func(t *testing.T) {
			in := input(scheduled(""), motcua.DeliveryCounter)
			in.Channel = tc.channel
			h := newHarness(t)
			final := h.run(t, standardWF, in, []move{
				{action: motcua.ActionReceive, actor: receiver},
				{action: motcua.ActionReview, actor: reviewer},
				{action: motcua.ActionApprove, actor: approver},
				{action: motcua.ActionConfirmPayment, actor: cashier, data: `{"receipt_no":"BL-1","amount":7000}`, want: motcua.EINVALID},
				{action: motcua.ActionConfirmPayment, actor: cashier, data: fmt.Sprintf(`{"receipt_no":"BL-1","amount":%d}`, tc.fee)},
				{action: motcua.ActionIssue, actor: reviewer},
				{action: motcua.ActionDeliver, actor: receiver},
			})
			if final.Fee != tc.fee || len(final.FeeLines) != 2 || final.Payments[0].Amount != tc.fee {
				t.Fatalf("fee %d lines %+v payments %+v, want %d", final.Fee, final.FeeLines, final.Payments, tc.fee)
			}
			for _, l := range final.FeeLines {
				if l.Basis == "" {
					t.Errorf("fee line %+v has no basis", l)
				}
			}
		})
	}
}

// A fee due at filing (motcua.FeeDueFiling: an appraisal fee) is taken
// right after reception, before the review; the payment step after
// approval then has nothing to take.
func TestFeeDueAtFiling(t *testing.T) {
	in := input(scheduled(motcua.FeeDueFiling), motcua.DeliveryCounter)
	in.Channel = motcua.ChannelCounter
	h := newHarness(t)
	final := h.run(t, standardWF, in, []move{
		{action: motcua.ActionReceive, actor: receiver},
		{action: motcua.ActionReview, actor: reviewer, want: motcua.ECONFLICT}, // the fee first
		{action: motcua.ActionConfirmPayment, actor: cashier, data: `{"receipt_no":"BL-1","amount":115000}`},
		{action: motcua.ActionReview, actor: reviewer},
		{action: motcua.ActionApprove, actor: approver},
		{action: motcua.ActionIssue, actor: reviewer},
		{action: motcua.ActionDeliver, actor: receiver},
	})
	got := timeline(final)
	i := slices.Index(got, "confirm_payment>awaiting_payment")
	if i < 0 || !slices.Contains(got[:i], "receive>awaiting_payment") || slices.Contains(got[:i], "review>awaiting_approval") {
		t.Fatalf("the fee was not taken between reception and review: %v", got)
	}
	if len(final.Payments) != 1 || final.Status != motcua.StatusCompleted {
		t.Fatalf("status %s payments %+v", final.Status, final.Payments)
	}
}

// The pay notice says the file was approved only when it was (a procedure
// without an approval step, such as temporary residence, is not).
func TestPayNoticeWithoutApproval(t *testing.T) {
	p, in := level4()
	delete(p.Steps, motcua.StepApprove)
	in.Procedure = p
	in.Delivery = motcua.Delivery{Method: motcua.DeliveryOnline}
	h := newHarness(t)
	h.run(t, standardWF, in, []move{
		{action: motcua.ActionReceive, actor: receiver},
		{action: motcua.ActionReview, actor: reviewer},
		{action: motcua.ActionPaymentResult, actor: system, data: paid(in.Code + "-fee-1")},
		{action: motcua.ActionIssue, actor: reviewer},
	})
	found := false
	for _, n := range h.backend.notifications {
		if n.Subject == "Đề nghị nộp phí, lệ phí" {
			found = true
			if strings.Contains(n.Text, "phê duyệt") {
				t.Errorf("the pay notice of a procedure without approval says approved: %q", n.Text)
			}
		}
	}
	if !found {
		t.Fatal("no pay notice")
	}
}

// The case view does not contradict itself: no action is offered twice
// (payment_result is both the payment stage's and ambient while an order
// is open), and the result number is the registry's when the registry
// issues one, whatever the officer typed.
func TestCaseViewConsistent(t *testing.T) {
	_, in := level4()
	in.Delivery = motcua.Delivery{Method: motcua.DeliveryOnline}
	h := newHarness(t)
	final := h.run(t, standardWF, in, []move{
		{action: motcua.ActionReceive, actor: receiver},
		{action: motcua.ActionReview, actor: reviewer},
		{action: motcua.ActionApprove, actor: approver},
		{action: motcua.ActionPaymentResult, actor: system, data: fmt.Sprintf(`{"order_id":%q,"status":"failed"}`, in.Code+"-fee-1")},
		{action: motcua.ActionPay, actor: citizen},
		{action: motcua.ActionPaymentResult, actor: system, data: paid(in.Code + "-fee-2")},
		{action: motcua.ActionIssue, actor: reviewer, data: `{"number":"123/GCN"}`},
	})
	for _, r := range h.records {
		for i, a := range r.Case.Actions {
			if slices.Contains(r.Case.Actions[:i], a) {
				t.Fatalf("v%d offers %+v twice: %+v", r.Case.Version, a, r.Case.Actions)
			}
		}
	}
	if final.Result == nil || final.Result.Number != "4000000001" {
		t.Fatalf("result %+v, want the registry's number", final.Result)
	}
	if !slices.ContainsFunc(final.Timeline, func(e motcua.Event) bool { return strings.Contains(e.Note, "123/GCN") }) {
		t.Errorf("the officer's different number is not on the timeline: %v", timeline(final))
	}
}

// The desk's return and refusal, and the reviewer's request and refusal,
// each come with their signed slip: the supplement request lists every
// line the officer wrote (Nghị định 61/2018 Điều 17 khoản 1 điểm a); the
// refusal after review is not the desk's (Điều 17 khoản 1 điểm b, Điều 19
// khoản 8).
func TestSlipsIssued(t *testing.T) {
	in := input(procedure(), motcua.DeliveryCounter)
	h := newHarness(t)
	final := h.run(t, standardWF, in, []move{
		{action: motcua.ActionReturn, actor: receiver, reason: "Điều lệ công ty\n- Bản sao căn cước của người đại diện"},
		{action: motcua.ActionSupplement, actor: citizen},
		{action: motcua.ActionReceive, actor: receiver},
		{action: motcua.ActionReject, actor: reviewer, reason: "Ngành nghề bị cấm"},
	})
	var kinds []string
	for _, d := range final.Documents {
		kinds = append(kinds, d.Kind)
	}
	if !slices.Equal(kinds, []string{motcua.DocumentSupplementRequest, motcua.DocumentReceipt, motcua.DocumentRefusal}) {
		t.Fatalf("documents %v", kinds)
	}
	var slips []workflows.DocumentRequest
	for _, r := range h.backend.documents {
		if r.Kind == motcua.DocumentSupplementRequest || r.Kind == motcua.DocumentRefusal {
			slips = append(slips, r)
		}
	}
	if len(slips) != 2 || !slices.Equal(slips[0].Items, []string{"Điều lệ công ty", "Bản sao căn cước của người đại diện"}) || slips[0].AfterReview ||
		!slips[1].AfterReview || slips[0].Seq == slips[1].Seq {
		t.Fatalf("slips %+v", slips)
	}
}
