package web

import (
	"context"
	"errors"
	"net/http"
	"strings"
	"sync"
	"time"

	"github.com/coreos/go-oidc/v3/oidc"
	"golang.org/x/oauth2"
)

// OIDCConfig is the production sign-in: OpenID Connect's authorization
// code flow with PKCE at Issuer.
type OIDCConfig struct {
	Issuer       string
	ClientID     string
	ClientSecret string // empty for a public client (PKCE alone)
	// RedirectURL is this site's /dang-nhap/oidc as the provider knows it.
	RedirectURL string
	Scopes      []string
}

type oidcClient struct {
	cfg      OIDCConfig
	mu       sync.Mutex
	provider *oidc.Provider
}

func (o *oidcClient) setup(ctx context.Context) (*oidc.Provider, *oauth2.Config, error) {
	o.mu.Lock()
	defer o.mu.Unlock()
	if o.provider == nil {
		ctx, cancel := context.WithTimeout(ctx, 10*time.Second)
		defer cancel()
		p, err := oidc.NewProvider(ctx, o.cfg.Issuer)
		if err != nil {
			return nil, nil, err
		}
		o.provider = p
	}
	scopes := append([]string{oidc.ScopeOpenID, "profile"}, o.cfg.Scopes...)
	return o.provider, &oauth2.Config{ClientID: o.cfg.ClientID, ClientSecret: o.cfg.ClientSecret,
		Endpoint: o.provider.Endpoint(), RedirectURL: o.cfg.RedirectURL, Scopes: scopes}, nil
}

const oidcCookie = "motcua_oidc"

// oidcStart sends the visitor to the identity provider, remembering state,
// nonce and the PKCE verifier in a short-lived cookie.
func (s *Server) oidcStart(p *page, next string) {
	_, conf, err := s.oidc.setup(p.r.Context())
	if err != nil {
		s.log.Error("oidc discovery", "err", err)
		p.status = http.StatusServiceUnavailable
		p.fail(p.T("signin.unavailable"))
		return
	}
	state, nonce, verifier := newKey(), newKey(), oauth2.GenerateVerifier()
	c := s.cookie(p.r, oidcCookie, strings.Join([]string{state, nonce, verifier, safeNext(next)}, "|"), 10*time.Minute)
	http.SetCookie(p.w, c)
	http.Redirect(p.w, p.r, conf.AuthCodeURL(state, oidc.Nonce(nonce), oauth2.S256ChallengeOption(verifier)), http.StatusFound)
}

// oidcCallback finishes the sign-in (GET /dang-nhap/oidc).
func (s *Server) oidcCallback(p *page) {
	if s.oidc == nil {
		p.notFound()
		return
	}
	c, err := p.r.Cookie(oidcCookie)
	parts := []string{}
	if err == nil {
		parts = strings.Split(c.Value, "|")
	}
	http.SetCookie(p.w, s.cookie(p.r, oidcCookie, "", -1))
	q := p.r.URL.Query()
	if len(parts) != 4 || q.Get("state") != parts[0] || q.Get("code") == "" {
		p.status = http.StatusBadRequest
		p.fail(p.T("signin.failed"))
		return
	}
	token, err := s.oidcExchange(p.r.Context(), q.Get("code"), parts[1], parts[2])
	if err != nil {
		s.log.Warn("oidc sign-in failed", "err", err)
		p.status = http.StatusUnauthorized
		p.fail(p.T("signin.failed"))
		return
	}
	s.setSession(p, token.value, time.Until(token.expiry))
	p.redirect(parts[3])
}

type sessionToken struct {
	value  string
	expiry time.Time
}

func (s *Server) oidcExchange(ctx context.Context, code, nonce, verifier string) (sessionToken, error) {
	provider, conf, err := s.oidc.setup(ctx)
	if err != nil {
		return sessionToken{}, err
	}
	tok, err := conf.Exchange(ctx, code, oauth2.VerifierOption(verifier))
	if err != nil {
		return sessionToken{}, err
	}
	raw, _ := tok.Extra("id_token").(string)
	if raw == "" {
		return sessionToken{}, errors.New("no id_token")
	}
	idt, err := provider.Verifier(&oidc.Config{ClientID: s.oidc.cfg.ClientID}).Verify(ctx, raw)
	if err != nil {
		return sessionToken{}, err
	}
	if idt.Nonce != nonce {
		return sessionToken{}, errors.New("nonce mismatch")
	}
	// The API accepts the provider's access token when it is a JWT for
	// motcua's audience, else the ID token (audience = this client).
	for _, t := range []sessionToken{{tok.AccessToken, tok.Expiry}, {raw, idt.Expiry}} {
		if t.value == "" {
			continue
		}
		if _, err := s.cfg.Authenticate(ctx, t.value); err == nil {
			if t.expiry.IsZero() {
				t.expiry = time.Now().Add(time.Hour)
			}
			return t, nil
		}
	}
	return sessionToken{}, errors.New("the API accepts neither the access token nor the ID token")
}

// safeNext keeps a return address on this site.
func safeNext(next string) string {
	if !strings.HasPrefix(next, "/") || strings.HasPrefix(next, "//") || strings.ContainsAny(next, "\\\r\n") {
		return "/"
	}
	return next
}
