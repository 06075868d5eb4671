package e2e

import (
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/motcua/motcua"
)

// happy is the order in which a generic driver takes the actions a case
// offers to reach its result, and the body each takes.
var happy = []struct {
	action motcua.Action
	body   func(p motcua.Permission) map[string]any
}{
	{motcua.ActionReceive, nil},
	{motcua.ActionAssign, func(motcua.Permission) map[string]any { return nil }}, // body filled per agency below
	{motcua.ActionVerify, func(motcua.Permission) map[string]any { return map[string]any{"note": "Đã xác minh tại chỗ."} }},
	{motcua.ActionConclude, func(motcua.Permission) map[string]any {
		return map[string]any{"note": "Khiếu nại đúng một phần.", "data": map[string]any{"decision": "partly_upheld"}}
	}},
	{motcua.ActionReview, func(motcua.Permission) map[string]any {
		return map[string]any{"note": "Hồ sơ đủ điều kiện."}
	}},
	{motcua.ActionCoReview, func(motcua.Permission) map[string]any { return map[string]any{"data": map[string]any{"agree": true}} }},
	{motcua.ActionApprove, nil},
	{motcua.ActionConfirmPayment, func(motcua.Permission) map[string]any {
		return map[string]any{"data": map[string]any{"receipt_no": "BL-0001"}}
	}},
	{motcua.ActionIssue, nil},
	{motcua.ActionDeliver, nil},
	{motcua.ActionAnswer, func(motcua.Permission) map[string]any {
		return map[string]any{"data": map[string]any{"answer": "Cơ quan đã tiếp thu và chấn chỉnh."}}
	}},
}

// The happy path of every definition in the catalogue, end to end: submit
// the definition's example form, then take, as the officer of the agency the
// case names, whichever action moves it forward, until the result is
// delivered. Adding a procedure is one YAML file; this proves it runs.
//
// It files on today's map (competence by date): each case must land on an
// agency competent today, the first one offered where the applicant
// chooses (a ward or commune of Đà Nẵng for a former district procedure).
func TestEveryProcedureRuns(t *testing.T) {
	e := newEnv(t, func(o *envOptions) { o.filing = time.Now })
	citizen := e.citizen("049090001234")
	officers := map[string]string{}
	officer := func(agency string) string {
		if tok, ok := officers[agency]; ok {
			return tok
		}
		officers[agency] = e.officer("canbo@"+agency, agency, "receiver", "reviewer", "approver", "cashier", "head")
		return officers[agency]
	}
	ran := 0
	for _, p := range e.catalog.All() {
		if p.Level < 3 {
			continue
		}
		ran++
		t.Run(p.Code, func(t *testing.T) {
			e := *e
			e.t = t
			delivery := p.Delivery[0]
			for _, d := range []string{motcua.DeliveryOnline, motcua.DeliveryCounter} {
				if slices.Contains(p.Delivery, d) {
					delivery = d
					break
				}
			}
			body := e.submission(p.Code, delivery)
			competent := e.catalog.Competent(p.Code, time.Now())
			if len(competent) == 0 {
				t.Fatalf("nobody is competent today (agencies %v)", p.Agencies)
			}
			lead := competent[0]
			// One agency competent: the definition's (older) agency is routed
			// to it; several: the applicant names one.
			body["agency"] = p.Agencies[0]
			if len(competent) > 1 {
				body["agency"] = lead.Code
			}
			body["applicant"] = map[string]any{"name": "Hồ Công Sơn", "id_number": "049090001234", "phone": "0905123456"}
			if p.FirstInstance != "" {
				// Filed from the first case (TestSecondInstanceComplaint), never
				// from the catalogue.
				e.must(e.call("POST", "/api/v1/cases", citizen, body, "Idempotency-Key", "catalog-"+p.Code), 422)
				return
			}
			var r receipt
			if p.Shape == motcua.ShapeFeedback {
				// Feedback is filed at its own endpoint, about the agency (issue 14).
				body = map[string]any{"kind": motcua.FeedbackRecommend, "agency": lead.Code, "content": "Đề nghị niêm yết rõ thời hạn giải quyết."}
				e.must(e.call("POST", "/api/v1/feedback", citizen, body, "Idempotency-Key", "catalog-"+p.Code), 201).json(&r)
			} else {
				e.must(e.call("POST", "/api/v1/cases", citizen, body, "Idempotency-Key", "catalog-"+p.Code), 201).json(&r)
			}
			v := r.Case
			if v.Agency != lead.Code || !lead.Active(time.Now()) || !strings.HasPrefix(v.Code, lead.Code+"-") {
				t.Fatalf("case %s led by %s, want %s, competent today", v.Code, v.Agency, lead.Code)
			}
			for step := 0; v.Status != motcua.StatusCompleted; step++ {
				if step > 40 || v.Status.Final() {
					t.Fatalf("stuck at %s after %d steps: %v", v.Status, step, statuses(v))
				}
				perm, body, ok := next(v)
				if !ok {
					// Waiting on a back-end (payment callback, the post).
					if v.Delivery.Tracking != "" {
						e.simCall("POST", "/post/shipments/"+v.Delivery.Tracking+"/advance", nil)
					}
					time.Sleep(100 * time.Millisecond)
					// A denouncer follows the case with the receipt's secret: the
					// case has no owner (issue 12, the identity is sealed).
					v = e.must(e.call("GET", "/api/v1/cases/"+r.Code, "", nil, "X-Case-Secret", r.Secret), 200).caseView()
					continue
				}
				if perm.Action == motcua.ActionAssign {
					body = map[string]any{"data": map[string]any{"investigator": "canbo@" + perm.Agency}}
				}
				v = e.actOK(officer(perm.Agency), r.Code, perm.Action, body)
			}
			if v.Result == nil || v.ClosedAt == nil {
				t.Fatalf("completed without a result: %+v", v)
			}
			if p.Level == 4 && p.Shape != motcua.ShapeDenunciation && p.Shape != motcua.ShapeFeedback { // a denouncer looks up by secret, above; a feedback's result is its answer
				// The signed result follows the issue action.
				e.waitFor(citizen, r.Code, "got its signed result", func(c motcua.Case) bool {
					return slices.ContainsFunc(c.Documents, func(d motcua.Document) bool { return d.Kind == motcua.DocumentResult && d.Signature != "" })
				})
			}
		})
	}
	if ran < 50 {
		t.Fatalf("only %d runnable definitions", ran)
	}
}

