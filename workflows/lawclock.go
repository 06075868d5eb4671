package workflows

import (
	"cmp"
	"encoding/json"
	"fmt"
	"slices"
	"strings"
	"time"

	"go.temporal.io/sdk/temporal"
	"go.temporal.io/sdk/workflow"

	"github.com/motcua/motcua"
	"github.com/motcua/motcua/calendar"
)

// The legal clock's rules from versionLawClock on (issue 12): which waits on
// the applicant stop the clock, how many supplement requests the law allows
// and by when, cancellation of abandoned files only where a text allows it,
// and the apology and new appointment of a late case, given before the due
// date by the agency at fault, a limited number of times.
//
// Sources (docs/law/decree-118-2025.md, which quotes them): Decree
// 118/2025/NĐ-CP, in force 1 July 2025 (Điều 40 khoản 1), replaced Decree
// 61/2018/NĐ-CP and kept its rules on these points word for word: one
// supplement request (Điều 11 khoản 2 điểm c), within 3 working days of
// reception, the time limit counted again from zero (Điều 19 khoản 5), the
// apology and new appointment at the latest one day before the due date,
// once (Điều 19 khoản 6; Điều 12 khoản 5). New in it: a file not completed
// 15 days after the supplement request is closed (Điều 19 khoản 5), from
// versionDecree118 on. From the same version an apology later than one
// working day before the due date is accepted but marked tardy
// (versionTardyApology), and an online filing is answered by the desk
// within 08 working hours, counted as one working day, or marked late
// (Điều 17 khoản 2 điểm c; versionOnlineReception). Decree 309/2026/NĐ-CP
// (5 August 2026) amends none of these clauses.

// standardClock is the standard shape's legal clock.
var standardClock = motcua.ClockLaw{
	Waits: map[string]motcua.ClockRule{
		motcua.WaitSupplement: {Mode: motcua.ClockRestart,
			Basis: "NĐ 118/2025/NĐ-CP Điều 19 khoản 5: thời hạn giải quyết được tính lại từ đầu sau khi nhận đủ hồ sơ (như NĐ 61/2018 Điều 19 khoản 4)"},
		motcua.WaitPayment: {Mode: motcua.ClockPause,
			Basis: "Thời gian thực hiện nghĩa vụ tài chính không tính vào thời hạn giải quyết (danh mục thủ tục công bố); với phí, lệ phí: chưa xác minh"},
		motcua.WaitCollection: {Mode: motcua.ClockPause,
			Basis: "NĐ 118/2025/NĐ-CP Điều 22 khoản 3: trả kết quả theo thời gian, địa điểm, cách thức ghi trên Giấy tiếp nhận hồ sơ và hẹn trả kết quả; kết quả có trước hạn là đúng hạn (quy tắc tường minh: không có văn bản)"},
	},
	SupplementRequests: 1, // NĐ 118/2025 Điều 11 khoản 2 điểm c: "chỉ được yêu cầu sửa đổi, bổ sung một lần"
	SupplementWithin:   3, // NĐ 118/2025 Điều 19 khoản 5: "không quá 03 ngày làm việc kể từ ngày tiếp nhận hồ sơ"
	Reschedules:        1, // NĐ 118/2025 Điều 19 khoản 6: "hẹn lại ngày trả kết quả được thực hiện không quá một lần"
}

// complaintClock is the complaint and denunciation shapes' legal clock: the
// one-stop decree's supplement, apology and new-appointment rules do not
// apply (Decree 118/2025 Điều 1 governs administrative procedures); the
// time limits are extended by the Laws' own rules instead (extend).
var complaintClock = motcua.ClockLaw{
	Waits: map[string]motcua.ClockRule{
		// Luật Khiếu nại, Luật Tố cáo: không có quy định; giữ cách tính trước phiên bản 3 (chưa xác minh).
		motcua.WaitSupplement: {Mode: motcua.ClockPause, Basis: "chưa xác minh"},
		motcua.WaitCollection: {Mode: motcua.ClockPause, Basis: "Kết luận ban hành trong thời hạn là đúng hạn"},
	},
	Dialogue: motcua.DialogueWhenDiffers, // Luật Khiếu nại 2011 Điều 30 khoản 1 (lần đầu)
}

