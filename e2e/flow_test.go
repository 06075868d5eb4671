package e2e

import (
	"bytes"
	"mime/multipart"
	"slices"
	"strings"
	"testing"

	"github.com/motcua/motcua"
)

const business = "dang-ky-thanh-lap-doanh-nghiep" // SKHDT, fee, approval

func statuses(c motcua.Case) []string {
	var out []string
	for _, e := range c.Timeline {
		out = append(out, string(e.Action)+">"+string(e.Status))
	}
	return out
}

func inboxCodes(e *env, token string, query string) []string {
	e.t.Helper()
	var page struct {
		Cases []struct{ Code string } `json:"cases"`
	}
	e.must(e.call("GET", "/api/v1/inbox"+query, token, nil), 200).json(&page)
	var codes []string
	for _, c := range page.Cases {
		codes = append(codes, c.Code)
	}
	return codes
}

// The whole life of a case, through HTTP: a citizen submits, the desk
// receives, the reviewer asks for more, the citizen supplements with a file,
// review, approval, the cashier, the result, delivery.
func TestCaseLifecycle(t *testing.T) {
	e := newEnv(t)
	citizen := e.citizen("079201001234")
	desk := e.officer("tiepnhan", "SKHDT", "receiver")
	reviewer := e.officer("chuyenvien", "SKHDT", "reviewer")
	leader := e.officer("giamdoc", "SKHDT", "approver")
	cashier := e.officer("thuquy", "SKHDT", "cashier")

	r := e.submit(citizen, business, motcua.DeliveryCounter)
	code := r.Code
	if r.Status != motcua.StatusSubmitted || r.Secret == "" || !slices.ContainsFunc(r.Actions, func(p motcua.Permission) bool { return p.Action == motcua.ActionReceive }) {
		t.Fatalf("receipt %+v", r)
	}
	if got := inboxCodes(e, desk, ""); !slices.Contains(got, code) {
		t.Fatalf("desk inbox %v lacks %s", got, code)
	}
	if got := inboxCodes(e, reviewer, ""); slices.Contains(got, code) {
		t.Fatalf("reviewer sees an unreceived case: %v", got)
	}

	v := e.actOK(desk, code, motcua.ActionReceive, map[string]any{"note": "Hồ sơ đủ thành phần"})
	if v.Status != motcua.StatusInReview || v.DueAt == nil || v.ReceivedAt == nil {
		t.Fatalf("after receive: %+v", v)
	}
	if got := inboxCodes(e, reviewer, ""); !slices.Contains(got, code) {
		t.Fatalf("reviewer inbox %v lacks %s", got, code)
	}
	v = e.actOK(reviewer, code, motcua.ActionRequestInfo, map[string]any{"reason": "Bổ sung điều lệ công ty có chữ ký của các thành viên"})
	if v.Status != motcua.StatusAwaitingSupplement || !v.Paused {
		t.Fatalf("after request_info: %s paused=%v", v.Status, v.Paused)
	}

	// The citizen supplements through the receipt's secret, no sign-in.
	doc := e.upload("", code, "dieu-le-công-ty.pdf", []byte("%PDF-1.4\n% điều lệ\n"), "X-Case-Secret", r.Secret)
	if doc.status != 201 {
		t.Fatalf("upload: %d %s", doc.status, doc.body)
	}
	v = e.must(e.act("", code, motcua.ActionSupplement, map[string]any{"note": "Đã bổ sung điều lệ"}, "X-Case-Secret", r.Secret), 200).caseView()
	// The request for information came with its signed slip (v3). The
	// slip is rendered after request_info answers, so it may be stored
	// after the citizen's file: documents come in the order they were
	// stored.
	kinds := []string{}
	for _, d := range v.Documents {
		kinds = append(kinds, d.Kind)
	}
	if v.Status != motcua.StatusInReview || v.Paused || len(v.Pauses) != 1 || len(kinds) != 3 || kinds[0] != "receipt" ||
		!slices.Contains(kinds, motcua.DocumentSupplementRequest) || !slices.Contains(kinds, "supplement") {
		t.Fatalf("after supplement: %s paused=%v pauses=%v docs=%+v", v.Status, v.Paused, v.Pauses, v.Documents)
	}

	e.actOK(reviewer, code, motcua.ActionReview, map[string]any{"note": "Đủ điều kiện"})
	v = e.actOK(leader, code, motcua.ActionApprove, nil)
	if v.Status != motcua.StatusAwaitingPayment {
		t.Fatalf("after approve: %s", v.Status)
	}
	if got := inboxCodes(e, cashier, "?status=awaiting_payment"); !slices.Equal(got, []string{code}) {
		t.Fatalf("cashier inbox %v", got)
	}
	e.actOK(cashier, code, motcua.ActionConfirmPayment, map[string]any{"data": map[string]any{"receipt_no": "BL-2026-000123"}})
	e.actOK(reviewer, code, motcua.ActionIssue, map[string]any{"data": map[string]any{"number": "4001234567"}})
	// The registry is called after issue answers; the result is ready once it has.
	e.waitFor(desk, code, "got its result", func(c motcua.Case) bool { return c.Status == motcua.StatusResultReady })
	v = e.actOK(desk, code, motcua.ActionDeliver, map[string]any{"note": "Trả tại quầy"})
	if v.Status != motcua.StatusCompleted || len(v.Actions) != 0 {
		t.Fatalf("final %s %v", v.Status, v.Actions)
	}

	// The read model says the same as the workflow's last answer.
	// The signed result follows deliver's answer: wait for it.
	got := e.waitFor(desk, code, "got its signed result", func(c motcua.Case) bool {
		return slices.ContainsFunc(c.Timeline, func(ev motcua.Event) bool { return ev.Action == motcua.EventResultSigned })
	})
	if secret := e.must(e.call("GET", "/api/v1/cases/"+code, "", nil, "X-Case-Secret", r.Secret), 200).caseView(); secret.Version != got.Version {
		t.Fatalf("look-up by secret sees version %d, the desk %d", secret.Version, got.Version)
	}
	// Work that follows an action's answer (the reception check, run when
	// the case is filed; the signed receipt and result) lands when it is
	// done: its events are counted apart from the steps' order.
	background := map[motcua.Action]int{}
	var steps []string
	for _, ev := range got.Timeline {
		switch a := ev.Action; {
		case a == motcua.EventReceiptIssued || a == motcua.EventResultSigned || a == motcua.EventSlipIssued || a == motcua.EventCheck && ev.Status != motcua.StatusAwaitingIssue:
			background[a]++
		default:
			steps = append(steps, string(a)+">"+string(ev.Status))
		}
	}
	want := []string{"submit>submitted", "receive>received", "transferred>in_review",
		"request_info>awaiting_supplement", "attach>awaiting_supplement", "supplement>in_review", "review>awaiting_approval",
		"approve>awaiting_payment", "payment_ordered>awaiting_payment", "confirm_payment>awaiting_issue", "issue>awaiting_issue",
		"check>awaiting_issue",
		"check>awaiting_issue", // the officer typed another number than the registry issued: noted (v3)
		"result_issued>result_ready", "deliver>completed"}
	if !slices.Equal(steps, want) || background[motcua.EventCheck] != 1 || background[motcua.EventReceiptIssued] != 1 ||
		background[motcua.EventResultSigned] != 1 || background[motcua.EventSlipIssued] != 1 {
		t.Fatalf("timeline\n got  %v (and %v)\n want %v (and one reception check, receipt, signed result)", steps, background, want)
	}
	// The online order the case opened is cancelled once the cashier took the fee.
	if len(got.Payments) != 2 || got.Payments[0].Status != motcua.PaymentCancelled || got.Payments[1].Reference != "BL-2026-000123" ||
		got.Result == nil || got.Result.Number == "" || got.Result.Number == "4001234567" { // the registry's number, not the typed one
		t.Fatalf("payments %+v result %+v", got.Payments, got.Result)
	}
	if got.Version < v.Version || got.Status != v.Status || len(got.Documents) != 4 {
		t.Fatalf("read model %d/%s, deliver's answer %d/%s", got.Version, got.Status, v.Version, v.Status)
	}
	if e.upload("", code, "x.pdf", []byte("%PDF-1.4"), "X-Case-Secret", r.Secret).status != 409 {
		t.Fatal("a closed case took a file")
	}
	// The attachment downloads intact. Documents come in the order they
	// were stored, and the slip may be stored after the citizen's file.
	i := slices.IndexFunc(got.Documents, func(d motcua.Document) bool { return d.Kind == "supplement" })
	if i < 0 {
		t.Fatalf("no supplement among %+v", got.Documents)
	}
	dl := e.call("GET", "/api/v1/cases/"+code+"/documents/"+got.Documents[i].ID, citizen, nil)
	if dl.status != 200 || !bytes.Equal(dl.body, []byte("%PDF-1.4\n% điều lệ\n")) {
		t.Fatalf("download %d %q", dl.status, dl.body)
	}
	var mine struct {
		Cases []struct {
			Code   string
			Status motcua.Status
		} `json:"cases"`
	}
	e.must(e.call("GET", "/api/v1/cases?mine=1", citizen, nil), 200).json(&mine)
	if len(mine.Cases) != 1 || mine.Cases[0].Code != code || mine.Cases[0].Status != motcua.StatusCompleted {
		t.Fatalf("mine %+v", mine)
	}
}

