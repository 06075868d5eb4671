// Package system builds a running motcua from its configuration: the read
// model, catalogue, calendar, secrets, signing key, Temporal client, worker,
// API handler and, in dev, the embedded Temporal server and the simulated
// agency back-ends. `motcua dev`, `motcua api`, `motcua worker` and the
// end-to-end tests all start through Start, so the tests run the wiring
// production runs.
package system

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"os"
	"sync/atomic"
	"time"

	"go.temporal.io/sdk/client"
	sdkworker "go.temporal.io/sdk/worker"

	"github.com/prometheus/client_golang/prometheus"

	"github.com/motcua/motcua"
	"github.com/motcua/motcua/api"
	"github.com/motcua/motcua/calendar"
	"github.com/motcua/motcua/config"
	"github.com/motcua/motcua/devserver"
	"github.com/motcua/motcua/documents"
	"github.com/motcua/motcua/procedures"
	"github.com/motcua/motcua/sim"
	"github.com/motcua/motcua/store"
	"github.com/motcua/motcua/workflows"
)

// Role is which parts a process runs.
type Role int

const (
	// Dev runs everything in one process: the embedded Temporal server,
	// the simulated agency back-ends, the worker and the API with dev
	// sign-in, keeping its state in the data directory.
	Dev Role = iota
	// API serves HTTP against a Temporal cluster and a migrated PostgreSQL.
	API
	// Worker runs the case workflows and activities against a Temporal
	// cluster and a migrated PostgreSQL.
	Worker
)

// Overrides are what tests change beyond the configuration; the zero value
// is what the commands run.
type Overrides struct {
	// DB is an open, migrated read model used instead of the configured
	// one; the caller closes it.
	DB *store.DB
	// Temporal, in Dev, is the frontend of a running Temporal server to
	// use instead of starting the embedded one.
	Temporal string
	// Deadline replaces the calendar's deadline arithmetic (the history
	// recorder compresses working days to seconds).
	Deadline func(context.Context, workflows.DeadlineRequest) (workflows.Deadline, error)
	// ManualPost: the simulated post moves shipments only when asked,
	// instead of every 20 seconds.
	ManualPost bool
	// Logger replaces the one the configuration describes (its lines
	// about a case still get the case code).
	Logger *slog.Logger
	// BackendHTTP replaces the client of the agency back-ends.
	BackendHTTP *http.Client
	// Now replaces the API's clock.
	Now motcua.Clock
	// FilingClock replaces the day submissions are routed on (competence
	// by date; Now by default).
	FilingClock motcua.Clock
}

// System is a started motcua. Its fields are the running parts; Config is
// the effective configuration (addresses with the ports actually bound).
type System struct {
	Role     Role
	Config   *config.Config
	Log      *slog.Logger
	DB       *store.DB
	Catalog  *procedures.Catalog
	Calendar *calendar.Calendar
	// Secrets derives case look-up secrets from auth.secret.
	Secrets  motcua.CaseSecrets
	Signer   *documents.Signer
	Temporal client.Client
	// Worker polls the task queue (Dev and Worker).
	Worker sdkworker.Worker
	// Handler is the API and the web pages (Dev and API); URL is where
	// they are served.
	Handler http.Handler
	URL     string
	// Sim are the simulated agency back-ends (Dev): SimURL their HTTP
	// base, SimSMTP their mail sink.
	Sim     *sim.Sim
	SimURL  string
	SimSMTP string
	// Metrics is the process's Prometheus registry (metrics.go).
	Metrics *prometheus.Registry
	// TemporalUI is the Temporal Web UI's address (Dev with the embedded
	// server and temporal.ui_addr set), else "".
	TemporalUI string

	stops  []func() error // in start order; Stop runs them backwards
	served chan error     // the API server's end
	// resynced is set once no record can be ahead of its case: the
	// start-up pass finished, or the last stop was clean (hardening.go).
	resynced atomic.Bool
}

