package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"io"
	"io/fs"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"go.temporal.io/api/workflowservice/v1"
	"go.temporal.io/sdk/client"

	"github.com/motcua/motcua"
	"github.com/motcua/motcua/config"
	"github.com/motcua/motcua/devserver"
	"github.com/motcua/motcua/procedures"
)

func freeAddr(t *testing.T) string {
	addr, err := devserver.FreeAddr()
	if err != nil {
		t.Fatal(err)
	}
	return addr
}

// devProcess runs `motcua dev` in the test process until stop is called.
type devProcess struct {
	stop func() error
	base string
}

func startDev(t *testing.T, dataDir, httpAddr, temporalAddr, uiAddr string) devProcess {
	t.Helper()
	cfg, _, err := config.Load("", nil)
	if err != nil {
		t.Fatal(err)
	}
	cfg.DataDir, cfg.HTTP.Addr, cfg.Temporal.Address, cfg.Temporal.UIAddr = dataDir, httpAddr, temporalAddr, uiAddr
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
	httpAddr, temporalAddr, uiAddr := freeAddr(t), freeAddr(t), freeAddr(t)
	dev := startDev(t, dir, httpAddr, temporalAddr, uiAddr)
	checkWebUI(t, "http://"+uiAddr)

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
	cat, _ := procedures.Embedded()
	p, _ := cat.Get("dang-ky-thanh-lap-doanh-nghiep")
	var form any
	_ = json.Unmarshal(p.ExampleForm, &form)
	receipt := post(t, dev.base+"/cases", citizen, map[string]any{"procedure": p.Code, "form": form,
		"applicant": map[string]any{"name": "Nguyễn Văn An", "id_number": "079201001234"},
		"delivery":  map[string]any{"method": "counter"}}, "k1")
	code := receipt["code"].(string)
	// The case goes to the agency competent today (SKHDT until 28 Feb 2025).
	lead, _ := receipt["agency"].(string)
	if competent := cat.Competent(p.Code, time.Now()); len(competent) != 1 || competent[0].Code != lead {
		t.Fatalf("case %s led by %q, want the one agency competent today", code, lead)
	}
	officer := post(t, dev.base+"/dev/login", "", map[string]any{"role": "officer", "subject": "canbo", "agency": lead,
		"roles": []string{"receiver", "reviewer", "approver"}}, "")["token"].(string)
	post(t, dev.base+"/cases/"+code+"/actions/receive", officer, map[string]any{}, "r1")
	if err := dev.stop(); err != nil {
		t.Fatalf("clean shutdown: %v", err)
	}
	// A clean stop is marked, so the next start skips the check of the
	// last records; the start removes the mark (a crash must leave none).
	mark := filepath.Join(dir, "stopped-cleanly")
	if _, err := os.Stat(mark); err != nil {
		t.Fatalf("no mark of the clean stop: %v", err)
	}

	dev = startDev(t, dir, httpAddr, temporalAddr, uiAddr)
	stopped := false
	defer func() {
		if !stopped {
			dev.stop()
		}
	}()
	if _, err := os.Stat(mark); !errors.Is(err, fs.ErrNotExist) {
		t.Fatalf("the mark of the last clean stop is still there while running: %v", err)
	}
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
	stopped = true
	if err := dev.stop(); err != nil {
		t.Fatalf("clean shutdown: %v", err)
	}
	if _, err := os.Stat(mark); err != nil {
		t.Fatalf("no mark of the second clean stop: %v", err)
	}
}

// A port another program holds stops `motcua dev` with the setting that
// moves it named (flag and variable), and the start leaves nothing behind:
// no data directory, no keys.
func TestDevTakenPortNamesTheSettingAndLeavesNothing(t *testing.T) {
	for _, c := range []struct{ flag, env string }{
		{"--http-addr", "MOTCUA_HTTP_ADDR"},
		{"--sim-addr", "MOTCUA_SIM_ADDR"},
		{"--sim-smtp-addr", "MOTCUA_SIM_SMTP_ADDR"},
		{"--temporal-addr", "MOTCUA_TEMPORAL_ADDRESS"},
		{"--temporal-ui-addr", "MOTCUA_TEMPORAL_UI_ADDR"},
	} {
		t.Run(c.flag, func(t *testing.T) {
			held, err := net.Listen("tcp", "127.0.0.1:0")
			if err != nil {
				t.Fatal(err)
			}
			defer held.Close()
			dir := filepath.Join(t.TempDir(), "data")
			addrs := map[string]string{"--http-addr": freeAddr(t), "--sim-addr": freeAddr(t), "--sim-smtp-addr": freeAddr(t), "--temporal-addr": freeAddr(t),
				"--temporal-ui-addr": freeAddr(t)}
			addrs[c.flag] = held.Addr().String()
			args := []string{"dev", "--data-dir", dir}
			for f, a := range addrs {
				args = append(args, f, a)
			}
			root := rootCmd()
			root.SetArgs(args)
			ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
			defer cancel()
			err = root.ExecuteContext(ctx)
			if err == nil {
				t.Fatal("dev started on a port another program holds")
			}
			msg := err.Error()
			if !strings.Contains(msg, held.Addr().String()) || !strings.Contains(msg, c.flag+" / "+c.env) || !strings.Contains(msg, "in use") {
				t.Errorf("error does not say which setting moves the port: %s", msg)
			}
			if _, err := os.Stat(dir); !errors.Is(err, fs.ErrNotExist) {
				t.Errorf("the failed start left %s behind (%v)", dir, err)
			}
		})
	}
}