func (e *env) upload(token, code, name string, content []byte, headers ...string) resp {
	e.t.Helper()
	var buf bytes.Buffer
	mw := multipart.NewWriter(&buf)
	fw, _ := mw.CreateFormFile("file", name)
	_, _ = fw.Write(content)
	_ = mw.Close()
	return e.call("POST", "/api/v1/cases/"+code+"/documents", token, buf.Bytes(), append([]string{"Content-Type", mw.FormDataContentType()}, headers...)...)
}

func TestRejectionAndWithdrawal(t *testing.T) {
	e := newEnv(t)
	citizen := e.citizen("079201001234")
	desk := e.officer("tiepnhan", "SKHDT", "receiver")
	leader := e.officer("giamdoc", "SKHDT", "approver", "reviewer")

	rejected := e.submit(citizen, business, motcua.DeliveryOnline).Code
	if r := e.act(desk, rejected, motcua.ActionReject, map[string]any{}); r.status != 422 || r.errorCode() != motcua.EINVALID {
		t.Fatalf("reject without reason: %d %s", r.status, r.body)
	}
	v := e.actOK(desk, rejected, motcua.ActionReject, map[string]any{"reason": "Tên doanh nghiệp trùng"})
	if v.Status != motcua.StatusRejected || v.ClosedAt == nil {
		t.Fatalf("rejected: %+v", v)
	}
	if r := e.act(desk, rejected, motcua.ActionReceive, nil); r.status != 409 {
		t.Fatalf("act on a rejected case: %d %s", r.status, r.body)
	}

	withdrawn := e.submit(citizen, business, motcua.DeliveryOnline).Code
	e.actOK(desk, withdrawn, motcua.ActionReceive, nil)
	e.actOK(leader, withdrawn, motcua.ActionReview, nil)
	v = e.actOK(citizen, withdrawn, motcua.ActionWithdraw, map[string]any{"reason": "Đổi tên doanh nghiệp"})
	if v.Status != motcua.StatusWithdrawn {
		t.Fatalf("withdrawn: %s", v.Status)
	}
	got := e.must(e.call("GET", "/api/v1/cases/"+withdrawn, citizen, nil), 200).caseView()
	if got.Status != motcua.StatusWithdrawn || len(got.Actions) != 0 {
		t.Fatalf("read model after withdraw: %s %v", got.Status, got.Actions)
	}
	if slices.Contains(inboxCodes(e, leader, ""), withdrawn) {
		t.Fatal("withdrawn case still in an inbox")
	}
	// The operator sees what happened.
	m := string(e.must(e.call("GET", "/metrics", "", nil), 200).body)
	for _, want := range []string{
		`motcua_case_actions_total{action="reject",outcome="invalid"} 1`,
		`motcua_case_actions_total{action="reject",outcome="ok"} 1`,
		`motcua_case_actions_total{action="receive",outcome="conflict"} 1`,
		`motcua_cases_submitted_total{channel="online",procedure="dang-ky-thanh-lap-doanh-nghiep"} 2`,
		`motcua_http_requests_total{method="POST",route="/api/v1/cases",status="201"} 2`,
	} {
		if !strings.Contains(m, want) {
			t.Errorf("metrics lack %s", want)
		}
	}
}

