package system

import (
	"cmp"
	"context"
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"net/http/pprof"
	"os"
	"strings"
	"time"

	"go.temporal.io/sdk/client"
	sdkworker "go.temporal.io/sdk/worker"

	"github.com/motcua/motcua"
	"github.com/motcua/motcua/activities"
	"github.com/motcua/motcua/api"
	"github.com/motcua/motcua/calendar"
	"github.com/motcua/motcua/config"
	"github.com/motcua/motcua/documents"
	"github.com/motcua/motcua/procedures"
	"github.com/motcua/motcua/store"
	"github.com/motcua/motcua/web"
	"github.com/motcua/motcua/worker"
	"github.com/motcua/motcua/workflows"
)

// OpenStore opens the read model: PostgreSQL when a DSN is set, else the
// SQLite file in the data directory.
func OpenStore(ctx context.Context, cfg *config.Config) (*store.DB, error) {
	return store.Open(ctx, store.Options{DSN: cfg.Database.DSN, SQLiteFile: cfg.Path("motcua.db"), MaxOpenConns: cfg.Database.MaxOpenConns})
}

// LoadCatalog loads procedures.dir, or the embedded definitions.
func LoadCatalog(cfg *config.Config) (*procedures.Catalog, error) {
	if cfg.Procedures.Dir != "" {
		return procedures.LoadDir(cfg.Procedures.Dir)
	}
	return procedures.Embedded()
}

// LoadCalendar loads calendar.file, or the embedded calendar.
func LoadCalendar(cfg *config.Config) (*calendar.Calendar, error) {
	if cfg.Calendar.File != "" {
		return calendar.LoadFile(cfg.Calendar.File)
	}
	return calendar.Default(), nil
}

// syncCatalog writes the registry and catalogue index to the read model.
func syncCatalog(ctx context.Context, db *store.DB, cat *procedures.Catalog) error {
	var ags []store.Agency
	for _, a := range cat.Agencies().All() {
		from := a.ValidFrom
		ags = append(ags, store.Agency{Code: a.Code, Name: a.Name, NameEn: a.NameEn, Tier: a.Tier, Parent: a.Parent,
			Successor: a.Successor, ValidFrom: &from, ValidTo: a.ValidTo})
	}
	return db.SyncCatalog(ctx, ags, cat.All(), procedures.Fold)
}

func dialTemporal(cfg *config.Config, log *slog.Logger, metrics client.MetricsHandler) (client.Client, error) {
	opts, err := TemporalOptions(cfg, log)
	if err != nil {
		return nil, err
	}
	opts.MetricsHandler = metrics
	c, err := client.Dial(opts)
	if err != nil {
		return nil, fmt.Errorf("connect to Temporal at %s (%s): %w", cfg.Temporal.Address, config.Setting("temporal.address"), err)
	}
	return c, nil
}

// authSecret returns auth.secret, or in dev a random one kept in the data
// directory so tokens and case secrets survive restarts.
func authSecret(cfg *config.Config, dev bool) ([]byte, error) {
	if cfg.Auth.Secret != "" || !dev {
		return []byte(cfg.Auth.Secret), nil
	}
	path := cfg.Path("secret.key")
	if b, err := os.ReadFile(path); err == nil {
		return []byte(strings.TrimSpace(string(b))), nil
	} else if !errors.Is(err, os.ErrNotExist) {
		return nil, err
	}
	b := make([]byte, 32)
	if _, err := rand.Read(b); err != nil {
		return nil, err
	}
	s := hex.EncodeToString(b)
	return []byte(s), os.WriteFile(path, []byte(s+"\n"), 0o600)
}

// devCallbackSecret is the callback key a dev system derives from its
// auth secret when backends.callback_secret is empty.
func devCallbackSecret(secret []byte) string {
	mac := hmac.New(sha256.New, secret)
	mac.Write([]byte("motcua dev callbacks"))
	return hex.EncodeToString(mac.Sum(nil))
}

// signer loads the key issued documents are signed with: the configured
// file, or in dev one created in the data directory when missing.
func signer(cfg *config.Config, dev bool, left *leftovers) (*documents.Signer, error) {
	path := cfg.Documents.SigningKeyFile
	if path == "" {
		if !dev {
			return nil, fmt.Errorf("config documents.signing_key_file: required (an Ed25519 PKCS#8 PEM key; the API and the workers share it)")
		}
		path = cfg.Path("signing-key.pem")
	}
	if dev {
		left.track(path)
		return documents.LoadOrCreateKey(path)
	}
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("config documents.signing_key_file: %w", err)
	}
	return documents.ParseKey(b)
}

