package system

import (
	"bytes"
	"context"
	"crypto/rand"
	"crypto/rsa"
	"encoding/hex"
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/go-jose/go-jose/v4"
	"github.com/golang-jwt/jwt/v5"

	"github.com/motcua/motcua"
	"github.com/motcua/motcua/config"
	"github.com/motcua/motcua/devserver"
	"github.com/motcua/motcua/documents"
	"github.com/motcua/motcua/store"
)

func postgresDSN() string {
	if dsn := os.Getenv("MOTCUA_TEST_POSTGRES"); dsn != "" {
		return dsn
	}
	return "postgres://postgres@127.0.0.1:5432/test?sslmode=disable"
}

// The production topology: `motcua api` and `motcua worker` as two
// processes over one PostgreSQL and a Temporal server. The API refuses a
// database with pending migrations, offers no dev sign-in, accepts the
// identity provider's tokens, and a case filed through it is run by the
// worker.
func TestAPIAndWorkerProcesses(t *testing.T) {
	if testing.Short() {
		t.Skip("starts a Temporal server")
	}
	ctx := context.Background()
	ts, err := devserver.Start(ctx, devserver.Options{FrontendAddr: "127.0.0.1:0", Namespaces: []string{"default"}})
	if err != nil {
		t.Fatal(err)
	}
	defer ts.Stop()
	b := make([]byte, 6)
	_, _ = rand.Read(b)
	schema := "system_" + hex.EncodeToString(b)
	db, err := store.Open(ctx, store.Options{DSN: postgresDSN(), Schema: schema, MaxOpenConns: 4})
	if err != nil {
		t.Fatalf("PostgreSQL is needed (set MOTCUA_TEST_POSTGRES, or run .ci/run): %v", err)
	}
	defer func() {
		_ = db.Exec(context.Background(), "DROP SCHEMA "+schema+" CASCADE")
		db.Close()
	}()

	key, _ := rsa.GenerateKey(rand.Reader, 2048)
	jwks := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		_ = json.NewEncoder(w).Encode(jose.JSONWebKeySet{Keys: []jose.JSONWebKey{{Key: &key.PublicKey, KeyID: "k1", Algorithm: "RS256", Use: "sig"}}})
	}))
	defer jwks.Close()
	keyFile := filepath.Join(t.TempDir(), "signing.pem")
	if _, err := documents.LoadOrCreateKey(keyFile); err != nil {
		t.Fatal(err)
	}
	cfg, _, err := config.Load("", nil)
	if err != nil {
		t.Fatal(err)
	}
	cfg.DataDir, cfg.HTTP.Addr, cfg.Temporal.Address = t.TempDir(), "127.0.0.1:0", ts.Addr()
	cfg.Temporal.TaskQueue = "system-" + schema
	cfg.Database.DSN = postgresDSN()
	cfg.Auth.Secret = strings.Repeat("s", 40)
	cfg.Auth.Issuer, cfg.Auth.JWKSURL = "https://id.example.gov.vn", jwks.URL
	cfg.Documents.SigningKeyFile = keyFile
	cfg.Backends.Off = config.BackendNames() // no agency systems in this test: off on purpose
	over := Overrides{DB: db, Logger: slog.New(slog.DiscardHandler)}

	if _, err := Start(ctx, API, cfg, over); err == nil || !strings.Contains(err.Error(), "migrate up") {
		t.Fatalf("api on an unmigrated database: %v", err)
	}
	if err := db.MigrateUp(ctx); err != nil {
		t.Fatal(err)
	}
	worker, err := Start(ctx, Worker, cfg, over)
	if err != nil {
		t.Fatal(err)
	}
	defer worker.Stop()
	if worker.Handler != nil || worker.Sim != nil {
		t.Error("a worker process serves HTTP or runs the simulator")
	}
	api, err := Start(ctx, API, cfg, over)
	if err != nil {
		t.Fatal(err)
	}
	defer api.Stop()
	if api.Worker != nil || api.Sim != nil {
		t.Error("an api process runs a worker or the simulator")
	}

	call := func(method, path, token string, body any) (int, []byte) {
		t.Helper()
		buf, _ := json.Marshal(body)
		req, _ := http.NewRequest(method, api.URL+"/api/v1"+path, bytes.NewReader(buf))
		req.Header.Set("Content-Type", "application/json")
		req.Header.Set("Idempotency-Key", "k-"+path)
		if token != "" {
			req.Header.Set("Authorization", "Bearer "+token)
		}
		res, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer res.Body.Close()
		out, _ := io.ReadAll(res.Body)
		return res.StatusCode, out
	}
	if status, _ := call("POST", "/dev/login", "", map[string]any{"role": "citizen", "subject": "x"}); status != http.StatusNotFound {
		t.Errorf("production offers dev sign-in: %d", status)
	}
	tok := jwt.NewWithClaims(jwt.SigningMethodRS256, jwt.MapClaims{"iss": cfg.Auth.Issuer, "aud": "motcua", "sub": "079201001234",
		"exp": time.Now().Add(time.Hour).Unix()})
	tok.Header["kid"] = "k1"
	citizen, err := tok.SignedString(key)
	if err != nil {
		t.Fatal(err)
	}
	p, _ := api.Catalog.Get("dang-ky-thanh-lap-doanh-nghiep")
	var form any
	_ = json.Unmarshal(p.ExampleForm, &form)
	status, body := call("POST", "/cases", citizen, map[string]any{"procedure": p.Code, "form": form,
		"applicant": map[string]any{"name": "Nguyễn Văn An", "id_number": "079201001234"}, "delivery": map[string]any{"method": "counter"}})
	if status != http.StatusCreated {
		t.Fatalf("file a case: %d %s", status, body)
	}
	var filed motcua.Case
	_ = json.Unmarshal(body, &filed)
	status, body = call("GET", "/cases/"+filed.Code, citizen, nil)
	var seen motcua.Case
	_ = json.Unmarshal(body, &seen)
	if status != http.StatusOK || seen.Status != motcua.StatusSubmitted {
		t.Fatalf("the case as the worker recorded it: %d %s", status, body)
	}
}
