package workflows

import (
	"context"
	"reflect"
	"time"

	"go.temporal.io/sdk/activity"
	"go.temporal.io/sdk/converter"
	"go.temporal.io/sdk/temporal"
	"go.temporal.io/sdk/worker"
	"go.temporal.io/sdk/workflow"

	"github.com/motcua/motcua"
)

// Activities is what a worker must provide for the shapes: one method per
// activity, implemented by the adapters (package activities). Workflows
// never import those; they call through the typed calls below, which own
// each activity's registered name, request and answer types and options.
type Activities interface {
	// RecordCase writes a transition to the read model, idempotently.
	RecordCase(context.Context, Record) error
	// Deadline does working-day arithmetic on the province's calendar.
	Deadline(context.Context, DeadlineRequest) (Deadline, error)
	RunCheck(context.Context, CheckRequest) (CheckResult, error)
	CreatePayment(context.Context, PaymentOrder) (PaymentOrder, error)
	PaymentStatus(context.Context, PaymentOrder) (PaymentState, error)
	RefundPayment(context.Context, RefundRequest) (RefundResult, error)
	CreateShipment(context.Context, ShipmentRequest) (Shipment, error)
	Notify(context.Context, Notification) error
	// IssueDocument renders, stores and signs a receipt or result.
	IssueDocument(context.Context, DocumentRequest) (motcua.Document, error)
}

// opCall is an activity of an operation workflow (a hand-over, a report)
// as the workflow sees it; A is the interface its adapter implements. Its
// name is what histories record: never rename it.
type opCall[A, Req, Res any] struct {
	name    string
	options func(workflow.Context) workflow.Context
	impl    func(A) any
}

func (c opCall[A, Req, Res]) run(ctx workflow.Context, req Req) (Res, error) {
	return call[Req, Res]{name: c.name, options: c.options}.run(ctx, req)
}

func (c opCall[A, Req, Res]) register(r worker.ActivityRegistry, a A) {
	r.RegisterActivityWithOptions(c.impl(a), activity.RegisterOptions{Name: c.name})
}

// call is one activity as workflows see it. Its name is what histories
// record: never rename it.
type call[Req, Res any] struct {
	name    string
	options func(workflow.Context) workflow.Context
	// local runs it as a local activity (no task of its own in history).
	local bool
	impl  func(Activities) any
}

func (c call[Req, Res]) run(ctx workflow.Context, req Req) (Res, error) {
	var res Res
	var f workflow.Future
	if c.local {
		// The SDK hands a local activity its arguments as they are, and it
		// runs beside the workflow's coroutines, which go on changing the
		// case: give it its own copy, as a regular activity gets one
		// decoded from history.
		own, err := detach(req)
		if err != nil {
			return res, err
		}
		f = workflow.ExecuteLocalActivity(c.options(ctx), c.name, own)
	} else {
		f = workflow.ExecuteActivity(c.options(ctx), c.name, req)
	}
	var out any = &res
	if _, ok := out.(*none); ok {
		out = nil // the activity returns no value
	}
	err := f.Get(ctx, out)
	return res, err
}

// detach copies v through the data converter's encoding, so nothing of the
// copy is shared with v.
func detach[T any](v T) (T, error) {
	var out T
	p, err := converter.GetDefaultDataConverter().ToPayload(v)
	if err == nil {
		err = converter.GetDefaultDataConverter().FromPayload(p, &out)
	}
	return out, err
}

func (c call[Req, Res]) register(r worker.ActivityRegistry, a Activities) {
	r.RegisterActivityWithOptions(c.impl(a), activity.RegisterOptions{Name: c.name})
}

// none is the answer of an activity that answers nothing but success.
type none struct{}

var (
	recordCase = call[Record, none]{name: "RecordCase", options: readModelOptions,
		impl: func(a Activities) any { return a.RecordCase }}
	// The same activity, run by the worker in the workflow task
	// (versionLocalRecords). Not in calls: it registers as recordCase.
	recordCaseLocal = call[Record, none]{name: "RecordCase", options: localReadModelOptions, local: true,
		impl: func(a Activities) any { return a.RecordCase }}
	// The calendar file changes every year, so its answers must come
	// from history on replay: a local activity, not a function call.
	deadlineCall = call[DeadlineRequest, Deadline]{name: "Deadline", options: calendarOptions, local: true,
		impl: func(a Activities) any { return a.Deadline }}
	runCheck = call[CheckRequest, CheckResult]{name: "RunCheck", options: backendOptions,
		impl: func(a Activities) any { return a.RunCheck }}
	createPayment = call[PaymentOrder, PaymentOrder]{name: "CreatePayment", options: backendOptions,
		impl: func(a Activities) any { return a.CreatePayment }}
	paymentStatus = call[PaymentOrder, PaymentState]{name: "PaymentStatus", options: backendOptions,
		impl: func(a Activities) any { return a.PaymentStatus }}
	refundPayment = call[RefundRequest, RefundResult]{name: "RefundPayment", options: refundOptions,
		impl: func(a Activities) any { return a.RefundPayment }}
	createShipment = call[ShipmentRequest, Shipment]{name: "CreateShipment", options: backendOptions,
		impl: func(a Activities) any { return a.CreateShipment }}
	notifyCall = call[Notification, none]{name: "Notify", options: notifyOptions,
		impl: func(a Activities) any { return a.Notify }}
	issueDocument = call[DocumentRequest, motcua.Document]{name: "IssueDocument", options: internalOptions,
		impl: func(a Activities) any { return a.IssueDocument }}
)

