package workflows

import (
	"fmt"
	"time"

	"go.temporal.io/sdk/workflow"

	"github.com/motcua/motcua"
	"github.com/motcua/motcua/calendar"
)

// The legal clock: due dates in working days from reception, paused while
// the case waits on the applicant, with a warning before the due date and
// an escalation after it.

// deadline runs the calendar local activity.
func (c *caseRun) deadline(ctx workflow.Context, req DeadlineRequest) (Deadline, error) {
	d, err := deadlineCall.run(ctx, req)
	if err != nil {
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
	c.state.Pauses = []motcua.Pause{}
	return c.recomputeDue(ctx)
}

// recomputeDue derives the due date from the clock's start and the pauses.
func (c *caseRun) recomputeDue(ctx workflow.Context) error {
	if c.law != nil && len(c.state.Law.Apologies) > 0 {
		// The new appointment the apology gave stands.
		c.dueChanged++
		return nil
	}
	d, err := c.deadline(ctx, DeadlineRequest{Kind: DeadlineDue, From: c.clockFrom, Days: c.clockDays, Pauses: c.countedPauses()})
	if err != nil {
		return err
	}
	if c.law != nil && c.state.Law.ExtendedDays > 0 {
		// Extensions of complaints and denunciations are in days.
		d.At = d.At.AddDate(0, 0, c.state.Law.ExtendedDays)
		w, err := c.deadline(ctx, DeadlineRequest{Kind: DeadlineWarn, From: d.At})
		if err != nil {
			return err
		}
		d.Warn, d.ApologyBy = w.Warn, w.ApologyBy
	}
	c.state.DueAt, c.warnAt = &d.At, d.Warn
	c.noteApologyBy(d)
	c.dueChanged++
	return nil
}

// watchClock raises the due-soon warning and the overdue escalation at
// their times, moving with every change of the due date or pause.
func (c *caseRun) watchClock(ctx workflow.Context) {
	for !c.finished {
		version := c.dueChanged
		changed := func() bool { return c.dueChanged != version || c.finished }
		var at time.Time
		var event motcua.Action
		if c.state.DueAt != nil && !c.state.Paused && !c.state.Overdue {
			at, event = *c.state.DueAt, motcua.EventOverdue
			if !c.warnAt.IsZero() && !c.warnedFor.Equal(*c.state.DueAt) && workflow.Now(ctx).Before(c.warnAt) {
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
				c.warnedFor = *c.state.DueAt
			} else {
				c.state.Overdue = true // set now so the watcher does not fire twice
			}
			c.clockDue = append(c.clockDue, event)
			c.dueChanged++
		}
	}
}

// applyClock records the clock events the watcher raised.
func (c *caseRun) applyClock(ctx workflow.Context) {
	for _, e := range c.clockDue {
		if c.law != nil {
			c.system(ctx, e, c.state.Status, c.clockNote(e))
			continue
		}
		switch e {
		case motcua.EventDueSoon:
			c.system(ctx, e, c.state.Status, fmt.Sprintf("Hồ sơ sắp đến hạn trả kết quả (%s).", localTime(*c.state.DueAt)))
		case motcua.EventOverdue:
			c.system(ctx, e, c.state.Status, fmt.Sprintf("Hồ sơ đã quá hạn trả kết quả (%s); đã báo lãnh đạo cơ quan để xin lỗi và hẹn lại.", localTime(*c.state.DueAt)))
		}
	}
	c.clockDue = nil
}

func localTime(t time.Time) string { return t.In(calendar.Location).Format("15:04 02/01/2006") }
