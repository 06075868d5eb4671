package workflows

import (
	"encoding/json"
	"fmt"

	"go.temporal.io/sdk/workflow"

	"github.com/motcua/motcua"
)

// DeadlineAnswer is the feedback definition's deadline to answer, in
// working days from receipt.
const DeadlineAnswer = "answer"

// AnswerData is the head's answer to a feedback.
type AnswerData struct {
	Answer string `json:"answer"`
}

// feedbackClock: feedback waits on no one, so nothing stops its clock, and
// the one-stop rules on supplements and new appointments do not apply to
// it (they govern administrative procedures, NĐ 118/2025/NĐ-CP Điều 1
// khoản 1, Điều 11 khoản 2 điểm c, Điều 19 khoản 5, 6). A late answer is
// late: no apology moves it.
var feedbackClock = motcua.ClockLaw{}

// FeedbackCase runs feedback and recommendations (phản ánh, kiến nghị) on
// how a case or a one-stop desk was handled: received on filing, routed to
// the head of the agency concerned (the case's agency, or the desk the
// sender names), who answers within deadlines.answer working days; the
// answer is the case's result, so the read model's on-time marks count it
// on time or late, and the sender reads it on the case. Legal basis:
// NĐ 20/2008/NĐ-CP, as amended by NĐ 92/2017/NĐ-CP (tiếp nhận, xử lý phản
// ánh, kiến nghị), and NĐ 61/2018/NĐ-CP Điều 31 khoản 1 điểm g (thời gian
// và chất lượng giải trình ý kiến phản ánh, kiến nghị); the definition
// names the time limit and what of it could not be confirmed.
func FeedbackCase(ctx workflow.Context, in CaseInput) (motcua.Case, error) {
	c, err := newCaseRun(ctx, in)
	if err != nil {
		return motcua.Case{}, err
	}
	return c.run(ctx, func(ctx workflow.Context) error {
		// Filed online, it is received at once: no desk checks a
		// feedback's completeness, and its clock starts on filing.
		now := c.state.SubmittedAt
		c.state.ReceivedAt = &now
		if err := c.startClock(ctx, now, c.proc.Deadlines[DeadlineAnswer]); err != nil {
			return err
		}
		c.system(ctx, motcua.EventTransferred, motcua.StatusAwaitingAnswer, fmt.Sprintf(
			"Đã tiếp nhận phản ánh, kiến nghị và chuyển người đứng đầu cơ quan được phản ánh trả lời; hạn trả lời: %s.",
			localTime(*c.state.DueAt)))
		return c.answerFeedback(ctx)
	})
}

// answerFeedback waits for the head's answer and closes the feedback with
// it: the answer is shown to the sender at once.
func (c *caseRun) answerFeedback(ctx workflow.Context) error {
	p, _, err := c.await(ctx, stage{status: motcua.StatusAwaitingAnswer, step: "answer", actions: []motcua.Permission{
		c.perm(motcua.ActionAnswer, motcua.StepAnswer, motcua.RoleHead),
	}})
	if err != nil {
		return err
	}
	var d AnswerData
	_ = json.Unmarshal(p.req.Data, &d)
	now := workflow.Now(ctx)
	c.state.Result = &motcua.Result{Type: c.proc.Result.Type, Name: c.proc.Result.Name, IssuedAt: now,
		IssuedBy: p.req.Actor.Ref(c.roleFor(p.req)), Note: d.Answer}
	if c.law != nil && c.state.DueAt != nil && now.After(*c.state.DueAt) {
		c.state.Law.Late = true
	}
	c.act(ctx, p, motcua.StatusCompleted)
	c.notify(ctx, "Đã có trả lời phản ánh, kiến nghị", fmt.Sprintf("Phản ánh, kiến nghị %s đã được trả lời. Xem nội dung trả lời khi tra cứu mã %s.",
		c.state.Code, c.state.Code))
	return errEnded
}
