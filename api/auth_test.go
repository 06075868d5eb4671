package api

import (
	"context"
	"crypto/rand"
	"crypto/rsa"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"slices"
	"sync/atomic"
	"testing"
	"time"

	"github.com/go-jose/go-jose/v4"
	"github.com/golang-jwt/jwt/v5"

	"github.com/motcua/motcua"
)

// A production identity provider: tokens signed with a key published in
// its JWKS are accepted; anything else is not.
func TestOIDCTokens(t *testing.T) {
	key, _ := rsa.GenerateKey(rand.Reader, 2048)
	other, _ := rsa.GenerateKey(rand.Reader, 2048)
	var fetches atomic.Int32
	jwks := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		fetches.Add(1)
		_ = json.NewEncoder(w).Encode(jose.JSONWebKeySet{Keys: []jose.JSONWebKey{{Key: &key.PublicKey, KeyID: "k1", Algorithm: "RS256", Use: "sig"}}})
	}))
	defer jwks.Close()
	o := &OIDC{Issuer: "https://id.example.gov.vn", Audience: "motcua", JWKSURL: jwks.URL}

	sign := func(k *rsa.PrivateKey, kid string, c claims) string {
		tok := jwt.NewWithClaims(jwt.SigningMethodRS256, c)
		tok.Header["kid"] = kid
		s, err := tok.SignedString(k)
		if err != nil {
			t.Fatal(err)
		}
		return s
	}
	valid := func() claims {
		return claims{
			RegisteredClaims: jwt.RegisteredClaims{Issuer: o.Issuer, Subject: "canbo01", Audience: jwt.ClaimStrings{"motcua"},
				ExpiresAt: jwt.NewNumericDate(time.Now().Add(time.Hour))},
			Kind: "officer", Agency: "SKHDT", Roles: []motcua.Role{motcua.RoleReviewer}, Name: "Lê Văn Bình",
		}
	}
	ctx := context.Background()
	a, err := o.Authenticate(ctx, sign(key, "k1", valid()))
	if err != nil || a.Kind != motcua.KindOfficer || a.Agency != "SKHDT" || !slices.Equal(a.Roles, []motcua.Role{motcua.RoleReviewer}) {
		t.Fatalf("valid token: %+v %v", a, err)
	}
	cases := map[string]string{}
	c := valid()
	c.Issuer = "https://evil.example"
	cases["other issuer"] = sign(key, "k1", c)
	c = valid()
	c.Audience = jwt.ClaimStrings{"someone-else"}
	cases["other audience"] = sign(key, "k1", c)
	c = valid()
	c.ExpiresAt = jwt.NewNumericDate(time.Now().Add(-time.Minute))
	cases["expired"] = sign(key, "k1", c)
	c = valid()
	c.ExpiresAt = nil
	cases["no expiry"] = sign(key, "k1", c)
	cases["unknown key"] = sign(other, "k2", valid())
	cases["right kid, wrong key"] = sign(other, "k1", valid())
	c = valid()
	c.Roles = []motcua.Role{"superuser"}
	cases["unknown role"] = sign(key, "k1", c)
	c = valid()
	c.Agency = ""
	cases["officer without agency"] = sign(key, "k1", c)
	dev := &DevTokens{Secret: []byte("dev-secret"), Audience: "motcua", TTL: time.Hour}
	cases["a dev token"], _, _ = dev.Issue(motcua.Actor{Kind: motcua.KindAdmin, Subject: "admin"}, time.Now())
	for name, tok := range cases {
		if _, err := o.Authenticate(ctx, tok); err == nil {
			t.Errorf("%s: accepted", name)
		}
	}
	// Unknown key IDs refetch the JWKS, at most every ten seconds.
	if n := fetches.Load(); n > 2 {
		t.Fatalf("JWKS fetched %d times", n)
	}
}

func TestDevTokensRoundTrip(t *testing.T) {
	d := &DevTokens{Secret: []byte("s"), Audience: "motcua", TTL: time.Hour}
	tok, _, err := d.Issue(motcua.Actor{Kind: motcua.KindCitizen, Subject: "079201001234", Name: "Nguyễn Văn An"}, time.Now())
	if err != nil {
		t.Fatal(err)
	}
	a, err := d.Authenticate(context.Background(), tok)
	if err != nil || a.Subject != "079201001234" || a.Kind != motcua.KindCitizen || a.Name != "Nguyễn Văn An" {
		t.Fatalf("%+v %v", a, err)
	}
	other := &DevTokens{Secret: []byte("other"), Audience: "motcua", TTL: time.Hour}
	if _, err := other.Authenticate(context.Background(), tok); err == nil {
		t.Fatal("a token signed with another secret was accepted")
	}
}

// Requests arriving together before the key set is known share one fetch
// of the JWKS, and all of them are served.
func TestOIDCConcurrentFirstFetch(t *testing.T) {
	key, _ := rsa.GenerateKey(rand.Reader, 2048)
	var fetches atomic.Int32
	jwks := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		fetches.Add(1)
		time.Sleep(100 * time.Millisecond)
		_ = json.NewEncoder(w).Encode(jose.JSONWebKeySet{Keys: []jose.JSONWebKey{{Key: &key.PublicKey, KeyID: "k1", Algorithm: "RS256", Use: "sig"}}})
	}))
	defer jwks.Close()
	o := &OIDC{Issuer: "https://id.example.gov.vn", Audience: "motcua", JWKSURL: jwks.URL}
	tok := jwt.NewWithClaims(jwt.SigningMethodRS256, claims{RegisteredClaims: jwt.RegisteredClaims{Issuer: o.Issuer, Subject: "001099000001",
		Audience: jwt.ClaimStrings{"motcua"}, ExpiresAt: jwt.NewNumericDate(time.Now().Add(time.Hour))}})
	tok.Header["kid"] = "k1"
	signed, err := tok.SignedString(key)
	if err != nil {
		t.Fatal(err)
	}
	errs := make(chan error, 20)
	for range cap(errs) {
		go func() {
			_, err := o.Authenticate(context.Background(), signed)
			errs <- err
		}()
	}
	for range cap(errs) {
		if err := <-errs; err != nil {
			t.Error(err)
		}
	}
	if n := fetches.Load(); n != 1 {
		t.Errorf("JWKS fetched %d times, want once", n)
	}
}