// Retries with the same Idempotency-Key act once.
func TestIdempotentRetries(t *testing.T) {
	e := newEnv(t)
	citizen := e.citizen("079201001234")
	desk := e.officer("tiepnhan", "SKHDT", "receiver")
	body := e.submission(business, motcua.DeliveryCounter)

	first := e.must(e.call("POST", "/api/v1/cases", citizen, body, "Idempotency-Key", "nop-lan-1"), 201)
	again := e.must(e.call("POST", "/api/v1/cases", citizen, body, "Idempotency-Key", "nop-lan-1"), 200)
	var a, b receipt
	first.json(&a)
	again.json(&b)
	if a.Code != b.Code || a.Secret != b.Secret {
		t.Fatalf("retry gave %s, first %s", b.Code, a.Code)
	}
	// Another citizen's same key is another submission.
	other := e.must(e.call("POST", "/api/v1/cases", e.citizen("001099000001"), body, "Idempotency-Key", "nop-lan-1"), 201)
	var c receipt
	other.json(&c)
	if c.Code == a.Code {
		t.Fatal("two citizens' submissions share a case")
	}
	if e.call("POST", "/api/v1/cases", citizen, body).status != 400 {
		t.Fatal("a submission without Idempotency-Key was accepted")
	}

	act := func() resp {
		return e.call("POST", "/api/v1/cases/"+a.Code+"/actions/receive", desk, map[string]any{"note": "ok"}, "Idempotency-Key", "tiep-nhan-1")
	}
	r1, r2 := e.must(act(), 200).caseView(), e.must(act(), 200).caseView()
	// The retry answers as the first did (the receipt may have come in
	// between); the timeline below holds one reception.
	if r1.Status != r2.Status || r2.Status != motcua.StatusInReview {
		t.Fatalf("retried action answered %s, then %s", r1.Status, r2.Status)
	}
	received := 0
	for _, ev := range e.must(e.call("GET", "/api/v1/cases/"+a.Code, desk, nil), 200).caseView().Timeline {
		if ev.Action == motcua.ActionReceive {
			received++
		}
	}
	if received != 1 {
		t.Fatalf("receive recorded %d times", received)
	}
	// A closed case retried by its submitter returns the case, not an error.
	e.actOK(citizen, a.Code, motcua.ActionWithdraw, nil)
	if r := e.call("POST", "/api/v1/cases", citizen, body, "Idempotency-Key", "nop-lan-1"); r.status != 200 || r.caseView().Status != motcua.StatusWithdrawn {
		t.Fatalf("retry after close: %d %s", r.status, r.body)
	}
}

