package e2e

// Helpers of the tests that run motcua as the operating system runs it: the
// binary built once, its processes started, killed with SIGKILL and
// restarted, and a driver that plays citizens, officers and the payer over
// HTTP while they crash, retrying as a browser or a client library would.

import (
	"bytes"
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	enumspb "go.temporal.io/api/enums/v1"
	"go.temporal.io/api/workflowservice/v1"
	"go.temporal.io/sdk/client"

	"github.com/motcua/motcua"
	"github.com/motcua/motcua/devserver"
)

var (
	binaryOnce sync.Once
	binaryPath string
	binaryErr  error
	binaryDir  string
)

// motcuaBinary builds cmd/motcua once per test binary, as a deployment
// builds it; removeBinary (TestMain) deletes it. MOTCUA_TEST_BINARY names
// one built already instead (to iterate on these tests).
func motcuaBinary(t *testing.T) string {
	t.Helper()
	if bin := os.Getenv("MOTCUA_TEST_BINARY"); bin != "" {
		return bin
	}
	binaryOnce.Do(func() {
		started := time.Now()
		if binaryDir, binaryErr = os.MkdirTemp("", "motcua-e2e-bin-"); binaryErr != nil {
			return
		}
		binaryPath = filepath.Join(binaryDir, "motcua")
		cmd := exec.Command("go", "build", "-o", binaryPath, "github.com/motcua/motcua/cmd/motcua")
		cmd.Dir = ".."
		if out, err := cmd.CombinedOutput(); err != nil {
			binaryErr = fmt.Errorf("go build: %v\n%s", err, out)
			return
		}
		t.Logf("built motcua in %s", time.Since(started).Round(time.Millisecond))
	})
	if binaryErr != nil {
		t.Fatal(binaryErr)
	}
	return binaryPath
}

func removeBinary() {
	if binaryDir != "" {
		_ = os.RemoveAll(binaryDir)
	}
}

// proc is one motcua process, its output in a file.
type proc struct {
	t    *testing.T
	name string
	cmd  *exec.Cmd
	out  string
	done chan struct{}
	err  error
}

// startProc starts bin with args and an environment of only env (plus
// PATH and HOME): no MOTCUA_* of the test's own leaks in.
func startProc(t *testing.T, bin, name string, env []string, args ...string) *proc {
	t.Helper()
	out := filepath.Join(t.TempDir(), name+".log")
	f, err := os.Create(out)
	if err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command(bin, args...)
	cmd.Env = append([]string{"PATH=" + os.Getenv("PATH"), "HOME=" + os.Getenv("HOME")}, env...)
	cmd.Stdout, cmd.Stderr = f, f
	if err := cmd.Start(); err != nil {
		f.Close()
		t.Fatalf("start %s: %v", name, err)
	}
	p := &proc{t: t, name: name, cmd: cmd, out: out, done: make(chan struct{})}
	go func() {
		p.err = cmd.Wait()
		f.Close()
		close(p.done)
	}()
	t.Cleanup(func() {
		p.kill()
		if t.Failed() {
			t.Logf("--- %s output (last 3000 bytes):\n%s", name, p.tail(3000))
		}
	})
	return p
}

// kill sends SIGKILL, as a crash or the OOM killer would, and waits.
func (p *proc) kill() {
	select {
	case <-p.done:
		return
	default:
	}
	_ = p.cmd.Process.Signal(syscall.SIGKILL)
	<-p.done
}

// stop sends SIGTERM and waits for a clean exit, killing after 30 s.
func (p *proc) stop() {
	_ = p.cmd.Process.Signal(syscall.SIGTERM)
	select {
	case <-p.done:
	case <-time.After(30 * time.Second):
		p.t.Errorf("%s did not stop within 30 s of SIGTERM", p.name)
		p.kill()
	}
}

// exited reports whether the process has ended on its own.
func (p *proc) exited() bool {
	select {
	case <-p.done:
		return true
	default:
		return false
	}
}

func (p *proc) tail(n int) string {
	b, _ := os.ReadFile(p.out)
	if len(b) > n {
		b = b[len(b)-n:]
	}
	return string(b)
}

