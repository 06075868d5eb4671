package web

import (
	"bytes"
	"context"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"html/template"
	"io"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/motcua/motcua"
	"github.com/motcua/motcua/calendar"
)

// page is one request to a page: who asks, in which language, and what the
// template shows.
type page struct {
	s     *Server
	w     http.ResponseWriter
	r     *http.Request
	Lang  string
	Actor *motcua.Actor
	token string
	CSRF  string

	Title    string
	Errors   []ErrorLink
	ErrorTop string // the summary's heading
	Notice   string
	Data     any
	status   int
}

func (s *Server) wrap(fn func(*page)) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		p := &page{s: s, w: w, r: r, status: http.StatusOK}
		p.Lang = s.language(w, r)
		s.session(p)
		if r.Method == http.MethodPost {
			limit := s.cfg.MaxUpload*12 + 1<<20
			r.Body = http.MaxBytesReader(w, r.Body, limit)
			if err := r.ParseMultipartForm(8 << 20); err != nil && err != http.ErrNotMultipart {
				p.status = http.StatusRequestEntityTooLarge
				p.fail(tr(p.Lang, "error.too_large"))
				return
			}
			if !s.checkCSRF(p) {
				p.status = http.StatusForbidden
				p.fail(tr(p.Lang, "error.csrf"))
				return
			}
		}
		fn(p)
	})
}

// language is ?lang= (remembered in a cookie), else the cookie, else
// Vietnamese.
func (s *Server) language(w http.ResponseWriter, r *http.Request) string {
	if l := r.URL.Query().Get("lang"); l == "vi" || l == "en" {
		http.SetCookie(w, &http.Cookie{Name: "lang", Value: l, Path: "/", MaxAge: 365 * 24 * 3600, HttpOnly: true,
			SameSite: http.SameSiteLaxMode, Secure: secure(r)})
		return l
	}
	if c, err := r.Cookie("lang"); err == nil && (c.Value == "vi" || c.Value == "en") {
		return c.Value
	}
	return "vi"
}

func secure(r *http.Request) bool {
	return r.TLS != nil || strings.EqualFold(r.Header.Get("X-Forwarded-Proto"), "https")
}

// T translates a message of the catalogue (used by the templates).
func (p *page) T(id string, data ...any) string { return tr(p.Lang, id, data...) }

// Other is the language the switch offers.
func (p *page) Other() string {
	if p.Lang == "en" {
		return "vi"
	}
	return "en"
}

// OtherURL is this page in the other language.
func (p *page) OtherURL() string {
	q := p.r.URL.Query()
	q.Set("lang", p.Other())
	return p.r.URL.Path + "?" + q.Encode()
}

// Path is the page's address, for the current-page marker of the menu.
func (p *page) Path() string { return p.r.URL.Path }

func (p *page) Citizen() bool { return p.Actor != nil && p.Actor.Kind == motcua.KindCitizen }
func (p *page) Officer() bool { return p.Actor != nil && p.Actor.Kind == motcua.KindOfficer }

// render writes the named page with the layout.
func (p *page) render(name string) {
	var buf bytes.Buffer
	if err := p.s.tmpl.execute(&buf, name, p); err != nil {
		p.s.log.Error("render page", "page", name, "err", err)
		http.Error(p.w, "Lỗi hiển thị trang.", http.StatusInternalServerError)
		return
	}
	h := p.w.Header()
	h.Set("Content-Type", "text/html; charset=utf-8")
	h.Set("Cache-Control", "no-store")
	h.Set("Content-Language", p.Lang)
	p.w.WriteHeader(p.status)
	_, _ = p.w.Write(buf.Bytes())
}

// fail shows an error page with msg.
func (p *page) fail(msg string) {
	if p.status == http.StatusOK {
		p.status = http.StatusInternalServerError
	}
	p.Title = tr(p.Lang, "error.title")
	p.Data = msg
	p.render("error")
}

func (p *page) notFound() {
	p.status = http.StatusNotFound
	p.Title = tr(p.Lang, "notfound.title")
	p.Data = tr(p.Lang, "notfound.text")
	p.render("error")
}

// apiFail shows an API error as a page, or sends the person to sign in.
func (p *page) apiFail(e *motcua.Error, status int) {
	if status == http.StatusUnauthorized {
		p.s.clearSession(p)
		p.redirect("/dang-nhap?next=" + url.QueryEscape(p.r.URL.Path))
		return
	}
	p.status = status
	if status == http.StatusNotFound {
		p.Title = tr(p.Lang, "notfound.title")
		p.Data = e.Message
		p.render("error")
		return
	}
	p.fail(e.Message)
}

func (p *page) redirect(to string) {
	http.Redirect(p.w, p.r, to, http.StatusSeeOther)
}

// requireSignIn sends whoever is not signed in to the sign-in page.
func (p *page) requireSignIn() bool {
	if p.Actor != nil {
		return true
	}
	p.redirect("/dang-nhap?next=" + url.QueryEscape(p.r.URL.RequestURI()))
	return false
}

// apiCall is one in-process call of the JSON API on behalf of the page's
// visitor: their token, their language, their address (for the API's rate
// limits).
type apiCall struct {
	method, path string
	body         io.Reader
	ctype        string
	secret       string
	key          string // Idempotency-Key
	otp          string // X-One-Time-Code (web/hardening.go)
}