// shapeClock is the legal clock of the shape named shape (the registry's
// Shape.Clock; read here without the registry, which refers to the
// workflows).
func shapeClock(shape string) motcua.ClockLaw {
	switch shape {
	case motcua.ShapeComplaint, motcua.ShapeDenunciation:
		return complaintClock
	case motcua.ShapeFeedback:
		return feedbackClock
	}
	return standardClock
}

// lawRun is the legal clock's rules a case runs under (nil before
// versionLawClock); what it records is in c.state.Law.
type lawRun struct {
	rules motcua.ClockLaw
}

// initLaw resolves the shape's rules and the definition's overrides.
func (c *caseRun) initLaw() {
	if c.version < versionLawClock {
		return
	}
	c.law = &lawRun{rules: shapeClock(c.proc.Shape).Merge(c.proc.Clock)}
	c.state.Law = &motcua.CaseLaw{}
	c.initSecondInstance()
}

// stopClock stops the legal clock while the case waits on the applicant for
// wait, if the rules say the wait does not count.
func (c *caseRun) stopClock(ctx workflow.Context, wait string) {
	if c.law == nil || c.state.ReceivedAt == nil || c.state.Paused || c.state.DueAt == nil ||
		c.law.rules.Mode(wait) == motcua.ClockRun {
		return
	}
	c.state.Pauses = append(c.state.Pauses, motcua.Pause{From: workflow.Now(ctx), Wait: wait})
	c.state.Paused = true
	c.state.Law.Waiting = wait
	c.dueChanged++
}

// resumeClock runs the clock again once wait is over: on from where it
// stood, or from zero when the rules restart it.
func (c *caseRun) resumeClock(ctx workflow.Context, wait string) error {
	if c.law == nil || !c.state.Paused || c.state.Law.Waiting != wait {
		return nil
	}
	now := workflow.Now(ctx)
	c.state.Pauses[len(c.state.Pauses)-1].To = &now
	c.state.Paused = false
	c.state.Law.Waiting = ""
	if c.law.rules.Mode(wait) == motcua.ClockRestart && len(c.state.Law.Apologies) == 0 {
		c.clockFrom = now
	}
	return c.recomputeDue(ctx)
}

// countedPauses are the pauses the due date skips: those since the clock
// last (re)started.
func (c *caseRun) countedPauses() []motcua.Pause {
	if c.law == nil {
		return c.state.Pauses
	}
	return slices.DeleteFunc(slices.Clone(c.state.Pauses), func(p motcua.Pause) bool { return p.From.Before(c.clockFrom) })
}

// lawReceived notes, for a case just received, until when the agency may
// ask for a supplement.
func (c *caseRun) lawReceived(ctx workflow.Context, now time.Time) error {
	if c.law == nil || c.law.rules.SupplementWithin <= 0 {
		return nil
	}
	d, err := c.deadline(ctx, DeadlineRequest{Kind: DeadlineAfter, From: now, Days: c.law.rules.SupplementWithin})
	if err != nil {
		return err
	}
	c.state.Law.SupplementBy = &d.At
	return nil
}

// maySupplement reports whether the agency may still ask for a supplement
// after reception: fewer requests than the rules allow (0: no limit) and,
// where the rules set one, within the time after reception.
func (c *caseRun) maySupplement(now time.Time) bool {
	if c.law == nil {
		return true
	}
	if n := c.law.rules.SupplementRequests; n > 0 && c.state.Law.SupplementRequests >= n {
		return false
	}
	return c.state.Law.SupplementBy == nil || !now.After(*c.state.Law.SupplementBy)
}

// reviewActions drops the supplement request once the law no longer allows
// one, and says when the review stage must reopen without it.
func (c *caseRun) reviewActions(ctx workflow.Context, actions []motcua.Permission) ([]motcua.Permission, time.Time) {
	if c.law == nil {
		return actions, time.Time{}
	}
	now := workflow.Now(ctx)
	if !c.maySupplement(now) {
		return slices.DeleteFunc(actions, func(p motcua.Permission) bool { return p.Action == motcua.ActionRequestInfo }), time.Time{}
	}
	if by := c.state.Law.SupplementBy; by != nil && now.Before(*by) {
		return actions, *by
	} else if by != nil {
		return slices.DeleteFunc(actions, func(p motcua.Permission) bool { return p.Action == motcua.ActionRequestInfo }), time.Time{}
	}
	return actions, time.Time{}
}

