package workflows

import (
	"cmp"
	"encoding/json"
	"fmt"
	"slices"
	"time"

	"go.temporal.io/sdk/temporal"
	"go.temporal.io/sdk/workflow"

	"github.com/motcua/motcua"
	"github.com/motcua/motcua/calendar"
)

// The step functions every shape is built from. Each opens a stage, waits
// for the actions it handles and returns when the case may move on, or
// errEnded when the case reached a final status.

// reception is the one-stop desk's completeness check (tiếp nhận): receive,
// return with guidance (the applicant supplements, then the desk checks
// again) or reject. On receive the legal clock starts.
func (c *caseRun) reception(ctx workflow.Context, days int) error {
	step := c.proc.Steps.Receive
	for {
		p, _, err := c.await(ctx, stage{status: motcua.StatusSubmitted, step: "reception", actions: []motcua.Permission{
			c.perm(motcua.ActionReceive, step, motcua.RoleReceiver),
			c.perm(motcua.ActionReturn, step, motcua.RoleReceiver),
			c.perm(motcua.ActionReject, step, motcua.RoleReceiver),
		}})
		if err != nil {
			return err
		}
		switch p.req.Action {
		case motcua.ActionReceive:
			c.act(ctx, p, motcua.StatusReceived)
			now := workflow.Now(ctx)
			c.c.ReceivedAt = &now
			if err := c.startClock(ctx, now, days); err != nil {
				return err
			}
			return c.afterReception(ctx, p.req.Actor)
		case motcua.ActionReturn:
			c.act(ctx, p, motcua.StatusAwaitingSupplement)
			if err := c.supplement(ctx, motcua.StatusSubmitted); err != nil {
				return err
			}
		case motcua.ActionReject:
			c.act(ctx, p, motcua.StatusRejected)
			return errEnded
		}
	}
}

// supplement waits for the applicant to complete the file (bổ sung). The
// legal clock, if running, pauses until the supplement arrives; without one
// before the supplement deadline the case is cancelled.
func (c *caseRun) supplement(ctx workflow.Context, resume motcua.Status) error {
	deadline, err := c.deadline(ctx, DeadlineRequest{Kind: DeadlineAfter, From: workflow.Now(ctx), Days: c.proc.SupplementDays})
	if err != nil {
		return err
	}
	if c.c.ReceivedAt != nil && !c.c.Paused { // the clock runs only after reception
		c.c.Pauses = append(c.c.Pauses, motcua.Pause{From: workflow.Now(ctx)})
		c.c.Paused = true
		c.clock++
	}
	p, timedOut, err := c.await(ctx, stage{status: motcua.StatusAwaitingSupplement, step: "supplement", until: deadline.At,
		actions: []motcua.Permission{{Action: motcua.ActionSupplement, Role: motcua.RoleApplicant}}})
	if err != nil {
		return err
	}
	if timedOut {
		c.system(ctx, motcua.EventSupplementExpiry, motcua.StatusCancelled,
			fmt.Sprintf("Quá hạn bổ sung hồ sơ (%d ngày làm việc).", c.proc.SupplementDays))
		return errEnded
	}
	c.act(ctx, p, resume)
	if c.c.Paused {
		now := workflow.Now(ctx)
		c.c.Pauses[len(c.c.Pauses)-1].To = &now
		c.c.Paused = false
		return c.recomputeDue(ctx)
	}
	return nil
}

// transfer hands a received file to the specialist department.
func (c *caseRun) transfer(ctx workflow.Context, status motcua.Status) {
	c.system(ctx, motcua.EventTransferred, status, "Chuyển hồ sơ đến bộ phận chuyên môn.")
}

// review is the lead agency's appraisal (thẩm định): conclude, ask the
// applicant for more (any number of times), or reject.
func (c *caseRun) review(ctx workflow.Context, status motcua.Status, step string, conclude motcua.Action, s *motcua.Step, only string) error {
	for {
		concludePerm := c.perm(conclude, s, motcua.RoleReviewer)
		requestPerm := c.perm(motcua.ActionRequestInfo, s, motcua.RoleReviewer)
		concludePerm.Subject, requestPerm.Subject = only, only
		actions := []motcua.Permission{concludePerm, requestPerm}
		if conclude == motcua.ActionReview {
			actions = append(actions, c.perm(motcua.ActionReject, s, motcua.RoleReviewer))
		}
		p, _, err := c.await(ctx, stage{status: status, step: step, actions: actions})
		if err != nil {
			return err
		}
		switch p.req.Action {
		case conclude:
			c.act(ctx, p, "")
			return nil
		case motcua.ActionRequestInfo:
			c.act(ctx, p, motcua.StatusAwaitingSupplement)
			c.notify(ctx, "Yêu cầu bổ sung hồ sơ", fmt.Sprintf("Hồ sơ %s cần bổ sung: %s", c.c.Code, p.req.Reason))
			if err := c.supplement(ctx, status); err != nil {
				return err
			}
		case motcua.ActionReject:
			c.act(ctx, p, motcua.StatusRejected)
			return errEnded
		}
	}
}

