package e2e

import (
	"context"
	"encoding/json"
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"go.temporal.io/sdk/client"

	"github.com/motcua/motcua"
	"github.com/motcua/motcua/config"
)

// A flood of attachments is refused (issue 16, finding 1): files per case
// and per listed document, bytes per case (422 naming the file), uploads
// per case per minute (429); the case stays healthy and its history small.
func TestAttachmentFloodRefused(t *testing.T) {
	e := newEnv(t, func(o *envOptions) {
		o.config = func(c *config.Config) {
			c.Uploads.FilesPerDocument, c.Uploads.FilesPerCase, c.Uploads.CaseBytes = 2, 4, 3<<20
			c.Uploads.PerCasePerMinute = 6000 // the rate has its own test
		}
	})
	citizen := e.citizen("079201001234")
	desk := e.officer("tiepnhan", "SKHDT", "receiver")
	r := e.submit(citizen, business, motcua.DeliveryCounter)
	pdf := func(i int) []byte { return fmt.Appendf(nil, "%%PDF-1.4\n%% tệp %d\n", i) }
	limit := 0
	for i := range 10 {
		res := e.upload("", r.Code, fmt.Sprintf("trang-%d.pdf", i), pdf(i), "X-Case-Secret", r.Secret)
		if res.status == 422 {
			limit = i
			wantField(t, "a file past the case's bound", res, "file")
			if msg := errorOf(t, res).Message; !strings.Contains(msg, "tối đa") {
				t.Errorf("message %q does not say the bound", msg)
			}
			break
		}
		e.must(res, 201)
	}
	if limit != 4 {
		t.Fatalf("the case took %d files, want 4 (files_per_case)", limit)
	}
	// The case itself refuses beyond its bound, whatever reaches it.
	doc, _ := json.Marshal(motcua.Document{ID: "x", Name: "x.pdf", Type: "application/pdf", Size: 10, SHA256: strings.Repeat("0", 64)})
	h, err := e.tc.UpdateWorkflow(context.Background(), client.UpdateWorkflowOptions{WorkflowID: r.Code, UpdateName: string(motcua.ActionAttach),
		Args:         []any{motcua.ActionRequest{Actor: motcua.Actor{Kind: motcua.KindCitizen, Subject: "079201001234"}, Data: doc}},
		WaitForStage: client.WorkflowUpdateStageCompleted})
	if err == nil {
		err = h.Get(context.Background(), nil)
	}
	if err == nil || !strings.Contains(err.Error(), "tối đa") {
		t.Fatalf("the case took a fifth file sent past the API: %v", err)
	}
	// Officers' working papers count apart; bytes count together.
	big := append([]byte("%PDF-1.4\n"), make([]byte, 900<<10)...)
	for i := range 3 {
		e.must(e.upload(desk, r.Code, fmt.Sprintf("to-trinh-%d.pdf", i), big[:len(big)-i]), 201)
	}
	wantField(t, "bytes past the case's bound", e.upload(desk, r.Code, "to-trinh-3.pdf", big[:len(big)-3]), "file")

	v := e.actOK(desk, r.Code, motcua.ActionReceive, map[string]any{"note": "Đủ"})
	if v.Status != motcua.StatusInReview {
		t.Fatalf("after the flood the case is %s", v.Status)
	}
	d, err := e.tc.DescribeWorkflowExecution(context.Background(), r.Code, "")
	if err != nil {
		t.Fatal(err)
	}
	if size := d.GetWorkflowExecutionInfo().GetHistorySizeBytes(); size > 256<<10 {
		t.Errorf("history of %d bytes after the flood", size)
	}
	if got := e.must(e.call("GET", "/api/v1/cases/"+r.Code, citizen, nil), 200).caseView(); got.Incident != nil {
		t.Errorf("a healthy case shows an incident: %+v", got.Incident)
	}
}

func TestAttachmentRatePerCase(t *testing.T) {
	e := newEnv(t, func(o *envOptions) {
		o.config = func(c *config.Config) { c.Uploads.PerCasePerMinute = 6 } // a burst of two
	})
	citizen := e.citizen("079201001234")
	r := e.submit(citizen, business, motcua.DeliveryCounter)
	other := e.submit(citizen, business, motcua.DeliveryCounter)
	statuses := []int{}
	for i := range 3 {
		statuses = append(statuses, e.upload(citizen, r.Code, fmt.Sprintf("t%d.pdf", i), fmt.Appendf(nil, "%%PDF-1.4\n%d", i)).status)
	}
	if !slices.Equal(statuses, []int{201, 201, 429}) {
		t.Fatalf("three quick uploads: %v, want 201 201 429", statuses)
	}
	res := e.upload(citizen, r.Code, "t9.pdf", []byte("%PDF-1.4\n9"))
	if res.status != 429 || res.header.Get("Retry-After") == "" || errorOf(t, res).Code != motcua.ERATELIMIT {
		t.Fatalf("past the rate: %d %s", res.status, res.body)
	}
	e.must(e.upload(citizen, other.Code, "t.pdf", []byte("%PDF-1.4\n")), 201) // another case is not held back
}

