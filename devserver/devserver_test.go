package devserver_test

import (
	"context"
	"path/filepath"
	"testing"
	"time"

	"go.temporal.io/api/workflowservice/v1"
	"go.temporal.io/sdk/client"
	"go.temporal.io/sdk/worker"
	"go.temporal.io/sdk/workflow"

	"github.com/motcua/motcua/devserver"
)

func waitForever(ctx workflow.Context) error {
	return workflow.Await(ctx, func() bool { return false })
}

// A workflow started before a restart is still there, and still running,
// after it: the SQLite file keeps Temporal's state.
func TestServerSurvivesRestart(t *testing.T) {
	ctx := context.Background()
	file := filepath.Join(t.TempDir(), "temporal.db")
	opts := devserver.Options{DatabaseFile: file, FrontendAddr: "127.0.0.1:0", Namespaces: []string{"default"}}

	srv, err := devserver.Start(ctx, opts)
	if err != nil {
		t.Fatal(err)
	}
	c, err := client.Dial(client.Options{HostPort: srv.Addr()})
	if err != nil {
		t.Fatal(err)
	}
	ns, err := c.WorkflowService().DescribeNamespace(ctx, &workflowservice.DescribeNamespaceRequest{Namespace: "default"})
	if err != nil {
		t.Fatalf("namespace default: %v", err)
	}
	if got := ns.GetNamespaceInfo().GetName(); got != "default" {
		t.Fatalf("namespace = %q", got)
	}
	run, err := c.ExecuteWorkflow(ctx, client.StartWorkflowOptions{ID: "restart-1", TaskQueue: "q"}, waitForever)
	if err != nil {
		t.Fatal(err)
	}
	c.Close()
	if err := srv.Stop(); err != nil {
		t.Fatal(err)
	}

	opts.FrontendAddr = "127.0.0.1:0"
	srv, err = devserver.Start(ctx, opts)
	if err != nil {
		t.Fatalf("restart: %v", err)
	}
	defer srv.Stop()
	c, err = client.Dial(client.Options{HostPort: srv.Addr()})
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	w := worker.New(c, "q", worker.Options{})
	w.RegisterWorkflow(waitForever)
	if err := w.Start(); err != nil {
		t.Fatal(err)
	}
	defer w.Stop()
	desc, err := c.DescribeWorkflowExecution(ctx, "restart-1", run.GetRunID())
	if err != nil {
		t.Fatalf("workflow lost across restart: %v", err)
	}
	if st := desc.GetWorkflowExecutionInfo().GetStatus().String(); st != "Running" {
		t.Fatalf("status after restart = %s", st)
	}
	// Still advancing: the restarted server hands its task to a worker.
	qctx, cancel := context.WithTimeout(ctx, 10*time.Second)
	defer cancel()
	if err := c.SignalWorkflow(qctx, "restart-1", "", "poke", nil); err != nil {
		t.Fatal(err)
	}
}
