// Package worker puts the case workflows and their activities on a task
// queue. The same code runs inside `motcua dev` and as `motcua worker`.
package worker

import (
	"context"
	"log/slog"
	"time"

	"go.temporal.io/sdk/client"
	sdkworker "go.temporal.io/sdk/worker"

	"github.com/motcua/motcua/activities"
	"github.com/motcua/motcua/calendar"
	"github.com/motcua/motcua/procedures"
	"github.com/motcua/motcua/store"
	"github.com/motcua/motcua/workflows"
)

// Deps are what the activities need.
type Deps struct {
	Client client.Client
	// Catalog resolves the communes of a district's cases in a hand-over.
	Catalog   *procedures.Catalog
	TaskQueue string
	DB        *store.DB
	Calendar  *calendar.Calendar
	WarnDays  int
	Backends  *activities.Backends
	Notifier  *activities.Notifier
	Documents *activities.Documents
	// Reports builds and mails the periodic reports (none: the worker
	// runs no report workflow).
	Reports *activities.Reports
	// Deadline, when set, answers in place of the calendar (the history
	// recorder compresses working days to seconds).
	Deadline func(context.Context, workflows.DeadlineRequest) (workflows.Deadline, error)
	// Logger receives the activities' lines (the recorder's refusals).
	Logger *slog.Logger
	// RecordLag, when set, hears how long after a transition the read
	// model recorded it.
	RecordLag func(time.Duration)
}

// New returns a worker (not yet started) serving every shape. Stopping it
// lets running activities (a document being signed, a record being
// written) finish first, for a while.
func New(d Deps) sdkworker.Worker {
	w := sdkworker.New(d.Client, d.TaskQueue, sdkworker.Options{WorkerStopTimeout: 15 * time.Second})
	Register(w, d)
	return w
}

// Register adds the shapes and their activities to any registry (a worker
// or a test environment).
func Register(r sdkworker.Registry, d Deps) {
	var deadlines deadliner = &activities.Deadlines{Calendar: d.Calendar, WarnDays: d.WarnDays}
	if d.Deadline != nil {
		deadlines = deadlineFunc(d.Deadline)
	}
	workflows.Register(r, activitySet{Recorder: &activities.Recorder{DB: d.DB, Logger: d.Logger, Lag: d.RecordLag}, deadliner: deadlines,
		Backends: d.Backends, Notifier: d.Notifier, Documents: d.Documents})
	workflows.RegisterHandover(r, &activities.Handover{DB: d.DB, Client: d.Client, Catalog: d.Catalog})
	if d.Reports != nil {
		workflows.RegisterReports(r, d.Reports)
	}
}

// activitySet is every activity the shapes call, from the adapters that
// implement them.
type activitySet struct {
	*activities.Recorder
	deadliner
	*activities.Backends
	*activities.Notifier
	*activities.Documents
}

var _ workflows.Activities = activitySet{}

type deadliner interface {
	Deadline(context.Context, workflows.DeadlineRequest) (workflows.Deadline, error)
}

type deadlineFunc func(context.Context, workflows.DeadlineRequest) (workflows.Deadline, error)

func (f deadlineFunc) Deadline(ctx context.Context, req workflows.DeadlineRequest) (workflows.Deadline, error) {
	return f(ctx, req)
}