// coReview asks every co-processing agency for its opinion in parallel
// (liên thông), each within its own share of working days. A late agency is
// flagged and escalated on the timeline; the case goes on when all answered.
func (c *caseRun) coReview(ctx workflow.Context) error {
	if len(c.proc.CoAgencies) == 0 {
		return nil
	}
	start := workflow.Now(ctx)
	c.c.Opinions = make([]motcua.Opinion, len(c.proc.CoAgencies))
	for i, co := range c.proc.CoAgencies {
		d, err := c.deadline(ctx, DeadlineRequest{Kind: DeadlineAfter, From: start, Days: co.Days})
		if err != nil {
			return err
		}
		c.c.Opinions[i] = motcua.Opinion{Agency: co.Agency, DueAt: &d.At}
	}
	c.system(ctx, motcua.EventCoReviewStarted, motcua.StatusCoReview, "Gửi lấy ý kiến cơ quan phối hợp.")
	for {
		var open []motcua.Permission
		var next time.Time
		for i, co := range c.proc.CoAgencies {
			op := c.c.Opinions[i]
			if op.Answered != nil {
				continue
			}
			role := co.Role
			if role == "" {
				role = motcua.RoleReviewer
			}
			open = append(open, motcua.Permission{Action: motcua.ActionCoReview, Role: role, Agency: co.Agency})
			if !op.Overdue && (next.IsZero() || op.DueAt.Before(next)) {
				next = *op.DueAt
			}
		}
		if len(open) == 0 {
			return nil
		}
		p, timedOut, err := c.await(ctx, stage{status: motcua.StatusCoReview, step: "co_review", actions: open, until: next})
		if err != nil {
			return err
		}
		if timedOut {
			for i := range c.c.Opinions {
				op := &c.c.Opinions[i]
				if op.Answered == nil && !op.Overdue && !op.DueAt.After(workflow.Now(ctx)) {
					op.Overdue = true
					c.system(ctx, motcua.EventCoReviewOverdue, motcua.StatusCoReview,
						fmt.Sprintf("Cơ quan %s chưa có ý kiến đúng hạn; đã báo lãnh đạo hai cơ quan.", op.Agency))
				}
			}
			continue
		}
		var d CoReviewData
		_ = json.Unmarshal(p.req.Data, &d)
		for i := range c.c.Opinions {
			op := &c.c.Opinions[i]
			if op.Agency == p.req.Actor.Agency && op.Answered == nil {
				now := workflow.Now(ctx)
				op.Answered, op.Agree, op.Note = &now, d.Agree, cmp.Or(p.req.Reason, p.req.Note)
			}
		}
		c.act(ctx, p, "")
	}
}

// approval is the leader's sign-off (phê duyệt): approve or reject.
func (c *caseRun) approval(ctx workflow.Context) error {
	s := c.proc.Steps.Approve
	if s == nil {
		return nil
	}
	p, _, err := c.await(ctx, stage{status: motcua.StatusAwaitingApproval, step: "approval", actions: []motcua.Permission{
		c.perm(motcua.ActionApprove, s, motcua.RoleApprover),
		c.perm(motcua.ActionReject, s, motcua.RoleApprover),
	}})
	if err != nil {
		return err
	}
	if p.req.Action == motcua.ActionReject {
		c.act(ctx, p, motcua.StatusRejected)
		return errEnded
	}
	c.act(ctx, p, "")
	c.notify(ctx, "Hồ sơ đã được phê duyệt", fmt.Sprintf("Hồ sơ %s (%s) đã được phê duyệt.", c.c.Code, c.proc.Name.Vi))
	return nil
}