// waitReady polls base/readyz until it answers 200.
func (p *proc) waitReady(base string, within time.Duration) {
	p.t.Helper()
	deadline := time.Now().Add(within)
	for {
		res, err := http.Get(base + "/readyz")
		if err == nil {
			res.Body.Close()
			if res.StatusCode == http.StatusOK {
				return
			}
		}
		if p.exited() {
			p.t.Fatalf("%s exited: %v\n%s", p.name, p.err, p.tail(3000))
		}
		if time.Now().After(deadline) {
			p.t.Fatalf("%s not ready at %s within %s\n%s", p.name, base, within, p.tail(3000))
		}
		time.Sleep(100 * time.Millisecond)
	}
}

// waitLog waits until the process's output contains s.
func (p *proc) waitLog(s string, within time.Duration) {
	p.t.Helper()
	deadline := time.Now().Add(within)
	for {
		if b, _ := os.ReadFile(p.out); bytes.Contains(b, []byte(s)) {
			return
		}
		if p.exited() {
			p.t.Fatalf("%s exited: %v\n%s", p.name, p.err, p.tail(3000))
		}
		if time.Now().After(deadline) {
			p.t.Fatalf("%s never logged %q\n%s", p.name, s, p.tail(3000))
		}
		time.Sleep(100 * time.Millisecond)
	}
}

// freeLocalAddr is a 127.0.0.1 address nobody listens on now, for a child
// process to bind (below the ephemeral range: CI failed once when a port
// picked from it was taken before motcua dev started).
func freeLocalAddr(t *testing.T) string {
	t.Helper()
	addr, err := devserver.FreeAddr()
	if err != nil {
		t.Fatal(err)
	}
	return addr
}

// crashStats are the figures of a run through crashes: what the clients
// saw. lost, doubled and 5xx other than 503 must all be zero.
type crashStats struct {
	requests, retried  atomic.Int64
	transport          atomic.Int64 // connection refused or cut: retried with the same key
	unavailable        atomic.Int64 // 503 "send again with the same key": retried
	serverErrors       atomic.Int64 // any other 5xx: a failure
	conflictsOnRetry   atomic.Int64 // 409 to a same-key retry: the case is read again
	conflicts          atomic.Int64 // 409 to a first attempt
	payments           atomic.Int64 // payment pages answered
	mu                 sync.Mutex
	serverErrorSamples []string
}

func (s *crashStats) String() string {
	return fmt.Sprintf("requests %d (retried %d): transport errors %d, 503 %d, other 5xx %d, 409 on a retry %d, 409 first time %d, payments %d",
		s.requests.Load(), s.retried.Load(), s.transport.Load(), s.unavailable.Load(), s.serverErrors.Load(),
		s.conflictsOnRetry.Load(), s.conflicts.Load(), s.payments.Load())
}

// crashDriver takes cases from submission to delivery over HTTP while the
// processes behind base crash and come back.
type crashDriver struct {
	base     string // the API, e.g. http://127.0.0.1:8080
	procName string // the procedure every case runs
	run      string // tells this run's cases and keys apart
	citizen  func(i int) string
	officer  func(agency string) string
	client   *http.Client
	stats    crashStats
	// patience is how long one request is retried while the API is away.
	patience time.Duration
	// onStep, if set, is called after each step a case took: filed, an
	// action taken, a fee paid.
	onStep func()
}

func (d *crashDriver) stepped() {
	if d.onStep != nil {
		d.onStep()
	}
}

var errConflict = errors.New("409")

func newCrashDriver(base, procedure string, citizen func(int) string, officer func(string) string) *crashDriver {
	return &crashDriver{base: base, procName: procedure, run: randomHex(4), citizen: citizen, officer: officer,
		client:   &http.Client{Transport: contractTransport{next: &http.Transport{MaxIdleConnsPerHost: 64}}, Timeout: 45 * time.Second},
		patience: 3 * time.Minute}
}

