package workflows

import (
	"cmp"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"go.temporal.io/sdk/temporal"
	"go.temporal.io/sdk/workflow"

	"github.com/motcua/motcua"
)

// versionLevel4 gates what cases started before it did not do: agency
// back-end checks, issued and signed receipts and results, online payment
// with reconciliation and refunds, delivery by post, notifications. A case
// takes the version it started with and keeps it.
const versionLevel4 = "level4"

// backend are the options of calls to agency back-ends: a rule violation
// (4xx) fails at once; timeouts and 5xx are retried, within bounds.
func backend(ctx workflow.Context) workflow.Context {
	return workflow.WithActivityOptions(ctx, workflow.ActivityOptions{
		StartToCloseTimeout: 30 * time.Second,
		RetryPolicy: &temporal.RetryPolicy{InitialInterval: time.Second, BackoffCoefficient: 2,
			MaximumInterval: 30 * time.Second, MaximumAttempts: 12},
	})
}

// internal are the options of our own activities (documents): they fail
// only while a dependency of ours is down, so they retry until it is back.
func internal(ctx workflow.Context) workflow.Context {
	return workflow.WithActivityOptions(ctx, workflow.ActivityOptions{
		StartToCloseTimeout: time.Minute,
		RetryPolicy:         &temporal.RetryPolicy{InitialInterval: time.Second, BackoffCoefficient: 2, MaximumInterval: 5 * time.Minute},
	})
}

// rejection returns the back-end's own words when it refused (a
// non-retryable application error), "" for any other failure.
func rejection(err error) string {
	var appErr *temporal.ApplicationError
	if errors.As(err, &appErr) && appErr.NonRetryable() {
		return appErr.Message()
	}
	return ""
}

// runChecks calls the back-ends the definition names for step at and puts
// each answer on the timeline. A refusal is recorded for the officer to act
// on; it does not stop the case. It returns the number a registration
// issued, if any.
func (c *caseRun) runChecks(ctx workflow.Context, at string) (number string, refused string, err error) {
	if !c.v1 {
		return "", "", nil
	}
	for _, chk := range c.proc.Checks {
		if chk.At != at {
			continue
		}
		req := CheckRequest{Kind: chk.Kind, CaseCode: c.c.Code, Applicant: c.c.Applicant, Form: c.c.Form, Field: chk.Field,
			IdempotencyKey: c.c.Code + "-" + chk.Kind}
		var res CheckResult
		err := workflow.ExecuteActivity(backend(ctx), ActivityCheck, req).Get(ctx, &res)
		data, _ := json.Marshal(map[string]any{"kind": chk.Kind, "ok": err == nil && res.OK, "result": res.Data})
		switch {
		case err == nil:
			c.append(ctx, motcua.Event{Action: motcua.EventCheck, Actor: motcua.SystemActor.Ref(motcua.RoleSystem), Note: res.Summary, Data: data})
			if res.Number != "" {
				number = res.Number
			}
		case rejection(err) != "":
			refused = rejection(err)
			c.append(ctx, motcua.Event{Action: motcua.EventCheckFailed, Actor: motcua.SystemActor.Ref(motcua.RoleSystem),
				Note: fmt.Sprintf("%s từ chối: %s", checkName(chk.Kind), refused), Data: data})
		case temporal.IsCanceledError(err):
			return "", "", err
		default:
			c.append(ctx, motcua.Event{Action: motcua.EventCheckFailed, Actor: motcua.SystemActor.Ref(motcua.RoleSystem),
				Note: fmt.Sprintf("%s không phản hồi sau nhiều lần thử; cán bộ kiểm tra thủ công.", checkName(chk.Kind)), Data: data})
			if chk.At == motcua.AtIssue {
				return "", "", fmt.Errorf("%s unavailable: %w", chk.Kind, err)
			}
		}
	}
	return number, refused, nil
}

func checkName(kind string) string {
	switch kind {
	case motcua.CheckBusinessName:
		return "Cơ sở dữ liệu quốc gia về đăng ký doanh nghiệp (kiểm tra tên)"
	case motcua.CheckBusinessRegister:
		return "Cơ sở dữ liệu quốc gia về đăng ký doanh nghiệp"
	case motcua.CheckPopulation:
		return "Cơ sở dữ liệu quốc gia về dân cư"
	case motcua.CheckCriminalRecord:
		return "Cơ sở dữ liệu lý lịch tư pháp"
	case motcua.CheckLandParcel:
		return "Cơ sở dữ liệu đất đai"
	}
	return kind
}

