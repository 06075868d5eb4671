// Package config is motcua's one typed configuration. Load fills it with
// Viper (defaults, then motcua.yaml, then MOTCUA_* variables, then the flags
// cmd/ passes); Viper stays in Load and cmd/, and every other package
// receives a *Config or the plain values it needs.
package config

import (
	"fmt"
	"net"
	"net/url"
	"path/filepath"
	"slices"
	"strings"
	"time"

	"github.com/motcua/motcua"
)

// Config is the whole configuration. The mapstructure tags are the keys a
// user writes in motcua.yaml (MOTCUA_HTTP_ADDR for http.addr, and so on).
type Config struct {
	// DataDir holds everything the embedded default writes: Temporal's and
	// the read model's SQLite files, uploaded and issued files, keys.
	DataDir    string     `mapstructure:"data_dir"`
	HTTP       HTTP       `mapstructure:"http"`
	Temporal   Temporal   `mapstructure:"temporal"`
	Database   Database   `mapstructure:"database"`
	Auth       Auth       `mapstructure:"auth"`
	Uploads    Uploads    `mapstructure:"uploads"`
	Incidents  Incidents  `mapstructure:"incidents"`
	Deadlines  Deadlines  `mapstructure:"deadlines"`
	Procedures Procedures `mapstructure:"procedures"`
	Calendar   Calendar   `mapstructure:"calendar"`
	Lookup     Lookup     `mapstructure:"lookup"`
	Sim        Sim        `mapstructure:"sim"`
	Backends   Backends   `mapstructure:"backends"`
	Documents  Documents  `mapstructure:"documents"`
	Log        Log        `mapstructure:"log"`
	Metrics    Metrics    `mapstructure:"metrics"`
	Reports    Reports    `mapstructure:"reports"`
}

// Reports: the worker keeps a Temporal Schedule per kind of period
// (month, quarter, year) that builds the periodic reports and mails the
// province's to MailTo; Province is the agency that reports for the
// province. Schedule false keeps no Schedules (reports are then made only
// when asked: POST /api/v1/reports/{period}/{key}/regenerate).
type Reports struct {
	Schedule bool   `mapstructure:"schedule"`
	MailTo   string `mapstructure:"mail_to"`
	Province string `mapstructure:"province"`
	// Place is the place name (địa danh) before a report's date.
	Place string `mapstructure:"place"`
}

// Metrics: the API serves Prometheus metrics at /metrics (its own, the
// read model's and the Temporal SDK's); a worker process serves its own
// (the SDK's, read-model lag) at Addr when set.
type Metrics struct {
	Addr string `mapstructure:"addr"`
}

type HTTP struct {
	Addr string `mapstructure:"addr"`
	// PublicURL is how citizens reach the server (links in notifications
	// and QR codes); defaults to http://<addr>.
	PublicURL       string        `mapstructure:"public_url"`
	ShutdownTimeout time.Duration `mapstructure:"shutdown_timeout"`
	// ActionTimeout bounds how long a request waits for a case to act.
	ActionTimeout time.Duration `mapstructure:"action_timeout"`
}

type Temporal struct {
	Address   string `mapstructure:"address"`
	Namespace string `mapstructure:"namespace"`
	TaskQueue string `mapstructure:"task_queue"`
	// UIAddr is where `motcua dev` serves the Temporal Web UI beside the
	// embedded server; empty serves none. Production runs the UI with the
	// cluster (or uses Temporal Cloud's).
	UIAddr string `mapstructure:"ui_addr"`
	// WorkflowCacheSize bounds how many cases a worker keeps in memory
	// between their actions. Measured (motcua bench --open, 1,000 cases):
	// a cached case holds about 100 KiB; an action on one that fell out
	// costs 6–15 ms more (its history is replayed).
	WorkflowCacheSize int `mapstructure:"workflow_cache_size"`
	// TLS secures the connection to the Temporal frontend (a self-hosted
	// cluster behind TLS, or Temporal Cloud).
	TLS TemporalTLS `mapstructure:"tls"`
	// APIKey authenticates to Temporal Cloud (namespaces with API-key
	// authentication) instead of a client certificate; it implies TLS.
	APIKey string `mapstructure:"api_key"`
}

