package e2e

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"log/slog"
	"net/url"
	"os"
	"regexp"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"go.temporal.io/api/workflowservice/v1"

	"github.com/motcua/motcua"
	"github.com/motcua/motcua/sim"
)

// Operators can see: cases are found by their search attributes, officers'
// and administrators' actions are audited, and log lines about a case carry
// its code.

// listCases runs a visibility query, as `temporal workflow list --query`
// does, within this test's task queue, and returns the case codes found.
func (e *env) listCases(query string) []string {
	e.t.Helper()
	q := fmt.Sprintf("TaskQueue = '%s' AND %s", e.queue, query)
	var codes []string
	var token []byte
	for {
		res, err := e.tc.ListWorkflow(context.Background(), &workflowservice.ListWorkflowExecutionsRequest{Query: q, NextPageToken: token})
		if err != nil {
			e.t.Fatalf("list %q: %v", q, err)
		}
		for _, w := range res.GetExecutions() {
			codes = append(codes, w.GetExecution().GetWorkflowId())
		}
		if token = res.GetNextPageToken(); len(token) == 0 {
			break
		}
	}
	slices.Sort(codes)
	return codes
}

// waitCases polls a visibility query until it finds want (visibility is
// eventually consistent).
func (e *env) waitCases(query string, want ...string) {
	e.t.Helper()
	slices.Sort(want)
	deadline := time.Now().Add(30 * time.Second)
	for {
		got := e.listCases(query)
		if slices.Equal(got, want) {
			return
		}
		if time.Now().After(deadline) {
			e.t.Fatalf("%s: found %v, want %v", query, got, want)
		}
		time.Sleep(200 * time.Millisecond)
	}
}

func TestSearchAttributesFindCases(t *testing.T) {
	e := newEnv(t, func(o *envOptions) { o.compressed = true })
	citizen := e.citizen("049188001234")
	desk := e.officer("tiepnhan", "SKHDT", "receiver")

	late := e.submit(citizen, business, motcua.DeliveryCounter).Code
	waiting := e.submit(citizen, business, motcua.DeliveryCounter).Code
	other := e.submit(citizen, permit, motcua.DeliveryCounter).Code
	e.actOK(desk, late, motcua.ActionReceive, map[string]any{"note": "Đủ"})

	e.waitCases("CaseAgency = 'SKHDT'", late, waiting)
	e.waitCases("CaseAgency = 'SKHDT' AND CaseStatus = 'submitted'", waiting)
	e.waitCases("CaseProcedure = '"+permit+"' AND CaseChannel = 'online'", other)
	// The compressed clock makes the received case overdue in seconds.
	e.waitCases("CaseAgency = 'SKHDT' AND CaseOverdue = true", late)
	e.waitCases("CaseOverdue = false", waiting, other)
	e.waitCases("CaseDueAt < '"+time.Now().Add(time.Hour).UTC().Format(time.RFC3339)+"'", late)

	// A case that closes shows its final status.
	e.actOK(citizen, waiting, motcua.ActionWithdraw, map[string]any{"reason": "Không nộp nữa"})
	e.waitCases("CaseAgency = 'SKHDT' AND CaseStatus = 'withdrawn'", waiting)
}

type auditEntry struct {
	Subject   string        `json:"subject"`
	Kind      string        `json:"kind"`
	Roles     []motcua.Role `json:"roles"`
	Agency    string        `json:"agency"`
	Action    string        `json:"action"`
	Case      string        `json:"case"`
	Status    int           `json:"status"`
	Outcome   string        `json:"outcome"`
	ClientIP  string        `json:"client_ip"`
	UserAgent string        `json:"user_agent"`
	At        time.Time     `json:"at"`
}

func (e *env) audit(token, query string) ([]auditEntry, string) {
	e.t.Helper()
	var page struct {
		Entries    []auditEntry `json:"entries"`
		NextCursor string       `json:"next_cursor"`
	}
	e.must(e.call("GET", "/api/v1/audit?"+query, token, nil), 200).json(&page)
	return page.Entries, page.NextCursor
}

