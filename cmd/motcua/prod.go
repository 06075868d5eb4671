package main

import (
	"context"
	"fmt"
	"log/slog"
	"time"

	"github.com/spf13/cobra"

	"github.com/motcua/motcua/api"
	"github.com/motcua/motcua/config"
	"github.com/motcua/motcua/store"
	"github.com/motcua/motcua/worker"
)

func apiCmd() *cobra.Command {
	return &cobra.Command{
		Use:   "api",
		Short: "Serve the HTTP API against a Temporal cluster and PostgreSQL",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			cfg, log, db, err := production(cmd)
			if err != nil {
				return err
			}
			defer db.Close()
			ctx := cmd.Context()
			cat, err := loadCatalog(cfg)
			if err != nil {
				return err
			}
			if err := syncCatalog(ctx, db, cat); err != nil {
				return err
			}
			tc, err := dialTemporal(cfg, log)
			if err != nil {
				return err
			}
			defer tc.Close()
			sign, err := signer(cfg, false)
			if err != nil {
				return err
			}
			deps := apiDeps(cfg, tc, db, cat, []byte(cfg.Auth.Secret), sign, log)
			if cfg.Auth.JWKSURL == "" || cfg.Auth.Issuer == "" {
				return fmt.Errorf("config auth.issuer and auth.jwks_url: required to verify sign-in tokens")
			}
			deps.Auth = &api.OIDC{Issuer: cfg.Auth.Issuer, Audience: cfg.Auth.Audience, JWKSURL: cfg.Auth.JWKSURL, Refresh: 10 * time.Minute}
			log.Info("api listening", "addr", cfg.HTTP.Addr)
			return serveHTTP(ctx, cfg.HTTP.Addr, api.New(deps), cfg.HTTP.ShutdownTimeout)
		},
	}
}

func workerCmd() *cobra.Command {
	return &cobra.Command{
		Use:   "worker",
		Short: "Run case workflows and activities against a Temporal cluster and PostgreSQL",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			cfg, log, db, err := production(cmd)
			if err != nil {
				return err
			}
			defer db.Close()
			cal, err := loadCalendar(cfg)
			if err != nil {
				return err
			}
			cat, err := loadCatalog(cfg)
			if err != nil {
				return err
			}
			sign, err := signer(cfg, false)
			if err != nil {
				return err
			}
			tc, err := dialTemporal(cfg, log)
			if err != nil {
				return err
			}
			defer tc.Close()
			w := worker.New(workerDeps(cfg, tc, db, cal, cat, []byte(cfg.Auth.Secret), sign))
			log.Info("worker polling", "task_queue", cfg.Temporal.TaskQueue, "temporal", cfg.Temporal.Address)
			if err := w.Start(); err != nil {
				return err
			}
			<-cmd.Context().Done()
			w.Stop()
			return nil
		},
	}
}

// production loads and checks the configuration of a production process and
// opens its database, which must be migrated already.
func production(cmd *cobra.Command) (*config.Config, *slog.Logger, *store.DB, error) {
	cfg, err := loadConfig(cmd)
	if err != nil {
		return nil, nil, nil, err
	}
	if err := cfg.Production(); err != nil {
		return nil, nil, nil, err
	}
	log := newLogger(cfg)
	db, err := openStore(cmd.Context(), cfg)
	if err != nil {
		return nil, nil, nil, err
	}
	if err := requireMigrated(cmd.Context(), db); err != nil {
		db.Close()
		return nil, nil, nil, err
	}
	return cfg, log, db, nil
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
