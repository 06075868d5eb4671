package main

import (
	"context"
	"fmt"
	"net"
	"os"
	"time"

	"github.com/spf13/cobra"

	"github.com/motcua/motcua/api"
	"github.com/motcua/motcua/config"
	"github.com/motcua/motcua/devserver"
	"github.com/motcua/motcua/worker"
)

func devCmd() *cobra.Command {
	return &cobra.Command{
		Use:   "dev",
		Short: "Run everything in one process: embedded Temporal, read model, API, worker",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			cfg, err := loadConfig(cmd)
			if err != nil {
				return err
			}
			return runDev(cmd.Context(), cfg)
		},
	}
}

func runDev(ctx context.Context, cfg *config.Config) error {
	log := newLogger(cfg)
	started := time.Now()
	if err := os.MkdirAll(cfg.DataDir, 0o750); err != nil {
		return fmt.Errorf("data directory: %w", err)
	}
	cat, err := loadCatalog(cfg)
	if err != nil {
		return err
	}
	cal, err := loadCalendar(cfg)
	if err != nil {
		return err
	}
	secret, err := devSecret(cfg)
	if err != nil {
		return err
	}

	ts, err := devserver.Start(ctx, devserver.Options{
		DatabaseFile: cfg.Path("temporal.db"), FrontendAddr: cfg.Temporal.Address,
		Namespaces: []string{cfg.Temporal.Namespace}, LogFile: cfg.Path("temporal.log"),
	})
	if err != nil {
		return err
	}
	defer func() {
		if err := ts.Stop(); err != nil {
			log.Warn("temporal server stop", "err", err)
		}
	}()
	cfg.Temporal.Address = ts.Addr()

	db, err := openStore(ctx, cfg)
	if err != nil {
		return err
	}
	defer db.Close()
	if err := db.MigrateUp(ctx); err != nil {
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
	w := worker.New(worker.Deps{Client: tc, TaskQueue: cfg.Temporal.TaskQueue, DB: db, Calendar: cal, WarnDays: cfg.Deadlines.WarnDays})
	if err := w.Start(); err != nil {
		return fmt.Errorf("start worker: %w", err)
	}
	defer w.Stop() // drains running activities and workflow tasks

	deps := apiDeps(cfg, tc, db, cat, secret, log)
	deps.Dev = &api.DevTokens{Secret: secret, Audience: cfg.Auth.Audience, TTL: 12 * time.Hour}
	deps.Auth = deps.Dev
	ready := make(chan net.Addr, 1)
	errc := make(chan error, 1)
	go func() { errc <- serveHTTP(ctx, cfg.HTTP.Addr, api.New(deps), cfg.HTTP.ShutdownTimeout, ready) }()
	select {
	case err := <-errc:
		return err
	case addr := <-ready:
		printBanner(cfg, addr.String(), ts.Addr(), db.Dialect(), time.Since(started))
	}
	err = <-errc
	log.Info("shutting down")
	return err
}

func printBanner(cfg *config.Config, httpAddr, temporalAddr, dialect string, took time.Duration) {
	base := "http://" + httpAddr
	fmt.Printf(`motcua dev is running (started in %s)
  API            %s/api/v1   (OpenAPI: %s/api/v1/openapi.json)
  health         %s/healthz  %s/readyz
  Temporal       %s  namespace %q  (temporal workflow list --address %s)
  read model     %s
  data           %s

Get a token (dev mode only):
  curl -s -X POST %s/api/v1/dev/login -d '{"role":"citizen","subject":"079201001234"}'
  curl -s -X POST %s/api/v1/dev/login -d '{"role":"officer","subject":"canbo1","agency":"SKHDT","roles":["receiver","reviewer","approver","cashier","head"]}'
Press Ctrl+C to stop.
`, took.Round(time.Millisecond), base, base, base, base, temporalAddr, cfg.Temporal.Namespace, temporalAddr, dialect, cfg.DataDir, base, base)
}
