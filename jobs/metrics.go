package jobs

import (
	"time"

	"github.com/prometheus/client_golang/prometheus"
)

// Metrics are the job series exported at /metrics.
type Metrics struct {
	runs        *prometheus.CounterVec
	duration    *prometheus.HistogramVec
	rows        *prometheus.CounterVec
	lastSuccess *prometheus.GaugeVec
}

// NewMetrics registers the job series with reg.
func NewMetrics(reg prometheus.Registerer) *Metrics {
	m := &Metrics{
		runs: prometheus.NewCounterVec(prometheus.CounterOpts{Name: "placematch_job_runs_total",
			Help: "Job runs by job and outcome (succeeded, failed, skipped: another run held the job)."},
			[]string{"job", "outcome"}),
		duration: prometheus.NewHistogramVec(prometheus.HistogramOpts{Name: "placematch_job_run_duration_seconds",
			Help:    "How long job runs took, by job and outcome.",
			Buckets: []float64{0.01, 0.05, 0.25, 1, 5, 15, 60, 300, 900, 3600}}, []string{"job", "outcome"}),
		rows: prometheus.NewCounterVec(prometheus.CounterOpts{Name: "placematch_job_rows_total",
			Help: "Feed rows applied or rejected by job runs."}, []string{"job", "result"}),
		lastSuccess: prometheus.NewGaugeVec(prometheus.GaugeOpts{Name: "placematch_job_last_success_timestamp_seconds",
			Help: "When each job last succeeded (Unix time); alert when it falls behind."}, []string{"job"}),
	}
	reg.MustRegister(m.runs, m.duration, m.rows, m.lastSuccess)
	return m
}

// declare makes a job's series exist at zero before its first run, so dashboards and
// alerts see them from the start.
func (m *Metrics) declare(job string) {
	if m == nil {
		return
	}
	for _, o := range []string{"succeeded", "failed", "skipped"} {
		m.runs.WithLabelValues(job, o)
	}
	m.rows.WithLabelValues(job, "applied")
	m.rows.WithLabelValues(job, "rejected")
}

func (m *Metrics) skipped(job string) {
	if m != nil {
		m.runs.WithLabelValues(job, "skipped").Inc()
	}
}

func (m *Metrics) observe(job, outcome string, took time.Duration, counts map[string]int, finished time.Time) {
	if m == nil {
		return
	}
	m.runs.WithLabelValues(job, outcome).Inc()
	m.duration.WithLabelValues(job, outcome).Observe(took.Seconds())
	m.rows.WithLabelValues(job, "applied").Add(float64(counts["rows_applied"]))
	m.rows.WithLabelValues(job, "rejected").Add(float64(counts["rows_rejected"]))
	if outcome == "succeeded" {
		m.lastSuccess.WithLabelValues(job).Set(float64(finished.Unix()))
	}
}
