// Package activities holds what workflows do outside themselves: writing
// the read model, working-day arithmetic, and (as they come) the clients of
// agency back-ends, documents and notifications. Each group is a struct
// holding its dependencies; the worker registers its methods by the names in
// workflows/api.go.
package activities

import (
	"context"
	"time"

	"go.temporal.io/sdk/temporal"

	"github.com/motcua/motcua/calendar"
	"github.com/motcua/motcua/store"
	"github.com/motcua/motcua/workflows"
)

// Recorder writes case transitions to the read model.
type Recorder struct {
	DB *store.DB
}

// RecordCase writes a workflows.Record; the store makes it idempotent.
func (r *Recorder) RecordCase(ctx context.Context, rec workflows.Record) error {
	return r.DB.RecordCase(ctx, &rec.Case, rec.Events)
}

// dueHour: deadlines fall at 17:00, the end of the civil-servant day.
const dueHour = 17 * time.Hour

// Deadlines does working-day arithmetic on the province's calendar.
type Deadlines struct {
	Calendar *calendar.Calendar
	// WarnDays is how many working days before the due date a case warns.
	WarnDays int
}

// Deadline answers a workflows.DeadlineRequest.
func (d *Deadlines) Deadline(_ context.Context, req workflows.DeadlineRequest) (workflows.Deadline, error) {
	cal := d.Calendar
	switch req.Kind {
	case workflows.DeadlineDue:
		pauses := make([]calendar.Pause, len(req.Pauses))
		for i, p := range req.Pauses {
			pauses[i] = calendar.Pause{From: p.From}
			if p.To != nil {
				pauses[i].To = *p.To
			}
		}
		due, ok := cal.Due(req.From, req.Days, pauses)
		if !ok {
			return workflows.Deadline{}, temporal.NewNonRetryableApplicationError("due date asked while the clock is paused", "invalid", nil)
		}
		out := workflows.Deadline{At: due, Covered: cal.Covers(due)}
		if d.WarnDays > 0 {
			out.Warn = cal.AddWorkingDays(due, -d.WarnDays).Add(dueHour)
		}
		return out, nil
	case workflows.DeadlineAfter:
		at := cal.AddWorkingDays(req.From, req.Days).Add(dueHour)
		return workflows.Deadline{At: at, Covered: cal.Covers(at)}, nil
	}
	return workflows.Deadline{}, temporal.NewNonRetryableApplicationError("unknown deadline kind "+req.Kind, "invalid", nil)
}