// issueDocument renders, stores and signs a receipt or result, and adds it
// to the case's documents.
func (c *caseRun) issueDocument(ctx workflow.Context, kind string, by string) error {
	req := DocumentRequest{Kind: kind, Case: c.view(), Result: c.c.Result, By: by,
		Received: c.received()}
	req.Case.Timeline = nil
	var doc motcua.Document
	if err := workflow.ExecuteActivity(internal(ctx), ActivityIssueDocument, req).Get(ctx, &doc); err != nil {
		return err
	}
	doc.Uploaded = workflow.Now(ctx)
	doc.By = motcua.SystemActor.Ref(motcua.RoleSystem)
	if !slices.ContainsFunc(c.c.Documents, func(d motcua.Document) bool { return d.ID == doc.ID }) {
		c.c.Documents = append(c.c.Documents, doc)
	}
	return nil
}

// received names the documents a receipt acknowledges: the files the
// applicant attached, else (a file handed in on paper) those the procedure
// requires.
func (c *caseRun) received() []string {
	var out []string
	for _, d := range c.c.Documents {
		if d.Kind == "application" || d.Kind == "supplement" {
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

// afterReception runs, for a case just received, the reception checks,
// issues the receipt and tells the applicant.
func (c *caseRun) afterReception(ctx workflow.Context, by motcua.Actor) error {
	if !c.v1 {
		return nil
	}
	if err := c.flush(ctx); err != nil { // the desk's inbox moves on at once
		return err
	}
	if _, _, err := c.runChecks(ctx, motcua.AtReception); err != nil {
		return err
	}
	if err := c.issueDocument(ctx, DocumentReceipt, cmp.Or(by.Name, by.Subject)); err != nil {
		return err
	}
	c.system(ctx, motcua.EventReceiptIssued, "", "Đã cấp giấy tiếp nhận hồ sơ và hẹn trả kết quả.")
	c.notify(ctx, "Hồ sơ đã được tiếp nhận", fmt.Sprintf("Hồ sơ %s (%s) đã được tiếp nhận. Hẹn trả kết quả: %s.",
		c.c.Code, c.proc.Name.Vi, localTime(*c.c.DueAt)))
	return nil
}

// onlinePayment runs a level-4 fee: an order at the payment gateway, its
// pay link on the case, then whichever comes first of the gateway's
// callback, the case's own enquiry when the callback is late
// (reconciliation), or a cashier's confirmation at the counter. A failed
// payment lets the applicant ask for a new link.
func (c *caseRun) onlinePayment(ctx workflow.Context) error {
	s := c.proc.Steps.Payment
	c.enter(ctx, stage{status: motcua.StatusAwaitingPayment, step: "payment"})
	if err := c.orderPayment(ctx); err != nil {
		return err
	}
	reconcile := c.in.ReconcileAfter
	if reconcile <= 0 {
		reconcile = 15 * time.Minute
	}
	enquiries := 0
	for {
		last := &c.c.Payments[len(c.c.Payments)-1]
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
			var st PaymentState
			err := workflow.ExecuteActivity(backend(ctx), ActivityPaymentStatus, PaymentOrder{OrderID: last.ID}).Get(ctx, &st)
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
			i := slices.IndexFunc(c.c.Payments, func(x motcua.Payment) bool { return x.ID == d.OrderID })
			if i < 0 || c.c.Payments[i].Status == motcua.PaymentPaid {
				p.done = true // another order's late answer, or a repeat: nothing to record
				continue
			}
			if d.Status == motcua.PaymentPaid && d.Amount != 0 && d.Amount != c.c.Payments[i].Amount {
				// Not the fee: keep waiting, and leave the gap on the timeline.
				p.req.Note = fmt.Sprintf("Số tiền thanh toán %s không khớp mức phí %s; cần đối soát.", money(d.Amount), money(c.c.Payments[i].Amount))
				c.act(ctx, p, "")
				continue
			}
			c.c.Payments[i].Status = d.Status
			c.c.Payments[i].At = workflow.Now(ctx)
			c.act(ctx, p, "")
			if d.Status == motcua.PaymentPaid {
				return nil
			}
		case motcua.ActionConfirmPayment:
			c.counterPayment(ctx, p)
			// An order left pending is void once the fee is paid in cash.
			for i := range c.c.Payments {
				if c.c.Payments[i].Status == motcua.PaymentPending {
					c.c.Payments[i].Status = motcua.PaymentFailed
				}
			}
			return nil
		case motcua.ActionPay:
			c.act(ctx, p, "")
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
	for _, p := range c.c.Payments {
		if p.Method == "online" {
			n++
		}
	}
	order := PaymentOrder{OrderID: fmt.Sprintf("%s-fee-%d", c.c.Code, n), Amount: c.c.Fee,
		Description: fmt.Sprintf("Phí, lệ phí hồ sơ %s", c.c.Code)}
	err := workflow.ExecuteActivity(backend(ctx), ActivityCreatePayment, order).Get(ctx, &order)
	if err != nil {
		c.system(ctx, motcua.EventCheckFailed, "", "Không tạo được giao dịch thanh toán trực tuyến; có thể nộp phí tại bộ phận một cửa.")
		c.c.Payments = append(c.c.Payments, motcua.Payment{ID: order.OrderID, Amount: c.c.Fee, Method: "online",
			Status: motcua.PaymentFailed, At: workflow.Now(ctx)})
		return nil
	}
	c.c.Payments = append(c.c.Payments, motcua.Payment{ID: order.OrderID, Amount: c.c.Fee, Method: "online",
		Reference: order.GatewayRef, Status: motcua.PaymentPending, PayURL: order.PayURL, At: workflow.Now(ctx)})
	c.system(ctx, motcua.EventPaymentOrdered, "", fmt.Sprintf("Chờ thanh toán trực tuyến %s.", money(c.c.Fee)))
	c.notify(ctx, "Đề nghị nộp phí, lệ phí", fmt.Sprintf("Hồ sơ %s đã được phê duyệt. Vui lòng nộp %s tại: %s",
		c.c.Code, money(c.c.Fee), order.PayURL))
	return nil
}

// counterPayment records a fee a cashier took at the counter.
func (c *caseRun) counterPayment(ctx workflow.Context, p *pendingAction) {
	var d PaymentData
	_ = json.Unmarshal(p.req.Data, &d)
	c.c.Payments = append(c.c.Payments, motcua.Payment{
		ID: c.c.Code + "-fee", Amount: c.c.Fee, Method: "counter", Reference: d.ReceiptNo, Status: motcua.PaymentPaid, At: workflow.Now(ctx),
	})
	c.act(ctx, p, "")
}

// latePayment takes a gateway's result outside the payment step: an order
// paid after the fee was already settled (at the counter, or by another
// order) is a double payment and goes straight back to the payer.
func (c *caseRun) latePayment(ctx workflow.Context, p *pendingAction) error {
	var d PaymentResultData
	_ = json.Unmarshal(p.req.Data, &d)
	i := slices.IndexFunc(c.c.Payments, func(x motcua.Payment) bool { return x.ID == d.OrderID })
	if i < 0 || d.Status != motcua.PaymentPaid || c.c.Payments[i].Status == motcua.PaymentPaid || c.c.Payments[i].Status == motcua.PaymentRefunded {
		p.done = true // nothing to record: unknown, failed again, or known
		return nil
	}
	c.c.Payments[i].Status = motcua.PaymentPaid
	c.c.Payments[i].At = workflow.Now(ctx)
	p.req.Note = "Thanh toán trùng (phí đã được nộp): hoàn trả cho người nộp."
	c.act(ctx, p, "")
	return c.refundOrder(ctx, &c.c.Payments[i], "Thanh toán trùng")
}

// refund returns every fee paid (compensation when the result cannot be
// issued): online through the gateway; a fee paid in cash is flagged for
// the cashier.
func (c *caseRun) refund(ctx workflow.Context, reason string) error {
	for i := range c.c.Payments {
		p := &c.c.Payments[i]
		if p.Status != motcua.PaymentPaid {
			continue
		}
		if p.Method != "online" {
			c.system(ctx, motcua.EventRefunded, "", fmt.Sprintf("Hoàn trả %s đã nộp tại quầy (biên lai %s): thủ quỹ chi trả khi công dân đến nhận.", money(p.Amount), p.Reference))
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
	actx := workflow.WithActivityOptions(ctx, workflow.ActivityOptions{
		StartToCloseTimeout: 30 * time.Second,
		RetryPolicy:         &temporal.RetryPolicy{InitialInterval: time.Second, BackoffCoefficient: 2, MaximumInterval: 10 * time.Minute},
	})
	var r RefundResult
	if err := workflow.ExecuteActivity(actx, ActivityRefund, RefundRequest{OrderID: p.ID, Reason: reason, IdempotencyKey: p.ID + "-refund"}).Get(ctx, &r); err != nil {
		if rejection(err) == "" {
			return err
		}
		c.system(ctx, motcua.EventCheckFailed, "", "Cổng thanh toán từ chối hoàn tiền: "+rejection(err))
		return nil
	}
	p.Status = motcua.PaymentRefunded
	c.system(ctx, motcua.EventRefunded, "", fmt.Sprintf("Đã hoàn trả %s qua cổng thanh toán (mã %s).", money(p.Amount), r.RefundRef))
	return nil
}

// post sends the result by public post and follows its tracking until it is
// delivered. A shipment that comes back waits for the desk.
func (c *caseRun) post(ctx workflow.Context) error {
	req := ShipmentRequest{IdempotencyKey: c.c.Code + "-post", Recipient: c.c.Applicant.Name, Phone: c.c.Applicant.Phone,
		Address: c.c.Delivery.Address, Contents: fmt.Sprintf("%s — hồ sơ %s", c.proc.Result.Name, c.c.Code)}
	var sh Shipment
	if err := workflow.ExecuteActivity(backend(ctx), ActivityCreateShipment, req).Get(ctx, &sh); err != nil {
		c.system(ctx, motcua.EventCheckFailed, "", "Không tạo được vận đơn bưu chính; bộ phận một cửa gửi thủ công.")
		return c.deliverAtDesk(ctx)
	}
	c.c.Delivery.Tracking = sh.Tracking
	c.system(ctx, motcua.EventPosted, "", "Đã gửi kết quả qua bưu chính công ích, số hiệu "+sh.Tracking+".")
	for {
		p, _, err := c.await(ctx, stage{status: motcua.StatusResultReady, step: "delivery", actions: []motcua.Permission{
			{Action: motcua.ActionPostalTracking, Role: motcua.RoleSystem},
			c.perm(motcua.ActionDeliver, c.proc.Steps.Deliver, motcua.RoleReceiver),
		}})
		if err != nil {
			return err
		}
		if p.req.Action == motcua.ActionDeliver {
			c.act(ctx, p, motcua.StatusCompleted)
			return nil
		}
		var d TrackingData
		_ = json.Unmarshal(p.req.Data, &d)
		if d.Tracking != c.c.Delivery.Tracking {
			p.done = true
			continue
		}
		p.req.Note = cmp.Or(d.Note, d.Status)
		if d.Status == "delivered" {
			c.act(ctx, p, motcua.StatusCompleted)
			return nil
		}
		c.act(ctx, p, "")
	}
}

// notify tells the applicant, by the channels they chose, without holding
// up the case: the message goes out in the background and a failure to send
// it is logged, not fatal.
func (c *caseRun) notify(ctx workflow.Context, subject, text string) {
	if !c.v1 || len(c.c.Notify) == 0 {
		return
	}
	n := Notification{IdempotencyKey: fmt.Sprintf("%s-%d", c.c.Code, len(c.c.Timeline)), CaseCode: c.c.Code,
		Channels: c.c.Notify, Phone: c.c.Applicant.Phone, Email: c.c.Applicant.Email, Subject: subject, Text: text}
	c.notifying++
	workflow.Go(ctx, func(ctx workflow.Context) {
		defer func() { c.notifying-- }()
		actx := workflow.WithActivityOptions(ctx, workflow.ActivityOptions{
			StartToCloseTimeout: 30 * time.Second,
			RetryPolicy:         &temporal.RetryPolicy{InitialInterval: 2 * time.Second, BackoffCoefficient: 2, MaximumAttempts: 8},
		})
		if err := workflow.ExecuteActivity(actx, ActivityNotify, n).Get(ctx, nil); err != nil {
			c.logger.Warn("notification not sent", "subject", subject, "err", err)
		}
	})
}

// money writes VND as citizens read it: 50.000 đồng.
func money(v int64) string {
	s := fmt.Sprint(v)
	var b strings.Builder
	for i, r := range s {
		if i > 0 && (len(s)-i)%3 == 0 {
			b.WriteByte('.')
		}
		b.WriteRune(r)
	}
	return b.String() + " đồng"
}
