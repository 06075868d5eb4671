package e2e

// Findings of issue 16 (hardening), each reproduced against the real
// system: text that would stall the read model is refused at the edge,
// retried requests get their original answer, a key reused for another
// request is refused, malformed uploads and huge headers answer in the
// documented error shape, and signed-in look-ups are rate-limited too.

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"net"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"testing"

	"github.com/motcua/motcua"
)

// errorOf decodes an Error answer.
func errorOf(t *testing.T, r resp) motcua.Error {
	t.Helper()
	var e struct {
		Error motcua.Error `json:"error"`
	}
	if err := json.Unmarshal(r.body, &e); err != nil || e.Error.Code == "" {
		t.Fatalf("not an Error (%v): %d %s", err, r.status, r.body)
	}
	return e.Error
}

// wantField fails unless r is a 422 naming field.
func wantField(t *testing.T, what string, r resp, field string) {
	t.Helper()
	if r.status != 422 {
		t.Errorf("%s: %d, want 422 naming %s: %s", what, r.status, field, r.body)
		return
	}
	if e := errorOf(t, r); e.Fields[field] == "" {
		t.Errorf("%s: 422 without field %q: %s", what, field, r.body)
	}
}

// A NUL in any text once stalled a case for good on PostgreSQL (SQLSTATE
// 22P05): every text the API takes is checked at the edge.
func TestControlCharactersRefusedAtTheEdge(t *testing.T) {
	e := newEnv(t)
	citizen := e.citizen("079201001234")
	desk := e.officer("tiepnhan", "SKHDT", "receiver")
	submit := func(body any) resp {
		return e.call("POST", "/api/v1/cases", citizen, body, "Idempotency-Key", randomHex(8))
	}
	withName := func(name string) map[string]any {
		b := e.submission(business, motcua.DeliveryCounter)
		b["applicant"].(map[string]any)["name"] = name
		return b
	}
	wantField(t, "NUL in the applicant's name", submit(withName("Trần Thị\u0000 Ngọc")), "applicant.name")
	wantField(t, "C1 control in the applicant's name", submit(withName("Trần Thị\u0085Ngọc")), "applicant.name")
	wantField(t, "newline in the applicant's name", submit(withName("Trần Thị\nNgọc")), "applicant.name")
	raw, _ := json.Marshal(withName("Trần Thị MARK"))
	wantField(t, "unpaired surrogate in the name", submit(bytes.Replace(raw, []byte("MARK"), []byte(`\ud800`), 1)), "applicant.name")
	wantField(t, "invalid UTF-8 in the name", submit(bytes.Replace(raw, []byte("MARK"), []byte("\xff\xfe"), 1)), "applicant.name")
	deep := e.submission(business, motcua.DeliveryCounter)
	deep["form"].(map[string]any)["enterprise"].(map[string]any)["name_vi"] = "Công ty\u0000 TNHH"
	wantField(t, "NUL deep in the form", submit(deep), "form.enterprise.name_vi")

	r := e.submit(citizen, business, motcua.DeliveryCounter)
	act := func(a motcua.Action, body any) resp { return e.act(desk, r.Code, a, body) }
	wantField(t, "NUL in a note", act(motcua.ActionReceive, map[string]any{"note": "Đủ\u0000"}), "note")
	wantField(t, "DEL in a reason", act(motcua.ActionReject, map[string]any{"reason": "Trùng\u007f tên"}), "reason")
	wantField(t, "NUL in data", act(motcua.ActionReceive, map[string]any{"data": map[string]any{"x": []any{"a\u0000"}}}), "data.x[0]")
	wantField(t, "NUL in a key of data", act(motcua.ActionReceive, map[string]any{"data": map[string]any{"a\u0000b": 1}}), "data")
	doc := e.upload("", r.Code, "hoa-don\u202Efdp.pdf", []byte("%PDF-1.4\n"), "X-Case-Secret", r.Secret)
	wantField(t, "bidi override in a file name", doc, "file")
	doc = e.upload("", r.Code, "hoa-don\u0085.pdf", []byte("%PDF-1.4\n"), "X-Case-Secret", r.Secret)
	wantField(t, "C1 control in a file name", doc, "file")
	encoded := []byte("--XyZ\r\nContent-Disposition: form-data; name=\"file\"; filename*=UTF-8''a%00b.pdf\r\n\r\n%PDF-1.4\n\r\n--XyZ--\r\n")
	wantField(t, "encoded NUL in a file name", e.rawUpload(r.Code, r.Secret, "XyZ", encoded), "file")

	// The case was never stalled: it takes a proper file and a note on
	// more lines.
	e.must(e.upload("", r.Code, "hoá-đơn.pdf", []byte("%PDF-1.4\n"), "X-Case-Secret", r.Secret), 201)
	// Lines and tabs belong in free text.
	if v := e.must(act(motcua.ActionReceive, map[string]any{"note": "Đủ hồ sơ.\r\n\tBản chính: 2"}), 200).caseView(); v.Status != motcua.StatusInReview {
		t.Fatalf("received: %s", v.Status)
	}

	v := e.must(e.call("GET", "/api/v1/cases/"+r.Code, desk, nil), 200).caseView()
	attached := 0
	for _, d := range v.Documents {
		if d.Kind == motcua.DocumentApplication {
			attached++
		}
	}
	if v.Status != motcua.StatusInReview || attached != 1 {
		t.Fatalf("case after refused input: %s, %d documents attached", v.Status, attached)
	}
}