// A case whose workflow ends unexpectedly shows an incident that
// administrators see and resolve; it offers no action meanwhile.
func TestTerminatedWorkflowBecomesIncident(t *testing.T) {
	e := newEnv(t)
	citizen := e.citizen("079201001234")
	desk := e.officer("tiepnhan", "SKHDT", "receiver")
	admin := e.login(`{"role":"admin","subject":"quantri"}`)
	r := e.submit(citizen, business, motcua.DeliveryCounter)
	quiet := e.submit(citizen, business, motcua.DeliveryCounter) // found by the reconciler alone
	for _, code := range []string{r.Code, quiet.Code} {
		if err := e.tc.TerminateWorkflow(context.Background(), code, "", "history size exceeds limit (test)"); err != nil {
			t.Fatal(err)
		}
	}
	// The next action finds it at once.
	res := e.act(desk, r.Code, motcua.ActionReceive, map[string]any{"note": "Đủ"})
	if res.status != 409 || !strings.Contains(errorOf(t, res).Message, "sự cố") {
		t.Fatalf("receive on a terminated case: %d %s", res.status, res.body)
	}
	// The reconciler finds the other.
	var seen motcua.Case
	deadline := time.Now().Add(20 * time.Second)
	for {
		seen = e.must(e.call("GET", "/api/v1/cases/"+quiet.Code, citizen, nil), 200).caseView()
		if seen.Incident != nil || time.Now().After(deadline) {
			break
		}
		time.Sleep(200 * time.Millisecond)
	}
	if seen.Incident == nil || seen.Incident.Kind != motcua.IncidentTerminated || len(seen.Actions) != 0 {
		t.Fatalf("terminated case, as its applicant sees it: incident %+v, actions %v", seen.Incident, seen.Actions)
	}
	if res := e.upload(citizen, quiet.Code, "x.pdf", []byte("%PDF-1.4\n")); res.status != 409 {
		t.Errorf("upload to a case with an incident: %d %s", res.status, res.body)
	}

	e.must(e.call("GET", "/api/v1/incidents", desk, nil), 403)
	var list struct{ Incidents []motcua.Incident }
	e.must(e.call("GET", "/api/v1/incidents", admin, nil), 200).json(&list)
	var ids []int64
	for _, inc := range list.Incidents {
		if inc.Code == r.Code || inc.Code == quiet.Code {
			ids = append(ids, inc.ID)
		}
	}
	if len(ids) != 2 {
		t.Fatalf("admin's incidents %+v, want one per case", list.Incidents)
	}
	wantField(t, "resolution without a word", e.call("POST", fmt.Sprintf("/api/v1/incidents/%d/resolve", ids[0]), admin, map[string]any{}), "resolution")
	var done motcua.Incident
	e.must(e.call("POST", fmt.Sprintf("/api/v1/incidents/%d/resolve", ids[0]), admin, map[string]any{"resolution": "Đã báo người nộp nộp lại hồ sơ."}), 200).json(&done)
	if done.ResolvedAt == nil || done.ResolvedBy != "quantri" {
		t.Fatalf("resolved %+v", done)
	}
	e.must(e.call("POST", fmt.Sprintf("/api/v1/incidents/%d/resolve", ids[0]), admin, map[string]any{"resolution": "lại"}), 404)
	list.Incidents = nil
	e.must(e.call("GET", "/api/v1/incidents", admin, nil), 200).json(&list)
	if slices.ContainsFunc(list.Incidents, func(i motcua.Incident) bool { return i.ID == ids[0] }) {
		t.Errorf("a resolved incident is listed as open")
	}
}

// A record the read model can never take (SQLSTATE class 22, as a NUL in
// text gave on PostgreSQL: issue 16, finding 2) is not retried forever: the
// recorder's error is non-retryable, the case's workflow fails, and the
// case shows an incident an administrator can act on.
func TestUnrecordableCaseBecomesIncident(t *testing.T) {
	e := newEnv(t)
	citizen := e.citizen("079201001234")
	desk := e.officer("tiepnhan", "SKHDT", "receiver")
	r := e.submit(citizen, business, motcua.DeliveryCounter)
	ctx := context.Background()
	for _, sql := range []string{
		`CREATE FUNCTION refuse_received() RETURNS trigger LANGUAGE plpgsql AS $$
		 BEGIN IF NEW.status <> 'submitted' THEN RAISE EXCEPTION 'untranslatable character' USING ERRCODE = '22P05'; END IF; RETURN NEW; END $$`,
		`CREATE TRIGGER refuse_received BEFORE UPDATE ON cases FOR EACH ROW EXECUTE FUNCTION refuse_received()`,
	} {
		if err := e.db.Exec(ctx, sql); err != nil {
			t.Fatal(err)
		}
	}
	e.act(desk, r.Code, motcua.ActionReceive, map[string]any{"note": "Đủ"}) // its record is refused
	var seen motcua.Case
	for deadline := time.Now().Add(60 * time.Second); ; time.Sleep(300 * time.Millisecond) {
		seen = e.must(e.call("GET", "/api/v1/cases/"+r.Code, citizen, nil), 200).caseView()
		if seen.Incident != nil || time.Now().After(deadline) {
			break
		}
	}
	if seen.Incident == nil || seen.Incident.Kind != motcua.IncidentFailed || len(seen.Actions) != 0 {
		t.Fatalf("a case whose record is refused: incident %+v, actions %v", seen.Incident, seen.Actions)
	}
}
