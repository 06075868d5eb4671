package workflows

import (
	"cmp"
	"encoding/json"
	"fmt"
	"slices"
	"strings"
	"time"

	"go.temporal.io/sdk/workflow"

	"github.com/motcua/motcua"
)

// The fee (phí, lệ phí): at the counter, or online through the payment
// gateway with reconciliation, and refunds when no result can follow.

// quoteFee sets the case's fee from the definition's schedule: the filing
// channel and the form choose the rate (motcua.Fee.Quote), from
// versionFeeSchedule on; before, the standard amount whatever the channel.
func (c *caseRun) quoteFee() {
	if c.version < versionFeeSchedule {
		return
	}
	c.state.FeeLines = c.proc.Fee.Quote(c.state.Channel, c.state.Form)
	c.state.Fee = motcua.FeeTotal(c.state.FeeLines)
}

// feeAtFiling takes the fee right after reception when the definition says
// it is due at filing (motcua.FeeDueFiling), from versionFeeSchedule on.
func (c *caseRun) feeAtFiling(ctx workflow.Context) error {
	if c.version < versionFeeSchedule || c.proc.Fee.DueAt() != motcua.FeeDueFiling {
		return nil
	}
	return c.payment(ctx)
}

// feePaid: the fee is settled (the later payment step then has nothing to do).
func (c *caseRun) feePaid() bool {
	return slices.ContainsFunc(c.state.Payments, func(p motcua.Payment) bool { return p.Status == motcua.PaymentPaid })
}

// payment waits for the fee (phí, lệ phí). A cashier confirms a payment at
// the counter with the receipt number; online payment arrives through the
// same action from the payment gateway's callback.
func (c *caseRun) payment(ctx workflow.Context) error {
	s := motcua.StepPayment
	if c.proc.Steps[s] == nil || c.state.Fee == 0 {
		return nil
	}
	if c.version >= versionFeeSchedule && c.feePaid() {
		return nil // paid at filing
	}
	if c.version >= versionBackends && c.proc.Level == 4 {
		return c.onlinePayment(ctx)
	}
	p, _, err := c.await(ctx, stage{status: motcua.StatusAwaitingPayment, step: "payment", actions: []motcua.Permission{
		c.perm(motcua.ActionConfirmPayment, s, motcua.RoleCashier),
	}})
	if err != nil {
		return err
	}
	c.counterPayment(ctx, p)
	return nil
}

// onlinePayment runs a level-4 fee: an order at the payment gateway, its
// pay link on the case, then whichever comes first of the gateway's
// callback, the case's own enquiry when the callback is late
// (reconciliation), or a cashier's confirmation at the counter. A failed
// payment lets the applicant ask for a new link.
func (c *caseRun) onlinePayment(ctx workflow.Context) error {
	s := motcua.StepPayment
	c.enter(ctx, stage{status: motcua.StatusAwaitingPayment, step: "payment"})
	if err := c.recordNow(ctx, stage{status: motcua.StatusAwaitingPayment, step: "payment", actions: []motcua.Permission{
		c.perm(motcua.ActionConfirmPayment, s, motcua.RoleCashier), {Action: motcua.ActionPaymentResult, Role: motcua.RoleSystem},
	}}); err != nil {
		return err
	}
	if err := c.orderPayment(ctx); err != nil {
		return err
	}
	reconcile := c.in.ReconcileAfter
	if reconcile <= 0 {
		reconcile = 15 * time.Minute
	}
	enquiries := 0
	for {
		last := &c.state.Payments[len(c.state.Payments)-1]
		actions := []motcua.Permission{
			c.perm(motcua.ActionConfirmPayment, s, motcua.RoleCashier),
			{Action: motcua.ActionPaymentResult, Role: motcua.RoleSystem},
		}
		var until time.Time
		switch last.Status {
		case motcua.PaymentPending:
			// Ask the gateway a few times, further apart each time; then
			// wait for the callback, the cashier or a new order.
			if enquiries < 6 {
				until = workflow.Now(ctx).Add(reconcile << enquiries)
			}
		default:
			actions = append(actions, motcua.Permission{Action: motcua.ActionPay, Role: motcua.RoleApplicant})
		}
		p, timedOut, err := c.await(ctx, stage{status: motcua.StatusAwaitingPayment, step: "payment", actions: actions, until: until})
		if err != nil {
			return err
		}
		if timedOut {
			enquiries++
			st, err := paymentStatus.run(ctx, PaymentOrder{OrderID: last.ID})
			if err != nil {
				c.logger.Warn("payment enquiry failed", "order", last.ID, "err", err)
				continue
			}
			if st.Status == motcua.PaymentPaid || st.Status == motcua.PaymentFailed {
				last.Status = st.Status
				c.system(ctx, motcua.EventPaymentReconciled, "", fmt.Sprintf("Cổng thanh toán xác nhận giao dịch %s: %s.", last.ID, paymentWord(st.Status)))
				if st.Status == motcua.PaymentPaid {
					last.At = workflow.Now(ctx)
					return nil
				}
			}
			continue
		}
		switch p.req.Action {
		case motcua.ActionPaymentResult:
			var d PaymentResultData
			_ = json.Unmarshal(p.req.Data, &d)
			i := slices.IndexFunc(c.state.Payments, func(x motcua.Payment) bool { return x.ID == d.OrderID })
			if i < 0 || c.state.Payments[i].Status == motcua.PaymentPaid {
				p.done = true // another order's late answer, or a repeat: nothing to record
				continue
			}
			if d.Status == motcua.PaymentPaid && d.Amount != 0 && d.Amount != c.state.Payments[i].Amount {
				// Not the fee: keep waiting, and leave the gap on the timeline.
				p.req.Note = fmt.Sprintf("Số tiền thanh toán %s không khớp mức phí %s; cần đối soát.", motcua.Money(d.Amount), motcua.Money(c.state.Payments[i].Amount))
				c.act(ctx, p, "")
				continue
			}
			c.state.Payments[i].Status = d.Status
			c.state.Payments[i].At = workflow.Now(ctx)
			c.act(ctx, p, "")
			if d.Status == motcua.PaymentPaid {
				return nil
			}
		case motcua.ActionConfirmPayment:
			c.counterPayment(ctx, p)
			// An order left pending is void once the fee is paid in cash:
			// cancelled, not failed, from versionFeeSchedule on.
			void := motcua.PaymentFailed
			if c.version >= versionFeeSchedule {
				void = motcua.PaymentCancelled
			}
			for i := range c.state.Payments {
				if c.state.Payments[i].Status == motcua.PaymentPending {
					c.state.Payments[i].Status = void
				}
			}
			return nil
		case motcua.ActionPay:
			c.act(ctx, p, "")
			if c.version >= versionSlowBackends { // the request answers before the gateway does
				if err := c.recordNow(ctx, stage{status: motcua.StatusAwaitingPayment, step: "payment", actions: []motcua.Permission{
					c.perm(motcua.ActionConfirmPayment, s, motcua.RoleCashier), {Action: motcua.ActionPaymentResult, Role: motcua.RoleSystem},
				}}); err != nil {
					return err
				}
			}
			if err := c.orderPayment(ctx); err != nil {
				return err
			}
			enquiries = 0
		}
	}
}

