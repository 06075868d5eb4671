package e2e

import (
	"bytes"
	"cmp"
	"context"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"os"
	"strings"
	"testing"
	"time"

	"go.temporal.io/sdk/client"

	"github.com/motcua/motcua"
	"github.com/motcua/motcua/config"
	"github.com/motcua/motcua/devserver"
	"github.com/motcua/motcua/procedures"
	"github.com/motcua/motcua/sim"
	"github.com/motcua/motcua/store"
	"github.com/motcua/motcua/system"
)

var temporalAddr string

func TestMain(m *testing.M) {
	srv, err := devserver.Start(context.Background(), devserver.Options{FrontendAddr: "127.0.0.1:0", Namespaces: []string{"default"}})
	if err != nil {
		fmt.Fprintln(os.Stderr, "embedded temporal:", err)
		os.Exit(1)
	}
	temporalAddr = srv.Addr()
	code := m.Run()
	removeBinary() // built by the tests that run motcua as processes
	_ = srv.Stop()
	os.Exit(code)
}

// postgresDSN is the test database; .ci/run makes sure it exists.
func postgresDSN() string {
	if dsn := os.Getenv("MOTCUA_TEST_POSTGRES"); dsn != "" {
		return dsn
	}
	return "postgres://postgres@127.0.0.1:5432/test?sslmode=disable"
}

// OpenTestDB opens a fresh schema in the test PostgreSQL, migrated.
func OpenTestDB(tb testing.TB) *store.DB {
	tb.Helper()
	ctx := context.Background()
	schema := "e2e_" + randomHex(6)
	db, err := store.Open(ctx, store.Options{DSN: postgresDSN(), Schema: schema, MaxOpenConns: 8})
	if err != nil {
		tb.Fatalf("PostgreSQL is needed for the end-to-end tests (set MOTCUA_TEST_POSTGRES, or run .ci/run which starts it): %v", err)
	}
	tb.Cleanup(func() {
		_ = db.Exec(context.Background(), "DROP SCHEMA "+schema+" CASCADE")
		db.Close()
	})
	if err := db.MigrateUp(ctx); err != nil {
		tb.Fatal(err)
	}
	return db
}

func randomHex(n int) string {
	b := make([]byte, n)
	_, _ = rand.Read(b)
	return hex.EncodeToString(b)
}

// env is one test's system: its own schema, task queue, data directory,
// simulator, worker and server, started as `motcua dev` starts.
type env struct {
	t       *testing.T
	url     string
	db      *store.DB
	tc      client.Client
	catalog *procedures.Catalog
	secrets motcua.CaseSecrets
	sim     *sim.Sim
	simURL  string
	queue   string
}

type envOptions struct {
	maxUpload       int64
	lookupPerMinute int
	reconcileAfter  time.Duration
	// compressed deadlines fall seconds away instead of working days
	// (recording histories of timer paths).
	compressed bool
	// proceduresDir replaces the embedded catalogue.
	proceduresDir string
	// logger receives the system's logs (discarded by default).
	logger *slog.Logger
	// filing is the day submissions are routed on (competence by date).
	// Tests run on the map of the seed, before the 2025 reforms
	// (seedFilingDay), unless they say otherwise.
	filing motcua.Clock
	// config adjusts the configuration further.
	config func(*config.Config)
	// backendTimeout bounds each back-end call (5 s unless set).
	backendTimeout time.Duration
}

// seedFilingDay is a day of the Quảng Nam map the tests' officers belong to:
// after Nông Sơn joined Quế Sơn, before the departments merged.
func seedFilingDay() time.Time {
	return time.Date(2025, 1, 15, 9, 0, 0, 0, time.FixedZone("ICT", 7*3600))
}

func newEnv(t *testing.T, opts ...func(*envOptions)) *env {
	t.Helper()
	o := envOptions{maxUpload: 1 << 20, lookupPerMinute: 1000, reconcileAfter: time.Hour, filing: seedFilingDay}
	for _, f := range opts {
		f(&o)
	}
	db := OpenTestDB(t)
	cfg, _, err := config.Load("", nil)
	if err != nil {
		t.Fatal(err)
	}
	cfg.DataDir = t.TempDir()
	cfg.HTTP.Addr, cfg.Sim.Addr, cfg.Sim.SMTPAddr = "127.0.0.1:0", "127.0.0.1:0", "127.0.0.1:0"
	cfg.Temporal.TaskQueue = "e2e-" + randomHex(6)
	cfg.Auth.Secret = randomHex(32)
	cfg.Backends.CallbackSecret = randomHex(16)
	cfg.Backends.Timeout = cmp.Or(o.backendTimeout, 5*time.Second)
	cfg.Uploads.MaxBytes, cfg.Lookup.PerMinute, cfg.Backends.ReconcileAfter = o.maxUpload, o.lookupPerMinute, o.reconcileAfter
	cfg.Procedures.Dir = o.proceduresDir
	cfg.Incidents.ReconcileEvery = 300 * time.Millisecond
	cfg.Reports.Schedule = false // the report tests keep Schedules; the shared server needs no more
	if o.config != nil {
		o.config(cfg)
	}
	over := system.Overrides{DB: db, Temporal: temporalAddr, ManualPost: true, Logger: slog.New(slog.DiscardHandler), FilingClock: o.filing}
	if o.compressed {
		over.Deadline = compressedDeadline
	}
	if o.logger != nil {
		over.Logger = o.logger
	}
	sys, err := system.Start(context.Background(), system.Dev, cfg, over)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = sys.Stop() })
	return &env{t: t, url: sys.URL, db: db, tc: sys.Temporal, catalog: sys.Catalog, secrets: sys.Secrets,
		sim: sys.Sim, simURL: sys.SimURL, queue: cfg.Temporal.TaskQueue}
}

