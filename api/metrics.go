package api

import (
	"net/http"
	"strconv"
	"time"

	"github.com/gin-gonic/gin"
	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
	"github.com/prometheus/client_golang/prometheus/promhttp"

	"github.com/motcua/motcua"
)

// metrics are what an operator watches: traffic and latency per route, and
// what cases are asked to do and how that ends.
type metrics struct {
	registry    *prometheus.Registry
	requests    *prometheus.CounterVec
	duration    *prometheus.HistogramVec
	actions     *prometheus.CounterVec
	submissions *prometheus.CounterVec
}

// newMetrics registers the API's metrics on reg (a registry of its own,
// with the Go runtime's and the process's, when nil).
func newMetrics(reg *prometheus.Registry) *metrics {
	own := reg == nil
	if own {
		reg = prometheus.NewRegistry()
	}
	m := &metrics{
		registry: reg,
		requests: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "motcua_http_requests_total", Help: "HTTP requests by route and status.",
		}, []string{"method", "route", "status"}),
		duration: prometheus.NewHistogramVec(prometheus.HistogramOpts{
			Name: "motcua_http_request_duration_seconds", Help: "HTTP request latency by route.", Buckets: prometheus.DefBuckets,
		}, []string{"method", "route"}),
		actions: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "motcua_case_actions_total", Help: "Actions requested on cases, by outcome (ok or an error code).",
		}, []string{"action", "outcome"}),
		submissions: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "motcua_cases_submitted_total", Help: "New cases by channel and procedure.",
		}, []string{"channel", "procedure"}),
	}
	m.registry.MustRegister(m.requests, m.duration, m.actions, m.submissions)
	if own {
		m.registry.MustRegister(collectors.NewGoCollector(), collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}))
	}
	return m
}

// observe records one request.
func (m *metrics) observe(c *gin.Context, took time.Duration) {
	route := c.FullPath()
	if route == "" {
		route = "unmatched"
	}
	m.requests.WithLabelValues(c.Request.Method, route, strconv.Itoa(c.Writer.Status())).Inc()
	m.duration.WithLabelValues(c.Request.Method, route).Observe(took.Seconds())
}

// action records how a requested action ended.
func (m *metrics) action(a motcua.Action, err error) {
	outcome := "ok"
	if err != nil {
		outcome = motcua.ErrorCode(err)
	}
	m.actions.WithLabelValues(string(a), outcome).Inc()
}

func (m *metrics) handler() http.Handler {
	return promhttp.HandlerFor(m.registry, promhttp.HandlerOpts{})
}