func paymentWord(status string) string {
	switch status {
	case motcua.PaymentPaid:
		return "đã thanh toán"
	case motcua.PaymentFailed:
		return "không thành công"
	}
	return status
}

// orderPayment creates an order at the gateway and tells the applicant
// where to pay. If the gateway is down the cashier can still take the fee.
func (c *caseRun) orderPayment(ctx workflow.Context) error {
	n := 1
	for _, p := range c.state.Payments {
		if p.Method == motcua.PaymentOnline {
			n++
		}
	}
	order := PaymentOrder{OrderID: PaymentOrderID(c.state.Code, n), Amount: c.state.Fee,
		Description: fmt.Sprintf("Phí, lệ phí hồ sơ %s", c.state.Code)}
	ordered, err := createPayment.run(ctx, order)
	if err != nil {
		c.system(ctx, motcua.EventCheckFailed, "", "Không tạo được giao dịch thanh toán trực tuyến; có thể nộp phí tại bộ phận một cửa.")
		c.state.Payments = append(c.state.Payments, motcua.Payment{ID: order.OrderID, Amount: c.state.Fee, Method: motcua.PaymentOnline,
			Status: motcua.PaymentFailed, At: workflow.Now(ctx)})
		return nil
	}
	c.state.Payments = append(c.state.Payments, motcua.Payment{ID: order.OrderID, Amount: c.state.Fee, Method: motcua.PaymentOnline,
		Reference: ordered.GatewayRef, Status: motcua.PaymentPending, PayURL: ordered.PayURL, At: workflow.Now(ctx)})
	c.system(ctx, motcua.EventPaymentOrdered, "", fmt.Sprintf("Chờ thanh toán trực tuyến %s.", motcua.Money(c.state.Fee)))
	c.notify(ctx, "Đề nghị nộp phí, lệ phí", c.payNotice(ordered.PayURL))
	return nil
}

// payNotice asks the applicant to pay. Before versionFeeSchedule it said
// the file was approved whatever the procedure; now it says so only when
// an approval step came before the fee, and names the fee's lines.
func (c *caseRun) payNotice(url string) string {
	if c.version < versionFeeSchedule {
		return fmt.Sprintf("Hồ sơ %s đã được phê duyệt. Vui lòng nộp %s tại: %s", c.state.Code, motcua.Money(c.state.Fee), url)
	}
	return payNoticeText(c.state.Code, c.state.Fee, c.state.FeeLines, c.approved(), url)
}

// approved: the case went through its approval step.
func (c *caseRun) approved() bool {
	return slices.ContainsFunc(c.state.Timeline, func(e motcua.Event) bool { return e.Action == motcua.ActionApprove })
}