// A retried closing action gets its original answer, not "case closed".
func TestRetriedClosingActionGetsItsAnswer(t *testing.T) {
	e := newEnv(t)
	citizen := e.citizen("079201001234")
	desk := e.officer("tiepnhan", "SKHDT", "receiver")
	for _, c := range []struct {
		action motcua.Action
		token  string
		body   any
	}{
		{motcua.ActionWithdraw, citizen, map[string]any{"reason": "Đổi tên"}},
		{motcua.ActionReject, desk, map[string]any{"reason": "Trùng tên"}},
	} {
		code := e.submit(citizen, business, motcua.DeliveryCounter).Code
		key := "dong-" + randomHex(4)
		path := "/api/v1/cases/" + code + "/actions/" + string(c.action)
		first := e.must(e.call("POST", path, c.token, c.body, "Idempotency-Key", key), 200)
		again := e.call("POST", path, c.token, c.body, "Idempotency-Key", key)
		if again.status != 200 || !bytes.Equal(again.body, first.body) {
			t.Errorf("%s retried: %d %s\nfirst answered 200 %s", c.action, again.status, again.body, first.body)
		}
		// Had the API died before keeping the answer, the case itself
		// knows the request (its Update ID) and answers it again.
		if err := e.db.Exec(context.Background(), "DELETE FROM idempotency_keys"); err != nil {
			t.Fatal(err)
		}
		if r := e.call("POST", path, c.token, c.body, "Idempotency-Key", key); r.status != 200 || r.caseView().Status != first.caseView().Status {
			t.Errorf("%s retried, its answer not kept: %d %s", c.action, r.status, r.body)
		}
		// A new request on the closed case is still refused.
		if r := e.act(c.token, code, c.action, c.body); r.status != 409 {
			t.Errorf("%s with a new key on a closed case: %d %s", c.action, r.status, r.body)
		}
	}
}

// A key reused for another request answers 422 naming the header.
func TestIdempotencyKeyReusedWithAnotherBody(t *testing.T) {
	e := newEnv(t)
	citizen := e.citizen("079201001234")
	desk := e.officer("tiepnhan", "SKHDT", "receiver")
	body := e.submission(business, motcua.DeliveryCounter)
	first := e.must(e.call("POST", "/api/v1/cases", citizen, body, "Idempotency-Key", "nop-1"), 201).caseView()
	other := e.submission(business, motcua.DeliveryCounter)
	other["applicant"].(map[string]any)["name"] = "Lê Văn Khác"
	reused := e.call("POST", "/api/v1/cases", citizen, other, "Idempotency-Key", "nop-1")
	if reused.status != 422 || !strings.Contains(errorOf(t, reused).Message, "Idempotency-Key") {
		t.Errorf("same key, another submission: %d %s", reused.status, reused.body)
	}
	// The same submission, its keys in another order, is the same request.
	same, _ := json.Marshal(body)
	var reordered map[string]json.RawMessage
	_ = json.Unmarshal(same, &reordered)
	spaced := []byte("{\n")
	for _, k := range []string{"delivery", "form", "on_behalf", "applicant", "procedure"} {
		spaced = append(spaced, fmt.Sprintf("  %q: %s,\n", k, reordered[k])...)
	}
	spaced = append(spaced[:len(spaced)-2], "\n}"...)
	if r := e.call("POST", "/api/v1/cases", citizen, spaced, "Idempotency-Key", "nop-1"); r.status != 200 || r.caseView().Code != first.Code {
		t.Errorf("same submission retried: %d %s", r.status, r.body)
	}

	path := "/api/v1/cases/" + first.Code + "/actions/receive"
	e.must(e.call("POST", path, desk, map[string]any{"note": "Đủ"}, "Idempotency-Key", "tn-1"), 200)
	if r := e.call("POST", path, desk, map[string]any{"note": "Thiếu"}, "Idempotency-Key", "tn-1"); r.status != 422 ||
		!strings.Contains(errorOf(t, r).Message, "Idempotency-Key") {
		t.Errorf("same key, another note: %d %s", r.status, r.body)
	}
	// The key is the request's, whichever case it names.
	second := e.submit(citizen, business, motcua.DeliveryCounter).Code
	if r := e.call("POST", "/api/v1/cases/"+second+"/actions/receive", desk, map[string]any{"note": "Đủ"}, "Idempotency-Key", "tn-1"); r.status != 422 {
		t.Errorf("same key on another case: %d %s", r.status, r.body)
	}
	// An upload is its file, whatever its multipart boundary.
	pdf := []byte("%PDF-1.4\n% điều lệ\n")
	up := e.must(e.upload(citizen, second, "dieu-le.pdf", pdf, "Idempotency-Key", "tl-1"), 201)
	if r := e.upload(citizen, second, "dieu-le.pdf", pdf, "Idempotency-Key", "tl-1"); r.status != 201 || !bytes.Equal(r.body, up.body) {
		t.Errorf("same upload retried: %d %s, first %s", r.status, r.body, up.body)
	}
	if r := e.upload(citizen, second, "dieu-le.pdf", append(pdf, '\n'), "Idempotency-Key", "tl-1"); r.status != 422 {
		t.Errorf("another file with the key: %d %s", r.status, r.body)
	}
}

