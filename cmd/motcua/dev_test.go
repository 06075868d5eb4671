package main

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"net"
	"net/http"
	"testing"
	"time"

	"go.temporal.io/api/workflowservice/v1"
	"go.temporal.io/sdk/client"

	"github.com/motcua/motcua"
	"github.com/motcua/motcua/config"
	"github.com/motcua/motcua/procedures"
)

func freeAddr(t *testing.T) string {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	return l.Addr().String()
}

// devProcess runs `motcua dev` in the test process until stop is called.
type devProcess struct {
	stop func() error
	base string
}

func startDev(t *testing.T, dataDir, httpAddr, temporalAddr string) devProcess {
	t.Helper()
	cfg, _, err := config.Load("", nil)
	if err != nil {
		t.Fatal(err)
	}
	cfg.DataDir, cfg.HTTP.Addr, cfg.Temporal.Address = dataDir, httpAddr, temporalAddr
	cfg.Log.Level = "error"
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- runDev(ctx, io.Discard, cfg) }()
	base := "http://" + httpAddr
	deadline := time.Now().Add(30 * time.Second)
	for {
		res, err := http.Get(base + "/readyz")
		if err == nil {
			res.Body.Close()
			if res.StatusCode == 200 {
				break
			}
		}
		select {
		case err := <-done:
			cancel()
			t.Fatalf("motcua dev exited: %v", err)
		default:
		}
		if time.Now().After(deadline) {
			cancel()
			t.Fatal("motcua dev never became ready")
		}
		time.Sleep(50 * time.Millisecond)
	}
	return devProcess{base: base + "/api/v1", stop: func() error { cancel(); return <-done }}
}

func post(t *testing.T, url, token string, body any, key string) map[string]any {
	t.Helper()
	b, _ := json.Marshal(body)
	req, _ := http.NewRequest("POST", url, bytes.NewReader(b))
	req.Header.Set("Content-Type", "application/json")
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	if key != "" {
		req.Header.Set("Idempotency-Key", key)
	}
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	out, _ := io.ReadAll(res.Body)
	if res.StatusCode >= 300 {
		t.Fatalf("POST %s: %d %s", url, res.StatusCode, out)
	}
	var m map[string]any
	_ = json.Unmarshal(out, &m)
	return m
}

// The embedded default keeps its state across a restart: a case submitted
// and received before is still there after, on the same data directory,
// and still advances. Temporal's namespace answers at the configured
// address for the CLI and SDKs.
func TestDevSurvivesRestart(t *testing.T) {
	if testing.Short() {
		t.Skip("starts the whole system twice")
	}
	dir := t.TempDir()
	httpAddr, temporalAddr := freeAddr(t), freeAddr(t)
	dev := startDev(t, dir, httpAddr, temporalAddr)

	c, err := client.Dial(client.Options{HostPort: temporalAddr})
	if err != nil {
		t.Fatal(err)
	}
	ns, err := c.WorkflowService().ListNamespaces(context.Background(), &workflowservice.ListNamespacesRequest{})
	c.Close()
	if err != nil {
		t.Fatal(err)
	}
	found := false
	for _, n := range ns.GetNamespaces() {
		found = found || n.GetNamespaceInfo().GetName() == "default"
	}
	if !found {
		t.Fatal("namespace default is not listed")
	}

	citizen := post(t, dev.base+"/dev/login", "", map[string]any{"role": "citizen", "subject": "079201001234"}, "")["token"].(string)
	officer := post(t, dev.base+"/dev/login", "", map[string]any{"role": "officer", "subject": "canbo", "agency": "SKHDT",
		"roles": []string{"receiver", "reviewer", "approver"}}, "")["token"].(string)
	cat, _ := procedures.Embedded()
	p, _ := cat.Get("dang-ky-thanh-lap-doanh-nghiep")
	var form any
	_ = json.Unmarshal(p.ExampleForm, &form)
	receipt := post(t, dev.base+"/cases", citizen, map[string]any{"procedure": p.Code, "form": form,
		"applicant": map[string]any{"name": "Nguyễn Văn An", "id_number": "079201001234"},
		"delivery":  map[string]any{"method": "counter"}}, "k1")
	code := receipt["code"].(string)
	post(t, dev.base+"/cases/"+code+"/actions/receive", officer, map[string]any{}, "r1")
	if err := dev.stop(); err != nil {
		t.Fatalf("clean shutdown: %v", err)
	}

	dev = startDev(t, dir, httpAddr, temporalAddr)
	defer dev.stop()
	req, _ := http.NewRequest("GET", dev.base+"/cases/"+code, nil)
	req.Header.Set("Authorization", "Bearer "+officer)
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	var before motcua.Case
	_ = json.NewDecoder(res.Body).Decode(&before)
	res.Body.Close()
	if before.Status != motcua.StatusInReview || before.DueAt == nil {
		t.Fatalf("after restart: %d %s", res.StatusCode, before.Status)
	}
	after := post(t, dev.base+"/cases/"+code+"/actions/review", officer, map[string]any{"note": "sau khi khởi động lại"}, "v1")
	if after["status"] != string(motcua.StatusAwaitingApproval) {
		t.Fatalf("did not advance after restart: %v", after["status"])
	}
	c, err = client.Dial(client.Options{HostPort: temporalAddr})
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	desc, err := c.DescribeWorkflowExecution(context.Background(), code, "")
	if err != nil || desc.GetWorkflowExecutionInfo().GetStatus().String() != "Running" {
		t.Fatalf("workflow %s after restart: %v %v", code, desc, err)
	}
}