func TestSubmissionValidation(t *testing.T) {
	e := newEnv(t)
	citizen := e.citizen("079201001234")
	body := e.submission(business, motcua.DeliveryCounter)
	body["applicant"] = map[string]any{"name": "", "id_number": "12ab", "email": "không-phải-email"}
	body["delivery"] = map[string]any{"method": "drone"}
	r := e.call("POST", "/api/v1/cases", citizen, body, "Idempotency-Key", "x1")
	var out struct {
		Error motcua.Error `json:"error"`
	}
	r.json(&out)
	if r.status != 422 {
		t.Fatalf("status %d %s", r.status, r.body)
	}
	for _, f := range []string{"applicant.name", "applicant.id_number", "applicant.email", "delivery.method"} {
		if out.Error.Fields[f] == "" {
			t.Errorf("no error for %s: %v", f, out.Error.Fields)
		}
	}
	body = e.submission(business, motcua.DeliveryCounter)
	body["form"] = map[string]any{}
	r = e.call("POST", "/api/v1/cases", citizen, body, "Idempotency-Key", "x2")
	out.Error = motcua.Error{}
	r.json(&out)
	if r.status != 422 || len(out.Error.Fields) == 0 {
		t.Fatalf("empty form: %d %s", r.status, r.body)
	}
	for f := range out.Error.Fields {
		if len(f) < 5 || f[:5] != "form." && f != "form" {
			t.Errorf("form error on %q", f)
		}
	}
	if r := e.call("POST", "/api/v1/cases", citizen, `{"procedure":`, "Idempotency-Key", "x3"); r.status != 400 {
		t.Fatalf("malformed JSON: %d", r.status)
	}
	if r := e.call("POST", "/api/v1/cases", citizen, map[string]any{"procedure": business, "bogus": 1}, "Idempotency-Key", "x4"); r.status != 422 {
		t.Fatalf("unknown field: %d", r.status)
	}
	if r := e.call("POST", "/api/v1/cases", "", body, "Idempotency-Key", "x5"); r.status != 401 {
		t.Fatalf("anonymous submission: %d", r.status)
	}
	lvl2 := e.submission(business, motcua.DeliveryCounter)
	lvl2["procedure"] = "cung-cap-thong-tin-quy-hoach"
	r = e.call("POST", "/api/v1/cases", citizen, lvl2, "Idempotency-Key", "x6")
	out.Error = motcua.Error{}
	r.json(&out)
	if r.status != 422 || out.Error.Fields["procedure"] == "" {
		t.Fatalf("level-2 procedure submitted online: %d %s", r.status, r.body)
	}
}