// supplementRequested counts a supplement request and lists its items.
func (c *caseRun) supplementRequested(p *pendingAction) string {
	var d SupplementRequestData
	_ = json.Unmarshal(p.req.Data, &d)
	if c.law != nil {
		c.state.Law.SupplementRequests++
	}
	if len(d.Items) == 0 {
		return p.req.Reason
	}
	return p.req.Reason + " Cần bổ sung: " + strings.Join(d.Items, "; ") + "."
}

// closeAfter is how long a file that went back to the applicant after
// appraisal waits before it is closed, in days (not working days), and the
// clause that says so: "Sau 15 ngày kể từ khi thông báo hoặc theo thời hạn
// quy định của pháp luật chuyên ngành, nếu tổ chức, cá nhân không hoàn
// thành việc hoàn thiện hồ sơ, ... Bộ phận Một cửa thực hiện đóng hồ sơ".
const (
	closeAfter      = 15
	closeAfterBasis = "NĐ 118/2025/NĐ-CP Điều 19 khoản 5"
)

// closesUnsupplemented reports whether the case closes a file the
// applicant leaves incomplete by Decree 118's general rule: from
// versionDecree118, a file of the one-stop shapes, received and sent back
// after appraisal, whose definition names no sectoral text of its own.
func (c *caseRun) closesUnsupplemented() bool {
	switch c.proc.Shape {
	case motcua.ShapeComplaint, motcua.ShapeDenunciation, motcua.ShapeFeedback:
		return false
	}
	return c.version >= versionDecree118 && c.state.ReceivedAt != nil && c.law.rules.CancelBasis == ""
}

// supplementV3 waits for the applicant's supplement. The clock stops as
// the rules say. A file sent back after appraisal is closed closeAfter
// days after the request (versionDecree118). Otherwise, when
// supplement_days pass, the file is cancelled only if a text allows it
// (the definition's clock.cancel_basis, the sectoral period); without one
// it waits on and the delay is reported on the timeline: no text lets the
// desk close a file the applicant has yet to complete at reception
// (Decree 118 Điều 17 khoản 1, 2), nor, before versionDecree118, after it.
func (c *caseRun) supplementV3(ctx workflow.Context, resume motcua.Status) error {
	var until time.Time
	days := c.proc.SupplementDays
	closes := c.closesUnsupplemented()
	if closes {
		d, err := c.deadline(ctx, DeadlineRequest{Kind: DeadlineDays, From: workflow.Now(ctx), Days: closeAfter})
		if err != nil {
			return err
		}
		until = d.At
	} else if days > 0 {
		d, err := c.deadline(ctx, DeadlineRequest{Kind: DeadlineAfter, From: workflow.Now(ctx), Days: days})
		if err != nil {
			return err
		}
		until = d.At
	}
	c.stopClock(ctx, motcua.WaitSupplement)
	for {
		p, timedOut, err := c.await(ctx, stage{status: motcua.StatusAwaitingSupplement, step: "supplement", until: until,
			actions: []motcua.Permission{{Action: motcua.ActionSupplement, Role: motcua.RoleApplicant}}})
		if err != nil {
			return err
		}
		if timedOut {
			if closes {
				c.system(ctx, motcua.EventSupplementExpiry, motcua.StatusCancelled,
					fmt.Sprintf("Đã quá %d ngày kể từ khi thông báo yêu cầu bổ sung mà người nộp chưa hoàn thiện hồ sơ; "+
						"Bộ phận Một cửa đóng hồ sơ theo %s.", closeAfter, closeAfterBasis))
				return errEnded
			}
			if basis := c.law.rules.CancelBasis; basis != "" {
				c.system(ctx, motcua.EventSupplementExpiry, motcua.StatusCancelled,
					fmt.Sprintf("Quá hạn bổ sung hồ sơ (%d ngày làm việc); hủy hồ sơ theo %s.", days, basis))
				return errEnded
			}
			c.system(ctx, motcua.EventSupplementLate, "", fmt.Sprintf("Đã quá %d ngày làm việc mà người nộp chưa bổ sung hồ sơ. "+
				"Không có văn bản cho phép hủy hồ sơ: hồ sơ tiếp tục chờ bổ sung và được báo cáo.", days))
			until = time.Time{}
			continue
		}
		c.act(ctx, p, resume)
		return c.resumeClock(ctx, motcua.WaitSupplement)
	}
}