func TestAuditLogRecordsOfficersAndAdministrators(t *testing.T) {
	e := newEnv(t)
	citizen := e.citizen("049188001234")
	desk := e.officer("tiepnhan", "SKHDT", "receiver")
	reviewer := e.officer("chuyenvien", "SKHDT", "reviewer")
	admin := e.login(`{"role":"admin","subject":"quantri"}`)
	ua := []string{"User-Agent", "motcua-e2e/1"}

	code := e.submit(citizen, business, motcua.DeliveryCounter).Code // a citizen's action: not audited
	e.must(e.act(desk, code, motcua.ActionReceive, map[string]any{"note": "Đủ"}, ua...), 200)
	// A refused action is audited with its outcome.
	e.must(e.act(reviewer, code, motcua.ActionApprove, map[string]any{}, ua...), 409)
	// Filing at the counter names the new case.
	body := e.submission(business, motcua.DeliveryCounter)
	body["agency"] = "SKHDT"
	var filed receipt
	e.must(e.call("POST", "/api/v1/cases", desk, body, append(ua, "Idempotency-Key", randomHex(8))...), 201).json(&filed)
	e.must(e.call("POST", "/api/v1/cases/"+code+"/secret", desk, nil, append(ua, "Idempotency-Key", randomHex(8))...), 200)
	e.must(e.call("DELETE", "/api/v1/cases/"+code+"/secret", admin, nil, ua...), 204)

	t.Run("OthersForbidden", func(t *testing.T) {
		for _, tok := range []string{citizen, desk} {
			if r := e.call("GET", "/api/v1/audit", tok, nil); r.status != 403 || r.errorCode() != motcua.EFORBIDDEN {
				t.Errorf("audit read by a non-administrator: %d %s", r.status, r.body)
			}
		}
		if r := e.call("GET", "/api/v1/audit", "", nil); r.status != 401 {
			t.Errorf("audit read signed out: %d", r.status)
		}
	})

	entries, _ := e.audit(admin, "")
	var got []string
	for _, x := range entries {
		got = append(got, x.Action+" "+x.Outcome)
		if x.ClientIP == "" || x.At.IsZero() || x.Subject == "" {
			t.Errorf("entry without who/when/where: %+v", x)
		}
	}
	// The officer's refused reading of the log is there too (this reading
	// is written once answered).
	want := []string{"audit.read forbidden", "secret.revoke ok", "secret.reissue ok", "case.file ok", "approve conflict", "receive ok"}
	if !slices.Equal(got, want) {
		t.Fatalf("audit log %v, want %v (newest first)", got, want)
	}
	recv := entries[5]
	if recv.Subject != "tiepnhan" || recv.Kind != "officer" || recv.Agency != "SKHDT" || recv.Case != code ||
		!slices.Equal(recv.Roles, []motcua.Role{motcua.RoleReceiver}) || recv.UserAgent != "motcua-e2e/1" || recv.Status != 200 {
		t.Errorf("receive entry %+v", recv)
	}
	if entries[3].Case != filed.Code || entries[4].Status != 409 || entries[1].Subject != "quantri" || entries[1].Kind != "admin" || entries[0].Status != 403 {
		t.Errorf("entries %+v", entries)
	}

	if again, _ := e.audit(admin, "action=audit.read&outcome=ok"); len(again) != 1 || again[0].Subject != "quantri" {
		t.Errorf("the administrator's reading is not in the log: %+v", again)
	}
	t.Run("Filters", func(t *testing.T) {
		byCase, _ := e.audit(admin, "case="+url.QueryEscape(code)+"&outcome=ok")
		if len(byCase) != 3 { // receive, reissue, revoke
			t.Errorf("case filter: %+v", byCase)
		}
		bySubject, _ := e.audit(admin, "subject=chuyenvien")
		if len(bySubject) != 1 || bySubject[0].Action != "approve" {
			t.Errorf("subject filter: %+v", bySubject)
		}
		later, _ := e.audit(admin, "from="+url.QueryEscape(time.Now().Add(time.Hour).Format(time.RFC3339)))
		if len(later) != 0 {
			t.Errorf("from filter: %+v", later)
		}
		if r := e.call("GET", "/api/v1/audit?from=yesterday", admin, nil); r.status != 422 {
			t.Errorf("bad from: %d %s", r.status, r.body)
		}
	})
	t.Run("Pages", func(t *testing.T) {
		var all []auditEntry
		cursor := ""
		for range 10 {
			page, next := e.audit(admin, "agency=SKHDT&limit=2&cursor="+cursor)
			all = append(all, page...)
			if next == "" {
				break
			}
			cursor = next
		}
		if len(all) != 5 {
			t.Errorf("paged through %d SKHDT entries, want 5", len(all))
		}
	})
}

// lockedBuffer collects log output written from many goroutines.
type lockedBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (l *lockedBuffer) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.Write(p)
}

