package bench

import (
	"context"
	"errors"
	"time"

	"go.temporal.io/sdk/activity"
	"go.temporal.io/sdk/temporal"
	"go.temporal.io/sdk/worker"
	"go.temporal.io/sdk/workflow"
)

// The bare workflow is Temporal's own floor for a case: the same number of
// Updates as a motcua case takes, each validated and followed by one no-op
// activity, on the same server, without motcua's state, read model or HTTP.

const (
	bareWorkflow = "BenchBareCase"
	bareQueue    = "bench-bare"
	bareAction   = "act"
	bareSubmit   = "submit"
)

// bareInput says how many actions the case takes after its submission.
type bareInput struct {
	Actions int `json:"actions"`
}

// bareCase answers a submit Update (with the start), then Actions action
// Updates, each running the no-op activity before it answers.
func bareCase(ctx workflow.Context, in bareInput) (int, error) {
	done, busy := 0, false
	actx := workflow.WithActivityOptions(ctx, workflow.ActivityOptions{StartToCloseTimeout: 10 * time.Second,
		RetryPolicy: &temporal.RetryPolicy{MaximumAttempts: 3}})
	run := func(ctx workflow.Context) (int, error) {
		busy = true
		defer func() { busy = false }()
		if err := workflow.ExecuteActivity(actx, noop, done).Get(ctx, nil); err != nil {
			return 0, err
		}
		done++
		return done, nil
	}
	validate := func(ctx workflow.Context) error {
		if busy || done > in.Actions {
			return errors.New("busy")
		}
		return nil
	}
	if err := workflow.SetUpdateHandlerWithOptions(ctx, bareSubmit, run, workflow.UpdateHandlerOptions{Validator: validate}); err != nil {
		return 0, err
	}
	if err := workflow.SetUpdateHandlerWithOptions(ctx, bareAction, run, workflow.UpdateHandlerOptions{Validator: validate}); err != nil {
		return 0, err
	}
	if err := workflow.Await(ctx, func() bool { return done > in.Actions && !busy }); err != nil {
		return 0, err
	}
	return done, workflow.Await(ctx, func() bool { return workflow.AllHandlersFinished(ctx) })
}

// noop is the activity every action runs.
func noop(_ context.Context, n int) (int, error) { return n, nil }

func registerBare(w worker.Worker) {
	w.RegisterWorkflowWithOptions(bareCase, workflow.RegisterOptions{Name: bareWorkflow})
	w.RegisterActivityWithOptions(noop, activity.RegisterOptions{Name: "noop"})
}
