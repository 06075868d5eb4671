package sim

import (
	"bytes"
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"sync"
	"testing"
	"time"
)

// testSecret signs callbacks in tests.
var testSecret = []byte("test-secret-0123456789abcdef0123456789")

// startSim runs a Sim behind a real HTTP server, with callback retries
// fast enough for tests.
func startSim(t *testing.T, o Options) (*Sim, string) {
	t.Helper()
	if o.PaymentSecret == nil {
		o.PaymentSecret = testSecret
	}
	o.Logger = slog.New(slog.NewTextHandler(t.Output(), &slog.HandlerOptions{Level: slog.LevelWarn}))
	s := New(o)
	s.retryBase = 5 * time.Millisecond
	srv := httptest.NewServer(s.Handler())
	t.Cleanup(func() {
		srv.Close()
		if err := s.Close(); err != nil {
			t.Errorf("Close: %v", err)
		}
	})
	return s, srv.URL
}

// call sends body as JSON (nil: no body) and decodes the answer into out
// (nil: ignore), returning the status.
func call(t *testing.T, method, url string, body, out any) int {
	t.Helper()
	var r io.Reader
	if body != nil {
		b, err := json.Marshal(body)
		if err != nil {
			t.Fatal(err)
		}
		r = bytes.NewReader(b)
	}
	req, err := http.NewRequest(method, url, r)
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Content-Type", "application/json")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	raw, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	if out != nil && len(raw) > 0 {
		if err := json.Unmarshal(raw, out); err != nil {
			t.Fatalf("%s %s: decode %q: %v", method, url, raw, err)
		}
	}
	return resp.StatusCode
}

// errBody is the sim's error answer.
type errBody struct {
	Code    string `json:"code"`
	Message string `json:"message"`
}

// wantError asserts an error answer's status and code.
func wantError(t *testing.T, method, url string, body any, status int, code string) {
	t.Helper()
	var e errBody
	if got := call(t, method, url, body, &e); got != status || e.Code != code {
		t.Fatalf("%s %s: got %d %q (%s), want %d %q", method, url, got, e.Code, e.Message, status, code)
	}
	if e.Message == "" {
		t.Errorf("%s %s: error %q has no message", method, url, e.Code)
	}
}

// delivery is a callback a receiver got.
type delivery struct {
	Body      []byte
	Signature string
}

// receiver is motcua's callback endpoint in tests: it answers 503 to the
// first failFirst requests and 200 after, recording every request.
type receiver struct {
	URL       string
	failFirst int

	mu   sync.Mutex
	got  []delivery
	seen chan struct{}
}

func newReceiver(t *testing.T, failFirst int) *receiver {
	rc := &receiver{failFirst: failFirst, seen: make(chan struct{}, 1)}
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		b, _ := io.ReadAll(r.Body)
		rc.mu.Lock()
		rc.got = append(rc.got, delivery{Body: b, Signature: r.Header.Get(SignatureHeader)})
		n := len(rc.got)
		rc.mu.Unlock()
		if n <= rc.failFirst {
			w.WriteHeader(http.StatusServiceUnavailable)
		}
		select {
		case rc.seen <- struct{}{}:
		default: // wait polls the count too
		}
	}))
	t.Cleanup(srv.Close)
	rc.URL = srv.URL
	return rc
}

// wait returns once n requests arrived, failing the test after 5s.
func (rc *receiver) wait(t *testing.T, n int) []delivery {
	t.Helper()
	deadline := time.After(5 * time.Second)
	for {
		rc.mu.Lock()
		got := append([]delivery{}, rc.got...)
		rc.mu.Unlock()
		if len(got) >= n {
			return got
		}
		select {
		case <-rc.seen:
		case <-deadline:
			t.Fatalf("receiver got %d callbacks, want %d", len(got), n)
		}
	}
}

// count returns how many requests arrived so far.
func (rc *receiver) count() int {
	rc.mu.Lock()
	defer rc.mu.Unlock()
	return len(rc.got)
}

// verified decodes a callback after checking its signature.
func verified(t *testing.T, d delivery, out any) {
	t.Helper()
	if want := Sign(testSecret, d.Body); d.Signature != want {
		t.Fatalf("signature %q, want %q for %s", d.Signature, want, d.Body)
	}
	if err := json.Unmarshal(d.Body, out); err != nil {
		t.Fatalf("callback body %q: %v", d.Body, err)
	}
}

func TestSign(t *testing.T) {
	// RFC 4231 test case 2.
	got := Sign([]byte("Jefe"), []byte("what do ya want for nothing?"))
	if want := "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843"; got != want {
		t.Fatalf("Sign = %s, want %s", got, want)
	}
}

func TestHealthz(t *testing.T) {
	_, url := startSim(t, Options{})
	resp, err := http.Get(url + "/healthz")
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	if resp.StatusCode != http.StatusOK || string(b) != "ok\n" {
		t.Fatalf("healthz: %d %q", resp.StatusCode, b)
	}
}

func TestMalformedJSON(t *testing.T) {
	_, url := startSim(t, Options{})
	resp, err := http.Post(url+"/payments/orders", "application/json", bytes.NewReader([]byte("{")))
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusBadRequest {
		t.Fatalf("status %d, want 400", resp.StatusCode)
	}
}

func jsonBody(t *testing.T, v any) io.Reader {
	t.Helper()
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	return bytes.NewReader(b)
}
