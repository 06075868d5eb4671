// Package api is motcua's HTTP interface (Gin): citizens submit and track
// cases, officers work their inbox and act, anyone browses the catalogue.
// It authenticates, validates, and turns each request into a workflow start,
// an Update or a read-model read; errors are mapped once, in errors.go.
package api

import (
	"context"
	"log/slog"
	"net/http"
	"strings"
	"time"

	"github.com/gin-gonic/gin"
	"github.com/prometheus/client_golang/prometheus"
	"go.temporal.io/sdk/client"

	"github.com/motcua/motcua"
	"github.com/motcua/motcua/documents"
	"github.com/motcua/motcua/procedures"
	"github.com/motcua/motcua/web"
	"github.com/motcua/motcua/workflows"
)

// Deps are the server's collaborators, wired in cmd/.
type Deps struct {
	Temporal  client.Client
	TaskQueue string
	Store     motcua.ReadModel
	Catalog   *procedures.Catalog
	Blobs     motcua.Blobs
	Auth      Authenticator
	// Dev, when set, mounts POST /api/v1/dev/login (motcua dev only).
	Dev     *DevTokens
	Secrets motcua.CaseSecrets
	// Idempotency keeps answers by Idempotency-Key; by default the
	// Store's, if it keeps them, else memory (one process only).
	Idempotency motcua.Idempotency
	// Audit keeps officers' and administrators' actions; by default the
	// Store's, if it keeps them (audit.go).
	Audit motcua.AuditLog
	// Uploads: size limit in bytes and the accepted media types.
	MaxUpload    int64
	AllowedTypes []string
	// ActionTimeout bounds the wait for a case to apply an action.
	ActionTimeout   time.Duration
	LookupPerMinute int
	// TrustedProxies are the addresses of reverse proxies whose
	// X-Forwarded-For names the client; none by default, so a client cannot
	// dodge the look-up rate limit by forging the header.
	TrustedProxies []string
	// CallbackSecret verifies the signatures of the payment gateway's and
	// the postal service's callbacks.
	CallbackSecret []byte
	// Verifier checks signatures of issued documents.
	Verifier Verifier
	// Signer signs the papers the desk draws up from the read model
	// (control sheets, registers; papers.go); PublicURL is where their QR
	// codes point. Without a Signer those papers are unavailable.
	Signer    *documents.Signer
	PublicURL string
	// ReconcileAfter goes into every new case (see workflows.CaseInput).
	ReconcileAfter time.Duration
	// Attachments bound what a case accumulates; AttachPerMinute limits
	// uploads per case (hardening.go).
	Attachments     workflows.AttachLimits
	AttachPerMinute int
	// SendCode sends a one-time code to the applicant (secrets.go); without
	// it, withdrawing or paying needs the owner signed in.
	SendCode func(ctx context.Context, n workflows.Notification) error
	// DevMailbox, in dev mode, lists the e-mails the simulator received.
	DevMailbox func() any
	// WebOIDC, in production, is the pages' sign-in at the identity
	// provider (authorization code flow with PKCE).
	WebOIDC *web.OIDCConfig
	// Ready reports each dependency's health for /readyz.
	Ready func(ctx context.Context) map[string]error
	// Backends reports, for /readyz, whether each agency back-end answers
	// ("ok", "unreachable", "off", "not configured"); it does not make the
	// API unready: cases wait and retry.
	Backends func(ctx context.Context) map[string]string
	Logger   *slog.Logger
	// Metrics is the process's registry, served at /metrics with the
	// API's own metrics added; one of the API's own when nil.
	Metrics *prometheus.Registry
	Now     motcua.Clock
	// FilingClock gives the day submissions are routed on (competence by
	// date) and the catalogue's competent agencies; Now when nil.
	FilingClock motcua.Clock
}

// Server serves the API.
type Server struct {
	Deps
	log     *slog.Logger
	limiter *limiter
	metrics *metrics
	// attaches limits uploads per case; codeSends one-time codes sent.
	attaches, codeSends *limiter
	views               viewBodies
}