// TemporalTLS is the client side of TLS to Temporal. Setting any file or
// the server name turns TLS on as enabled does.
type TemporalTLS struct {
	Enabled bool `mapstructure:"enabled"`
	// CAFile is a PEM bundle of the CAs that sign the frontend's
	// certificate; empty trusts the system's roots (Temporal Cloud).
	CAFile string `mapstructure:"ca_file"`
	// CertFile and KeyFile are the client certificate and its key (PEM)
	// for mutual TLS: Temporal Cloud's mTLS namespaces, or a cluster whose
	// frontend requires client certificates. Both or neither.
	CertFile string `mapstructure:"cert_file"`
	KeyFile  string `mapstructure:"key_file"`
	// ServerName is the name the frontend's certificate is checked
	// against, when it differs from the host of temporal.address.
	ServerName string `mapstructure:"server_name"`
}

// TLSOn reports whether the connection to Temporal uses TLS.
func (t Temporal) TLSOn() bool {
	return t.TLS.Enabled || t.TLS.CAFile != "" || t.TLS.CertFile != "" || t.TLS.KeyFile != "" || t.TLS.ServerName != "" || t.APIKey != ""
}

type Database struct {
	// DSN of PostgreSQL ("postgres://..."); empty means the SQLite file
	// motcua.db under DataDir.
	DSN string `mapstructure:"dsn"`
	// MaxOpenConns bounds each of the read model's two pools of
	// PostgreSQL connections (store.Open: look-ups and the inbox have
	// their own).
	MaxOpenConns int `mapstructure:"max_open_conns"`
}

type Auth struct {
	// Secret signs dev-mode tokens and derives case look-up secrets. In dev
	// it is generated into DataDir when empty.
	Secret string `mapstructure:"secret"`
	// OIDC issuer and JWKS for production tokens.
	Issuer   string `mapstructure:"issuer"`
	JWKSURL  string `mapstructure:"jwks_url"`
	Audience string `mapstructure:"audience"`
	// The pages' sign-in at the issuer (OpenID Connect code flow with
	// PKCE): this site's client, and its /dang-nhap/oidc address as
	// registered there. Without a client ID the pages offer no sign-in.
	ClientID     string `mapstructure:"client_id"`
	ClientSecret string `mapstructure:"client_secret"`
	RedirectURL  string `mapstructure:"redirect_url"`
}

type Uploads struct {
	MaxBytes     int64    `mapstructure:"max_bytes"`
	AllowedTypes []string `mapstructure:"allowed_types"`
	// What one case may accumulate (issue 16, finding 1): files per
	// document its procedure lists, files and bytes in all, and uploads
	// per minute.
	FilesPerDocument int   `mapstructure:"files_per_document"`
	FilesPerCase     int   `mapstructure:"files_per_case"`
	CaseBytes        int64 `mapstructure:"case_bytes"`
	PerCasePerMinute int   `mapstructure:"per_case_per_minute"`
}

// Incidents: how often the read model is reconciled with the workflows
// (an open case whose workflow ended unexpectedly becomes an incident).
type Incidents struct {
	ReconcileEvery time.Duration `mapstructure:"reconcile_every"`
}

type Deadlines struct {
	// WarnDays is how many working days before the due date a case warns.
	WarnDays int `mapstructure:"warn_days"`
}

type Procedures struct {
	// Dir overrides the embedded procedure definitions.
	Dir string `mapstructure:"dir"`
	// FilingDay (YYYY-MM-DD, `motcua dev` only) routes submissions as if
	// filed on that day, at the present time of day: to rehearse a reform
	// (file with the old units, then hand their cases over) and to train
	// officers on a past or coming organisation.
	FilingDay string `mapstructure:"filing_day"`
}

type Calendar struct {
	// File overrides the embedded civil-servant calendar.
	File string `mapstructure:"file"`
}