// paymentWait is the payment step with the clock stopped while the
// applicant pays, as the rules say.
func (c *caseRun) paymentWait(ctx workflow.Context) error {
	if c.law == nil || c.proc.Steps[motcua.StepPayment] == nil || c.state.Fee == 0 {
		return c.payment(ctx)
	}
	c.stopClock(ctx, motcua.WaitPayment)
	if err := c.payment(ctx); err != nil {
		return err
	}
	return c.resumeClock(ctx, motcua.WaitPayment)
}

// issueReady is the issue step; once the result is ready the case records
// whether it was ready on time, and the clock stops while the applicant
// collects it.
func (c *caseRun) issueReady(ctx workflow.Context) error {
	if err := c.issue(ctx); err != nil {
		return err
	}
	c.resultReady(ctx)
	return nil
}

// resultReady records when the result was ready and whether on time (a
// case that missed its first due date, or apologised for it, is late
// whatever the new appointment), and stops the clock for collection.
func (c *caseRun) resultReady(ctx workflow.Context) {
	if c.law == nil || c.state.Result == nil {
		return
	}
	now := workflow.Now(ctx)
	onTime := !c.state.Law.Late && (c.state.DueAt == nil || !now.After(*c.state.DueAt))
	c.state.Law.ReadyAt, c.state.Law.OnTime = &now, &onTime
	if c.state.Delivery.Method != motcua.DeliveryOnline {
		c.stopClock(ctx, motcua.WaitCollection)
	}
}

// apologyPermissions: the head of the agency at fault may issue the apology
// and new appointment while the case is being processed, as many times as
// the rules allow: the lead agency's (the definition's overdue step) and,
// while their share runs, each co-processing agency's.
func (c *caseRun) apologyPermissions() []motcua.Permission {
	if c.law == nil || c.state.DueAt == nil || c.state.Result != nil || c.state.Paused ||
		len(c.state.Law.Apologies) >= c.law.rules.Reschedules {
		return nil
	}
	ps := []motcua.Permission{c.perm(motcua.ActionReschedule, motcua.StepOverdue, motcua.RoleHead)}
	for _, op := range c.state.Opinions {
		if op.Answered == nil {
			ps = append(ps, motcua.Permission{Action: motcua.ActionReschedule, Role: motcua.RoleHead, Agency: op.Agency})
		}
	}
	return ps
}

// checkLaw is the part of validate that needs the case (version 3 on).
func (c *caseRun) checkLaw(req motcua.ActionRequest) error {
	if c.law == nil {
		return nil
	}
	switch req.Action {
	case motcua.ActionReschedule:
		var d RescheduleData
		_ = json.Unmarshal(req.Data, &d)
		day, err := time.ParseInLocation(time.DateOnly, d.NewDate, calendar.Location)
		if err == nil && c.state.DueAt != nil && !calendar.EndOfDay(day).After(*c.state.DueAt) {
			return temporal.NewApplicationError("Dữ liệu gửi kèm thao tác không hợp lệ.", motcua.EINVALID,
				map[string]string{"data.new_date": fmt.Sprintf("Ngày hẹn mới phải sau hạn trả kết quả hiện tại (%s).", c.state.DueAt.In(calendar.Location).Format("02/01/2006"))})
		}
	case motcua.ActionConclude:
		var d ConcludeData
		_ = json.Unmarshal(req.Data, &d)
		if allowed := outcomesOf(c.proc.Shape); !slices.Contains(allowed, d.Decision) {
			return temporal.NewApplicationError("Dữ liệu gửi kèm thao tác không hợp lệ.", motcua.EINVALID,
				map[string]string{"data.decision": outcomeError(c.proc.Shape)})
		}
		if msg := c.secondInstanceMeasureError(d); msg != "" {
			return temporal.NewApplicationError("Dữ liệu gửi kèm thao tác không hợp lệ.", motcua.EINVALID,
				map[string]string{"data.measure": msg})
		}
	case motcua.ActionExtend:
		if msg := c.extensionRefused(req); msg != "" {
			return temporal.NewApplicationError(msg, motcua.ECONFLICT)
		}
	}
	return nil
}