// New returns the API as an http.Handler.
func New(d Deps) http.Handler {
	if d.Now == nil {
		d.Now = time.Now
	}
	if d.Logger == nil {
		d.Logger = slog.Default()
	}
	if d.Idempotency == nil {
		if keys, ok := d.Store.(motcua.Idempotency); ok {
			d.Idempotency = keys
		} else {
			d.Idempotency = newMemIdempotency()
		}
	}
	if d.Audit == nil {
		d.Audit, _ = d.Store.(motcua.AuditLog)
	}
	s := &Server{Deps: d, log: d.Logger, limiter: newLimiter(d.LookupPerMinute), metrics: newMetrics(d.Metrics),
		attaches: newLimiter(d.AttachPerMinute), codeSends: newLimiter(3), views: newViewBodies()}
	gin.SetMode(gin.ReleaseMode)
	r := gin.New()
	if err := r.SetTrustedProxies(d.TrustedProxies); err != nil {
		d.Logger.Error("bad trusted proxies; trusting none", "err", err)
		_ = r.SetTrustedProxies(nil)
	}
	r.Use(s.recover, s.logRequests)
	r.HandleMethodNotAllowed = true
	// The pages (package web) answer whatever the API does not, calling
	// the API in-process; an unknown /api/ address is still a JSON 404.
	wc := web.Config{API: r, Catalog: d.Catalog, Store: d.Store, Blobs: d.Blobs, MaxUpload: d.MaxUpload,
		AllowedTypes: d.AllowedTypes, DevLogin: d.Dev != nil, OIDC: d.WebOIDC, Key: d.Secrets.Key, Logger: d.Logger, Now: d.Now,
		FilingDay: s.filingDay}
	if d.Auth != nil {
		wc.Authenticate = d.Auth.Authenticate
	}
	pages := web.New(wc)
	r.NoRoute(func(c *gin.Context) {
		if !strings.HasPrefix(c.Request.URL.Path, "/api/") {
			pages.ServeHTTP(c.Writer, c.Request)
			return
		}
		s.fail(c, motcua.Errorf(motcua.ENOTFOUND, "Không có địa chỉ này."))
	})
	r.NoMethod(func(c *gin.Context) {
		s.fail(c, motcua.Errorf(motcua.EMETHOD, "Phương thức không được hỗ trợ."))
	})

	r.GET("/healthz", s.healthz)
	r.GET("/readyz", s.readyz)
	r.GET("/metrics", gin.WrapH(s.metrics.handler()))

	v1 := r.Group("/api/v1", s.authenticate, s.recordAudit)
	v1.GET("/openapi.json", s.openAPI)
	v1.GET("/catalogue", s.catalogue)
	v1.GET("/procedures", s.listProcedures)
	v1.GET("/procedures/:code", s.getProcedure)
	v1.GET("/procedures/:code/form.pdf", s.procedureForm)
	v1.POST("/cases", s.submit)
	v1.GET("/cases", s.listCases)
	v1.GET("/cases/:code", s.getCase)
	v1.GET("/cases/:code/denouncer", s.denouncer)
	v1.POST("/cases/:code/second-instance", s.fileSecondInstance)
	v1.POST("/cases/:code/secret", s.reissueSecret)
	v1.DELETE("/cases/:code/secret", s.revokeSecret)
	v1.POST("/cases/:code/actions/:action", s.act)
	v1.GET("/cases/:code/rating", s.getRating)
	v1.PUT("/cases/:code/rating", s.putRating)
	v1.POST("/cases/:code/feedback", s.caseFeedback)
	v1.POST("/feedback", s.agencyFeedback)
	v1.GET("/feedback", s.publishedFeedback)
	v1.POST("/cases/:code/documents", s.upload)
	v1.POST("/cases/:code/codes", s.sendCode)
	v1.GET("/incidents", s.listIncidents)
	v1.POST("/incidents/:id/resolve", s.resolveIncident)
	v1.GET("/cases/:code/documents/:id", s.download)
	v1.POST("/cases/:code/control-sheet", s.controlSheet)
	v1.GET("/agencies/:agency/register", s.register)
	v1.GET("/inbox", s.inbox)
	v1.GET("/stats", s.stats)
	v1.GET("/stats/dictionary", s.statsDictionary)
	v1.GET("/stats/indicators", s.indicators)
	v1.GET("/stats/indicators/dictionary", s.indicatorsDictionary)
	v1.GET("/stats/roadmap", s.roadmap)
	v1.GET("/stats/late", s.lateCases)
	v1.GET("/reports", s.listReports)
	v1.GET("/reports/:period/:key/:format", s.reportFile)
	v1.POST("/reports/:period/:key/regenerate", s.regenerateReports)
	v1.GET("/audit", s.audit)
	v1.GET("/verify/:id", s.verifyDocument)
	v1.POST("/verify/:id", s.verifyDocument)
	v1.POST("/payments/callback", s.paymentCallback)
	v1.POST("/post/callback", s.postalCallback)
	v1.POST("/handovers", s.startHandover)
	v1.GET("/handovers", s.listHandovers)
	v1.GET("/handovers/:id", s.getHandover)
	if d.Dev != nil {
		v1.POST("/dev/login", s.devLogin)
	}
	if d.DevMailbox != nil {
		r.GET("/dev/mailbox", s.devMailbox)
	}
	return r
}

func (s *Server) recover(c *gin.Context) {
	defer func() {
		if r := recover(); r != nil {
			s.log.Error("panic serving request", "path", c.Request.URL.Path, "panic", r)
			c.AbortWithStatusJSON(http.StatusInternalServerError, errorBody{Error: motcua.Error{Code: motcua.EINTERNAL, Message: motcua.ErrorMessage(nil)}})
		}
	}()
	c.Next()
}

func (s *Server) logRequests(c *gin.Context) {
	start := time.Now()
	c.Next()
	s.metrics.observe(c, time.Since(start))
	attrs := []any{"method", c.Request.Method, "path", c.Request.URL.Path, "status", c.Writer.Status(), "ms", time.Since(start).Milliseconds()}
	if code := caseOf(c); code != "" {
		attrs = append(attrs, "case", code)
	}
	s.log.Debug("http", attrs...)
}

func (s *Server) healthz(c *gin.Context) { c.JSON(http.StatusOK, gin.H{"status": "ok"}) }

// readyz answers 200 when Temporal and the database answer, else 503 naming
// what does not.
func (s *Server) readyz(c *gin.Context) {
	ctx, cancel := context.WithTimeout(c.Request.Context(), 5*time.Second)
	defer cancel()
	checks := map[string]string{}
	status := http.StatusOK
	for name, err := range s.Ready(ctx) {
		checks[name] = "ok"
		if err != nil {
			s.log.Warn("not ready", "dependency", name, "err", err)
			checks[name] = "unavailable"
			status = http.StatusServiceUnavailable
		}
	}
	answer := gin.H{"ready": status == http.StatusOK, "checks": checks}
	if s.Backends != nil {
		answer["backends"] = s.Backends(ctx)
	}
	c.JSON(status, answer)
}