type Lookup struct {
	// PerMinute limits secret-based look-ups per client address.
	PerMinute int `mapstructure:"per_minute"`
}

type Sim struct {
	Addr     string `mapstructure:"addr"`
	SMTPAddr string `mapstructure:"smtp_addr"`
}

// Backends are the agency systems the worker calls. In `motcua dev` any
// left empty point at the simulator.
type Backends struct {
	// URLs are the systems' base URLs by back-end name (motcua.Backends),
	// each set as backends.<name>_url.
	URLs     map[string]string `mapstructure:"-"`
	SMTPAddr string            `mapstructure:"smtp_addr"` // mail relay host:port
	MailFrom string            `mapstructure:"mail_from"`
	// Off lists the back-ends switched off on purpose: a worker starts
	// without their URL, and cases record that the check or service is not
	// available. Any other back-end a definition needs must have a URL.
	Off []string `mapstructure:"off"`
	// CallbackSecret verifies the HMAC-SHA256 signature of the payment
	// gateway's and the postal service's callbacks.
	CallbackSecret string        `mapstructure:"callback_secret"`
	Timeout        time.Duration `mapstructure:"timeout"`
	// ReconcileAfter is how long a case waits for the payment gateway's
	// callback before asking the gateway itself.
	ReconcileAfter time.Duration `mapstructure:"reconcile_after"`
}

// Documents sets how issued documents are signed.
type Documents struct {
	// SigningKeyFile is an Ed25519 private key (PKCS#8 PEM); in dev it is
	// created in the data directory when missing.
	SigningKeyFile string `mapstructure:"signing_key_file"`
}

type Log struct {
	Level string `mapstructure:"level"`
	// Format is text or json; empty is json for `motcua api` and
	// `motcua worker`, text for `motcua dev`.
	Format string `mapstructure:"format"`
}

// BackendNames are the names backends.off takes.
func BackendNames() []string {
	var names []string
	for _, b := range motcua.Backends {
		names = append(names, b.Name)
	}
	return names
}

// BackendURLKey is the key of a back-end's base URL.
func BackendURLKey(name string) string { return "backends." + name + "_url" }

// Defaults are the values of the embedded default (`motcua dev`).
func Defaults() map[string]any {
	d := map[string]any{
		"data_dir":                     ".motcua",
		"http.addr":                    "127.0.0.1:8080",
		"http.public_url":              "",
		"http.shutdown_timeout":        "15s",
		"http.action_timeout":          "20s",
		"temporal.address":             "127.0.0.1:7233",
		"temporal.namespace":           "default",
		"temporal.task_queue":          "motcua-cases",
		"temporal.ui_addr":             "127.0.0.1:8233",
		"temporal.workflow_cache_size": 250,
		"temporal.tls.enabled":         false,
		"temporal.tls.ca_file":         "",
		"temporal.tls.cert_file":       "",
		"temporal.tls.key_file":        "",
		"temporal.tls.server_name":     "",
		"temporal.api_key":             "",
		"database.dsn":                 "",
		"database.max_open_conns":      10,
		"auth.secret":                  "",
		"auth.issuer":                  "",
		"auth.jwks_url":                "",
		"auth.audience":                "motcua",
		"auth.client_id":               "",
		"auth.client_secret":           "",
		"auth.redirect_url":            "",
		"uploads.max_bytes":            10 << 20,
		"uploads.allowed_types":        []string{"application/pdf", "image/jpeg", "image/png"},
		// hardening: what a case may accumulate, incidents
		"uploads.files_per_document":  5,
		"uploads.files_per_case":      40,
		"uploads.case_bytes":          100 << 20,
		"uploads.per_case_per_minute": 20,
		"incidents.reconcile_every":   "1m",
		"deadlines.warn_days":         1,
		"procedures.dir":              "",
		"procedures.filing_day":       "",
		"calendar.file":               "",
		"lookup.per_minute":           30,
		"sim.addr":                    "127.0.0.1:8091",
		"sim.smtp_addr":               "127.0.0.1:2525",
		"backends.smtp_addr":          "",
		"backends.mail_from":          "Cổng dịch vụ công <no-reply@dichvucong.local>",
		"backends.off":                []string{},
		"backends.callback_secret":    "",
		"backends.timeout":            "10s",
		"backends.reconcile_after":    "15m",
		"documents.signing_key_file":  "",
		"log.level":                   "info",
		"log.format":                  "",
		"metrics.addr":                "",
		"reports.schedule":            true,
		"reports.mail_to":             "Văn phòng UBND thành phố <vanphong@dichvucong.local>",
		"reports.province":            "UBND-DANANG",
		"reports.place":               "Đà Nẵng",
	}
	for _, b := range motcua.Backends {
		d[BackendURLKey(b.Name)] = ""
	}
	return d
}