// A start that fails after it wrote its keys removes what it wrote, and
// only that: what the data directory held before stays.
func TestDevFailedStartRemovesWhatItCreated(t *testing.T) {
	if testing.Short() {
		t.Skip("starts the embedded Temporal server")
	}
	dir := t.TempDir()
	mine := filepath.Join(dir, "notes.txt")
	if err := os.WriteFile(mine, []byte("mine"), 0o600); err != nil {
		t.Fatal(err)
	}
	// The read model's file is a directory: the start fails at the store,
	// after the secret, the signing key and Temporal's files exist.
	if err := os.Mkdir(filepath.Join(dir, "motcua.db"), 0o750); err != nil {
		t.Fatal(err)
	}
	cfg, _, err := config.Load("", nil)
	if err != nil {
		t.Fatal(err)
	}
	cfg.DataDir, cfg.HTTP.Addr, cfg.Temporal.Address, cfg.Sim.Addr, cfg.Sim.SMTPAddr = dir, freeAddr(t), freeAddr(t), freeAddr(t), freeAddr(t)
	cfg.Temporal.UIAddr = freeAddr(t)
	cfg.Log.Level = "error"
	if err := runDev(context.Background(), io.Discard, cfg); err == nil {
		t.Fatal("dev started with a directory for its database file")
	}
	entries, _ := os.ReadDir(dir)
	var left []string
	for _, e := range entries {
		left = append(left, e.Name())
	}
	if strings.Join(left, " ") != "motcua.db notes.txt" {
		t.Errorf("after the failed start the data directory holds %v, want only what was there before", left)
	}
}

// `motcua dev --help` offers the simulator's ports.
func TestDevHelpOffersSimulatorPorts(t *testing.T) {
	root := rootCmd()
	var out strings.Builder
	root.SetOut(&out)
	root.SetArgs([]string{"dev", "--help"})
	if err := root.Execute(); err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"--temporal-ui-addr", "MOTCUA_TEMPORAL_UI_ADDR", "127.0.0.1:8233", "--sim-addr", "MOTCUA_SIM_ADDR", "127.0.0.1:8091", "--sim-smtp-addr", "MOTCUA_SIM_SMTP_ADDR", "127.0.0.1:2525", "--http-addr", "MOTCUA_HTTP_ADDR"} {
		if !strings.Contains(out.String(), want) {
			t.Errorf("dev --help does not mention %s:\n%s", want, out.String())
		}
	}
}

// `motcua sim` names its settings too.
func TestSimTakenPortNamesTheSetting(t *testing.T) {
	held, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer held.Close()
	for flag, want := range map[string]string{"--addr": "--addr / MOTCUA_SIM_ADDR", "--smtp-addr": "--smtp-addr / MOTCUA_SIM_SMTP_ADDR"} {
		args := map[string]string{"--addr": freeAddr(t), "--smtp-addr": freeAddr(t)}
		args[flag] = held.Addr().String()
		root := rootCmd()
		root.SetOut(io.Discard)
		root.SetArgs([]string{"sim", "--addr", args["--addr"], "--smtp-addr", args["--smtp-addr"]})
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		err := root.ExecuteContext(ctx)
		cancel()
		if err == nil || !strings.Contains(err.Error(), want) || !strings.Contains(err.Error(), held.Addr().String()) {
			t.Errorf("sim %s on a taken port: %v", flag, err)
		}
	}
}

// checkWebUI: `motcua dev` serves the Temporal Web UI, whose API reaches the
// embedded server (it lists the namespace and the case search attributes).
func checkWebUI(t *testing.T, base string) {
	t.Helper()
	get := func(path string) string {
		t.Helper()
		res, err := http.Get(base + path)
		if err != nil {
			t.Fatalf("temporal web ui: %v", err)
		}
		defer res.Body.Close()
		b, _ := io.ReadAll(res.Body)
		if res.StatusCode != http.StatusOK {
			t.Fatalf("temporal web ui %s: %d %.300s", path, res.StatusCode, b)
		}
		return string(b)
	}
	if page := get("/"); !strings.Contains(page, "<html") {
		t.Errorf("web ui page: %.300s", page)
	}
	if ns := get("/api/v1/namespaces"); !strings.Contains(ns, `"default"`) {
		t.Errorf("web ui lists no namespace default: %.300s", ns)
	}
	if sa := get("/api/v1/namespaces/default/search-attributes"); !strings.Contains(sa, "CaseOverdue") {
		t.Errorf("web ui shows no case search attributes: %.500s", sa)
	}
}
