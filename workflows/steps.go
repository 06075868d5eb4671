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
	step := motcua.StepReceive
	// An online filing is answered within a working day
	// (versionOnlineReception); zero once answered or found late.
	answerBy, err := c.receptionDue(ctx)
	if err != nil {
		return err
	}
	for {
		p, timedOut, err := c.await(ctx, stage{status: motcua.StatusSubmitted, step: "reception", until: answerBy, actions: []motcua.Permission{
			c.perm(motcua.ActionReceive, step, motcua.RoleReceiver),
			c.perm(motcua.ActionReturn, step, motcua.RoleReceiver),
			c.perm(motcua.ActionReject, step, motcua.RoleReceiver),
		}})
		if err != nil {
			return err
		}
		if timedOut {
			c.receptionLate(ctx, answerBy)
			answerBy = time.Time{}
			continue
		}
		switch p.req.Action {
		case motcua.ActionReceive:
			if held, err := c.holdAtReception(ctx, p); err != nil {
				return err
			} else if held {
				continue
			}
			c.act(ctx, p, motcua.StatusReceived)
			now := workflow.Now(ctx)
			c.state.ReceivedAt = &now
			if err := c.startClock(ctx, now, days); err != nil {
				return err
			}
			if err := c.lawReceived(ctx, now); err != nil {
				return err
			}
			return c.afterReception(ctx, p.req.Actor)
		case motcua.ActionReturn:
			answerBy = time.Time{} // answered: the applicant corrects the file
			c.act(ctx, p, motcua.StatusAwaitingSupplement)
			c.slip(ctx, motcua.DocumentSupplementRequest, p, false)
			if err := c.supplement(ctx, motcua.StatusSubmitted); err != nil {
				return err
			}
		case motcua.ActionReject:
			c.act(ctx, p, motcua.StatusRejected)
			c.slip(ctx, motcua.DocumentRefusal, p, false)
			return errEnded
		}
	}
}

// afterReception runs, for a case just received, the reception checks,
// issues the receipt and tells the applicant.
func (c *caseRun) afterReception(ctx workflow.Context, by motcua.Actor) error {
	if c.version < versionBackends {
		return nil
	}
	receipt := func(ctx workflow.Context) error {
		if err := c.issueDocument(ctx, motcua.DocumentReceipt, cmp.Or(by.Name, by.Subject)); err != nil {
			return err
		}
		c.system(ctx, motcua.EventReceiptIssued, "", "Đã cấp giấy tiếp nhận hồ sơ và hẹn trả kết quả.")
		c.notify(ctx, "Hồ sơ đã được tiếp nhận", fmt.Sprintf("Hồ sơ %s (%s) đã được tiếp nhận. Hẹn trả kết quả: %s.",
			c.state.Code, c.proc.Name.Vi, localTime(*c.state.DueAt)))
		return nil
	}
	if c.version >= versionQuickAnswers {
		// The checks ran when the case was filed; the signed receipt
		// follows the answer, which the next stage gives at once.
		c.background(ctx, func(ctx workflow.Context) {
			if err := receipt(ctx); err != nil {
				c.logger.Error("receipt", "err", err)
			}
		})
		return nil
	}
	if err := c.flush(ctx); err != nil { // the desk's inbox moves on at once
		return err
	}
	if _, _, err := c.runChecks(ctx, motcua.AtReception); err != nil {
		return err
	}
	return receipt(ctx)
}

