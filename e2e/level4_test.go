package e2e

import (
	"bytes"
	"encoding/json"
	"fmt"
	"mime/multipart"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/motcua/motcua"
	"github.com/motcua/motcua/sim"
)

// level4Case submits a business registration (level 4: checks, online fee)
// with the enterprise name given, and takes it through approval.
func (e *env) level4Case(delivery, enterprise string) (receipt, map[string]string) {
	e.t.Helper()
	tokens := map[string]string{
		"citizen": e.citizen("049090001234"), "desk": e.officer("tiepnhan", "SKHDT", "receiver"),
		"reviewer": e.officer("chuyenvien", "SKHDT", "reviewer"), "leader": e.officer("giamdoc", "SKHDT", "approver"),
	}
	body := e.submission(business, delivery)
	body["applicant"] = map[string]any{"name": "Hồ Công Sơn", "id_number": "049090001234", "phone": "0905123456", "email": "son@example.vn"}
	if enterprise != "" {
		body["form"].(map[string]any)["enterprise"].(map[string]any)["name_vi"] = enterprise
	}
	var r receipt
	e.must(e.call("POST", "/api/v1/cases", tokens["citizen"], body, "Idempotency-Key", randomHex(8)), 201).json(&r)
	e.actOK(tokens["desk"], r.Code, motcua.ActionReceive, nil)
	e.actOK(tokens["reviewer"], r.Code, motcua.ActionReview, nil)
	v := e.actOK(tokens["leader"], r.Code, motcua.ActionApprove, nil)
	if v.Status != motcua.StatusAwaitingPayment {
		e.t.Fatalf("after approval: %s", v.Status)
	}
	// The order at the gateway follows approval's answer; with unreliable
	// back-ends its retries (1, 2, 4, 8, 16 s apart) can outlast waitFor's
	// 30 s (TestLevel4UnreliableBackends failed so once, five failures in a row).
	v = e.waitLong(tokens["leader"], r.Code, "ordered its fee", func(c motcua.Case) bool { return len(c.Payments) > 0 })
	if len(v.Payments) != 1 || v.Payments[0].PayURL == "" {
		e.t.Fatalf("after approval: %s %+v", v.Status, v.Payments)
	}
	return r, tokens
}

// waitFor polls the read model until the case satisfies ok: callbacks
// arrive on their own time.
func (e *env) waitFor(token, code string, what string, ok func(motcua.Case) bool) motcua.Case {
	e.t.Helper()
	deadline := time.Now().Add(30 * time.Second)
	for {
		c := e.must(e.call("GET", "/api/v1/cases/"+code, token, nil), 200).caseView()
		if ok(c) {
			return c
		}
		if time.Now().After(deadline) {
			e.t.Fatalf("case %s never %s: %s %v", code, what, c.Status, statuses(c))
		}
		time.Sleep(100 * time.Millisecond)
	}
}

// settled is the case once the work its last action started (documents,
// back-end calls) is done: its version stops moving.
func (e *env) settled(token, code string) motcua.Case {
	e.t.Helper()
	last := e.must(e.call("GET", "/api/v1/cases/"+code, token, nil), 200).caseView()
	for range 100 {
		time.Sleep(200 * time.Millisecond)
		c := e.must(e.call("GET", "/api/v1/cases/"+code, token, nil), 200).caseView()
		if c.Version == last.Version {
			return c
		}
		last = c
	}
	e.t.Fatalf("case %s never settled", code)
	return last
}

// pay answers the gateway's payment page as the payer would.
func (e *env) pay(payURL, result string) {
	e.t.Helper()
	res, err := http.PostForm(payURL, url.Values{"result": {result}})
	if err != nil {
		e.t.Fatal(err)
	}
	res.Body.Close()
	if res.StatusCode != 200 {
		e.t.Fatalf("pay page answered %d", res.StatusCode)
	}
}

func (e *env) simCall(method, path string, body any) resp {
	e.t.Helper()
	var rd *bytes.Reader
	b, _ := json.Marshal(body)
	rd = bytes.NewReader(b)
	req, _ := http.NewRequest(method, e.simURL+path, rd)
	req.Header.Set("Content-Type", "application/json")
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		e.t.Fatal(err)
	}
	defer res.Body.Close()
	var buf bytes.Buffer
	_, _ = buf.ReadFrom(res.Body)
	return resp{status: res.StatusCode, body: buf.Bytes()}
}

