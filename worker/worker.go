// Package worker puts the case workflows and their activities on a task
// queue. The same code runs inside `motcua dev` and as `motcua worker`.
package worker

import (
	"go.temporal.io/sdk/activity"
	"go.temporal.io/sdk/client"
	sdkworker "go.temporal.io/sdk/worker"
	"go.temporal.io/sdk/workflow"

	"github.com/motcua/motcua/activities"
	"github.com/motcua/motcua/calendar"
	"github.com/motcua/motcua/store"
	"github.com/motcua/motcua/workflows"
)

// Deps are what the activities need.
type Deps struct {
	Client    client.Client
	TaskQueue string
	DB        *store.DB
	Calendar  *calendar.Calendar
	WarnDays  int
	Backends  *activities.Backends
	Notifier  *activities.Notifier
	Documents *activities.Documents
}

// New returns a worker (not yet started) serving every shape.
func New(d Deps) sdkworker.Worker {
	w := sdkworker.New(d.Client, d.TaskQueue, sdkworker.Options{})
	Register(w, d)
	return w
}

// Register adds the workflows and activities to any registry (a worker, a
// replayer or a test environment).
func Register(r sdkworker.Registry, d Deps) {
	RegisterWorkflows(r)
	rec := &activities.Recorder{DB: d.DB}
	acts := map[string]any{
		workflows.ActivityRecordCase:     rec.RecordCase,
		workflows.ActivityCheck:          d.Backends.RunCheck,
		workflows.ActivityCreatePayment:  d.Backends.CreatePayment,
		workflows.ActivityPaymentStatus:  d.Backends.PaymentStatus,
		workflows.ActivityRefund:         d.Backends.RefundPayment,
		workflows.ActivityCreateShipment: d.Backends.CreateShipment,
		workflows.ActivityNotify:         d.Notifier.Notify,
		workflows.ActivityIssueDocument:  d.Documents.IssueDocument,
	}
	// Without a calendar the caller brings its own deadline arithmetic
	// (the history recorder compresses working days to seconds).
	if d.Calendar != nil {
		acts[workflows.ActivityDeadline] = (&activities.Deadlines{Calendar: d.Calendar, WarnDays: d.WarnDays}).Deadline
	}
	for name, fn := range acts {
		r.RegisterActivityWithOptions(fn, activity.RegisterOptions{Name: name})
	}
}

// RegisterWorkflows adds the shapes under their stable names.
func RegisterWorkflows(r sdkworker.WorkflowRegistry) {
	r.RegisterWorkflowWithOptions(workflows.StandardCase, workflow.RegisterOptions{Name: workflows.StandardWorkflow})
	r.RegisterWorkflowWithOptions(workflows.ComplaintCase, workflow.RegisterOptions{Name: workflows.ComplaintWorkflow})
}