// supplement waits for the applicant to complete the file (bổ sung). The
// legal clock, if running, pauses until the supplement arrives; without one
// before the supplement deadline the case is cancelled.
func (c *caseRun) supplement(ctx workflow.Context, resume motcua.Status) error {
	if c.law != nil {
		return c.supplementV3(ctx, resume)
	}
	deadline, err := c.deadline(ctx, DeadlineRequest{Kind: DeadlineAfter, From: workflow.Now(ctx), Days: c.proc.SupplementDays})
	if err != nil {
		return err
	}
	if c.state.ReceivedAt != nil && !c.state.Paused { // the clock runs only after reception
		c.state.Pauses = append(c.state.Pauses, motcua.Pause{From: workflow.Now(ctx)})
		c.state.Paused = true
		c.dueChanged++
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
	if c.state.Paused {
		now := workflow.Now(ctx)
		c.state.Pauses[len(c.state.Pauses)-1].To = &now
		c.state.Paused = false
		return c.recomputeDue(ctx)
	}
	return nil
}

// transfer hands a received file to the specialist department.
func (c *caseRun) transfer(ctx workflow.Context, status motcua.Status) {
	c.system(ctx, motcua.EventTransferred, status, "Chuyển hồ sơ đến bộ phận chuyên môn.")
}

// review is the lead agency's appraisal (thẩm định), shown as stage: the
// definition's review step concludes, asks the applicant for more (any
// number of times), or rejects. only, when set, narrows it to one officer.
func (c *caseRun) review(ctx workflow.Context, status motcua.Status, stageName string, conclude motcua.Action, only string) error {
	s := motcua.StepReview
	for {
		concludePerm := c.perm(conclude, s, motcua.RoleReviewer)
		requestPerm := c.perm(motcua.ActionRequestInfo, s, motcua.RoleReviewer)
		concludePerm.Subject, requestPerm.Subject = only, only
		actions := []motcua.Permission{concludePerm, requestPerm}
		if conclude == motcua.ActionReview {
			actions = append(actions, c.perm(motcua.ActionReject, s, motcua.RoleReviewer))
		}
		actions, until := c.reviewActions(ctx, actions)
		p, timedOut, err := c.await(ctx, stage{status: status, step: stageName, actions: actions, until: until})
		if err != nil {
			return err
		}
		if timedOut {
			continue // the time to ask for a supplement is over (versionLawClock)
		}
		switch p.req.Action {
		case conclude:
			c.act(ctx, p, "")
			return nil
		case motcua.ActionRequestInfo:
			what := c.supplementRequested(p)
			c.act(ctx, p, motcua.StatusAwaitingSupplement)
			c.slip(ctx, motcua.DocumentSupplementRequest, p, true)
			c.notify(ctx, "Yêu cầu bổ sung hồ sơ", fmt.Sprintf("Hồ sơ %s cần bổ sung: %s", c.state.Code, what))
			if err := c.supplement(ctx, status); err != nil {
				return err
			}
		case motcua.ActionReject:
			c.act(ctx, p, motcua.StatusRejected)
			c.slip(ctx, motcua.DocumentRefusal, p, true)
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
	c.state.Opinions = make([]motcua.Opinion, len(c.proc.CoAgencies))
	for i, co := range c.proc.CoAgencies {
		d, err := c.deadline(ctx, DeadlineRequest{Kind: DeadlineAfter, From: start, Days: co.Days})
		if err != nil {
			return err
		}
		c.state.Opinions[i] = motcua.Opinion{Agency: co.Agency, DueAt: &d.At}
	}
	c.system(ctx, motcua.EventCoReviewStarted, motcua.StatusCoReview, "Gửi lấy ý kiến cơ quan phối hợp.")
	for {
		var open []motcua.Permission
		var next time.Time
		for i, co := range c.proc.CoAgencies {
			op := c.state.Opinions[i]
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
			for i := range c.state.Opinions {
				op := &c.state.Opinions[i]
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
		for i := range c.state.Opinions {
			op := &c.state.Opinions[i]
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
	s := motcua.StepApprove
	if c.proc.Steps[s] == nil {
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
		c.slip(ctx, motcua.DocumentRefusal, p, true)
		return errEnded
	}
	c.act(ctx, p, "")
	c.notify(ctx, "Hồ sơ đã được phê duyệt", fmt.Sprintf("Hồ sơ %s (%s) đã được phê duyệt.", c.state.Code, c.proc.Name.Vi))
	return nil
}

// issue produces the result (ban hành kết quả). At level 4 the back-ends
// the definition names for issue run first (registering an enterprise gives
// the result its number); if one refuses, the case cannot issue: every fee
// paid is refunded and the case is rejected with the back-end's reason.
func (c *caseRun) issue(ctx workflow.Context) error {
	s := motcua.StepIssue
	for {
		p, _, err := c.await(ctx, stage{status: motcua.StatusAwaitingIssue, step: "issue", actions: []motcua.Permission{
			c.perm(motcua.ActionIssue, s, motcua.RoleReviewer),
		}})
		if err != nil {
			return err
		}
		var d IssueData
		_ = json.Unmarshal(p.req.Data, &d)
		if c.version >= versionSlowBackends && c.hasChecks(motcua.AtIssue) {
			issued, err := c.issueThenCheck(ctx, p, d)
			if err != nil {
				return err
			}
			if !issued {
				continue
			}
			return nil
		}
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
		resultNo := c.resultNumber(ctx, d.Number, number)
		c.state.Result = &motcua.Result{Type: c.proc.Result.Type, Name: c.proc.Result.Name, Number: resultNo,
			IssuedAt: workflow.Now(ctx), IssuedBy: p.req.Actor.Ref(c.roleFor(p.req)), Note: p.req.Note}
		if err := c.resultDocument(ctx, cmp.Or(p.req.Actor.Name, p.req.Actor.Subject)); err != nil {
			return err
		}
		c.act(ctx, p, motcua.StatusResultReady)
		c.notify(ctx, "Đã có kết quả giải quyết hồ sơ", fmt.Sprintf("Hồ sơ %s đã có kết quả: %s. %s", c.state.Code, c.proc.Result.Name, deliveryWord(c.state.Delivery.Method)))
		return nil
	}
}

// reschedule records the apology and new appointment of an overdue case
// (phiếu xin lỗi và hẹn lại ngày trả kết quả). The case stays overdue.
func (c *caseRun) reschedule(ctx workflow.Context, p *pendingAction) error {
	if c.law != nil {
		return c.apologise(ctx, p)
	}
	var d RescheduleData
	_ = json.Unmarshal(p.req.Data, &d)
	day, _ := time.ParseInLocation(time.DateOnly, d.NewDate, calendar.Location)
	at := calendar.EndOfDay(day)
	c.state.RescheduledTo = &at
	c.act(ctx, p, "")
	c.notify(ctx, "Xin lỗi và hẹn lại ngày trả kết quả", fmt.Sprintf("%s Ngày hẹn trả kết quả mới của hồ sơ %s: %s.",
		p.req.Reason, c.state.Code, at.Format("02/01/2006")))
	return nil
}

// attach adds a document record to the case; the file is already stored.
func (c *caseRun) attach(ctx workflow.Context, p *pendingAction) {
	var d motcua.Document
	_ = json.Unmarshal(p.req.Data, &d)
	d.Uploaded = workflow.Now(ctx)
	d.By = p.req.Actor.Ref(c.roleFor(p.req))
	switch {
	case p.req.Actor.Kind != motcua.KindCitizen:
		d.Kind = motcua.DocumentWorking
	case c.state.Status == motcua.StatusAwaitingSupplement:
		d.Kind = motcua.DocumentSupplement
	default:
		d.Kind = motcua.DocumentApplication
	}
	if !slices.ContainsFunc(c.state.Documents, func(x motcua.Document) bool { return x.ID == d.ID }) {
		c.state.Documents = append(c.state.Documents, d)
	}
	p.req.Data, _ = json.Marshal(map[string]any{"document_id": d.ID, "name": d.Name, "sha256": d.SHA256})
	c.act(ctx, p, "")
}