// resp is an HTTP answer with its JSON body decoded loosely.
type resp struct {
	status int
	body   []byte
	header http.Header
}

func (r resp) json(v any) {
	if err := json.Unmarshal(r.body, v); err != nil {
		panic(fmt.Sprintf("decode %s: %v", r.body, err))
	}
}

func (r resp) errorCode() string {
	var e struct {
		Error motcua.Error `json:"error"`
	}
	_ = json.Unmarshal(r.body, &e)
	return e.Error.Code
}

func (r resp) caseView() motcua.Case {
	var c motcua.Case
	r.json(&c)
	return c
}

// call sends a request; headers alternate name, value.
func (e *env) call(method, path, token string, body any, headers ...string) resp {
	e.t.Helper()
	var rd io.Reader
	switch b := body.(type) {
	case nil:
	case []byte:
		rd = bytes.NewReader(b)
	case string:
		rd = strings.NewReader(b)
	default:
		buf, _ := json.Marshal(b)
		rd = bytes.NewReader(buf)
	}
	req, _ := http.NewRequest(method, e.url+path, rd)
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	if rd != nil && req.Header.Get("Content-Type") == "" {
		req.Header.Set("Content-Type", "application/json")
	}
	for i := 0; i+1 < len(headers); i += 2 {
		req.Header.Set(headers[i], headers[i+1])
	}
	res, err := contractClient.Do(req)
	if err != nil {
		e.t.Fatal(err)
	}
	defer res.Body.Close()
	b, _ := io.ReadAll(res.Body)
	return resp{status: res.StatusCode, body: b, header: res.Header}
}

// must fails the test unless r has status want.
func (e *env) must(r resp, want int) resp {
	e.t.Helper()
	if r.status != want {
		e.t.Fatalf("status %d, want %d: %s", r.status, want, r.body)
	}
	return r
}

func (e *env) login(body string) string {
	e.t.Helper()
	var out struct{ Token string }
	e.must(e.call("POST", "/api/v1/dev/login", "", body), 200).json(&out)
	return out.Token
}

func (e *env) citizen(id string) string {
	return e.login(fmt.Sprintf(`{"role":"citizen","subject":%q,"name":"Công dân %s"}`, id, id))
}

func (e *env) officer(subject, agency string, roles ...string) string {
	b, _ := json.Marshal(map[string]any{"role": "officer", "subject": subject, "agency": agency, "roles": roles})
	return e.login(string(b))
}

// submission builds a valid POST /cases body for a procedure from its
// example form, filed for Trần Thị Bích Ngọc (on behalf of her, unless the
// test signs in as her).
func (e *env) submission(code, delivery string) map[string]any {
	e.t.Helper()
	p, ok := e.catalog.Get(code)
	if !ok {
		e.t.Fatalf("no procedure %s", code)
	}
	var form any
	_ = json.Unmarshal(p.ExampleForm, &form)
	body := map[string]any{
		"procedure": code, "form": form,
		"applicant": map[string]any{"name": "Trần Thị Bích Ngọc", "id_number": "049188001234", "phone": "0905123456", "email": "ngoc@example.vn", "address": "12 Phan Chu Trinh, Tam Kỳ"},
		"delivery":  map[string]any{"method": delivery},
		"on_behalf": true,
	}
	if delivery == motcua.DeliveryPost {
		body["delivery"] = map[string]any{"method": delivery, "address": "12 Phan Chu Trinh, Tam Kỳ, Quảng Nam"}
	}
	return body
}

type receipt struct {
	motcua.Case
	Secret string `json:"secret"`
}

func (e *env) submit(token, code, delivery string) receipt {
	e.t.Helper()
	var r receipt
	e.must(e.call("POST", "/api/v1/cases", token, e.submission(code, delivery), "Idempotency-Key", randomHex(8)), 201).json(&r)
	return r
}

// act takes an action and returns the answer.
func (e *env) act(token, code string, action motcua.Action, body any, headers ...string) resp {
	e.t.Helper()
	h := append([]string{"Idempotency-Key", randomHex(8)}, headers...)
	return e.call("POST", "/api/v1/cases/"+code+"/actions/"+string(action), token, body, h...)
}

func (e *env) actOK(token, code string, action motcua.Action, body any) motcua.Case {
	e.t.Helper()
	return e.must(e.act(token, code, action, body), 200).caseView()
}
