package api

import (
	"bufio"
	"context"
	"encoding/json"
	"fmt"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"go.temporal.io/sdk/client"

	"github.com/motcua/motcua"
	"github.com/motcua/motcua/sim"
)

func TestJSONTextProblems(t *testing.T) {
	for name, c := range map[string]struct {
		body string
		want map[string]string
	}{
		"clean":                   {`{"applicant":{"name":"Nguyễn Văn An"},"note":"Đủ.\n\tBản chính"}`, map[string]string{}},
		"NUL in a name":           {`{"applicant":{"name":"An\u0000"}}`, map[string]string{"applicant.name": msgControl}},
		"newline in a name":       {`{"applicant":{"name":"An\nB"}}`, map[string]string{"applicant.name": msgControl}},
		"C1 control in a note":    {`{"note":"a` + "\u0085" + `"}`, map[string]string{"note": msgControl}},
		"escaped C1 in a reason":  {`{"reason":"a\u009b"}`, map[string]string{"reason": msgControl}},
		"DEL":                     {`{"agency":"SK\u007fHDT"}`, map[string]string{"agency": msgControl}},
		"deep in a form":          {`{"form":{"a":[{"b":"x"},{"b":"\u0000"}]}}`, map[string]string{"form.a[1].b": msgControl}},
		"lines in a form value":   {`{"form":{"noi_dung":"dòng 1\r\ndòng 2"}}`, map[string]string{}},
		"a key with NUL":          {`{"data":{"a\u0000":1}}`, map[string]string{"data": msgKey}},
		"a top-level key":         {`{"x\u0001":1}`, map[string]string{"body": msgKey}},
		"lone high surrogate":     {`{"applicant":{"name":"\ud800"}}`, map[string]string{"applicant.name": msgEncoding}},
		"lone low surrogate":      {`{"note":"a\udc00b"}`, map[string]string{"note": msgEncoding}},
		"high then no low":        {`{"note":"\ud800\u0041"}`, map[string]string{"note": msgEncoding}},
		"a proper pair":           {`{"note":"\ud83d\ude00 😀"}`, map[string]string{}},
		"invalid UTF-8":           {"{\"note\":\"a\xffb\"}", map[string]string{"note": msgEncoding}},
		"numbers, bools and null": {`{"data":{"n":1.5e3,"b":true,"z":null,"s":["a","\u0007"]}}`, map[string]string{"data.s[1]": msgControl}},
		"does not parse":          {`{"note":`, nil},
	} {
		got := jsonTextProblems([]byte(c.body), requestText)
		if fmt.Sprint(got) != fmt.Sprint(c.want) && !(len(got) == 0 && len(c.want) == 0) {
			t.Errorf("%s: %v, want %v", name, got, c.want)
		}
	}
	for name, c := range map[string]struct {
		text string
		rule textRule
		want string
	}{
		"bidi override in a file name": {"hoa-don\u202efdp.exe", fileName, msgBidi},
		"isolate in a file name":       {"a\u2068b.pdf", fileName, msgBidi},
		"bidi in a note":               {"a\u202eb", freeText, ""},
		"tab in a file name":           {"a\tb.pdf", fileName, msgControl},
		"Vietnamese file name":         {"Tờ khai (bản chính).pdf", fileName, ""},
	} {
		if got := textProblem(c.text, c.rule); got != c.want {
			t.Errorf("%s: %q, want %q", name, got, c.want)
		}
	}
}

// net/http's own answers (431, 400) come out as Errors; others pass.
func TestListenerAnswersInErrorShape(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	srv := &http.Server{Handler: http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) { fmt.Fprint(w, "ok") }),
		ReadHeaderTimeout: 5 * time.Second}
	go func() { _ = srv.Serve(Listener(ln)) }()
	t.Cleanup(func() { _ = srv.Close() })
	send := func(request string) (*http.Response, string) {
		t.Helper()
		conn, err := net.Dial("tcp", ln.Addr().String())
		if err != nil {
			t.Fatal(err)
		}
		defer conn.Close()
		go func() { _, _ = conn.Write([]byte(request)) }()
		res, err := http.ReadResponse(bufio.NewReader(conn), nil)
		if err != nil {
			t.Fatal(err)
		}
		defer res.Body.Close()
		var b strings.Builder
		_, _ = bufio.NewReader(res.Body).WriteTo(&b)
		return res, b.String()
	}
	for name, c := range map[string]struct {
		request string
		status  int
		code    string
	}{
		"a 2 MB header":       {"GET / HTTP/1.1\r\nHost: x\r\nX-Big: " + strings.Repeat("a", 2<<20) + "\r\n\r\n", 431, motcua.EHEADERTOOLARGE},
		"a malformed request": {"GET / HTTP/1.1\r\nHost: x\r\nBad Header\r\n\r\n", 400, motcua.EBADREQUEST},
	} {
		res, body := send(c.request)
		var e errorBody
		if res.StatusCode != c.status || json.Unmarshal([]byte(body), &e) != nil || e.Error.Code != c.code || e.Error.Message == "" ||
			!strings.HasPrefix(res.Header.Get("Content-Type"), "application/json") {
			t.Errorf("%s: %d %s %q", name, res.StatusCode, res.Header.Get("Content-Type"), body)
		}
	}
	if res, body := send("GET / HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n"); res.StatusCode != 200 || body != "ok" {
		t.Errorf("a handler's answer: %d %q", res.StatusCode, body)
	}
}

