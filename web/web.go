// Package web is the people's side of motcua: pages rendered on the server
// (html/template, no JavaScript needed) where citizens find a procedure,
// file it online, follow, supplement, pay and withdraw their cases, and
// officers work their inbox and act on cases, in Vietnamese or English.
//
// The pages own no rule. Each one calls the JSON API in-process (the same
// handler, the same checks, the same read model, Temporal only to start or
// update a case) with the signed-in person's token, and turns its answers
// into HTML: a form's errors are the API's field errors, shown the GOV.UK
// way (a summary at the top linking to each field, the message beside it,
// what was typed kept).
package web

import (
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"embed"
	"io/fs"
	"log/slog"
	"net/http"
	"strings"
	"time"

	"github.com/motcua/motcua"
	"github.com/motcua/motcua/procedures"
)

//go:embed static templates
var files embed.FS

// Config wires the pages to the system.
type Config struct {
	// API is the JSON API's handler; pages call it in-process.
	API     http.Handler
	Catalog *procedures.Catalog
	// Store, when it can count (StatusCounter), gives the inbox its counts
	// per status.
	Store motcua.ReadModel
	// Blobs keeps files chosen on the filing form until the case exists.
	Blobs        motcua.Blobs
	MaxUpload    int64
	AllowedTypes []string
	// Authenticate checks the token a session holds (the API's
	// Authenticator).
	Authenticate func(ctx context.Context, token string) (motcua.Actor, error)
	// DevLogin offers the dev sign-in page (motcua dev only).
	DevLogin bool
	// OIDC, in production, signs people in at the identity provider.
	OIDC *OIDCConfig
	// Key signs the CSRF tokens and the references to uploaded files; the
	// same on every replica.
	Key    []byte
	Logger *slog.Logger
	Now    func() time.Time
	// FilingDay is the day submissions are routed on (competence by
	// date): the API's, so the page offers the agencies it accepts.
	FilingDay func() time.Time
}

// StatusCounter counts an officer's open tasks per case status.
type StatusCounter interface {
	InboxCounts(ctx context.Context, q motcua.InboxQuery) (map[string]int, error)
}

// Server serves the pages.
type Server struct {
	cfg   Config
	mux   *http.ServeMux
	tmpl  *templates
	oidc  *oidcClient
	log   *slog.Logger
	csrfK []byte
	refK  []byte
}

// New returns the pages as an http.Handler.
func New(cfg Config) *Server {
	if cfg.Logger == nil {
		cfg.Logger = slog.Default()
	}
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	if cfg.MaxUpload <= 0 {
		cfg.MaxUpload = 10 << 20
	}
	s := &Server{cfg: cfg, log: cfg.Logger, tmpl: mustTemplates(), csrfK: derive(cfg.Key, "csrf"), refK: derive(cfg.Key, "upload")}
	if cfg.OIDC != nil {
		s.oidc = &oidcClient{cfg: *cfg.OIDC}
	}
	s.routes()
	return s
}

func derive(key []byte, label string) []byte {
	m := hmac.New(sha256.New, key)
	m.Write([]byte("motcua web " + label))
	return m.Sum(nil)
}

func (s *Server) routes() {
	m := http.NewServeMux()
	static, _ := fs.Sub(files, "static")
	assets := http.StripPrefix("/assets/", http.FileServer(http.FS(static)))
	m.Handle("GET /assets/", http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Cache-Control", "public, max-age=3600")
		assets.ServeHTTP(w, r)
	}))
	h := func(pattern string, fn func(*page)) { m.Handle(pattern, s.wrap(fn)) }
	h("GET /{$}", s.home)
	h("GET /thu-tuc/{code}", s.procedure)
	h("GET /thu-tuc/{code}/mau-don.pdf", s.procedureFormPDF)
	h("GET /thu-tuc/{code}/nop", s.fileForm)
	h("POST /thu-tuc/{code}/nop", s.fileForm)
	h("GET /dang-nhap", s.signIn)
	h("POST /dang-nhap", s.signIn)
	h("GET /dang-nhap/oidc", s.oidcCallback)
	h("POST /dang-xuat", s.signOut)
	h("GET /ho-so-cua-toi", s.myCases)
	h("GET /tra-cuu", s.lookup)
	h("POST /tra-cuu", s.lookup)
	h("GET /ho-so/{code}", s.casePage)
	h("POST /ho-so/{code}/thao-tac/{action}", s.caseAction)
	h("POST /ho-so/{code}/khieu-nai-lan-hai", s.fileSecondInstance)
	h("POST /ho-so/{code}/danh-gia", s.rateCase)
	h("GET /ho-so/{code}/phan-anh", s.caseFeedback)
	h("POST /ho-so/{code}/phan-anh", s.caseFeedback)
	h("GET /phan-anh", s.feedbackList)
	h("GET /phan-anh/gui", s.agencyFeedback)
	h("POST /phan-anh/gui", s.agencyFeedback)
	h("POST /ho-so/{code}/ma-xac-thuc/{action}", s.sendCode)
	h("GET /ho-so/{code}/tai-lieu/{id}", s.caseDocument)
	h("POST /ho-so/{code}/phieu-kiem-soat", s.controlSheet)
	h("GET /xac-minh/{id}", s.verifyPage)
	h("GET /thong-ke", s.statsPage)
	h("GET /thong-ke/chi-so", s.indicatorsPage)
	h("GET /can-bo", s.inbox)
	h("GET /can-bo/so-theo-doi", s.register)
	h("GET /can-bo/thong-ke", s.agencyStats)
	h("GET /can-bo/nop-ho-so", s.counterPick)
	h("GET /can-bo/nop-ho-so/{code}", s.fileForm)
	h("POST /can-bo/nop-ho-so/{code}", s.fileForm)
	h("GET /quan-tri/chuyen-giao", s.handovers)
	h("POST /quan-tri/chuyen-giao", s.handovers)
	m.Handle("/", s.wrap(func(p *page) { p.notFound() }))
	s.mux = m
}

// ServeHTTP serves a page. Cross-origin form posts are refused before any
// handler (net/http's CrossOriginProtection, by Sec-Fetch-Site and Origin);
// every form also carries a token bound to the session (see csrf.go).
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("X-Content-Type-Options", "nosniff")
	w.Header().Set("X-Frame-Options", "DENY")
	w.Header().Set("Referrer-Policy", "same-origin")
	w.Header().Set("Content-Security-Policy", "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; form-action 'self' "+s.formActions()+"; frame-ancestors 'none'")
	crossOrigin.Handler(s.mux).ServeHTTP(w, r)
}

var crossOrigin = http.NewCrossOriginProtection()

// formActions are the origins a form may post to besides ours: the
// identity provider (a sign-in redirect).
func (s *Server) formActions() string {
	if s.oidc != nil {
		if i := strings.Index(s.oidc.cfg.Issuer, "://"); i > 0 {
			host, _, _ := strings.Cut(s.oidc.cfg.Issuer[i+3:], "/")
			return s.oidc.cfg.Issuer[:i+3] + host
		}
	}
	return ""
}