// Start builds and starts every part role needs, listening on every address
// before it writes anything: a start that fails leaves no file it created
// behind and names the setting that moves a taken address.
func Start(ctx context.Context, role Role, cfg *config.Config, o Overrides) (_ *System, err error) {
	c := *cfg
	if err := c.Validate(); err != nil {
		return nil, err
	}
	if role != Dev {
		if err := c.Production(); err != nil {
			return nil, err
		}
	}
	if role == API && (c.Auth.JWKSURL == "" || c.Auth.Issuer == "") {
		return nil, fmt.Errorf("config auth.issuer and auth.jwks_url: required to verify sign-in tokens")
	}
	if c.Procedures.FilingDay != "" && o.FilingClock == nil {
		o.FilingClock = filingDayClock(c.Procedures.FilingDay)
	}
	s := &System{Role: role, Config: &c, Log: newLogger(&c, role, os.Stderr), Metrics: newRegistry(), served: make(chan error, 1)}
	if o.Logger != nil {
		s.Log = withCaseCodes(o.Logger)
	}
	var left *leftovers // what a failed dev start removes
	defer func() {
		if err != nil {
			_ = s.Stop()
			left.remove()
		}
	}()
	if s.Catalog, err = LoadCatalog(&c); err != nil {
		return nil, err
	}
	if s.Calendar, err = LoadCalendar(&c); err != nil {
		return nil, err
	}
	if role == Worker {
		if err = checkBackends(&c, s.Catalog, s.Log); err != nil {
			return nil, err
		}
	}

	// Every address first.
	var apiLn, simLn, smtpLn, metricsLn net.Listener
	if role == Worker && c.Metrics.Addr != "" {
		if metricsLn, err = listen("metrics", c.Metrics.Addr, "metrics.addr"); err != nil {
			return nil, err
		}
		s.onStop(metricsLn.Close)
	}
	if role != Worker {
		if apiLn, err = listen("API and web pages", c.HTTP.Addr, "http.addr"); err != nil {
			return nil, err
		}
		s.onStop(apiLn.Close)
		c.HTTP.Addr = apiLn.Addr().String()
		s.URL = "http://" + c.HTTP.Addr
	}
	embedded := role == Dev && o.Temporal == ""
	if role == Dev {
		if simLn, err = listen("agency simulator", c.Sim.Addr, "sim.addr"); err != nil {
			return nil, err
		}
		s.onStop(simLn.Close)
		if smtpLn, err = listen("agency simulator's mail sink", c.Sim.SMTPAddr, "sim.smtp_addr"); err != nil {
			return nil, err
		}
		s.onStop(smtpLn.Close)
		c.Sim.Addr, c.Sim.SMTPAddr = simLn.Addr().String(), smtpLn.Addr().String()
		s.SimURL, s.SimSMTP = "http://"+c.Sim.Addr, c.Sim.SMTPAddr
		if embedded {
			if err = probe("embedded Temporal server", c.Temporal.Address, "temporal.address"); err != nil {
				return nil, err
			}
			if c.Temporal.UIAddr != "" {
				if err = probe("Temporal Web UI", c.Temporal.UIAddr, "temporal.ui_addr"); err != nil {
					return nil, err
				}
			}
		}
	}

	// Then the files: a dev start creates its data directory and keys.
	if role == Dev {
		if left, err = claimDataDir(c.DataDir); err != nil {
			return nil, err
		}
	}
	var secret []byte
	if secret, err = authSecret(&c, role == Dev); err != nil {
		return nil, err
	}
	s.Secrets = motcua.CaseSecrets{Key: secret}
	if s.Signer, err = signer(&c, role == Dev, left); err != nil {
		return nil, err
	}
	if role == Dev {
		s.startSim(simLn, smtpLn, secret, o.ManualPost)
	}
	// The SDK's cache of workflow states is one per process, sized when
	// the first worker starts — and the embedded server starts its own
	// workers first: set the size before it, or it stays the SDK's
	// default of 10,000 cases (bench --open: memory grew with every case).
	sdkworker.SetStickyWorkflowCacheSize(c.Temporal.WorkflowCacheSize)
	switch {
	case embedded:
		ts, err := devserver.Start(ctx, devserver.Options{
			DatabaseFile: c.Path("temporal.db"), FrontendAddr: c.Temporal.Address,
			Namespaces: []string{c.Temporal.Namespace}, LogFile: c.Path("temporal.log"),
			SearchAttributes: workflows.SearchAttributes(), UIAddr: c.Temporal.UIAddr,
		})
		if err != nil {
			return nil, err
		}
		s.onStop(ts.Stop)
		c.Temporal.Address, s.TemporalUI = ts.Addr(), ts.UIURL()
	case o.Temporal != "":
		c.Temporal.Address = o.Temporal
	}

	if err = s.openStore(ctx, o.DB); err != nil {
		return nil, err
	}
	if role != Worker {
		if err = syncCatalog(ctx, s.DB, s.Catalog); err != nil {
			return nil, err
		}
	}
	sdkHandler, closeSDK := sdkMetrics(s.Metrics)
	s.onStop(closeSDK)
	if s.Temporal, err = dialTemporal(&c, s.Log, sdkHandler); err != nil {
		return nil, err
	}
	s.onStop(func() error { s.Temporal.Close(); return nil })
	if !embedded {
		if err = checkSearchAttributes(ctx, s.Temporal, c.Temporal.Namespace); err != nil {
			return nil, err
		}
	}
	if role != API {
		mark := ""
		if embedded {
			mark = c.Path(cleanStopFile)
		}
		clean := lastStopClean(mark) // read before any workflow task can run
		s.Worker = newWorker(s, o)
		if err = s.Worker.Start(); err != nil {
			return nil, fmt.Errorf("start worker: %w", err)
		}
		if mark != "" {
			s.onStop(func() error { return s.markCleanStop(mark) }) // runs once the worker has stopped
		}
		s.onStop(func() error { s.Worker.Stop(); return nil }) // drains running activities and workflow tasks
		s.resyncRecords(clean)
		if c.Reports.Schedule {
			if err = KeepReportSchedules(ctx, s.Temporal, c.Temporal.TaskQueue); err != nil {
				return nil, err
			}
		}
	}
	if metricsLn != nil {
		s.serveMetrics(metricsLn, s.Metrics)
	}
	if role != Worker {
		s.Metrics.MustRegister(newOpenCases(s.DB))
		s.Handler = newHandler(s, o)
		s.serve(apiLn)
		s.reconcile()
	}
	return s, nil
}