func payNoticeText(code string, fee int64, lines []motcua.FeeLine, approved bool, url string) string {
	var what []string
	for _, l := range lines {
		if l.Amount > 0 {
			what = append(what, fmt.Sprintf("%s %s", l.Name, motcua.Money(l.Amount)))
		}
	}
	detail := ""
	if len(what) > 1 {
		detail = " (" + strings.Join(what, "; ") + ")"
	}
	head := fmt.Sprintf("Hồ sơ %s đã được tiếp nhận.", code)
	if approved {
		head = fmt.Sprintf("Hồ sơ %s đã được phê duyệt.", code)
	}
	return fmt.Sprintf("%s Vui lòng nộp phí, lệ phí %s%s tại: %s", head, motcua.Money(fee), detail, url)
}

// counterPayment records a fee a cashier took at the counter.
func (c *caseRun) counterPayment(ctx workflow.Context, p *pendingAction) {
	var d PaymentData
	_ = json.Unmarshal(p.req.Data, &d)
	c.state.Payments = append(c.state.Payments, motcua.Payment{
		ID: CounterPaymentID(c.state.Code), Amount: c.state.Fee, Method: motcua.PaymentCounter, Reference: d.ReceiptNo, Status: motcua.PaymentPaid, At: workflow.Now(ctx),
	})
	c.act(ctx, p, "")
}

// latePayment takes a gateway's result outside the payment step: an order
// paid after the fee was already settled (at the counter, or by another
// order) is a double payment and goes straight back to the payer.
func (c *caseRun) latePayment(ctx workflow.Context, p *pendingAction) error {
	var d PaymentResultData
	_ = json.Unmarshal(p.req.Data, &d)
	i := slices.IndexFunc(c.state.Payments, func(x motcua.Payment) bool { return x.ID == d.OrderID })
	if i < 0 || d.Status != motcua.PaymentPaid || c.state.Payments[i].Status == motcua.PaymentPaid || c.state.Payments[i].Status == motcua.PaymentRefunded {
		p.done = true // nothing to record: unknown, failed again, or known
		return nil
	}
	c.state.Payments[i].Status = motcua.PaymentPaid
	c.state.Payments[i].At = workflow.Now(ctx)
	p.req.Note = "Thanh toán trùng (phí đã được nộp): hoàn trả cho người nộp."
	c.act(ctx, p, "")
	return c.refundOrder(ctx, &c.state.Payments[i], "Thanh toán trùng")
}

// refund returns every fee paid (compensation when the result cannot be
// issued): online through the gateway; a fee paid in cash is flagged for
// the cashier.
func (c *caseRun) refund(ctx workflow.Context, reason string) error {
	for i := range c.state.Payments {
		p := &c.state.Payments[i]
		if p.Status != motcua.PaymentPaid {
			continue
		}
		if p.Method != motcua.PaymentOnline {
			c.system(ctx, motcua.EventRefunded, "", fmt.Sprintf("Hoàn trả %s đã nộp tại quầy (biên lai %s): thủ quỹ chi trả khi công dân đến nhận.", motcua.Money(p.Amount), p.Reference))
			continue
		}
		if err := c.refundOrder(ctx, p, reason); err != nil {
			return err
		}
	}
	return nil
}

// refundOrder gives a paid online order's money back through the gateway.
// Money must go back, so it retries until the gateway takes it.
func (c *caseRun) refundOrder(ctx workflow.Context, p *motcua.Payment, reason string) error {
	r, err := refundPayment.run(ctx, RefundRequest{OrderID: p.ID, Reason: reason, IdempotencyKey: p.ID + "-refund"})
	if err != nil {
		if rejection(err) == "" {
			return err
		}
		c.system(ctx, motcua.EventCheckFailed, "", "Cổng thanh toán từ chối hoàn tiền: "+rejection(err))
		return nil
	}
	p.Status = motcua.PaymentRefunded
	c.system(ctx, motcua.EventRefunded, "", fmt.Sprintf("Đã hoàn trả %s qua cổng thanh toán (mã %s).", motcua.Money(p.Amount), r.RefundRef))
	return nil
}

// resultNumber is the number the result carries. Before
// versionFeeSchedule the officer's typed number won over the one a
// back-end issued (the registry's enterprise number); from it on the
// back-end's number is the result's, and a different typed number is put
// on the timeline so the two never silently disagree.
func (c *caseRun) resultNumber(ctx workflow.Context, typed, issued string) string {
	if c.version < versionFeeSchedule || issued == "" {
		return cmp.Or(typed, issued)
	}
	if typed != "" && typed != issued {
		c.system(ctx, motcua.EventCheck, "", fmt.Sprintf("Số do cán bộ nhập (%s) khác số do hệ thống của cơ quan có thẩm quyền cấp (%s): kết quả mang số %s.", typed, issued, issued))
	}
	return issued
}
