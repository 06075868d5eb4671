package main

import (
	"context"
	"fmt"
	"log/slog"

	"github.com/spf13/cobra"
	"go.temporal.io/sdk/client"

	"github.com/motcua/motcua/api"
	"github.com/motcua/motcua/calendar"
	"github.com/motcua/motcua/config"
	"github.com/motcua/motcua/documents"
	"github.com/motcua/motcua/procedures"
	"github.com/motcua/motcua/store"
	"github.com/motcua/motcua/worker"
)

func apiCmd() *cobra.Command {
	return &cobra.Command{
		Use:   "api",
		Short: "Serve the HTTP API against a Temporal cluster and PostgreSQL",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			p, err := production(cmd)
			if err != nil {
				return err
			}
			defer p.close()
			cfg := p.cfg
			if cfg.Auth.JWKSURL == "" || cfg.Auth.Issuer == "" {
				return fmt.Errorf("config auth.issuer and auth.jwks_url: required to verify sign-in tokens")
			}
			if err := syncCatalog(cmd.Context(), p.db, p.cat); err != nil {
				return err
			}
			deps := apiDeps(cfg, p.tc, p.db, p.cat, []byte(cfg.Auth.Secret), p.sign, p.log)
			deps.Auth = &api.OIDC{Issuer: cfg.Auth.Issuer, Audience: cfg.Auth.Audience, JWKSURL: cfg.Auth.JWKSURL}
			p.log.Info("api listening", "addr", cfg.HTTP.Addr)
			return serveHTTP(cmd.Context(), cfg.HTTP.Addr, api.New(deps), cfg.HTTP.ShutdownTimeout)
		},
	}
}

func workerCmd() *cobra.Command {
	return &cobra.Command{
		Use:   "worker",
		Short: "Run case workflows and activities against a Temporal cluster and PostgreSQL",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			p, err := production(cmd)
			if err != nil {
				return err
			}
			defer p.close()
			w := worker.New(workerDeps(p.cfg, p.tc, p.db, p.cal, p.cat, []byte(p.cfg.Auth.Secret), p.sign))
			p.log.Info("worker polling", "task_queue", p.cfg.Temporal.TaskQueue, "temporal", p.cfg.Temporal.Address)
			if err := w.Start(); err != nil {
				return err
			}
			<-cmd.Context().Done()
			w.Stop()
			return nil
		},
	}
}

// process is what a production process (api, worker) opens at start.
type process struct {
	cfg  *config.Config
	log  *slog.Logger
	db   *store.DB
	cat  *procedures.Catalog
	cal  *calendar.Calendar
	sign *documents.Signer
	tc   client.Client
}

func (p *process) close() {
	if p.tc != nil {
		p.tc.Close()
	}
	if p.db != nil {
		p.db.Close()
	}
}

// production loads and checks the configuration of a production process,
// opens its database (which must be migrated already), loads the catalogue,
// calendar and signing key, and connects to Temporal.
func production(cmd *cobra.Command) (*process, error) {
	p := &process{}
	var err error
	fail := func(e error) (*process, error) {
		p.close()
		return nil, e
	}
	if p.cfg, err = loadConfig(cmd); err != nil {
		return fail(err)
	}
	if err = p.cfg.Production(); err != nil {
		return fail(err)
	}
	p.log = newLogger(p.cfg)
	if p.db, err = openStore(cmd.Context(), p.cfg); err != nil {
		return fail(err)
	}
	if err = requireMigrated(cmd.Context(), p.db); err != nil {
		return fail(err)
	}
	if p.cat, err = loadCatalog(p.cfg); err != nil {
		return fail(err)
	}
	if p.cal, err = loadCalendar(p.cfg); err != nil {
		return fail(err)
	}
	if p.sign, err = signer(p.cfg, false); err != nil {
		return fail(err)
	}
	if p.tc, err = dialTemporal(p.cfg, p.log); err != nil {
		return fail(err)
	}
	return p, nil
}

func requireMigrated(ctx context.Context, db *store.DB) error {
	pending, err := db.PendingMigrations(ctx)
	if err != nil {
		return err
	}
	if pending > 0 {
		return fmt.Errorf("the database has %d pending migrations: run `motcua migrate up` first", pending)
	}
	return nil
}