func (l *lockedBuffer) lines() []map[string]any {
	l.mu.Lock()
	defer l.mu.Unlock()
	var out []map[string]any
	sc := bufio.NewScanner(bytes.NewReader(l.b.Bytes()))
	sc.Buffer(make([]byte, 1<<20), 1<<20)
	for sc.Scan() {
		var m map[string]any
		if json.Unmarshal(sc.Bytes(), &m) == nil {
			out = append(out, m)
		}
	}
	return out
}

// Every log line that is about a case (it names the case's code anywhere,
// or comes from the case's workflow or activities) carries "case".
func TestLogLinesAboutACaseCarryItsCode(t *testing.T) {
	logs := &lockedBuffer{}
	logger := slog.New(slog.NewJSONHandler(logs, &slog.HandlerOptions{Level: slog.LevelDebug}))
	e := newEnv(t, func(o *envOptions) { o.logger = logger })
	citizen := e.citizen("049188001234")
	desk := e.officer("tiepnhan", "SKHDT", "receiver")
	code := e.submit(citizen, business, motcua.DeliveryCounter).Code
	e.actOK(desk, code, motcua.ActionReceive, map[string]any{"note": "Đủ"})
	e.must(e.act(desk, code, motcua.ActionApprove, map[string]any{}), 409)
	e.actOK(citizen, code, motcua.ActionWithdraw, map[string]any{"reason": "Không nộp nữa"})
	e.must(e.call("GET", "/api/v1/cases/"+code, citizen, nil), 200)

	var about int
	for _, line := range logs.lines() {
		raw, _ := json.Marshal(line)
		// The simulator stands in for the agencies' own systems (it is
		// not motcua): its mail log quotes the code in a subject.
		if !strings.Contains(string(raw), code) || line["component"] == "sim" {
			continue
		}
		about++
		if line["case"] != code {
			t.Errorf("a line about %s without its code as \"case\": %s", code, raw)
		}
		if n := strings.Count(string(raw), `"case":`); n != 1 {
			t.Errorf("%d \"case\" attributes: %s", n, raw)
		}
	}
	// The request lines, the submission, the workflow's and the
	// activities' lines (the SDK logs at debug).
	if about < 5 {
		t.Fatalf("only %d log lines about the case: the test saw too little", about)
	}
}

// The metrics the alerts in docs/operations.md name are exported: run a
// case whose back-end checks fail and are retried, then read /metrics.
func TestMetricsForAlerts(t *testing.T) {
	doc, err := os.ReadFile("../docs/operations.md")
	if err != nil {
		t.Fatal(err)
	}
	_, rules, _ := strings.Cut(string(doc), "```yaml")
	rules, _, _ = strings.Cut(rules, "```")
	var names []string
	for _, n := range regexp.MustCompile(`\b(?:motcua|temporal)_[a-z_]+`).FindAllString(rules, -1) {
		// The SDK creates this counter at the first failed workflow task,
		// which a healthy run never has.
		if !slices.Contains(names, n) && n != "temporal_workflow_task_execution_failed_total" {
			names = append(names, n)
		}
	}
	if len(names) < 8 {
		t.Fatalf("docs/operations.md names only %v", names)
	}

	e := newEnv(t)
	e.sim.SetFault("population.verify", sim.Fault{FailureRate: 1})
	e.sim.SetFault("business.name_check", sim.Fault{FailureRate: 1})
	citizen := e.citizen("049188001234")
	desk := e.officer("tiepnhan", "SKHDT", "receiver")
	code := e.submit(citizen, business, motcua.DeliveryCounter).Code

	var missing []string
	deadline := time.Now().Add(40 * time.Second)
	for {
		body := string(e.must(e.call("GET", "/metrics", "", nil), 200).body)
		missing = missing[:0]
		for _, n := range names {
			if !regexp.MustCompile(`(?m)^` + n + `(\{|_bucket|_count|_sum| )`).MatchString(body) {
				missing = append(missing, n)
			}
		}
		if len(missing) == 0 || time.Now().After(deadline) {
			break
		}
		time.Sleep(500 * time.Millisecond)
	}
	e.sim.SetFault("population.verify", sim.Fault{})
	e.sim.SetFault("business.name_check", sim.Fault{})
	e.actOK(desk, code, motcua.ActionReceive, map[string]any{"note": "Đủ"})
	if len(missing) > 0 {
		t.Errorf("metrics named in docs/operations.md but not exported: %v", missing)
	}
}