// Concurrent requests with one key act once and get one answer.
func TestConcurrentRequestsWithOneKey(t *testing.T) {
	e := newEnv(t)
	citizen := e.citizen("079201001234")
	desk := e.officer("tiepnhan", "SKHDT", "receiver")
	code := e.submit(citizen, business, motcua.DeliveryCounter).Code
	path := "/api/v1/cases/" + code + "/actions/receive"
	const n = 6
	answers := make([]resp, n)
	var wg sync.WaitGroup
	for i := range n {
		wg.Go(func() {
			answers[i] = e.call("POST", path, desk, map[string]any{"note": "Đủ"}, "Idempotency-Key", "cung-luc")
		})
	}
	wg.Wait()
	for i, a := range answers {
		if a.status != 200 || !bytes.Equal(a.body, answers[0].body) {
			t.Errorf("request %d: %d %s; first %d %s", i, a.status, a.body, answers[0].status, answers[0].body)
		}
	}
	received := 0
	for _, ev := range e.must(e.call("GET", "/api/v1/cases/"+code, desk, nil), 200).caseView().Timeline {
		if ev.Action == motcua.ActionReceive {
			received++
		}
	}
	if received != 1 {
		t.Fatalf("receive recorded %d times", received)
	}
}

// rawUpload posts a hand-made multipart body.
func (e *env) rawUpload(code, secret, boundary string, body []byte) resp {
	return e.call("POST", "/api/v1/cases/"+code+"/documents", "", body,
		"Content-Type", "multipart/form-data; boundary="+boundary, "X-Case-Secret", secret)
}

// Malformed multipart answers 400 and a huge header 431, both as Errors.
func TestMalformedRequestsAnswerErrors(t *testing.T) {
	e := newEnv(t)
	citizen := e.citizen("079201001234")
	r := e.submit(citizen, business, motcua.DeliveryCounter)
	const b = "XyZ"
	part := func(disposition string) []byte {
		return []byte("--" + b + "\r\nContent-Disposition: " + disposition + "\r\nContent-Type: application/pdf\r\n\r\n%PDF-1.4\n")
	}
	for name, body := range map[string][]byte{
		"NUL in a file name":            append(part("form-data; name=\"file\"; filename=\"a\x00b.pdf\""), "\r\n--"+b+"--\r\n"...),
		"cut before the boundary":       part("form-data; name=\"file\"; filename=\"a.pdf\""),
		"cut in the part's header":      []byte("--" + b + "\r\nContent-Disposition: form-data; na"),
		"no closing boundary, no parts": []byte("--" + b),
	} {
		got := e.rawUpload(r.Code, r.Secret, b, body)
		if got.status != 400 || errorOf(t, got).Code != motcua.EBADREQUEST {
			t.Errorf("%s: %d %s, want 400 bad_request", name, got.status, got.body)
		}
	}

	// A 2 MB header: the server answers before reading it all.
	u, _ := url.Parse(e.url)
	conn, err := net.Dial("tcp", u.Host)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	go func() {
		fmt.Fprintf(conn, "GET /api/v1/procedures HTTP/1.1\r\nHost: %s\r\nX-Padding: %s\r\n\r\n", u.Host, strings.Repeat("a", 2<<20))
	}()
	res, err := http.ReadResponse(bufio.NewReader(conn), nil)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	var body bytes.Buffer
	_, _ = body.ReadFrom(res.Body)
	req, _ := http.NewRequest("GET", e.url+"/api/v1/procedures", nil)
	if res.StatusCode != 431 || errorOf(t, resp{status: res.StatusCode, body: body.Bytes()}).Code == "" {
		t.Fatalf("2 MB header: %d %s", res.StatusCode, body.Bytes())
	}
	if err := checkContract(req, res.StatusCode, res.Header, body.Bytes()); err != nil {
		t.Errorf("431 breaks the contract: %v", err)
	}
}

// Signed-in look-ups are rate-limited per subject as well as per address.
func TestSignedInLookupsAreRateLimited(t *testing.T) {
	e := newEnv(t, func(o *envOptions) { o.lookupPerMinute = 6 })
	citizen := e.citizen("079201001234")
	limited := false
	for i := range 12 {
		got := e.call("GET", fmt.Sprintf("/api/v1/cases/SKHDT-261127-%04d", 9000+i), citizen, nil)
		if got.status == 429 {
			limited = true
			break
		}
		if got.status != 404 {
			t.Fatalf("look-up %d: %d %s", i, got.status, got.body)
		}
	}
	if !limited {
		t.Fatal("a signed-in citizen probing case codes was never rate-limited")
	}
}
