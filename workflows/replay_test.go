package workflows_test

import (
	"log/slog"
	"path/filepath"
	"strings"
	"testing"

	tlog "go.temporal.io/sdk/log"
	"go.temporal.io/sdk/worker"
	"go.temporal.io/sdk/workflow"

	"github.com/motcua/motcua/workflows"
)

// Every recorded history (one per terminal path of each shape and version,
// recorded from the real server by e2e.TestRecordHistories) must replay
// against the current code. A change that alters a shape's commands without
// workflow.GetVersion fails here: cases in flight would break.
func TestReplayRecordedHistories(t *testing.T) {
	files, err := filepath.Glob(filepath.Join("testdata", "histories", "*.json"))
	if err != nil {
		t.Fatal(err)
	}
	// Both shapes, recorded both before the level4 version (_v0) and at
	// it (_v1), including its own paths.
	seen := map[string]bool{}
	for _, f := range files {
		name := strings.TrimSuffix(filepath.Base(f), ".json")
		seen[strings.SplitN(name, "_", 2)[0]+"/"+name[len(name)-2:]] = true
		seen[name] = true
	}
	for _, want := range []string{"standard/v0", "complaint/v0", "standard/v1", "complaint/v1",
		"standard_level4_paid_posted_v1", "standard_level4_reconciled_v1", "standard_level4_refunded_v1"} {
		if !seen[want] {
			t.Fatalf("no recorded history %s among %v", want, files)
		}
	}
	logger := tlog.NewStructuredLogger(slog.New(slog.DiscardHandler))
	for _, f := range files {
		t.Run(strings.TrimSuffix(filepath.Base(f), ".json"), func(t *testing.T) {
			r := worker.NewWorkflowReplayer()
			r.RegisterWorkflowWithOptions(workflows.StandardCase, workflow.RegisterOptions{Name: workflows.StandardWorkflow})
			r.RegisterWorkflowWithOptions(workflows.ComplaintCase, workflow.RegisterOptions{Name: workflows.ComplaintWorkflow})
			if err := r.ReplayWorkflowHistoryFromJSONFile(logger, f); err != nil {
				t.Fatalf("replay %s: %v", f, err)
			}
		})
	}
}
