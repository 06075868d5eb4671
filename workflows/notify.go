package workflows

import (
	"fmt"

	"go.temporal.io/sdk/workflow"
)

// Telling the applicant of progress.

// notify tells the applicant, by the channels they chose, without holding
// up the case: the message goes out in the background and a failure to send
// it is logged, not fatal.
func (c *caseRun) notify(ctx workflow.Context, subject, text string) {
	if c.version < versionBackends || len(c.state.Notify) == 0 {
		return
	}
	n := Notification{IdempotencyKey: fmt.Sprintf("%s-%d", c.state.Code, len(c.state.Timeline)), CaseCode: c.state.Code,
		Channels: c.state.Notify, Phone: c.state.Applicant.Phone, Email: c.state.Applicant.Email, Subject: subject, Text: text}
	c.background(ctx, func(ctx workflow.Context) {
		if _, err := notifyCall.run(ctx, n); err != nil {
			c.logger.Warn("notification not sent", "subject", subject, "err", err)
		}
	})
}

// background runs work beside the steps, so that the case neither waits
// for it nor closes before it is done.
func (c *caseRun) background(ctx workflow.Context, work func(workflow.Context)) {
	c.effects++
	workflow.Go(ctx, func(ctx workflow.Context) {
		defer func() { c.effects-- }()
		work(ctx)
	})
}