// do sends a request until it gets an answer that is not a crash's: a cut
// connection or a 503 is sent again with the same Idempotency-Key, as the
// API asks. A 409 returns errConflict (the caller reads the case again).
func (d *crashDriver) do(ctx context.Context, method, path, token string, body any, key string, out any) error {
	var raw []byte
	if body != nil {
		raw, _ = json.Marshal(body)
	}
	deadline := time.Now().Add(d.patience)
	for attempt := 0; ; attempt++ {
		if attempt > 0 {
			d.stats.retried.Add(1)
			select {
			case <-ctx.Done():
				return ctx.Err()
			case <-time.After(250 * time.Millisecond):
			}
		}
		if time.Now().After(deadline) {
			return fmt.Errorf("%s %s: no answer within %s", method, path, d.patience)
		}
		d.stats.requests.Add(1)
		req, _ := http.NewRequestWithContext(ctx, method, d.base+path, bytes.NewReader(raw))
		if body != nil {
			req.Header.Set("Content-Type", "application/json")
		}
		if token != "" {
			req.Header.Set("Authorization", "Bearer "+token)
		}
		if key != "" {
			req.Header.Set("Idempotency-Key", key)
		}
		res, err := d.client.Do(req)
		if err != nil {
			if strings.Contains(err.Error(), "answer breaks api/openapi.json") {
				return fmt.Errorf("%s %s: %w", method, path, err)
			}
			d.stats.transport.Add(1)
			continue
		}
		answer, _ := io.ReadAll(res.Body)
		res.Body.Close()
		switch {
		case res.StatusCode/100 == 2:
			if out != nil {
				return json.Unmarshal(answer, out)
			}
			return nil
		case res.StatusCode == http.StatusServiceUnavailable:
			d.stats.unavailable.Add(1)
			continue
		case res.StatusCode >= 500:
			d.stats.serverErrors.Add(1)
			d.stats.mu.Lock()
			d.stats.serverErrorSamples = append(d.stats.serverErrorSamples, fmt.Sprintf("%s %s: %d %s", method, path, res.StatusCode, answer))
			d.stats.mu.Unlock()
			continue
		case res.StatusCode == http.StatusConflict:
			if attempt > 0 {
				d.stats.conflictsOnRetry.Add(1)
			} else {
				d.stats.conflicts.Add(1)
			}
			return errConflict
		default:
			return fmt.Errorf("%s %s: %d %s", method, path, res.StatusCode, answer)
		}
	}
}

// submission is case i's filing: the procedure's example form with an
// enterprise name of its own (the registry refuses a name taken).
func (d *crashDriver) submission(ctx context.Context, i int) (map[string]any, error) {
	var p struct {
		ExampleForm map[string]any `json:"example_form"`
	}
	if err := d.do(ctx, "GET", "/api/v1/procedures/"+d.procName, "", nil, "", &p); err != nil {
		return nil, err
	}
	if ent, ok := p.ExampleForm["enterprise"].(map[string]any); ok {
		ent["name_vi"] = fmt.Sprintf("Công ty TNHH Bền Bỉ %s %d", strings.ToUpper(d.run), i)
	}
	return map[string]any{"procedure": d.procName, "form": p.ExampleForm, "on_behalf": true,
		"applicant": map[string]any{"name": "Hồ Công Sơn", "id_number": "049090001234", "phone": "0905123456", "email": "son@example.vn"},
		"delivery":  map[string]any{"method": motcua.DeliveryCounter}}, nil
}