type apiAnswer struct {
	status int
	body   []byte
	header http.Header
}

func (a apiAnswer) ok() bool { return a.status >= 200 && a.status < 300 }

// err is the answer's error ({"error":{...}}).
func (a apiAnswer) err() *motcua.Error {
	var e struct {
		Error motcua.Error `json:"error"`
	}
	if json.Unmarshal(a.body, &e) != nil || e.Error.Code == "" {
		return &motcua.Error{Code: motcua.EINTERNAL, Message: motcua.ErrorMessage(nil)}
	}
	return &e.Error
}

func (a apiAnswer) decode(v any) error { return json.Unmarshal(a.body, v) }

// refusal is a refused form's messages by field ("" for the form as a
// whole) when the person can act on them (invalid, in conflict with the
// case, not theirs to do); ok is false for other failures, which are an
// error page.
func (a apiAnswer) refusal() (fields map[string]string, ok bool) {
	e := a.err()
	if e.Code != motcua.EINVALID && e.Code != motcua.ECONFLICT && e.Code != motcua.EFORBIDDEN {
		return nil, false
	}
	if len(e.Fields) == 0 {
		return map[string]string{"": e.Message}, true
	}
	return e.Fields, true
}

type recorder struct {
	h      http.Header
	buf    bytes.Buffer
	status int
}

func (r *recorder) Header() http.Header { return r.h }
func (r *recorder) Write(b []byte) (int, error) {
	if r.status == 0 {
		r.status = http.StatusOK
	}
	return r.buf.Write(b)
}
func (r *recorder) WriteHeader(code int) {
	if r.status == 0 {
		r.status = code
	}
}

func (p *page) api(c apiCall) apiAnswer {
	return p.s.callAPI(p.r.Context(), p.r, p.token, p.Lang, c)
}

func (s *Server) callAPI(ctx context.Context, from *http.Request, token, lang string, c apiCall) apiAnswer {
	body := c.body
	if body == nil {
		body = http.NoBody
	}
	req, err := http.NewRequestWithContext(ctx, c.method, c.path, body)
	if err != nil {
		return apiAnswer{status: 500, body: []byte(`{"error":{"code":"internal","message":"bad request"}}`)}
	}
	if from != nil {
		req.RemoteAddr = from.RemoteAddr
		req.Header.Set("User-Agent", from.UserAgent()) // for the audit log
		if xff := from.Header.Get("X-Forwarded-For"); xff != "" {
			req.Header.Set("X-Forwarded-For", xff)
		}
	}
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	req.Header.Set("Accept-Language", lang)
	if c.ctype != "" {
		req.Header.Set("Content-Type", c.ctype)
	}
	if c.secret != "" {
		req.Header.Set("X-Case-Secret", c.secret)
	}
	if c.key != "" {
		req.Header.Set("Idempotency-Key", c.key)
	}
	if c.otp != "" {
		req.Header.Set("X-One-Time-Code", c.otp)
	}
	if b, ok := c.body.(*bytes.Reader); ok {
		req.ContentLength = int64(b.Len())
	}
	rec := &recorder{h: http.Header{}}
	s.cfg.API.ServeHTTP(rec, req)
	if rec.status == 0 {
		rec.status = http.StatusOK
	}
	return apiAnswer{status: rec.status, body: rec.buf.Bytes(), header: rec.h}
}

func jsonBody(v any) (*bytes.Reader, string) {
	b, _ := json.Marshal(v)
	return bytes.NewReader(b), "application/json"
}

func newKey() string {
	b := make([]byte, 16)
	_, _ = rand.Read(b)
	return hex.EncodeToString(b)
}

// Template helpers.

var vn = calendar.Location

func fmtDate(t any) string {
	switch t := t.(type) {
	case time.Time:
		if t.IsZero() {
			return ""
		}
		return t.In(vn).Format("02/01/2006")
	case *time.Time:
		if t == nil {
			return ""
		}
		return t.In(vn).Format("02/01/2006")
	}
	return ""
}

func fmtTime(t any) string {
	switch t := t.(type) {
	case time.Time:
		if t.IsZero() {
			return ""
		}
		return t.In(vn).Format("15:04 02/01/2006")
	case *time.Time:
		if t == nil {
			return ""
		}
		return t.In(vn).Format("15:04 02/01/2006")
	}
	return ""
}

func isoTime(t any) string {
	switch t := t.(type) {
	case time.Time:
		return t.Format(time.RFC3339)
	case *time.Time:
		if t != nil {
			return t.Format(time.RFC3339)
		}
	}
	return ""
}

func size(n int64) string {
	switch {
	case n >= 1<<20:
		return fmt.Sprintf("%.1f MB", float64(n)/(1<<20))
	case n >= 1<<10:
		return fmt.Sprintf("%.0f KB", float64(n)/(1<<10))
	}
	return fmt.Sprintf("%d B", n)
}

var funcs = template.FuncMap{
	"date": fmtDate, "time": fmtTime, "iso": isoTime, "money": func(n int64) string { return motcua.GroupThousands(n) + " đ" }, "size": size,
	"add":  func(a, b int) int { return a + b },
	"list": func(xs ...string) []string { return xs },
	"deref": func(x any) any {
		switch v := x.(type) {
		case *int64:
			return *v
		case *int:
			return *v
		case *bool:
			return *v
		}
		return x
	},
}
