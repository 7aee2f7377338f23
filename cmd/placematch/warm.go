package main

import (
	"context"
	"fmt"
	"log/slog"
	"time"

	"github.com/prometheus/client_golang/prometheus"

	"placematch/placing"
)

// warmIndex builds the candidate index before the server listens, so that the
// first search does not wait for every provider to be read and prepared, and logs
// how long that took. /metrics shows the providers the index holds
// (placematch_candidate_index_providers, 0 until it is built), how long the
// build at start took (placematch_candidate_index_build_seconds), and the searches
// waiting for a turn (placematch_searches_waiting).
func warmIndex(ctx context.Context, uses *placing.Service, reg *prometheus.Registry) error {
	began := time.Now()
	ix, err := uses.Warm(ctx)
	if err != nil {
		return fmt.Errorf("candidate index: %w", err)
	}
	took := time.Since(began)
	slog.InfoContext(ctx, "candidate index built", "providers", ix.Providers, "took_ms", took.Milliseconds())
	built := prometheus.NewGauge(prometheus.GaugeOpts{Name: "placematch_candidate_index_build_seconds",
		Help: "How long building the candidate index took when the service started."})
	built.Set(took.Seconds())
	reg.MustRegister(built, prometheus.NewGaugeFunc(prometheus.GaugeOpts{Name: "placematch_candidate_index_providers",
		Help: "Live providers the candidate index holds prepared for ranking (0 until it is built)."},
		func() float64 { return float64(uses.Index().Providers) }),
		prometheus.NewGaugeFunc(prometheus.GaugeOpts{Name: "placematch_searches_waiting",
			Help: "Searches waiting for a turn (PLACEMATCH_SEARCH_CONCURRENCY run at once)."},
			func() float64 { return float64(uses.SearchesWaiting()) }),
		prometheus.NewGaugeFunc(prometheus.GaugeOpts{Name: "placematch_searches_writing",
			Help: "Searches writing their runs, their turns given back (PLACEMATCH_SEARCH_QUEUE does not count them)."},
			func() float64 { return float64(uses.SearchesWriting()) }),
		prometheus.NewCounterFunc(prometheus.CounterOpts{Name: "placematch_searches_refused_total",
			Help: "Searches refused with 503 because PLACEMATCH_SEARCH_QUEUE were waiting already."},
			func() float64 { return float64(uses.SearchesRefused()) }))
	return nil
}