// newWorker builds the worker and its activities (back-end clients,
// notifications, documents, the read-model recorder) from the
// configuration; in dev every back-end left unconfigured is the simulator.
func newWorker(s *System, o Overrides) sdkworker.Worker {
	b := s.Config.Backends
	backends := &activities.Backends{URLs: map[string]string{}, HTTP: o.BackendHTTP}
	for _, backend := range motcua.Backends {
		backends.URLs[backend.Name] = s.backendURL(backend.Name)
	}
	if backends.HTTP == nil {
		backends.HTTP = &http.Client{Timeout: b.Timeout}
	}
	notifier := &activities.Notifier{Backends: backends, SMTPAddr: cmp.Or(b.SMTPAddr, s.SimSMTP), From: b.MailFrom,
		PublicURL: s.Config.PublicURL()}
	deps := worker.Deps{
		Client: s.Temporal, TaskQueue: s.Config.Temporal.TaskQueue, DB: s.DB, Calendar: s.Calendar, Catalog: s.Catalog,
		WarnDays: s.Config.Deadlines.WarnDays, Backends: backends, Notifier: notifier,
		Reports: &activities.Reports{DB: s.DB, Catalog: s.Catalog, Notifier: notifier,
			Province: s.Config.Reports.Province, MailTo: s.Config.Reports.MailTo, Place: s.Config.Reports.Place},
		Documents: &activities.Documents{Blobs: store.DirBlobs{Dir: s.Config.Path("blobs")}, Signer: s.Signer,
			Agencies: s.Catalog.Agencies(), Secrets: s.Secrets, PublicURL: s.Config.PublicURL()},
		Deadline: o.Deadline, Logger: s.Log, RecordLag: recordLag(s.Metrics),
	}
	return worker.New(deps)
}

// newHandler builds the API: dev sign-in and the simulator's mailbox in
// dev, the identity provider's tokens in production.
func newHandler(s *System, o Overrides) http.Handler {
	c := s.Config
	d := api.Deps{
		CallbackSecret: []byte(c.Backends.CallbackSecret), Verifier: s.Signer, Signer: s.Signer, PublicURL: c.PublicURL(),
		ReconcileAfter: c.Backends.ReconcileAfter,
		Temporal:       s.Temporal, TaskQueue: c.Temporal.TaskQueue, Store: s.DB, Catalog: s.Catalog,
		Blobs: store.DirBlobs{Dir: c.Path("blobs")}, Secrets: s.Secrets,
		MaxUpload: c.Uploads.MaxBytes, AllowedTypes: c.Uploads.AllowedTypes,
		Attachments: workflows.AttachLimits{FilesPerDocument: c.Uploads.FilesPerDocument, FilesPerCase: c.Uploads.FilesPerCase,
			CaseBytes: c.Uploads.CaseBytes}, AttachPerMinute: c.Uploads.PerCasePerMinute,
		SendCode:      codeSender(s, o),
		ActionTimeout: c.HTTP.ActionTimeout, LookupPerMinute: c.Lookup.PerMinute, Logger: s.Log, Now: o.Now, FilingClock: o.FilingClock, Metrics: s.Metrics,
		Backends: backendReach(c, s.backendURL),
		Ready: func(ctx context.Context) map[string]error {
			_, terr := s.Temporal.CheckHealth(ctx, &client.CheckHealthRequest{})
			return map[string]error{"temporal": terr, "database": s.DB.Ping(ctx)}
		},
	}
	if s.Role == Dev {
		d.Dev = &api.DevTokens{Secret: s.Secrets.Key, Audience: c.Auth.Audience, TTL: 12 * time.Hour}
		d.Auth = d.Dev
		d.DevMailbox = func() any { return s.Sim.Mailbox() }
	} else {
		d.Auth = &api.OIDC{Issuer: c.Auth.Issuer, Audience: c.Auth.Audience, JWKSURL: c.Auth.JWKSURL}
		if c.Auth.ClientID != "" {
			d.WebOIDC = &web.OIDCConfig{Issuer: c.Auth.Issuer, ClientID: c.Auth.ClientID, ClientSecret: c.Auth.ClientSecret, RedirectURL: c.Auth.RedirectURL}
		}
		return api.New(d)
	}
	return withProfiles(api.New(d))
}

// withProfiles serves Go's runtime profiles at /debug/pprof/ beside h, for
// `motcua dev` only (a developer's machine): CPU, heap, goroutines
// (`motcua bench --profile` also samples block and mutex contention).
func withProfiles(h http.Handler) http.Handler {
	mux := http.NewServeMux()
	mux.HandleFunc("/debug/pprof/", pprof.Index)
	mux.HandleFunc("/debug/pprof/cmdline", pprof.Cmdline)
	mux.HandleFunc("/debug/pprof/profile", pprof.Profile)
	mux.HandleFunc("/debug/pprof/symbol", pprof.Symbol)
	mux.HandleFunc("/debug/pprof/trace", pprof.Trace)
	mux.Handle("/", h)
	return mux
}

// backendURL is where back-end name answers: its configured URL, else (in
// dev) the simulator.
func (s *System) backendURL(name string) string {
	return cmp.Or(s.Config.Backends.URLs[name], s.SimURL)
}
