package workflows_test

import (
	"errors"
	"testing"
	"time"

	"go.temporal.io/sdk/testsuite"

	"github.com/motcua/motcua"
	"github.com/motcua/motcua/workflows"
)

// A case told that the read model shows a record it never made durable
// (SignalResync) records itself again as it stands, from the workflow
// task that took the signal: the event of its version again, its open
// actions, the task's history length as the clock that lets the store
// replace the lost record. It then goes on as before.
func TestResyncRecordsAgain(t *testing.T) {
	h := newHarness(t)
	h.env.SetCurrentHistoryLength(5)
	before := -1
	h.env.RegisterDelayedCallback(func() {
		before = len(h.records)
		h.env.SetCurrentHistoryLength(40)
		h.env.SignalWorkflow(workflows.SignalResync, nil)
	}, time.Minute)
	withdrawn := errors.New("the withdrawal was not answered")
	h.env.RegisterDelayedCallback(func() {
		h.env.UpdateWorkflow(string(motcua.ActionWithdraw), "w", &testsuite.TestUpdateCallback{
			OnAccept: func() {}, OnReject: func(err error) { withdrawn = err }, OnComplete: func(_ any, err error) { withdrawn = err },
		}, motcua.ActionRequest{Actor: citizen, Reason: "Không còn nhu cầu"})
	}, 2*time.Minute)
	h.env.ExecuteWorkflow(standardWF, input(procedure(), motcua.DeliveryCounter))
	if err := h.env.GetWorkflowError(); err != nil || withdrawn != nil {
		t.Fatalf("workflow: %v, withdraw: %v", err, withdrawn)
	}
	if before < 1 || len(h.records) < before+2 {
		t.Fatalf("%d records, %d before the signal", len(h.records), before)
	}
	last, again := h.records[before-1], h.records[before]
	for _, r := range h.records[:before] {
		if r.Clock != 5 {
			t.Fatalf("a record before the signal has clock %d, want the task's history length 5", r.Clock)
		}
	}
	if again.Clock != 40 || again.Case.Version != last.Case.Version || len(again.Events) != 1 ||
		again.Events[0].Seq != last.Case.Version || again.Case.Status != last.Case.Status ||
		len(again.Case.Actions) == 0 || len(again.Case.Actions) != len(last.Case.Actions) {
		t.Fatalf("record after the signal: clock %d, version %d, events %v, status %s, actions %v; the one before: version %d, status %s, actions %v",
			again.Clock, again.Case.Version, again.Events, again.Case.Status, again.Case.Actions,
			last.Case.Version, last.Case.Status, last.Case.Actions)
	}
	if end := h.records[len(h.records)-1]; end.Case.Status != motcua.StatusWithdrawn || end.Case.Version != last.Case.Version+1 {
		t.Fatalf("after the resync the case ends %s at version %d", end.Case.Status, end.Case.Version)
	}
}