// Wait blocks until ctx ends (nil) or the API server fails (its error).
func (s *System) Wait(ctx context.Context) error {
	select {
	case err := <-s.served:
		return err
	case <-ctx.Done():
		return nil
	}
}

// Stop stops every part in reverse order, the API first, letting requests
// in flight finish within http.shutdown_timeout.
func (s *System) Stop() error {
	var errs []error
	for i := len(s.stops) - 1; i >= 0; i-- {
		if err := s.stops[i](); err != nil && !errors.Is(err, net.ErrClosed) {
			errs = append(errs, err)
		}
	}
	s.stops = nil
	return errors.Join(errs...)
}

func (s *System) onStop(f func() error) { s.stops = append(s.stops, f) }

// openStore uses db, or opens the configured read model: a dev start
// migrates it, a production process needs it migrated already.
func (s *System) openStore(ctx context.Context, db *store.DB) error {
	if db == nil {
		var err error
		if db, err = OpenStore(ctx, s.Config); err != nil {
			return err
		}
		s.onStop(db.Close)
	}
	s.DB = db
	db.SetCalendar(s.Calendar)
	if s.Role == Dev {
		return db.MigrateUp(ctx)
	}
	pending, err := db.PendingMigrations(ctx)
	if err != nil {
		return err
	}
	if pending > 0 {
		return fmt.Errorf("the database has %d pending migrations: run `motcua migrate up` first", pending)
	}
	return nil
}

// startSim serves the simulated agency back-ends on the listeners. Its
// callbacks go to the API, signed with backends.callback_secret, derived
// from auth.secret when that is empty.
func (s *System) startSim(httpLn, smtpLn net.Listener, secret []byte, manualPost bool) {
	c := s.Config
	if c.Backends.CallbackSecret == "" {
		c.Backends.CallbackSecret = devCallbackSecret(secret)
	}
	step := 20 * time.Second
	if manualPost {
		step = 0
	}
	s.Sim = sim.New(sim.Options{
		PaymentSecret: []byte(c.Backends.CallbackSecret), PublicURL: s.SimURL, PostalStepDelay: step,
		PaymentCallbackURL: c.PublicURL() + "/api/v1/payments/callback", PostalCallbackURL: c.PublicURL() + "/api/v1/post/callback",
		StateFile: c.Path("sim-state.json"), Logger: s.Log.With("component", "sim"),
	})
	srv := &http.Server{Handler: s.Sim.Handler(), ReadHeaderTimeout: 10 * time.Second}
	go func() { _ = srv.Serve(httpLn) }()
	go func() { _ = s.Sim.ServeSMTP(smtpLn) }()
	s.onStop(func() error { _ = srv.Close(); return s.Sim.Close() })
}

// serve serves the API on ln until Stop.
func (s *System) serve(ln net.Listener) {
	srv := &http.Server{Handler: s.Handler, ReadHeaderTimeout: 10 * time.Second}
	go func() {
		if err := srv.Serve(api.Listener(ln)); !errors.Is(err, http.ErrServerClosed) {
			s.served <- err
		}
	}()
	s.onStop(func() error {
		ctx, cancel := context.WithTimeout(context.Background(), s.Config.HTTP.ShutdownTimeout)
		defer cancel()
		return srv.Shutdown(ctx)
	})
}

// filingDayClock is procedures.filing_day (validated) at the present time
// of day in Viet Nam.
func filingDayClock(day string) motcua.Clock {
	ict := time.FixedZone("ICT", 7*3600)
	d, _ := time.ParseInLocation(time.DateOnly, day, ict)
	return func() time.Time {
		now := time.Now().In(ict)
		return time.Date(d.Year(), d.Month(), d.Day(), now.Hour(), now.Minute(), now.Second(), now.Nanosecond(), ict)
	}
}
