package main

import (
	"slices"
	"time"
)

// Summary is the latency distribution of a run.
type Summary struct {
	N                  int
	P50, P90, P99, Max time.Duration
}

// Summarise sorts a copy of lat and takes its percentiles by nearest rank: the
// p-th percentile is the smallest latency at or above which lies no more than
// (100−p)% of the requests, i.e. the ⌈p/100·N⌉-th smallest. An empty run is all
// zeros.
func Summarise(lat []time.Duration) Summary {
	s := Summary{N: len(lat)}
	if len(lat) == 0 {
		return s
	}
	sorted := slices.Clone(lat)
	slices.Sort(sorted)
	s.P50, s.P90, s.P99 = Percentile(sorted, 50), Percentile(sorted, 90), Percentile(sorted, 99)
	s.Max = sorted[len(sorted)-1]
	return s
}

// Percentile is the nearest-rank p-th percentile (0 < p ≤ 100) of sorted, which
// must be sorted ascending and not empty.
func Percentile(sorted []time.Duration, p float64) time.Duration {
	// The rank is computed in integer hundredths to keep 0.99·100 from rounding up.
	rank := (int(p*100)*len(sorted) + 9999) / 10000
	return sorted[min(max(rank, 1), len(sorted))-1]
}
