// Package activities holds what workflows do outside themselves: writing
// the read model, working-day arithmetic, and (as they come) the clients of
// agency back-ends, documents and notifications. Each group is a struct
// holding its dependencies; the worker registers its methods by the names in
// workflows/api.go.
package activities

import (
	"context"
	"log/slog"
	"time"

	"go.temporal.io/sdk/temporal"

	"github.com/motcua/motcua/calendar"
	"github.com/motcua/motcua/store"
	"github.com/motcua/motcua/workflows"
)

// Recorder writes case transitions to the read model.
type Recorder struct {
	DB *store.DB
	// Logger, by default slog's, hears of records the database refuses.
	Logger *slog.Logger
	// Lag, when set, hears how long after its newest event a record was
	// written: how far the read model trails the cases.
	Lag func(time.Duration)
}

// ErrRecordRefused is the type of the non-retryable error of a record
// the read model refuses for what it holds.
const ErrRecordRefused = "RecordRefused"

// RecordCase writes a workflows.Record; the store makes it idempotent.
// A record the database refuses for its content fails for good, logged
// with the case code, instead of being retried without end.
func (r *Recorder) RecordCase(ctx context.Context, rec workflows.Record) error {
	err := r.DB.RecordCaseAt(ctx, rec.Clock, &rec.Case, rec.Events)
	if err == nil && r.Lag != nil && len(rec.Events) > 0 {
		r.Lag(time.Since(rec.Events[len(rec.Events)-1].At))
	}
	if err == nil || !store.Permanent(err) {
		return err
	}
	log := r.Logger
	if log == nil {
		log = slog.Default()
	}
	log.Error("read model refuses the case's record; retrying cannot help", "case", rec.Case.Code,
		"version", rec.Case.Version, "err", err)
	return temporal.NewNonRetryableApplicationError("the read model refuses the record of "+rec.Case.Code+": "+err.Error(),
		ErrRecordRefused, err)
}

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
		return workflows.Deadline{At: due, Warn: cal.Warn(due, d.WarnDays), ApologyBy: cal.After(due, -1), Covered: cal.Covers(due)}, nil
	case workflows.DeadlineWarn:
		return workflows.Deadline{At: req.From, Warn: cal.Warn(req.From, d.WarnDays), ApologyBy: cal.After(req.From, -1),
			Covered: cal.Covers(req.From)}, nil
	case workflows.DeadlineAfter:
		at := cal.After(req.From, req.Days)
		return workflows.Deadline{At: at, Covered: cal.Covers(at)}, nil
	case workflows.DeadlineDays:
		at := calendar.EndOfDay(req.From.In(calendar.Location).AddDate(0, 0, req.Days))
		return workflows.Deadline{At: at, Covered: true}, nil
	case workflows.DeadlineSameTime:
		at := cal.SameTimeAfter(req.From, req.Days)
		return workflows.Deadline{At: at, Covered: cal.Covers(at)}, nil
	}
	return workflows.Deadline{}, temporal.NewNonRetryableApplicationError("unknown deadline kind "+req.Kind, "invalid", nil)
}
