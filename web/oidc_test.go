package web

import (
	"context"
	"crypto/rand"
	"crypto/rsa"
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"errors"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/go-jose/go-jose/v4"
	"github.com/golang-jwt/jwt/v5"

	"github.com/motcua/motcua"
	"github.com/motcua/motcua/procedures"
)

// fakeIssuer is an OpenID provider: discovery, keys, and a token endpoint
// that checks the PKCE verifier against the challenge it was sent.
type fakeIssuer struct {
	srv       *httptest.Server
	key       *rsa.PrivateKey
	mu        sync.Mutex
	challenge string
	nonce     string
	issued    string
}

func newFakeIssuer(t *testing.T) *fakeIssuer {
	key, _ := rsa.GenerateKey(rand.Reader, 2048)
	f := &fakeIssuer{key: key}
	mux := http.NewServeMux()
	f.srv = httptest.NewServer(mux)
	t.Cleanup(f.srv.Close)
	mux.HandleFunc("GET /.well-known/openid-configuration", func(w http.ResponseWriter, r *http.Request) {
		_ = json.NewEncoder(w).Encode(map[string]any{"issuer": f.srv.URL, "authorization_endpoint": f.srv.URL + "/authorize",
			"token_endpoint": f.srv.URL + "/token", "jwks_uri": f.srv.URL + "/jwks", "id_token_signing_alg_values_supported": []string{"RS256"}})
	})
	mux.HandleFunc("GET /jwks", func(w http.ResponseWriter, r *http.Request) {
		_ = json.NewEncoder(w).Encode(jose.JSONWebKeySet{Keys: []jose.JSONWebKey{{Key: &key.PublicKey, KeyID: "k1", Algorithm: "RS256", Use: "sig"}}})
	})
	mux.HandleFunc("POST /token", func(w http.ResponseWriter, r *http.Request) {
		_ = r.ParseForm()
		sum := sha256.Sum256([]byte(r.PostForm.Get("code_verifier")))
		f.mu.Lock()
		defer f.mu.Unlock()
		if r.PostForm.Get("code") != "the-code" || base64.RawURLEncoding.EncodeToString(sum[:]) != f.challenge {
			w.WriteHeader(http.StatusBadRequest)
			_, _ = w.Write([]byte(`{"error":"invalid_grant"}`))
			return
		}
		tok := jwt.NewWithClaims(jwt.SigningMethodRS256, jwt.MapClaims{"iss": f.srv.URL, "aud": "motcua-web", "sub": "079201001234",
			"name": "Nguyễn Văn An", "nonce": f.nonce, "iat": time.Now().Unix(), "exp": time.Now().Add(time.Hour).Unix()})
		tok.Header["kid"] = "k1"
		f.issued, _ = tok.SignedString(key)
		w.Header().Set("Content-Type", "application/json")
		_ = json.NewEncoder(w).Encode(map[string]any{"access_token": "opaque", "token_type": "Bearer", "expires_in": 3600, "id_token": f.issued})
	})
	return f
}

// The production sign-in: to the provider with state, nonce and a PKCE
// challenge; back with the code, exchanged with the verifier; the session
// cookie HttpOnly, SameSite, Secure under https; a forged state refused.
func TestOIDCSignIn(t *testing.T) {
	f := newFakeIssuer(t)
	cat, _ := procedures.Embedded()
	s := New(Config{API: http.NotFoundHandler(), Catalog: cat, Key: []byte("k"),
		OIDC: &OIDCConfig{Issuer: f.srv.URL, ClientID: "motcua-web", RedirectURL: "https://dvc.example.vn/dang-nhap/oidc"},
		Authenticate: func(_ context.Context, tok string) (motcua.Actor, error) {
			if tok != "" && tok == f.issued {
				return motcua.Actor{Kind: motcua.KindCitizen, Subject: "079201001234"}, nil
			}
			return motcua.Actor{}, errors.New("unknown token")
		}})

	req := httptest.NewRequest("GET", "/dang-nhap?next=/ho-so-cua-toi", nil)
	req.Header.Set("X-Forwarded-Proto", "https")
	rec := httptest.NewRecorder()
	s.ServeHTTP(rec, req)
	if rec.Code != http.StatusFound {
		t.Fatalf("start: %d %s", rec.Code, rec.Body)
	}
	to, _ := url.Parse(rec.Header().Get("Location"))
	q := to.Query()
	if !strings.HasPrefix(to.String(), f.srv.URL+"/authorize") || q.Get("client_id") != "motcua-web" || q.Get("code_challenge_method") != "S256" ||
		q.Get("code_challenge") == "" || q.Get("state") == "" || q.Get("nonce") == "" || q.Get("redirect_uri") != "https://dvc.example.vn/dang-nhap/oidc" {
		t.Fatalf("authorize URL %s", to)
	}
	f.mu.Lock()
	f.challenge, f.nonce = q.Get("code_challenge"), q.Get("nonce")
	f.mu.Unlock()
	var flow *http.Cookie
	for _, c := range rec.Result().Cookies() {
		if c.Name == oidcCookie {
			flow = c
		}
	}
	if flow == nil || !flow.HttpOnly || !flow.Secure {
		t.Fatalf("flow cookie %+v", flow)
	}

	back := func(state string) *httptest.ResponseRecorder {
		req := httptest.NewRequest("GET", "/dang-nhap/oidc?code=the-code&state="+url.QueryEscape(state), nil)
		req.Header.Set("X-Forwarded-Proto", "https")
		req.AddCookie(&http.Cookie{Name: oidcCookie, Value: flow.Value})
		rec := httptest.NewRecorder()
		s.ServeHTTP(rec, req)
		return rec
	}
	if rec := back("forged"); rec.Code != http.StatusBadRequest {
		t.Fatalf("forged state: %d", rec.Code)
	}
	rec = back(q.Get("state"))
	if rec.Code != http.StatusSeeOther || rec.Header().Get("Location") != "/ho-so-cua-toi" {
		t.Fatalf("callback: %d %s %s", rec.Code, rec.Header().Get("Location"), rec.Body)
	}
	var session *http.Cookie
	for _, c := range rec.Result().Cookies() {
		if c.Name == sessionCookie {
			session = c
		}
	}
	if session == nil || session.Value != f.issued || !session.HttpOnly || !session.Secure || session.SameSite != http.SameSiteLaxMode {
		t.Fatalf("session cookie %+v", session)
	}
	// A wrong verifier (another flow's cookie) is refused by the provider.
	f.mu.Lock()
	f.challenge = "something-else"
	f.mu.Unlock()
	if rec := back(q.Get("state")); rec.Code != http.StatusUnauthorized {
		t.Fatalf("bad verifier: %d", rec.Code)
	}
}

func TestSafeNext(t *testing.T) {
	for in, want := range map[string]string{"/ho-so/X": "/ho-so/X", "//evil.example": "/", "https://evil.example": "/", "/\\evil": "/", "": "/"} {
		if got := safeNext(in); got != want {
			t.Errorf("safeNext(%q) = %q", in, got)
		}
	}
}
