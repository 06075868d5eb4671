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

// Every recorded history (one per terminal path of each shape, recorded from
// the real server by e2e.TestRecordHistories) must replay against the
// current code. A change that alters a shape's commands without
// workflow.GetVersion fails here: cases in flight would break.
func TestReplayRecordedHistories(t *testing.T) {
	files, err := filepath.Glob(filepath.Join("testdata", "histories", "*.json"))
	if err != nil {
		t.Fatal(err)
	}
	shapes := map[string]bool{}
	for _, f := range files {
		shapes[strings.SplitN(filepath.Base(f), "_", 2)[0]] = true
	}
	if len(files) < 10 || !shapes["standard"] || !shapes["complaint"] {
		t.Fatalf("expected recorded histories of both shapes, found %v", files)
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