func TestUploadLimits(t *testing.T) {
	e := newEnv(t, func(o *envOptions) { o.maxUpload = 1024 })
	citizen := e.citizen("079201001234")
	code := e.submit(citizen, business, motcua.DeliveryCounter).Code
	if r := e.upload(citizen, code, "big.pdf", append([]byte("%PDF-1.4\n"), make([]byte, 4096)...)); r.status != 413 {
		t.Fatalf("oversized: %d %s", r.status, r.body)
	}
	if r := e.upload(citizen, code, "virus.exe", []byte("MZ\x90\x00\x03 executable")); r.status != 415 {
		t.Fatalf("wrong type: %d %s", r.status, r.body)
	}
	r := e.upload(citizen, code, "ảnh-CCCD.png", []byte("\x89PNG\r\n\x1a\n\x00\x00\x00\x0dIHDR"))
	var d motcua.Document
	r.json(&d)
	if r.status != 201 || d.Type != "image/png" || d.Name != "ảnh-CCCD.png" || len(d.SHA256) != 64 || d.Kind != "application" {
		t.Fatalf("upload: %d %+v", r.status, d)
	}
}

func TestSecretLookupIsRateLimited(t *testing.T) {
	e := newEnv(t, func(o *envOptions) { o.lookupPerMinute = 6 })
	citizen := e.citizen("079201001234")
	r := e.submit(citizen, business, motcua.DeliveryCounter)
	if got := e.call("GET", "/api/v1/cases/"+r.Code, "", nil, "X-Case-Secret", "WRONGSECRT"); got.status != 404 {
		t.Fatalf("wrong secret: %d", got.status)
	}
	if got := e.call("GET", "/api/v1/cases/"+r.Code, "", nil, "X-Case-Secret", r.Secret); got.status != 200 {
		t.Fatalf("right secret: %d", got.status)
	}
	limited := false
	for range 10 {
		if e.call("GET", "/api/v1/cases/"+r.Code, "", nil, "X-Case-Secret", "GUESS00000").status == 429 {
			limited = true
			break
		}
	}
	if !limited {
		t.Fatal("guessing secrets was never rate-limited")
	}
}