// next picks the action that moves the case forward, if an officer can
// take one now.
func next(v motcua.Case) (motcua.Permission, map[string]any, bool) {
	for _, h := range happy {
		for _, p := range v.Actions {
			if p.Action != h.action || p.Role == motcua.RoleApplicant || p.Role == motcua.RoleSystem {
				continue
			}
			var body map[string]any
			if h.body != nil {
				body = h.body(p)
			}
			return p, body, true
		}
	}
	return motcua.Permission{}, nil, false
}

// Level 1–2: the information a citizen reads and the form to print, for a
// procedure that takes no online application.
func TestLevel2InformationAndForm(t *testing.T) {
	e := newEnv(t)
	var p motcua.Procedure
	e.must(e.call("GET", "/api/v1/procedures/cung-cap-thong-tin-quy-hoach", "", nil), 200).json(&p)
	if p.Level != 2 || p.Info.Summary == "" || len(p.Info.LegalBasis) == 0 || p.FormFile == "" {
		t.Fatalf("level-2 procedure %+v", p)
	}
	pdf := e.must(e.call("GET", p.FormFile, "", nil), 200)
	if len(pdf.body) < 1000 || string(pdf.body[:5]) != "%PDF-" {
		t.Fatalf("form file: %d bytes %q", len(pdf.body), pdf.body[:min(8, len(pdf.body))])
	}
	if e.call("GET", "/api/v1/procedures/khong-co/form.pdf", "", nil).status != 404 {
		t.Fatal("form of an unknown procedure")
	}
}

// The citizen portal is served beside the API, and the API's unknown
// addresses still answer JSON.
func TestPortalPages(t *testing.T) {
	e := newEnv(t)
	for path, want := range map[string]string{"/": "Cổng dịch vụ công", "/tra-cuu": "Mã tra cứu", "/assets/site.css": ".error-summary"} {
		r := e.must(e.call("GET", path, "", nil), 200)
		if !strings.Contains(string(r.body), want) {
			t.Errorf("%s lacks %q", path, want)
		}
	}
	if r := e.call("GET", "/api/v1/khong-co", "", nil); r.status != 404 || r.errorCode() != motcua.ENOTFOUND {
		t.Fatalf("unknown API address: %d %s", r.status, r.body)
	}
}