// registrar is any call, for registration.
type registrar interface {
	register(worker.ActivityRegistry, Activities)
	signature() (name string, req, res reflect.Type)
}

func (c call[Req, Res]) signature() (string, reflect.Type, reflect.Type) {
	return c.name, reflect.TypeFor[Req](), reflect.TypeFor[Res]()
}

// calls lists every activity; a test checks it against Activities.
var calls = []registrar{recordCase, deadlineCall, runCheck, createPayment, paymentStatus, refundPayment,
	createShipment, notifyCall, issueDocument}

// Register puts every shape and every activity of a on r (a worker, or a
// test environment) under their stable names.
func Register(r worker.Registry, a Activities) {
	RegisterShapes(r)
	for _, c := range calls {
		c.register(r, a)
	}
}

// RegisterShapes puts every shape on r (a worker or a replayer).
func RegisterShapes(r worker.WorkflowRegistry) {
	for _, s := range shapes {
		r.RegisterWorkflowWithOptions(s.Run, workflow.RegisterOptions{Name: s.Workflow})
	}
}

// readModelOptions: the read model must catch up eventually, however long
// the database is away: retry without limit, backing off to a minute.
func readModelOptions(ctx workflow.Context) workflow.Context {
	return workflow.WithActivityOptions(ctx, workflow.ActivityOptions{
		StartToCloseTimeout: 30 * time.Second,
		RetryPolicy:         &temporal.RetryPolicy{InitialInterval: time.Second, BackoffCoefficient: 2, MaximumInterval: time.Minute},
	})
}

// localReadModelOptions: as readModelOptions for a local activity. A
// retry longer than the workflow task's timeout waits on a timer in a new
// task, so a database away for hours holds no task open.
func localReadModelOptions(ctx workflow.Context) workflow.Context {
	return workflow.WithLocalActivityOptions(ctx, workflow.LocalActivityOptions{
		StartToCloseTimeout: 30 * time.Second,
		RetryPolicy:         &temporal.RetryPolicy{InitialInterval: time.Second, BackoffCoefficient: 2, MaximumInterval: time.Minute},
	})
}

func calendarOptions(ctx workflow.Context) workflow.Context {
	return workflow.WithLocalActivityOptions(ctx, workflow.LocalActivityOptions{
		StartToCloseTimeout: 10 * time.Second,
		RetryPolicy:         &temporal.RetryPolicy{MaximumAttempts: 5},
	})
}

// backendOptions: a back-end's rule violation (4xx) fails at once;
// timeouts and 5xx are retried, within bounds.
func backendOptions(ctx workflow.Context) workflow.Context {
	return workflow.WithActivityOptions(ctx, workflow.ActivityOptions{
		StartToCloseTimeout: 30 * time.Second,
		RetryPolicy: &temporal.RetryPolicy{InitialInterval: time.Second, BackoffCoefficient: 2,
			MaximumInterval: 30 * time.Second, MaximumAttempts: 12},
	})
}

// refundOptions: money must go back, so a refund retries until the
// gateway takes it.
func refundOptions(ctx workflow.Context) workflow.Context {
	return workflow.WithActivityOptions(ctx, workflow.ActivityOptions{
		StartToCloseTimeout: 30 * time.Second,
		RetryPolicy:         &temporal.RetryPolicy{InitialInterval: time.Second, BackoffCoefficient: 2, MaximumInterval: 10 * time.Minute},
	})
}

// notifyOptions: a message that cannot be sent after a few tries is
// logged, not fatal.
func notifyOptions(ctx workflow.Context) workflow.Context {
	return workflow.WithActivityOptions(ctx, workflow.ActivityOptions{
		StartToCloseTimeout: 30 * time.Second,
		RetryPolicy:         &temporal.RetryPolicy{InitialInterval: 2 * time.Second, BackoffCoefficient: 2, MaximumAttempts: 8},
	})
}

// internalOptions: our own activities (documents) fail only while a
// dependency of ours is down, so they retry until it is back.
func internalOptions(ctx workflow.Context) workflow.Context {
	return workflow.WithActivityOptions(ctx, workflow.ActivityOptions{
		StartToCloseTimeout: time.Minute,
		RetryPolicy:         &temporal.RetryPolicy{InitialInterval: time.Second, BackoffCoefficient: 2, MaximumInterval: 5 * time.Minute},
	})
}
