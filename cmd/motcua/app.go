package main

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/spf13/cobra"
	"github.com/spf13/pflag"
	"go.temporal.io/sdk/client"
	tlog "go.temporal.io/sdk/log"

	"github.com/motcua/motcua"
	"github.com/motcua/motcua/activities"
	"github.com/motcua/motcua/api"
	"github.com/motcua/motcua/calendar"
	"github.com/motcua/motcua/config"
	"github.com/motcua/motcua/documents"
	"github.com/motcua/motcua/procedures"
	"github.com/motcua/motcua/store"
	"github.com/motcua/motcua/worker"
)

// loadConfig reads the configuration; only flags the user set override it.
func loadConfig(cmd *cobra.Command) (*config.Config, error) {
	file, _ := cmd.Flags().GetString("config")
	set := pflag.NewFlagSet("set", pflag.ContinueOnError)
	cmd.Flags().Visit(func(f *pflag.Flag) { set.AddFlag(f) })
	cfg, _, err := config.Load(file, set)
	return cfg, err
}

func newLogger(cfg *config.Config) *slog.Logger {
	var level slog.Level
	_ = level.UnmarshalText([]byte(cfg.Log.Level))
	opts := &slog.HandlerOptions{Level: level}
	if cfg.Log.Format == "json" {
		return slog.New(slog.NewJSONHandler(os.Stderr, opts))
	}
	return slog.New(slog.NewTextHandler(os.Stderr, opts))
}

// openStore opens the read model: PostgreSQL when a DSN is set, else the
// SQLite file in the data directory.
func openStore(ctx context.Context, cfg *config.Config) (*store.DB, error) {
	return store.Open(ctx, store.Options{DSN: cfg.Database.DSN, SQLiteFile: cfg.Path("motcua.db"), MaxOpenConns: cfg.Database.MaxOpenConns})
}

func loadCatalog(cfg *config.Config) (*procedures.Catalog, error) {
	if cfg.Procedures.Dir != "" {
		return procedures.LoadDir(cfg.Procedures.Dir)
	}
	return procedures.Embedded()
}

func loadCalendar(cfg *config.Config) (*calendar.Calendar, error) {
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

func dialTemporal(cfg *config.Config, log *slog.Logger) (client.Client, error) {
	c, err := client.Dial(client.Options{
		HostPort: cfg.Temporal.Address, Namespace: cfg.Temporal.Namespace,
		Logger: tlog.NewStructuredLogger(log.With("component", "temporal-sdk")),
	})
	if err != nil {
		return nil, fmt.Errorf("connect to Temporal at %s: %w", cfg.Temporal.Address, err)
	}
	return c, nil
}

// devSecret returns auth.secret, or in dev a random one kept in the data
// directory so tokens and case secrets survive restarts.
func devSecret(cfg *config.Config) ([]byte, error) {
	if cfg.Auth.Secret != "" {
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
	if err := os.MkdirAll(filepath.Dir(path), 0o750); err != nil {
		return nil, err
	}
	return []byte(s), os.WriteFile(path, []byte(s+"\n"), 0o600)
}

// signer loads the key issued documents are signed with: the configured
// file, or in dev one created in the data directory.
func signer(cfg *config.Config, dev bool) (*documents.Signer, error) {
	path := cfg.Documents.SigningKeyFile
	if path == "" {
		if !dev {
			return nil, fmt.Errorf("config documents.signing_key_file: required (an Ed25519 PKCS#8 PEM key; the API and the workers share it)")
		}
		path = cfg.Path("signing-key.pem")
	}
	if dev {
		return documents.LoadOrCreateKey(path)
	}
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("config documents.signing_key_file: %w", err)
	}
	return documents.ParseKey(b)
}

// workerDeps wires the activities: back-end clients, notifications,
// documents.
func workerDeps(cfg *config.Config, tc client.Client, db *store.DB, cal *calendar.Calendar, cat *procedures.Catalog,
	secret []byte, sign *documents.Signer) worker.Deps {
	b := cfg.Backends
	backends := &activities.Backends{
		URLs: b.URLs,
		HTTP: &http.Client{Timeout: b.Timeout},
	}
	return worker.Deps{
		Client: tc, TaskQueue: cfg.Temporal.TaskQueue, DB: db, Calendar: cal, WarnDays: cfg.Deadlines.WarnDays,
		Backends: backends,
		Notifier: &activities.Notifier{Backends: backends, SMTPAddr: b.SMTPAddr, From: b.MailFrom},
		Documents: &activities.Documents{Blobs: store.DirBlobs{Dir: cfg.Path("blobs")}, Signer: sign,
			Agencies: cat.Agencies(), Secrets: motcua.CaseSecrets{Key: secret}, PublicURL: cfg.PublicURL()},
	}
}

// apiDeps are the API's collaborators common to dev and production.
func apiDeps(cfg *config.Config, tc client.Client, db *store.DB, cat *procedures.Catalog, secret []byte, sign *documents.Signer, log *slog.Logger) api.Deps {
	return api.Deps{
		CallbackSecret: []byte(cfg.Backends.CallbackSecret), Verifier: sign, ReconcileAfter: cfg.Backends.ReconcileAfter,
		Temporal: tc, TaskQueue: cfg.Temporal.TaskQueue, Store: db, Catalog: cat,
		Blobs: store.DirBlobs{Dir: cfg.Path("blobs")}, Secrets: motcua.CaseSecrets{Key: secret},
		MaxUpload: cfg.Uploads.MaxBytes, AllowedTypes: cfg.Uploads.AllowedTypes,
		ActionTimeout: cfg.HTTP.ActionTimeout, LookupPerMinute: cfg.Lookup.PerMinute, Logger: log,
		Ready: func(ctx context.Context) map[string]error {
			_, terr := tc.CheckHealth(ctx, &client.CheckHealthRequest{})
			return map[string]error{"temporal": terr, "database": db.Ping(ctx)}
		},
	}
}

// serveHTTP serves h on addr until ctx ends, then shuts down gracefully.
func serveHTTP(ctx context.Context, addr string, h http.Handler, grace time.Duration) error {
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return fmt.Errorf("listen on %s: %w", addr, err)
	}
	return serveListener(ctx, ln, h, grace)
}

// serveListener serves h on ln until ctx ends, then shuts down gracefully.
func serveListener(ctx context.Context, ln net.Listener, h http.Handler, grace time.Duration) error {
	srv := &http.Server{Handler: h, ReadHeaderTimeout: 10 * time.Second}
	errc := make(chan error, 1)
	go func() { errc <- srv.Serve(ln) }()
	select {
	case err := <-errc:
		return err
	case <-ctx.Done():
	}
	sctx, cancel := context.WithTimeout(context.Background(), grace)
	defer cancel()
	return srv.Shutdown(sctx)
}