// runCase files case i and takes it to a closed status: officers take each
// action offered, the payer pays each order once. It returns the code.
func (d *crashDriver) runCase(ctx context.Context, i int) (string, error) {
	body, err := d.submission(ctx, i)
	if err != nil {
		return "", err
	}
	key := fmt.Sprintf("crash-%s-%d", d.run, i)
	citizen := d.citizen(i)
	var cs motcua.Case
	// A retry whose key a crashed request still holds is answered 409
	// until that hold lapses (action_timeout + 10 s): sent again, as the
	// message asks, it gets the case the first request filed.
	for deadline := time.Now().Add(d.patience); ; {
		err := d.do(ctx, "POST", "/api/v1/cases", citizen, body, key, &cs)
		if err == nil {
			break
		}
		if !errors.Is(err, errConflict) || time.Now().After(deadline) {
			return "", fmt.Errorf("submit: %w", err)
		}
		time.Sleep(time.Second)
	}
	d.stepped()
	code := cs.Code
	taken := map[motcua.Action]int{}
	paid := map[string]bool{}
	deadline := time.Now().Add(4 * time.Minute)
	for !cs.Status.Final() {
		if time.Now().After(deadline) {
			return code, fmt.Errorf("case %s still %s (version %d, actions %v) after 4 minutes: %v", code, cs.Status, cs.Version, cs.Actions, statuses(cs))
		}
		if p, ok := nextAction(cs); ok {
			step := fmt.Sprintf("%s-%s-%d", key, p.Action, taken[p.Action])
			var next motcua.Case
			err := d.do(ctx, "POST", "/api/v1/cases/"+code+"/actions/"+string(p.Action), d.officer(p.Agency), actionBody(p.Action), step, &next)
			switch {
			case err == nil:
				d.stepped()
				taken[p.Action]++
				cs = next
				continue
			case !errors.Is(err, errConflict):
				return code, err
			}
			// Refused as the case moved on (or a retry of an action the
			// crash hid): read it again.
		} else if pay := pendingPayment(cs); pay != nil && !paid[pay.ID] {
			if err := d.pay(ctx, pay.PayURL); err != nil {
				return code, err
			}
			paid[pay.ID] = true
			d.stepped()
		}
		select {
		case <-ctx.Done():
			return code, ctx.Err()
		case <-time.After(300 * time.Millisecond):
		}
		if err := d.do(ctx, "GET", "/api/v1/cases/"+code, citizen, nil, "", &cs); err != nil {
			return code, err
		}
	}
	return code, nil
}

// nextAction is the action an officer takes next on the happy path.
func nextAction(cs motcua.Case) (motcua.Permission, bool) {
	// The fee is paid online, at the gateway (confirm_payment, the cashier's
	// way, is not taken).
	for _, want := range []motcua.Action{motcua.ActionReceive, motcua.ActionReview, motcua.ActionCoReview, motcua.ActionApprove,
		motcua.ActionIssue, motcua.ActionDeliver} {
		for _, p := range cs.Actions {
			if p.Action == want && p.Subject == "" {
				return p, true
			}
		}
	}
	return motcua.Permission{}, false
}

func actionBody(a motcua.Action) map[string]any {
	switch a {
	case motcua.ActionCoReview:
		return map[string]any{"data": map[string]any{"agree": true}}
	}
	return map[string]any{}
}

func pendingPayment(cs motcua.Case) *motcua.Payment {
	for i, p := range cs.Payments {
		if p.Status == motcua.PaymentPending && p.PayURL != "" {
			return &cs.Payments[i]
		}
	}
	return nil
}

// pay answers the gateway's payment page as the payer would, again if the
// gateway is away.
func (d *crashDriver) pay(ctx context.Context, payURL string) error {
	deadline := time.Now().Add(d.patience)
	for {
		req, _ := http.NewRequestWithContext(ctx, "POST", payURL, strings.NewReader(url.Values{"result": {"success"}}.Encode()))
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		res, err := http.DefaultClient.Do(req)
		if err == nil {
			res.Body.Close()
			if res.StatusCode == http.StatusOK {
				d.stats.payments.Add(1)
				return nil
			}
			err = fmt.Errorf("pay page answered %d", res.StatusCode)
		}
		if time.Now().After(deadline) {
			return err
		}
		time.Sleep(250 * time.Millisecond)
	}
}

// runCases runs n cases at once and returns their codes by index, and the
// errors of those that did not close.
func (d *crashDriver) runCases(ctx context.Context, n int, progress func(i int)) ([]string, []error) {
	codes, errs := make([]string, n), make([]error, n)
	var wg sync.WaitGroup
	for i := range n {
		wg.Go(func() {
			codes[i], errs[i] = d.runCase(ctx, i)
			if progress != nil {
				progress(i)
			}
		})
	}
	wg.Wait()
	return codes, slices.DeleteFunc(errs, func(err error) bool { return err == nil })
}

