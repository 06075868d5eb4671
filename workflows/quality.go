package workflows

import (
	"fmt"
	"net/url"

	"go.temporal.io/sdk/workflow"

	"github.com/motcua/motcua"
)

// Web paths the quality invitation links to; the notifier puts the public
// URL before them.
func ratePath(code string) string     { return "/ho-so/" + url.PathEscape(code) + "#rating" }
func feedbackPath(code string) string { return "/ho-so/" + url.PathEscape(code) + "/phan-anh" }

// inviteQuality tells the applicant of a case that has just ended where to
// rate it and to give feedback on how it was handled (issue 14). A
// feedback invites no feedback on itself.
func (c *caseRun) inviteQuality(ctx workflow.Context) {
	if c.version < versionQualityInvite || len(c.state.Notify) == 0 || c.proc.Shape == motcua.ShapeFeedback {
		return
	}
	n := Notification{IdempotencyKey: c.state.Code + "-quality", CaseCode: c.state.Code, Channels: c.state.Notify,
		Phone: c.state.Applicant.Phone, Email: c.state.Applicant.Email, Subject: "Mời đánh giá việc giải quyết hồ sơ",
		Text: fmt.Sprintf("Hồ sơ %s đã kết thúc. Mời ông/bà đánh giá mức độ hài lòng và gửi phản ánh, kiến nghị (nếu có) về việc giải quyết hồ sơ.",
			c.state.Code),
		Links: []Link{{Label: "Đánh giá", Path: ratePath(c.state.Code)}, {Label: "Phản ánh, kiến nghị", Path: feedbackPath(c.state.Code)}}}
	c.background(ctx, func(ctx workflow.Context) {
		if _, err := notifyCall.run(ctx, n); err != nil {
			c.logger.Warn("quality invitation not sent", "err", err)
		}
	})
}