// Secrets are the keys whose values `motcua config` masks.
var Secrets = []string{"auth.secret", "database.dsn", "backends.callback_secret", "temporal.api_key"}

// Validate checks every value and names the key of the first bad one.
func (c *Config) Validate() error {
	if c.DataDir == "" {
		return keyErr("data_dir", "must not be empty")
	}
	for key, addr := range map[string]string{"http.addr": c.HTTP.Addr, "temporal.address": c.Temporal.Address, "sim.addr": c.Sim.Addr,
		"sim.smtp_addr": c.Sim.SMTPAddr} {
		if _, _, err := net.SplitHostPort(addr); err != nil {
			return keyErr(key, "%q is not host:port", addr)
		}
	}
	if c.Procedures.FilingDay != "" {
		if _, err := time.Parse(time.DateOnly, c.Procedures.FilingDay); err != nil {
			return keyErr("procedures.filing_day", "%q is not a day (YYYY-MM-DD)", c.Procedures.FilingDay)
		}
	}
	if c.Metrics.Addr != "" {
		if _, _, err := net.SplitHostPort(c.Metrics.Addr); err != nil {
			return keyErr("metrics.addr", "%q is not host:port (empty: a worker serves no metrics)", c.Metrics.Addr)
		}
	}
	if c.Temporal.UIAddr != "" {
		if _, _, err := net.SplitHostPort(c.Temporal.UIAddr); err != nil {
			return keyErr("temporal.ui_addr", "%q is not host:port (empty: no Web UI)", c.Temporal.UIAddr)
		}
	}
	if c.HTTP.PublicURL != "" {
		if u, err := url.Parse(c.HTTP.PublicURL); err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
			return keyErr("http.public_url", "%q is not an http(s) URL", c.HTTP.PublicURL)
		}
	}
	if c.HTTP.ShutdownTimeout <= 0 {
		return keyErr("http.shutdown_timeout", "must be positive")
	}
	if c.HTTP.ActionTimeout <= 0 {
		return keyErr("http.action_timeout", "must be positive")
	}
	if c.Temporal.Namespace == "" {
		return keyErr("temporal.namespace", "must not be empty")
	}
	if c.Temporal.TaskQueue == "" {
		return keyErr("temporal.task_queue", "must not be empty")
	}
	if c.Temporal.WorkflowCacheSize < 1 {
		return keyErr("temporal.workflow_cache_size", "must be at least 1")
	}
	if (c.Temporal.TLS.CertFile == "") != (c.Temporal.TLS.KeyFile == "") {
		return keyErr("temporal.tls.cert_file and temporal.tls.key_file", "set both (a client certificate and its key) or neither")
	}
	if c.Database.DSN != "" && !strings.HasPrefix(c.Database.DSN, "postgres://") && !strings.HasPrefix(c.Database.DSN, "postgresql://") {
		return keyErr("database.dsn", "must be a postgres:// URL (leave it empty for the SQLite file in data_dir)")
	}
	if c.Database.MaxOpenConns < 1 {
		return keyErr("database.max_open_conns", "must be at least 1")
	}
	if c.Auth.Secret != "" && len(c.Auth.Secret) < 32 {
		return keyErr("auth.secret", "must be at least 32 characters")
	}
	if c.Auth.JWKSURL != "" {
		if u, err := url.Parse(c.Auth.JWKSURL); err != nil || u.Scheme != "https" && u.Scheme != "http" {
			return keyErr("auth.jwks_url", "%q is not a URL", c.Auth.JWKSURL)
		}
	}
	if c.Uploads.MaxBytes < 1 {
		return keyErr("uploads.max_bytes", "must be positive")
	}
	if c.Uploads.FilesPerDocument < 1 || c.Uploads.FilesPerCase < 1 || c.Uploads.CaseBytes < c.Uploads.MaxBytes || c.Uploads.PerCasePerMinute < 1 {
		return keyErr("uploads", "files_per_document, files_per_case and per_case_per_minute must be positive, case_bytes at least max_bytes")
	}
	if c.Incidents.ReconcileEvery <= 0 {
		return keyErr("incidents.reconcile_every", "must be positive")
	}
	if len(c.Uploads.AllowedTypes) == 0 {
		return keyErr("uploads.allowed_types", "must list at least one media type")
	}
	if c.Deadlines.WarnDays < 0 {
		return keyErr("deadlines.warn_days", "must not be negative")
	}
	for _, name := range c.Backends.Off {
		if _, ok := motcua.BackendOf(name); !ok {
			return keyErr("backends.off", "%q is no back-end (%s)", name, strings.Join(BackendNames(), ", "))
		}
	}
	for _, b := range motcua.Backends {
		u := c.Backends.URLs[b.Name]
		if u == "" {
			continue
		}
		if p, err := url.Parse(u); err != nil || (p.Scheme != "http" && p.Scheme != "https") || p.Host == "" {
			return keyErr(BackendURLKey(b.Name), "%q is not an http(s) URL", u)
		}
	}
	if c.Backends.SMTPAddr != "" {
		if _, _, err := net.SplitHostPort(c.Backends.SMTPAddr); err != nil {
			return keyErr("backends.smtp_addr", "%q is not host:port", c.Backends.SMTPAddr)
		}
	}
	if c.Backends.Timeout <= 0 {
		return keyErr("backends.timeout", "must be positive")
	}
	if c.Backends.ReconcileAfter < time.Second {
		return keyErr("backends.reconcile_after", "must be at least 1s")
	}
	if c.Lookup.PerMinute < 1 {
		return keyErr("lookup.per_minute", "must be at least 1")
	}
	if !slices.Contains([]string{"debug", "info", "warn", "error"}, c.Log.Level) {
		return keyErr("log.level", "%q is not one of debug, info, warn, error", c.Log.Level)
	}
	if c.Log.Format != "" && c.Log.Format != "text" && c.Log.Format != "json" {
		return keyErr("log.format", "%q is not text or json (empty: json in production, text in dev)", c.Log.Format)
	}
	return nil
}

// Production checks what the separate api and worker processes need beyond
// Validate: they share a PostgreSQL read model and verify real tokens.
func (c *Config) Production() error {
	if c.Database.DSN == "" {
		return keyErr("database.dsn", "is required for api and worker (they share one PostgreSQL read model)")
	}
	if c.Auth.Secret == "" {
		return keyErr("auth.secret", "is required for api and worker (it derives case look-up secrets)")
	}
	if c.Procedures.FilingDay != "" {
		return keyErr("procedures.filing_day", "is for motcua dev only: in production submissions are routed on the day they are filed")
	}
	return nil
}

// PublicURL is the base URL citizens use.
func (c *Config) PublicURL() string {
	if c.HTTP.PublicURL != "" {
		return strings.TrimRight(c.HTTP.PublicURL, "/")
	}
	return "http://" + c.HTTP.Addr
}

// Path returns name inside the data directory.
func (c *Config) Path(name string) string { return filepath.Join(c.DataDir, name) }

func keyErr(key, format string, args ...any) error {
	return fmt.Errorf("config %s: %s", key, fmt.Sprintf(format, args...))
}
