package web

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"net/http"
	"time"
)

// Cookies. The session cookie holds the bearer token the API checks (a dev
// token, or the identity provider's token in production); it is HttpOnly,
// SameSite=Lax, and Secure when the site is served over https.
const (
	sessionCookie = "motcua_session"
	csrfCookie    = "motcua_csrf"
	lookupCookie  = "motcua_lookup"
)

func (s *Server) cookie(r *http.Request, name, value string, maxAge time.Duration) *http.Cookie {
	c := &http.Cookie{Name: name, Value: value, Path: "/", HttpOnly: true, SameSite: http.SameSiteLaxMode, Secure: secure(r)}
	if maxAge > 0 {
		c.MaxAge = int(maxAge.Seconds())
	} else if maxAge < 0 {
		c.MaxAge = -1
	}
	return c
}

// session reads who is signed in, and gives the visitor a CSRF identity.
func (s *Server) session(p *page) {
	if c, err := p.r.Cookie(sessionCookie); err == nil && c.Value != "" && s.cfg.Authenticate != nil {
		a, err := s.cfg.Authenticate(p.r.Context(), c.Value)
		if err == nil {
			p.Actor, p.token = &a, c.Value
		} else {
			http.SetCookie(p.w, s.cookie(p.r, sessionCookie, "", -1))
		}
	}
	id := ""
	if c, err := p.r.Cookie(csrfCookie); err == nil && len(c.Value) == 32 {
		id = c.Value
	} else {
		id = newKey()
		http.SetCookie(p.w, s.cookie(p.r, csrfCookie, id, 0))
		// The request itself has no cookie yet: a form posted from this
		// page will carry it.
		p.r.AddCookie(&http.Cookie{Name: csrfCookie, Value: id})
	}
	p.CSRF = s.csrfToken(id, p.token)
}

// csrfToken binds a form to the visitor's CSRF cookie and to their session:
// HMAC(key, cookie ‖ SHA-256(session token)). A form rendered before
// signing in is not accepted after, nor one rendered for somebody else.
func (s *Server) csrfToken(id, token string) string {
	st := sha256.Sum256([]byte(token))
	m := hmac.New(sha256.New, s.csrfK)
	m.Write([]byte(id))
	m.Write([]byte{0})
	m.Write(st[:])
	return base64.RawURLEncoding.EncodeToString(m.Sum(nil))
}

func (s *Server) checkCSRF(p *page) bool {
	c, err := p.r.Cookie(csrfCookie)
	if err != nil {
		return false
	}
	want := s.csrfToken(c.Value, p.token)
	return hmac.Equal([]byte(p.r.PostFormValue("csrf")), []byte(want))
}

func (s *Server) setSession(p *page, token string, ttl time.Duration) {
	http.SetCookie(p.w, s.cookie(p.r, sessionCookie, token, ttl))
}

func (s *Server) clearSession(p *page) {
	http.SetCookie(p.w, s.cookie(p.r, sessionCookie, "", -1))
	p.Actor, p.token = nil, ""
}