func count(c motcua.Case, a motcua.Action) int {
	n := 0
	for _, ev := range c.Timeline {
		if ev.Action == a {
			n++
		}
	}
	return n
}

// A level-4 case paid online through the gateway and delivered by post,
// with signed documents anyone can verify and the applicant told by SMS and
// e-mail.
func TestLevel4PaidOnlineDeliveredByPost(t *testing.T) {
	e := newEnv(t)
	r, tk := e.level4Case(motcua.DeliveryPost, "")
	v := e.must(e.call("GET", "/api/v1/cases/"+r.Code, tk["citizen"], nil), 200).caseView()
	e.pay(v.Payments[0].PayURL, "success")
	v = e.waitFor(tk["citizen"], r.Code, "paid", func(c motcua.Case) bool { return c.Status == motcua.StatusAwaitingIssue })
	if v.Payments[0].Status != motcua.PaymentPaid || count(v, motcua.ActionPaymentResult) != 1 {
		t.Fatalf("payment %+v", v.Payments)
	}
	e.actOK(tk["reviewer"], r.Code, motcua.ActionIssue, nil)
	// The registry, then the post, take the result after issue answers.
	v = e.waitFor(tk["citizen"], r.Code, "posted", func(c motcua.Case) bool { return c.Delivery.Tracking != "" })
	if v.Result == nil || !strings.HasPrefix(v.Result.Number, "40") {
		t.Fatalf("after issue: %s result %+v delivery %+v", v.Status, v.Result, v.Delivery)
	}
	for range 3 {
		e.must(e.simCall("POST", "/post/shipments/"+v.Delivery.Tracking+"/advance", nil), 200)
	}
	v = e.waitFor(tk["citizen"], r.Code, "delivered", func(c motcua.Case) bool { return c.Status == motcua.StatusCompleted })
	if count(v, motcua.ActionPostalTracking) != 3 {
		t.Fatalf("tracking events: %v", statuses(v))
	}

	// The receipt and the result are signed PDFs anyone can check.
	for _, kind := range []string{"receipt", "result"} {
		i := slices.IndexFunc(v.Documents, func(d motcua.Document) bool { return d.Kind == kind })
		if i < 0 || v.Documents[i].Signature == "" {
			t.Fatalf("no signed %s: %+v", kind, v.Documents)
		}
		doc := v.Documents[i]
		var ver struct {
			Authentic bool   `json:"authentic"`
			CaseCode  string `json:"case_code"`
		}
		e.must(e.call("GET", "/api/v1/verify/"+doc.ID, "", nil), 200).json(&ver)
		if !ver.Authentic || ver.CaseCode != r.Code {
			t.Fatalf("%s not verified: %+v", kind, ver)
		}
		file := e.must(e.call("GET", "/api/v1/cases/"+r.Code+"/documents/"+doc.ID, tk["citizen"], nil), 200).body
		if !bytes.HasPrefix(file, []byte("%PDF-")) {
			t.Fatalf("%s is not a PDF", kind)
		}
		if !e.verifyCopy(doc.ID, file) {
			t.Fatalf("the genuine %s did not verify", kind)
		}
		file[len(file)/2] ^= 1
		if e.verifyCopy(doc.ID, file) {
			t.Fatalf("a %s with one changed byte verified", kind)
		}
	}

	// The applicant heard of it: by SMS and by e-mail, in Vietnamese.
	var sms []sim.SMS
	for _, m := range e.sim.Outbox() {
		if m.To == "0905123456" && strings.Contains(m.Text, r.Code) {
			sms = append(sms, m)
		}
	}
	var mails []string
	for _, m := range e.sim.Mailbox() {
		if slices.Contains(m.To, "son@example.vn") {
			mails = append(mails, m.Subject)
		}
	}
	want := []string{"tiếp nhận", "phê duyệt", "nộp", "kết quả"}
	for _, w := range want {
		if !slices.ContainsFunc(sms, func(m sim.SMS) bool { return strings.Contains(strings.ToLower(m.Text), w) }) {
			t.Errorf("no SMS about %q: %+v", w, sms)
		}
		if !slices.ContainsFunc(mails, func(s string) bool { return strings.Contains(strings.ToLower(s), w) }) {
			t.Errorf("no e-mail about %q: %v", w, mails)
		}
	}
}