// apologise records the apology and new appointment (văn bản xin lỗi và đề
// nghị gia hạn thời gian giải quyết) of the agency at fault: its reason,
// the new date, which becomes the due date the case is watched against;
// the case counts as late. NĐ 118/2025 Điều 19 khoản 6, Điều 12 khoản 5
// (as NĐ 61/2018 Điều 19 khoản 9, Điều 12 khoản 5). The signed slip follows.
func (c *caseRun) apologise(ctx workflow.Context, p *pendingAction) error {
	var d RescheduleData
	_ = json.Unmarshal(p.req.Data, &d)
	day, _ := time.ParseInLocation(time.DateOnly, d.NewDate, calendar.Location)
	at := calendar.EndOfDay(day)
	now := workflow.Now(ctx)
	was := *c.state.DueAt
	if c.state.Law.OriginalDueAt == nil {
		c.state.Law.OriginalDueAt = &was
	}
	by := c.state.Law.ApologyBy
	tardy := c.version >= versionTardyApology && by != nil && now.After(*by)
	c.state.Law.Late = true
	c.state.Law.Apologies = append(c.state.Law.Apologies, motcua.Apology{Agency: p.req.Actor.Agency, Reason: p.req.Reason,
		At: now, DueWas: was, NewDue: at, AfterDue: now.After(was), Tardy: tardy})
	c.state.RescheduledTo = &at
	c.state.DueAt = &at
	c.state.Overdue = false
	w, err := c.deadline(ctx, DeadlineRequest{Kind: DeadlineWarn, From: at})
	if err != nil {
		return err
	}
	c.warnAt = w.Warn
	c.noteApologyBy(w)
	c.dueChanged++
	c.act(ctx, p, "")
	if tardy {
		// Accepted all the same: refusing it would leave a late case
		// without a new date.
		c.system(ctx, motcua.EventApologyTardy, "", fmt.Sprintf("Văn bản xin lỗi và hẹn lại ngày trả kết quả gửi lúc %s, "+
			"muộn hơn mốc %s: phải gửi chậm nhất 01 ngày trước ngày hết hạn (%s) theo %s. Văn bản vẫn được nhận và hồ sơ "+
			"được hẹn lại; việc gửi muộn được ghi trên hồ sơ.",
			localTime(now), localTime(*by), localTime(was), apologyBasis))
	}
	c.notify(ctx, "Xin lỗi và hẹn lại ngày trả kết quả", fmt.Sprintf("%s Ngày hẹn trả kết quả mới của hồ sơ %s: %s.",
		p.req.Reason, c.state.Code, at.Format("02/01/2006")))
	signer := cmp.Or(p.req.Actor.Name, p.req.Actor.Subject)
	n := len(c.state.Law.Apologies) - 1
	c.background(ctx, func(ctx workflow.Context) {
		before := len(c.state.Documents)
		if err := c.issueDocument(ctx, motcua.DocumentApology, signer); err != nil {
			c.logger.Error("apology slip", "err", err)
			return
		}
		if len(c.state.Documents) > before {
			c.state.Law.Apologies[n].Document = c.state.Documents[len(c.state.Documents)-1].ID
		}
		c.system(ctx, motcua.EventApologyIssued, "", "Đã ký số văn bản xin lỗi và hẹn lại ngày trả kết quả.")
	})
	return nil
}

// apologyBasis is the clause that sets the latest time of an apology: "Đối
// với hồ sơ dự kiến quá hạn giải quyết, trong thời hạn chậm nhất 01 ngày
// trước ngày hết hạn, cơ quan, đơn vị có thẩm quyền giải quyết hồ sơ phải
// ... gửi văn bản xin lỗi tổ chức, cá nhân". "01 ngày" is read as one
// working day, as Điều 19's other periods: the apology is due by 17:00 of
// the working day before the due date (Deadline.ApologyBy).
const apologyBasis = "NĐ 118/2025/NĐ-CP Điều 19 khoản 6"

// noteApologyBy notes, from versionTardyApology, until when an apology
// for missing the due date d may come, while the rules allow one more.
func (c *caseRun) noteApologyBy(d Deadline) {
	if c.law == nil || c.version < versionTardyApology {
		return
	}
	c.state.Law.ApologyBy = nil
	if !d.ApologyBy.IsZero() && len(c.state.Law.Apologies) < c.law.rules.Reschedules {
		by := d.ApologyBy
		c.state.Law.ApologyBy = &by
	}
}

