package workflows_test

import (
	"fmt"
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
	// Every shape of the registry, recorded at every version (a shape
	// added without recording its histories fails here), and the paths of
	// the back-ends version.
	seen := map[string]bool{}
	for _, f := range files {
		name := strings.TrimSuffix(filepath.Base(f), ".json")
		shape, _, _ := strings.Cut(name, "_")
		version := name[strings.LastIndex(name, "_")+1:]
		seen[shape+"/"+version] = true
		seen[name] = true
	}
	want := []string{"standard_level4_paid_posted_v1", "standard_level4_reconciled_v1", "standard_level4_refunded_v1"}
	for _, s := range workflows.Shapes() {
		for v := s.Since; v <= workflows.CurrentVersion; v++ {
			want = append(want, fmt.Sprintf("%s/v%d", s.Name, v))
		}
	}
	for _, w := range want {
		if !seen[w] {
			t.Fatalf("no recorded history %s among %v", w, files)
		}
	}
	logger := tlog.NewStructuredLogger(slog.New(slog.DiscardHandler))
	for _, f := range files {
		t.Run(strings.TrimSuffix(filepath.Base(f), ".json"), func(t *testing.T) {
			r := worker.NewWorkflowReplayer()
			workflows.RegisterShapes(r)
			r.RegisterWorkflowWithOptions(workflows.HandoverWorkflow, workflow.RegisterOptions{Name: workflows.HandoverWorkflowName})
			if err := r.ReplayWorkflowHistoryFromJSONFile(logger, f); err != nil {
				t.Fatalf("replay %s: %v", f, err)
			}
		})
	}
}