func (e *env) verifyCopy(id string, file []byte) bool {
	e.t.Helper()
	var buf bytes.Buffer
	mw := multipart.NewWriter(&buf)
	fw, _ := mw.CreateFormFile("file", "copy.pdf")
	_, _ = fw.Write(file)
	_ = mw.Close()
	var ver struct{ Authentic bool }
	e.must(e.call("POST", "/api/v1/verify/"+id, "", buf.Bytes(), "Content-Type", mw.FormDataContentType()), 200).json(&ver)
	return ver.Authentic
}

// The gateway's callback is lost: the case asks the gateway itself.
func TestLevel4LostCallbackReconciled(t *testing.T) {
	e := newEnv(t, func(o *envOptions) { o.reconcileAfter = time.Second })
	e.sim.SetFault("payment.callback", sim.Fault{DropCallbacks: true})
	r, tk := e.level4Case(motcua.DeliveryOnline, "")
	v := e.must(e.call("GET", "/api/v1/cases/"+r.Code, tk["citizen"], nil), 200).caseView()
	e.pay(v.Payments[0].PayURL, "success")
	v = e.waitFor(tk["citizen"], r.Code, "reconciled", func(c motcua.Case) bool { return c.Status == motcua.StatusAwaitingIssue })
	if count(v, motcua.EventPaymentReconciled) != 1 || count(v, motcua.ActionPaymentResult) != 0 || v.Payments[0].Status != motcua.PaymentPaid {
		t.Fatalf("not reconciled: %v %+v", statuses(v), v.Payments)
	}
}

// The gateway says "paid" twice: the payment is recorded once.
func TestLevel4DuplicateCallbackRecordedOnce(t *testing.T) {
	e := newEnv(t)
	r, tk := e.level4Case(motcua.DeliveryOnline, "")
	v := e.must(e.call("GET", "/api/v1/cases/"+r.Code, tk["citizen"], nil), 200).caseView()
	order := v.Payments[0].ID
	e.pay(v.Payments[0].PayURL, "success")
	e.waitFor(tk["citizen"], r.Code, "paid", func(c motcua.Case) bool { return c.Status == motcua.StatusAwaitingIssue })
	for range 2 {
		if got := e.simCall("POST", "/payments/orders/"+order+"/callback", nil); got.status != 202 {
			t.Fatalf("resend callback: %d %s", got.status, got.body)
		}
	}
	// A forged callback is refused outright.
	forged := e.call("POST", "/api/v1/payments/callback", "", fmt.Sprintf(`{"order_id":%q,"status":"paid"}`, order), "X-Signature", "00")
	if forged.status != 401 {
		t.Fatalf("forged callback: %d", forged.status)
	}
	time.Sleep(time.Second) // the repeats have arrived and been acknowledged
	v = e.actOK(tk["reviewer"], r.Code, motcua.ActionIssue, nil)
	paid := 0
	for _, p := range v.Payments {
		if p.Status == motcua.PaymentPaid {
			paid++
		}
	}
	if paid != 1 || len(v.Payments) != 1 || count(v, motcua.ActionPaymentResult) != 1 {
		t.Fatalf("payments %+v, events %v", v.Payments, statuses(v))
	}
}

// The registry refuses to register at issue (another enterprise took the
// name after reception): the fee paid online is refunded at the gateway and
// the case is rejected with the registry's reason. (A name taken before
// reception holds the case at the desk: TestReceptionRefusalHoldsTheCase.)
func TestLevel4RefundAfterFailedIssue(t *testing.T) {
	e := newEnv(t)
	name := "Công ty TNHH Mây Trắng " + randomHex(3)
	r, tk := e.level4Case(motcua.DeliveryOnline, name)
	v := e.must(e.call("GET", "/api/v1/cases/"+r.Code, tk["citizen"], nil), 200).caseView()
	order := v.Payments[0].ID
	e.pay(v.Payments[0].PayURL, "success")
	e.waitFor(tk["citizen"], r.Code, "paid", func(c motcua.Case) bool { return c.Status == motcua.StatusAwaitingIssue })
	e.must(e.simCall("POST", "/registry/business/register", map[string]any{"idempotency_key": "other-" + r.Code, "name": name,
		"representative_id": "049080009999"}), 200)
	e.actOK(tk["reviewer"], r.Code, motcua.ActionIssue, nil)
	// The registry answers after the officer's action did.
	v = e.waitFor(tk["citizen"], r.Code, "rejected", func(c motcua.Case) bool { return c.Status == motcua.StatusRejected })
	if v.Status != motcua.StatusRejected || v.Payments[0].Status != motcua.PaymentRefunded || count(v, motcua.EventRefunded) != 1 {
		t.Fatalf("after refused issue: %s %+v %v", v.Status, v.Payments, statuses(v))
	}
	var st struct{ Status string }
	e.must(e.simCall("GET", "/payments/orders/"+order, nil), 200).json(&st)
	if st.Status != "refunded" {
		t.Fatalf("gateway says %s", st.Status)
	}
}