// At the one-stop desk a receiving officer submits for a walk-in applicant:
// the case is theirs (owner = applicant) and counts as a counter submission.
func TestCounterSubmission(t *testing.T) {
	e := newEnv(t)
	desk := e.officer("tiepnhan", "SKHDT", "receiver")
	body := e.submission(business, motcua.DeliveryCounter)
	var r receipt
	e.must(e.call("POST", "/api/v1/cases", desk, body, "Idempotency-Key", "quay-1"), 201).json(&r)
	if r.Channel != motcua.ChannelCounter || r.Owner != "049188001234" || r.Timeline[0].Actor.Subject != "tiepnhan" {
		t.Fatalf("counter case: channel %s owner %s actor %+v", r.Channel, r.Owner, r.Timeline[0].Actor)
	}
	// The applicant, signed in later, finds it among their cases.
	var mine struct{ Cases []struct{ Code string } }
	e.must(e.call("GET", "/api/v1/cases?mine=1", e.citizen("049188001234"), nil), 200).json(&mine)
	if len(mine.Cases) != 1 || mine.Cases[0].Code != r.Code {
		t.Fatalf("applicant's cases: %+v", mine)
	}
	other := e.officer("tiepnhan2", "SXD", "receiver")
	if got := e.call("POST", "/api/v1/cases", other, body, "Idempotency-Key", "quay-2"); got.status != 403 {
		t.Fatalf("another agency's desk submitted: %d", got.status)
	}
	if got := e.call("POST", "/api/v1/cases", e.officer("cv", "SKHDT", "reviewer"), body, "Idempotency-Key", "quay-3"); got.status != 403 {
		t.Fatalf("a reviewer submitted: %d", got.status)
	}
}

// A read model started afresh (a new database) behind a Temporal that still
// has the old cases: the same person submitting with the same key gets a new
// case under the next free number, never the old case of that code.
func TestFreshReadModelNeverJoinsAnOldCase(t *testing.T) {
	body := func(e *env) map[string]any { return e.submission(business, motcua.DeliveryCounter) }
	old := newEnv(t)
	var first receipt
	old.must(old.call("POST", "/api/v1/cases", old.citizen("079201001234"), body(old), "Idempotency-Key", "same-key"), 201).json(&first)

	fresh := newEnv(t) // a new schema: its counters start again at 0001
	citizen := fresh.citizen("079201001234")
	var second receipt
	fresh.must(fresh.call("POST", "/api/v1/cases", citizen, body(fresh), "Idempotency-Key", "same-key"), 201).json(&second)
	if second.Code == first.Code {
		t.Fatalf("the new submission joined the old case %s", first.Code)
	}
	got := fresh.must(fresh.call("GET", "/api/v1/cases/"+second.Code, citizen, nil), 200).caseView()
	// Only its own submission (and the back-ends' answers to it).
	if got.Status != motcua.StatusSubmitted || got.Timeline[0].Action != motcua.ActionSubmit ||
		slices.ContainsFunc(got.Timeline[1:], func(ev motcua.Event) bool { return ev.Action != motcua.EventCheck }) {
		t.Fatalf("the new case: %s %v", got.Status, statuses(got))
	}
}