// checkExactlyOnce checks each case as the read model shows it through the
// API: completed; its timeline numbered 1..n without a gap or a repeat; each
// step of the happy path taken once; one payment, paid; one result. Codes
// are distinct. It returns the count of cases that are not right.
func (d *crashDriver) checkExactlyOnce(t *testing.T, ctx context.Context, codes []string, token string) int {
	t.Helper()
	bad := 0
	seen := map[string]int{}
	for i, code := range codes {
		if code == "" {
			t.Errorf("case %d has no code", i)
			bad++
			continue
		}
		if j, dup := seen[code]; dup {
			t.Errorf("cases %d and %d got the same code %s", j, i, code)
			bad++
		}
		seen[code] = i
		var cs motcua.Case
		if err := d.do(ctx, "GET", "/api/v1/cases/"+code, token, nil, "", &cs); err != nil {
			t.Errorf("case %s: %v", code, err)
			bad++
			continue
		}
		if problems := exactlyOnce(cs); len(problems) > 0 {
			t.Errorf("case %s: %s\n  timeline %v", code, strings.Join(problems, "; "), statuses(cs))
			bad++
		}
	}
	return bad
}

// exactlyOnce lists what is wrong with a closed case of the happy path.
func exactlyOnce(cs motcua.Case) []string {
	var problems []string
	if cs.Status != motcua.StatusCompleted {
		problems = append(problems, "status "+string(cs.Status))
	}
	for i, ev := range cs.Timeline {
		if ev.Seq != i+1 {
			problems = append(problems, fmt.Sprintf("timeline entry %d has seq %d", i+1, ev.Seq))
			break
		}
	}
	if cs.Version != len(cs.Timeline) {
		problems = append(problems, fmt.Sprintf("version %d, %d timeline entries", cs.Version, len(cs.Timeline)))
	}
	for _, a := range []motcua.Action{motcua.ActionSubmit, motcua.ActionReceive, motcua.ActionReview, motcua.ActionApprove,
		motcua.EventPaymentOrdered, motcua.ActionIssue, motcua.EventResultSigned, motcua.ActionDeliver} {
		if n := count(cs, a); n != 1 {
			problems = append(problems, fmt.Sprintf("%s %d times", a, n))
		}
	}
	// The fee is paid once: the gateway's callback, or (the callback lost
	// in a crash) the gateway asked.
	if n := count(cs, motcua.ActionPaymentResult) + count(cs, motcua.EventPaymentReconciled); n != 1 {
		problems = append(problems, fmt.Sprintf("payment recorded %d times", n))
	}
	if len(cs.Payments) != 1 || cs.Payments[0].Status != motcua.PaymentPaid {
		problems = append(problems, fmt.Sprintf("payments %+v", cs.Payments))
	}
	results := 0
	for _, doc := range cs.Documents {
		if doc.Kind == motcua.DocumentResult {
			results++
		}
	}
	if results != 1 || cs.Result == nil {
		problems = append(problems, fmt.Sprintf("%d result documents, result %v", results, cs.Result))
	}
	return problems
}

// checkReadModel checks the read model's tables directly: one row per case
// and no other, one payment and one result document each, each step of the
// happy path recorded once.
func checkReadModel(t *testing.T, db *sql.DB, codes []string) {
	t.Helper()
	want := map[string]bool{}
	for _, c := range codes {
		if c != "" { // a case without a code is reported by checkExactlyOnce
			want[c] = true
		}
	}
	perCase := func(what, query string) {
		t.Helper()
		rows, err := db.Query(query)
		if err != nil {
			t.Fatalf("%s: %v", what, err)
		}
		defer rows.Close()
		got := map[string]int{}
		for rows.Next() {
			var code string
			var n int
			if err := rows.Scan(&code, &n); err != nil {
				t.Fatal(err)
			}
			got[code] = n
		}
		for code, n := range got {
			if !want[code] {
				t.Errorf("read model: %s of a case nobody filed: %s", what, code)
			} else if n != 1 {
				t.Errorf("read model: case %s has %d %s", code, n, what)
			}
		}
		for code := range want {
			if _, ok := got[code]; !ok {
				t.Errorf("read model: case %s has no %s", code, what)
			}
		}
	}
	perCase("case rows", "SELECT code, COUNT(*) FROM cases GROUP BY code")
	perCase("payments", "SELECT case_code, COUNT(*) FROM payments GROUP BY case_code")
	perCase("result documents", "SELECT case_code, COUNT(*) FROM documents WHERE kind = 'result' GROUP BY case_code")
	for _, a := range []motcua.Action{motcua.ActionSubmit, motcua.ActionReceive, motcua.ActionReview, motcua.ActionApprove,
		motcua.ActionIssue, motcua.ActionDeliver} {
		perCase(string(a)+" events", "SELECT case_code, COUNT(*) FROM case_events WHERE action = '"+string(a)+"' GROUP BY case_code")
	}
	perCase("payment events", "SELECT case_code, COUNT(*) FROM case_events WHERE action IN ('"+string(motcua.ActionPaymentResult)+"', '"+
		string(motcua.EventPaymentReconciled)+"') GROUP BY case_code")
}

