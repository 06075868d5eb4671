package main

import (
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"os"
	"time"

	"github.com/spf13/cobra"

	"github.com/motcua/motcua"
	"github.com/motcua/motcua/api"
	"github.com/motcua/motcua/config"
	"github.com/motcua/motcua/devserver"
	"github.com/motcua/motcua/sim"
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
	sign, err := signer(cfg, true)
	if err != nil {
		return err
	}
	// Listen first: the simulator needs the API's address for callbacks.
	apiLn, err := net.Listen("tcp", cfg.HTTP.Addr)
	if err != nil {
		return fmt.Errorf("listen on %s: %w", cfg.HTTP.Addr, err)
	}
	defer apiLn.Close()
	cfg.HTTP.Addr = apiLn.Addr().String()

	simulator, simURL, stopSim, err := startSim(cfg, secret, log)
	if err != nil {
		return err
	}
	defer stopSim()

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
	w := worker.New(workerDeps(cfg, tc, db, cal, cat, secret, sign))
	if err := w.Start(); err != nil {
		return fmt.Errorf("start worker: %w", err)
	}
	defer w.Stop() // drains running activities and workflow tasks

	deps := apiDeps(cfg, tc, db, cat, secret, sign, log)
	deps.Dev = &api.DevTokens{Secret: secret, Audience: cfg.Auth.Audience, TTL: 12 * time.Hour}
	deps.Auth = deps.Dev
	deps.DevMailbox = func() any { return simulator.Mailbox() }
	errc := make(chan error, 1)
	go func() { errc <- serveListener(ctx, apiLn, api.New(deps), cfg.HTTP.ShutdownTimeout) }()
	printBanner(cfg, cfg.HTTP.Addr, ts.Addr(), simURL, db.Dialect(), time.Since(started))
	err = <-errc
	log.Info("shutting down")
	return err
}

// startSim runs the simulated agency back-ends and points every back-end
// the configuration leaves empty at them.
func startSim(cfg *config.Config, secret []byte, log *slog.Logger) (*sim.Sim, string, func(), error) {
	if cfg.Backends.CallbackSecret == "" {
		mac := hmac.New(sha256.New, secret)
		mac.Write([]byte("motcua dev callbacks"))
		cfg.Backends.CallbackSecret = hex.EncodeToString(mac.Sum(nil))
	}
	httpLn, err := net.Listen("tcp", cfg.Sim.Addr)
	if err != nil {
		return nil, "", nil, fmt.Errorf("simulator: listen on %s: %w", cfg.Sim.Addr, err)
	}
	smtpLn, err := net.Listen("tcp", cfg.Sim.SMTPAddr)
	if err != nil {
		httpLn.Close()
		return nil, "", nil, fmt.Errorf("simulator mail sink: listen on %s: %w", cfg.Sim.SMTPAddr, err)
	}
	base := "http://" + httpLn.Addr().String()
	s := sim.New(sim.Options{
		PaymentSecret: []byte(cfg.Backends.CallbackSecret), PublicURL: base, PostalStepDelay: 20 * time.Second,
		PaymentCallbackURL: cfg.PublicURL() + "/api/v1/payments/callback", PostalCallbackURL: cfg.PublicURL() + "/api/v1/post/callback",
		Logger: log.With("component", "sim"),
	})
	srv := &http.Server{Handler: s.Handler(), ReadHeaderTimeout: 10 * time.Second}
	go func() { _ = srv.Serve(httpLn) }()
	go func() { _ = s.ServeSMTP(smtpLn) }()
	b := &cfg.Backends
	if b.URLs == nil {
		b.URLs = map[string]string{}
	}
	for _, backend := range motcua.Backends {
		if b.URLs[backend.Name] == "" {
			b.URLs[backend.Name] = base
		}
	}
	if b.SMTPAddr == "" {
		b.SMTPAddr = smtpLn.Addr().String()
	}
	stop := func() {
		_ = srv.Close()
		_ = s.Close()
		_ = smtpLn.Close()
	}
	return s, base, stop, nil
}

func printBanner(cfg *config.Config, httpAddr, temporalAddr, simURL, dialect string, took time.Duration) {
	base := "http://" + httpAddr
	fmt.Printf(`motcua dev is running (started in %s)
  portal         %s/   (find a procedure, look a case up)
  API            %s/api/v1   (OpenAPI: %s/api/v1/openapi.json)
  health         %s/healthz  %s/readyz
  Temporal       %s  namespace %q  (temporal workflow list --address %s)
  agency sim     %s  (registries, payment gateway, post, SMS; e-mail at %s/dev/mailbox)
  read model     %s
  data           %s

Get a token (dev mode only):
  curl -s -X POST %s/api/v1/dev/login -d '{"role":"citizen","subject":"079201001234"}'
  curl -s -X POST %s/api/v1/dev/login -d '{"role":"officer","subject":"canbo1","agency":"SKHDT","roles":["receiver","reviewer","approver","cashier","head"]}'
Press Ctrl+C to stop.
`, took.Round(time.Millisecond), base, base, base, base, base, temporalAddr, cfg.Temporal.Namespace, temporalAddr, simURL, base, dialect, cfg.DataDir, base, base)
}
