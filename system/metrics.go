package system

import (
	"context"
	"errors"
	"net"
	"net/http"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
	"github.com/prometheus/client_golang/prometheus/promhttp"
	"github.com/uber-go/tally/v4"
	tallyprom "github.com/uber-go/tally/v4/prometheus"
	"go.temporal.io/sdk/client"
	sdktally "go.temporal.io/sdk/contrib/tally"

	"github.com/motcua/motcua/store"
)

// Metrics: one Prometheus registry per process. The API serves it at
// /metrics; a worker process at metrics.addr. docs/operations.md lists the
// alerts built on them.

// newRegistry is a process's registry with the Go runtime's and the
// process's metrics.
func newRegistry() *prometheus.Registry {
	reg := prometheus.NewRegistry()
	reg.MustRegister(collectors.NewGoCollector(), collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}))
	return reg
}

// sdkMetrics reports the Temporal SDK's metrics (temporal_activity_*,
// temporal_workflow_*, temporal_request_*) to reg, named as Prometheus
// expects (counters end in _total, timers in _seconds).
func sdkMetrics(reg *prometheus.Registry) (client.MetricsHandler, func() error) {
	reporter := tallyprom.NewReporter(tallyprom.Options{Registerer: reg, DefaultTimerType: tallyprom.HistogramTimerType})
	scope, closer := tally.NewRootScope(tally.ScopeOptions{
		CachedReporter: reporter, Separator: tallyprom.DefaultSeparator, SanitizeOptions: &sdktally.PrometheusSanitizeOptions,
	}, time.Second)
	return sdktally.NewMetricsHandler(sdktally.NewPrometheusNamingScope(scope)), closer.Close
}

// recordLag observes how far the read model trails the cases.
func recordLag(reg *prometheus.Registry) func(time.Duration) {
	h := prometheus.NewHistogram(prometheus.HistogramOpts{
		Name:    "motcua_read_model_lag_seconds",
		Help:    "Time from a case's transition to its record in the read model.",
		Buckets: []float64{0.01, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 300},
	})
	reg.MustRegister(h)
	return func(d time.Duration) { h.Observe(d.Seconds()) }
}

// openCases exports the read model's open cases at each scrape.
type openCases struct {
	db                      *store.DB
	open, overdue, oldestAt *prometheus.Desc
}

func newOpenCases(db *store.DB) *openCases {
	labels := []string{"agency", "status"}
	return &openCases{db: db,
		open:     prometheus.NewDesc("motcua_cases_open", "Open cases by lead agency and status (read model).", labels, nil),
		overdue:  prometheus.NewDesc("motcua_cases_overdue", "Open cases past their legal due date, by lead agency and status.", labels, nil),
		oldestAt: prometheus.NewDesc("motcua_cases_oldest_update_timestamp_seconds", "When the least recently changed open case of the agency in the status last changed (Unix time).", labels, nil),
	}
}

func (o *openCases) Describe(ch chan<- *prometheus.Desc) {
	ch <- o.open
	ch <- o.overdue
	ch <- o.oldestAt
}

func (o *openCases) Collect(ch chan<- prometheus.Metric) {
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	counts, err := o.db.OpenCaseGauges(ctx)
	if err != nil {
		ch <- prometheus.NewInvalidMetric(o.open, err)
		return
	}
	for _, c := range counts {
		ch <- prometheus.MustNewConstMetric(o.open, prometheus.GaugeValue, float64(c.Open), c.Agency, c.Status)
		ch <- prometheus.MustNewConstMetric(o.overdue, prometheus.GaugeValue, float64(c.Overdue), c.Agency, c.Status)
		ch <- prometheus.MustNewConstMetric(o.oldestAt, prometheus.GaugeValue, float64(c.OldestUpdate.Unix()), c.Agency, c.Status)
	}
}

// serveMetrics serves reg at /metrics on ln until Stop.
func (s *System) serveMetrics(ln net.Listener, reg *prometheus.Registry) {
	mux := http.NewServeMux()
	mux.Handle("/metrics", promhttp.HandlerFor(reg, promhttp.HandlerOpts{}))
	srv := &http.Server{Handler: mux, ReadHeaderTimeout: 10 * time.Second}
	go func() {
		if err := srv.Serve(ln); !errors.Is(err, http.ErrServerClosed) {
			s.Log.Error("metrics server", "err", err)
		}
	}()
	s.onStop(srv.Close)
}
