package api

import (
	"net/http"
	"strconv"
	"time"

	"github.com/gin-gonic/gin"
	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/promhttp"
)

// httpMetrics are the request series: a count and a latency histogram by method,
// route and status. Every label comes from a fixed set, because a label value is a
// series held in memory for ever and anyone may send a request: the route is gin's
// pattern (/api/v1/carers/:id) or "unmatched", never the raw path; the method is one
// of HTTP's or "other"; the status a real one or "other".
type httpMetrics struct {
	requests *prometheus.CounterVec
	latency  *prometheus.HistogramVec
	// rateLimited counts requests refused with 429, by who was limited: "subject"
	// (a valid token) or "address" (no token, or a bad one).
	rateLimited *prometheus.CounterVec
	// auditFailures counts audit rows that could not be written, by action family.
	auditFailures prometheus.Counter
}

// knownMethods are the methods that may be a label; any other is "other".
var knownMethods = map[string]bool{http.MethodGet: true, http.MethodHead: true, http.MethodPost: true,
	http.MethodPut: true, http.MethodPatch: true, http.MethodDelete: true, http.MethodOptions: true}

// methodLabel bounds the method label.
func methodLabel(m string) string {
	if knownMethods[m] {
		return m
	}
	return "other"
}

// routeLabel is the route pattern, or "unmatched" when no route matched.
func routeLabel(c *gin.Context) string {
	if r := c.FullPath(); r != "" {
		return r
	}
	return "unmatched"
}

// statusLabel bounds the status label to the codes HTTP defines (100–599).
func statusLabel(code int) string {
	if code < 100 || code > 599 {
		return "other"
	}
	return strconv.Itoa(code)
}

func newHTTPMetrics(reg prometheus.Registerer) *httpMetrics {
	m := &httpMetrics{
		requests: prometheus.NewCounterVec(prometheus.CounterOpts{Name: "placematch_http_requests_total",
			Help: "HTTP requests by method, route and status."}, []string{"method", "route", "status"}),
		latency: prometheus.NewHistogramVec(prometheus.HistogramOpts{Name: "placematch_http_request_duration_seconds",
			Help:    "HTTP request latency by method, route and status.",
			Buckets: []float64{0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5}},
			[]string{"method", "route", "status"}),
	}
	m.rateLimited = register(reg, prometheus.NewCounterVec(prometheus.CounterOpts{Name: "placematch_http_rate_limited_total",
		Help: "Requests refused with 429, by who was limited: subject (a valid token) or address."}, []string{"by"}))
	m.auditFailures = register(reg, prometheus.NewCounter(prometheus.CounterOpts{Name: "placematch_audit_write_failures_total",
		Help: "Audit rows that could not be written (the audit store failed)."}))
	m.requests = register(reg, m.requests)
	m.latency = register(reg, m.latency)
	return m
}

// register adds c to reg, or returns the collector already registered under its
// name, so that building the router twice on one registry shares the series.
func register[C prometheus.Collector](reg prometheus.Registerer, c C) C {
	if err := reg.Register(c); err != nil {
		if are, ok := err.(prometheus.AlreadyRegisteredError); ok {
			if existing, ok := are.ExistingCollector.(C); ok {
				return existing
			}
		}
		panic(err)
	}
	return c
}

func (m *httpMetrics) middleware() gin.HandlerFunc {
	return func(c *gin.Context) {
		start := time.Now()
		c.Next()
		method, route, status := methodLabel(c.Request.Method), routeLabel(c), statusLabel(c.Writer.Status())
		m.requests.WithLabelValues(method, route, status).Inc()
		m.latency.WithLabelValues(method, route, status).Observe(time.Since(start).Seconds())
	}
}

// metricsHandler serves the registry in the Prometheus text format.
func metricsHandler(reg *prometheus.Registry) gin.HandlerFunc {
	h := promhttp.HandlerFor(reg, promhttp.HandlerOpts{})
	return func(c *gin.Context) { h.ServeHTTP(c.Writer, c.Request) }
}