// A back-end's refusal (a reserved word in the enterprise name) is on the
// case, in the back-end's words, for the officer to decide on.
func TestLevel4BackendRefusalOnCase(t *testing.T) {
	e := newEnv(t)
	citizen, desk := e.citizen("049090001234"), e.officer("tiepnhan", "SKHDT", "receiver")
	body := e.submission(business, motcua.DeliveryOnline)
	body["form"].(map[string]any)["enterprise"].(map[string]any)["name_vi"] = "Công ty TNHH Nhà nước Quảng Nam"
	var r receipt
	e.must(e.call("POST", "/api/v1/cases", citizen, body, "Idempotency-Key", "r1"), 201).json(&r)
	// The registry answers while the file waits at the desk: the receiver
	// sees its refusal before accepting.
	v := e.waitFor(desk, r.Code, "shown the registry's refusal", func(c motcua.Case) bool {
		return slices.ContainsFunc(c.Timeline, func(ev motcua.Event) bool { return ev.Action == motcua.EventCheckFailed })
	})
	i := slices.IndexFunc(v.Timeline, func(ev motcua.Event) bool { return ev.Action == motcua.EventCheckFailed })
	if !strings.Contains(v.Timeline[i].Note, "từ ngữ dành riêng") || v.Status != motcua.StatusSubmitted ||
		!slices.ContainsFunc(v.Actions, func(p motcua.Permission) bool { return p.Action == motcua.ActionReceive }) {
		t.Fatalf("refusal not on the case at the desk: %s %+v", v.Status, v.Timeline)
	}
}

// With 30% of back-end calls failing, every case still completes: calls
// are retried, callbacks re-sent, late payments reconciled.
func TestLevel4UnreliableBackends(t *testing.T) {
	e := newEnv(t, func(o *envOptions) { o.reconcileAfter = 2 * time.Second })
	e.sim.SetFault("*", sim.Fault{FailureRate: 0.3})
	const n = 4
	var wg sync.WaitGroup
	codes := make([]string, n)
	tokens := make([]map[string]string, n)
	for i := range n {
		r, tk := e.level4Case(motcua.DeliveryOnline, fmt.Sprintf("Công ty TNHH Thử Nghiệm Số %d", i+1))
		codes[i], tokens[i] = r.Code, tk
	}
	for i := range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			v := e.must(e.call("GET", "/api/v1/cases/"+codes[i], tokens[i]["citizen"], nil), 200).caseView()
			e.pay(v.Payments[len(v.Payments)-1].PayURL, "success")
		}()
	}
	wg.Wait()
	for i := range n {
		// A callback the gateway gave up on is made up by asking it,
		// further apart each time (2, 4, 8, 16, 32 s… from the order):
		// up to a minute or two after a late payment.
		at := time.Now()
		e.waitLong(tokens[i]["citizen"], codes[i], "paid", func(c motcua.Case) bool { return c.Status == motcua.StatusAwaitingIssue })
		t.Logf("case %s paid, seen after %s", codes[i], time.Since(at).Round(100*time.Millisecond))
		// The registry is called after issue answers, and retried.
		e.actOK(tokens[i]["reviewer"], codes[i], motcua.ActionIssue, nil)
		v := e.waitLong(tokens[i]["citizen"], codes[i], "completed", func(c motcua.Case) bool { return c.Status.Final() })
		if v.Status != motcua.StatusCompleted || v.Result == nil || v.Result.Number == "" {
			t.Errorf("case %s: %s %+v", codes[i], v.Status, v.Result)
		}
	}
}