// payment waits for the fee (phí, lệ phí). A cashier confirms a payment at
// the counter with the receipt number; online payment arrives through the
// same action from the payment gateway's callback.
func (c *caseRun) payment(ctx workflow.Context) error {
	s := c.proc.Steps.Payment
	if s == nil || c.c.Fee == 0 {
		return nil
	}
	if c.v1 && c.proc.Level == 4 {
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

// issue produces the result (ban hành kết quả). At level 4 the back-ends
// the definition names for issue run first (registering an enterprise gives
// the result its number); if one refuses, the case cannot issue: every fee
// paid is refunded and the case is rejected with the back-end's reason.
func (c *caseRun) issue(ctx workflow.Context) error {
	s := c.proc.Steps.Issue
	for {
		p, _, err := c.await(ctx, stage{status: motcua.StatusAwaitingIssue, step: "issue", actions: []motcua.Permission{
			c.perm(motcua.ActionIssue, s, motcua.RoleReviewer),
		}})
		if err != nil {
			return err
		}
		var d IssueData
		_ = json.Unmarshal(p.req.Data, &d)
		number, refused, err := c.runChecks(ctx, motcua.AtIssue)
		if err != nil && !temporal.IsCanceledError(err) {
			p.err, p.done = temporal.NewApplicationError("Hệ thống của cơ quan liên quan chưa phản hồi; vui lòng ban hành lại sau.", motcua.EUNAVAILABLE), true
			continue
		} else if err != nil {
			return err
		}
		if refused != "" {
			c.act(ctx, p, "")
			if err := c.refund(ctx, refused); err != nil {
				return err
			}
			c.system(ctx, motcua.EventCheckFailed, motcua.StatusRejected, "Không thể ban hành kết quả: "+refused)
			return errEnded
		}
		c.c.Result = &motcua.Result{Type: c.proc.Result.Type, Name: c.proc.Result.Name, Number: cmp.Or(d.Number, number),
			IssuedAt: workflow.Now(ctx), IssuedBy: p.req.Actor.Ref(c.roleFor(p.req)), Note: p.req.Note}
		if c.v1 {
			if err := c.issueDocument(ctx, DocumentResult, cmp.Or(p.req.Actor.Name, p.req.Actor.Subject)); err != nil {
				return err
			}
		}
		c.act(ctx, p, motcua.StatusResultReady)
		c.notify(ctx, "Đã có kết quả giải quyết hồ sơ", fmt.Sprintf("Hồ sơ %s đã có kết quả: %s. %s", c.c.Code, c.proc.Result.Name, deliveryWord(c.c.Delivery.Method)))
		return nil
	}
}

func deliveryWord(method string) string {
	switch method {
	case motcua.DeliveryOnline:
		return "Ông/bà tải kết quả trên Cổng dịch vụ công."
	case motcua.DeliveryPost:
		return "Kết quả được gửi qua bưu chính."
	}
	return "Mời ông/bà nhận kết quả tại bộ phận một cửa."
}

// deliver hands the result over (trả kết quả). An online result is
// delivered the moment it is issued: the applicant downloads it.
func (c *caseRun) deliver(ctx workflow.Context) error {
	if c.c.Delivery.Method == motcua.DeliveryOnline {
		c.system(ctx, motcua.EventDelivered, motcua.StatusCompleted, "Kết quả được trả trực tuyến.")
		return nil
	}
	if c.v1 && c.c.Delivery.Method == motcua.DeliveryPost {
		return c.post(ctx)
	}
	return c.deliverAtDesk(ctx)
}

// deliverAtDesk waits for the desk to hand the result over.
func (c *caseRun) deliverAtDesk(ctx workflow.Context) error {
	p, _, err := c.await(ctx, stage{status: motcua.StatusResultReady, step: "delivery", actions: []motcua.Permission{
		c.perm(motcua.ActionDeliver, c.proc.Steps.Deliver, motcua.RoleReceiver),
	}})
	if err != nil {
		return err
	}
	c.act(ctx, p, motcua.StatusCompleted)
	return nil
}

// reschedule records the apology and new appointment of an overdue case
// (phiếu xin lỗi và hẹn lại ngày trả kết quả). The case stays overdue.
func (c *caseRun) reschedule(ctx workflow.Context, p *pendingAction) {
	var d RescheduleData
	_ = json.Unmarshal(p.req.Data, &d)
	day, _ := time.ParseInLocation(time.DateOnly, d.NewDate, calendar.Location)
	at := day.Add(17 * time.Hour)
	c.c.RescheduledTo = &at
	c.act(ctx, p, "")
	c.notify(ctx, "Xin lỗi và hẹn lại ngày trả kết quả", fmt.Sprintf("%s Ngày hẹn trả kết quả mới của hồ sơ %s: %s.",
		p.req.Reason, c.c.Code, at.Format("02/01/2006")))
}

// attach adds a document record to the case; the file is already stored.
func (c *caseRun) attach(ctx workflow.Context, p *pendingAction) {
	var d motcua.Document
	_ = json.Unmarshal(p.req.Data, &d)
	d.Uploaded = workflow.Now(ctx)
	d.By = p.req.Actor.Ref(c.roleFor(p.req))
	switch {
	case p.req.Actor.Kind != motcua.KindCitizen:
		d.Kind = "working"
	case c.c.Status == motcua.StatusAwaitingSupplement:
		d.Kind = "supplement"
	default:
		d.Kind = "application"
	}
	if !slices.ContainsFunc(c.c.Documents, func(x motcua.Document) bool { return x.ID == d.ID }) {
		c.c.Documents = append(c.c.Documents, d)
	}
	p.req.Data, _ = json.Marshal(map[string]any{"document_id": d.ID, "name": d.Name, "sha256": d.SHA256})
	c.act(ctx, p, "")
}

// deadline runs the calendar local activity.
func (c *caseRun) deadline(ctx workflow.Context, req DeadlineRequest) (Deadline, error) {
	lctx := workflow.WithLocalActivityOptions(ctx, workflow.LocalActivityOptions{
		StartToCloseTimeout: 10 * time.Second,
		RetryPolicy:         &temporal.RetryPolicy{MaximumAttempts: 5},
	})
	var d Deadline
	if err := workflow.ExecuteLocalActivity(lctx, ActivityDeadline, req).Get(ctx, &d); err != nil {
		return Deadline{}, err
	}
	if !d.Covered {
		c.logger.Warn("deadline beyond the calendar's years; weekdays assumed", "at", d.At)
	}
	return d, nil
}

// startClock starts the legal clock: days working days from the day after
// from, pauses excluded.
func (c *caseRun) startClock(ctx workflow.Context, from time.Time, days int) error {
	c.clockFrom, c.clockDays = from, days
	c.c.Pauses = []motcua.Pause{}
	return c.recomputeDue(ctx)
}

// recomputeDue derives the due date from the clock's start and the pauses.
func (c *caseRun) recomputeDue(ctx workflow.Context) error {
	d, err := c.deadline(ctx, DeadlineRequest{Kind: DeadlineDue, From: c.clockFrom, Days: c.clockDays, Pauses: c.c.Pauses})
	if err != nil {
		return err
	}
	c.c.DueAt, c.warnAt = &d.At, d.Warn
	c.clock++
	return nil
}

// watchClock raises the due-soon warning and the overdue escalation at
// their times, moving with every change of the due date or pause.
func (c *caseRun) watchClock(ctx workflow.Context) {
	for !c.finished {
		version := c.clock
		changed := func() bool { return c.clock != version || c.finished }
		var at time.Time
		var event motcua.Action
		if c.c.DueAt != nil && !c.c.Paused && !c.c.Overdue {
			at, event = *c.c.DueAt, motcua.EventOverdue
			if !c.warnAt.IsZero() && !c.warnedFor.Equal(*c.c.DueAt) && workflow.Now(ctx).Before(c.warnAt) {
				at, event = c.warnAt, motcua.EventDueSoon
			}
		}
		if at.IsZero() {
			if workflow.Await(ctx, changed) != nil {
				return
			}
			continue
		}
		fired, err := workflow.AwaitWithTimeout(ctx, at.Sub(workflow.Now(ctx)), changed)
		if err != nil {
			return
		}
		if !fired && !c.finished {
			if event == motcua.EventDueSoon {
				c.warnedFor = *c.c.DueAt
			} else {
				c.c.Overdue = true // set now so the watcher does not fire twice
			}
			c.clockDue = append(c.clockDue, event)
			c.clock++
		}
	}
}

// applyClock records the clock events the watcher raised.
func (c *caseRun) applyClock(ctx workflow.Context) {
	for _, e := range c.clockDue {
		switch e {
		case motcua.EventDueSoon:
			c.system(ctx, e, c.c.Status, fmt.Sprintf("Hồ sơ sắp đến hạn trả kết quả (%s).", localTime(*c.c.DueAt)))
		case motcua.EventOverdue:
			c.system(ctx, e, c.c.Status, fmt.Sprintf("Hồ sơ đã quá hạn trả kết quả (%s); đã báo lãnh đạo cơ quan để xin lỗi và hẹn lại.", localTime(*c.c.DueAt)))
		}
	}
	c.clockDue = nil
}

func localTime(t time.Time) string { return t.In(calendar.Location).Format("15:04 02/01/2006") }