// The desk's answer to an online filing: "Cán bộ, công chức, viên chức,
// nhân viên tại Bộ phận Một cửa thông báo về việc tiếp nhận chính thức hoặc
// yêu cầu chỉnh sửa, bổ sung hồ sơ cho tổ chức, cá nhân không muộn hơn 08
// (tám) giờ làm việc kể từ khi Hệ thống thông tin giải quyết thủ tục hành
// chính tiếp nhận hồ sơ". The calendar knows working days, not office
// hours: 8 working hours are counted as one working day, the answer due by
// the same clock time on the next working day (from 17:00 when the file
// came after it or on a day off; DeadlineSameTime). The clause's "hoặc theo
// thời hạn được quy định tại pháp luật chuyên ngành" has no definition
// field yet: every online filing gets the 8 hours.
const (
	onlineReceptionDays  = 1
	onlineReceptionBasis = "NĐ 118/2025/NĐ-CP Điều 17 khoản 2 điểm c"
)

// receptionDue is, from versionOnlineReception, when the desk must have
// answered a file of a one-stop shape filed online, noted on the case;
// zero for other files (complaints and denunciations are not
// administrative procedures under Decree 118, Điều 1).
func (c *caseRun) receptionDue(ctx workflow.Context) (time.Time, error) {
	switch c.proc.Shape {
	case motcua.ShapeComplaint, motcua.ShapeDenunciation, motcua.ShapeFeedback:
		return time.Time{}, nil
	}
	if c.law == nil || c.version < versionOnlineReception || c.state.Channel != motcua.ChannelOnline {
		return time.Time{}, nil
	}
	d, err := c.deadline(ctx, DeadlineRequest{Kind: DeadlineSameTime, From: c.state.SubmittedAt, Days: onlineReceptionDays})
	if err != nil {
		return time.Time{}, err
	}
	c.state.Law.ReceptionDueAt = &d.At
	return d.At, nil
}

// receptionLate marks an online filing the desk has not answered in time.
// The desk still answers it: nothing is received on its behalf.
func (c *caseRun) receptionLate(ctx workflow.Context, due time.Time) {
	c.state.Law.ReceptionLate = true
	c.system(ctx, motcua.EventReceptionLate, "", fmt.Sprintf("Đã quá 08 giờ làm việc kể từ khi hệ thống nhận hồ sơ nộp trực tuyến "+
		"(hạn %s) mà Bộ phận Một cửa chưa thông báo tiếp nhận chính thức hoặc yêu cầu chỉnh sửa, bổ sung hồ sơ (%s). "+
		"Hồ sơ được đánh dấu chậm tiếp nhận.", localTime(due), onlineReceptionBasis))
}

// clockNote is the v3 wording of the clock's warning and overdue events.
func (c *caseRun) clockNote(e motcua.Action) string {
	due := localTime(*c.state.DueAt)
	if e == motcua.EventDueSoon {
		if len(c.state.Law.Apologies) < c.law.rules.Reschedules {
			return fmt.Sprintf("Hồ sơ sắp đến hạn trả kết quả (%s). Nếu không kịp, cơ quan giải quyết phải gửi văn bản xin lỗi "+
				"và hẹn lại ngày trả kết quả trước ngày hết hạn.", due)
		}
		return fmt.Sprintf("Hồ sơ sắp đến hạn trả kết quả (%s).", due)
	}
	c.state.Law.Late = true
	switch {
	case len(c.state.Law.Apologies) > 0 && len(c.state.Law.Apologies) >= c.law.rules.Reschedules:
		return fmt.Sprintf("Hồ sơ đã quá ngày hẹn lại (%s); không được hẹn lại thêm. Hồ sơ được báo cáo lãnh đạo cơ quan.", due)
	case len(c.state.Law.Apologies) < c.law.rules.Reschedules:
		return fmt.Sprintf("Hồ sơ đã quá hạn trả kết quả (%s) mà chưa có văn bản xin lỗi và hẹn lại; đã báo lãnh đạo cơ quan.", due)
	}
	return fmt.Sprintf("Hồ sơ đã quá hạn giải quyết (%s); đã báo lãnh đạo cơ quan.", due)
}

// SupplementRequestData lists the items a supplement request asks for.
type SupplementRequestData struct {
	Items []string `json:"items"`
}