// countingTemporal counts the Updates that reach the case, slowly.
type countingTemporal struct {
	*fakeTemporal
	updates atomic.Int32
}

func (f *countingTemporal) UpdateWorkflow(ctx context.Context, o client.UpdateWorkflowOptions) (client.WorkflowUpdateHandle, error) {
	f.updates.Add(1)
	time.Sleep(50 * time.Millisecond)
	return f.fakeTemporal.UpdateWorkflow(ctx, o)
}

func TestIdempotentActions(t *testing.T) {
	_, fresh := testCases()
	store := &fakeStore{cases: map[string]*motcua.Case{fresh.Code: fresh}}
	tc := &countingTemporal{fakeTemporal: &fakeTemporal{store: store}}
	h := New(Deps{Temporal: tc, Store: store, Auth: testDev, Secrets: motcua.CaseSecrets{Key: []byte("k")},
		ActionTimeout: 5 * time.Second, LookupPerMinute: 600, Logger: quiet})
	tok, _, _ := testDev.Issue(motcua.Actor{Kind: motcua.KindOfficer, Subject: "tiepnhan.cat", Agency: "CAT", Roles: []motcua.Role{motcua.RoleReceiver}}, time.Now())
	act := func(key, body string) *httptest.ResponseRecorder {
		req := httptest.NewRequest("POST", "/api/v1/cases/"+fresh.Code+"/actions/receive", strings.NewReader(body))
		req.Header.Set("Authorization", "Bearer "+tok)
		req.Header.Set("Idempotency-Key", key)
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, req)
		return rec
	}
	const n = 5
	answers := make([]*httptest.ResponseRecorder, n)
	var wg sync.WaitGroup
	for i := range n {
		wg.Go(func() { answers[i] = act("k1", `{"note":"Đủ"}`) })
	}
	wg.Wait()
	replayed := 0
	for i, a := range answers {
		if a.Code != 200 || a.Body.String() != answers[0].Body.String() {
			t.Errorf("request %d: %d %s", i, a.Code, a.Body)
		}
		if a.Header().Get("Idempotent-Replayed") == "true" {
			replayed++
		}
	}
	if got := tc.updates.Load(); got != 1 || replayed != n-1 {
		t.Fatalf("%d concurrent requests with one key: %d Updates, %d replayed; want 1 and %d", n, got, replayed, n-1)
	}
	// Key order and spacing do not make another request.
	if a := act("k1", "{ \"note\" : \"Đủ\" }"); a.Code != 200 || tc.updates.Load() != 1 {
		t.Errorf("same request, spaced: %d, %d Updates", a.Code, tc.updates.Load())
	}
	a := act("k1", `{"note":"Thiếu"}`)
	var e errorBody
	if a.Code != 422 || json.Unmarshal(a.Body.Bytes(), &e) != nil || e.Error.Fields["Idempotency-Key"] == "" || !strings.Contains(e.Error.Message, "Idempotency-Key") {
		t.Errorf("another request with the key: %d %s", a.Code, a.Body)
	}
	// A refused request keeps nothing: its retry acts again.
	tc.err = fmt.Errorf("boom")
	if a := act("k2", `{}`); a.Code != 500 {
		t.Fatalf("failing request: %d", a.Code)
	}
	tc.err = nil
	before := tc.updates.Load()
	if a := act("k2", `{}`); a.Code != 200 || tc.updates.Load() != before+1 {
		t.Errorf("retry of a failed request: %d, %d Updates (before %d)", a.Code, tc.updates.Load(), before)
	}
}

// An identity whose claims hold control characters is refused: they would
// be written on the case as who acted.
func TestIdentityTextChecked(t *testing.T) {
	h := New(Deps{Auth: testDev, Logger: quiet})
	for name, a := range map[string]motcua.Actor{
		"NUL in the name":    {Kind: motcua.KindCitizen, Subject: "079201001234", Name: "An\x00"},
		"NUL in the subject": {Kind: motcua.KindCitizen, Subject: "0792\x0001234"},
	} {
		tok, _, err := testDev.Issue(a, time.Now())
		if err != nil {
			t.Fatal(err)
		}
		req := httptest.NewRequest("GET", "/api/v1/cases?mine=1", nil)
		req.Header.Set("Authorization", "Bearer "+tok)
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, req)
		if rec.Code != 401 {
			t.Errorf("%s: %d %s", name, rec.Code, rec.Body)
		}
	}
}

// A signed callback's body becomes a case event's data: its text is
// checked too.
func TestCallbackTextChecked(t *testing.T) {
	key := []byte("callback-secret")
	h := New(Deps{CallbackSecret: key, Store: &fakeStore{}, Logger: quiet})
	body := `{"tracking_number":"EB123456785VN","status":"in_transit","note":"Đang vận chuyển\u0000"}`
	req := httptest.NewRequest("POST", "/api/v1/post/callback", strings.NewReader(body))
	req.Header.Set(sim.SignatureHeader, sim.Sign(key, []byte(body)))
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, req)
	var e errorBody
	if rec.Code != 422 || json.Unmarshal(rec.Body.Bytes(), &e) != nil || e.Error.Fields["note"] == "" {
		t.Fatalf("NUL in a signed callback: %d %s", rec.Code, rec.Body)
	}
}