// checkWorkflows checks Temporal's side: each case is one workflow, and no
// other case workflow exists. It returns how many workflows it listed.
func checkWorkflows(t *testing.T, ctx context.Context, tc client.Client, codes []string) int {
	t.Helper()
	runs := map[string]int{}
	var token []byte
	for {
		res, err := tc.ListWorkflow(ctx, &workflowservice.ListWorkflowExecutionsRequest{PageSize: 1000, NextPageToken: token})
		if err != nil {
			t.Fatalf("list workflows: %v", err)
		}
		for _, ex := range res.GetExecutions() {
			runs[ex.GetExecution().GetWorkflowId()]++
		}
		if token = res.GetNextPageToken(); len(token) == 0 {
			break
		}
	}
	want := map[string]bool{}
	for _, c := range codes {
		if c == "" {
			continue
		}
		want[c] = true
		if runs[c] != 1 {
			t.Errorf("Temporal: case %s has %d workflow runs", c, runs[c])
		}
	}
	for id := range runs {
		if !want[id] {
			t.Errorf("Temporal: workflow %s is no case filed", id)
		}
	}
	return len(runs)
}

// waitClosed waits until every case's workflow has finished, its work in
// the background included (a result document whose signing was cut by a
// crash is signed again once the activity times out, up to a minute later),
// and returns how long that took after the cases closed.
func waitClosed(t *testing.T, ctx context.Context, tc client.Client, codes []string, within time.Duration) time.Duration {
	t.Helper()
	started := time.Now()
	deadline := started.Add(within)
	for _, code := range codes {
		for code != "" {
			desc, err := tc.DescribeWorkflowExecution(ctx, code, "")
			if err == nil && desc.GetWorkflowExecutionInfo().GetStatus() != enumspb.WORKFLOW_EXECUTION_STATUS_RUNNING {
				break
			}
			if time.Now().After(deadline) {
				t.Errorf("the workflow of case %s still runs %s after the cases closed (%v)", code, within, err)
				return time.Since(started)
			}
			time.Sleep(500 * time.Millisecond)
		}
	}
	return time.Since(started)
}

// logHistories logs, for each case whose workflow still runs, its history
// as event types (updates with their names): what a stuck case waits for.
func logHistories(t *testing.T, ctx context.Context, tc client.Client, codes []string) {
	t.Helper()
	for _, code := range codes {
		if code == "" {
			continue
		}
		desc, err := tc.DescribeWorkflowExecution(ctx, code, "")
		if err != nil || desc.GetWorkflowExecutionInfo().GetStatus() != enumspb.WORKFLOW_EXECUTION_STATUS_RUNNING {
			continue
		}
		var evs []string
		it := tc.GetWorkflowHistory(ctx, code, "", false, enumspb.HISTORY_EVENT_FILTER_TYPE_ALL_EVENT)
		for it.HasNext() {
			ev, err := it.Next()
			if err != nil {
				evs = append(evs, err.Error())
				break
			}
			s := strings.TrimPrefix(ev.GetEventType().String(), "WorkflowExecution")
			if a := ev.GetWorkflowExecutionUpdateAcceptedEventAttributes(); a != nil {
				s += "(" + a.GetAcceptedRequest().GetInput().GetName() + ")"
			}
			if a := ev.GetMarkerRecordedEventAttributes(); a != nil {
				s += "(" + a.GetMarkerName() + ")"
			}
			evs = append(evs, fmt.Sprintf("%d:%s", ev.GetEventId(), s))
		}
		t.Logf("case %s still runs; its history: %s", code, strings.Join(evs, " "))
	}
}
