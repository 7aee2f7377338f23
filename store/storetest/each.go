package storetest

import (
	"testing"

	"placematch"
	"placematch/store"
)

// Each runs fn on a fresh migrated store of every dialect, in parallel subtests.
func Each(t *testing.T, fn func(t *testing.T, db *store.DB)) {
	t.Helper()
	for _, d := range Dialects() {
		t.Run(d, func(t *testing.T) {
			t.Parallel()
			fn(t, Open(t, d))
		})
	}
}

// OutcodeCentroids reads Great Britain's outcode centroids from the shared public
// data, read where it lies (path is relative to the test's package folder), so that
// benchmarks spread homes and providers the way people live. A missing file fails.
func OutcodeCentroids(tb testing.TB, path string) []placematch.Point {
	tb.Helper()
	pts, err := ReadOutcodeCentroids(path)
	if err != nil {
		tb.Fatalf("benchmark data missing or unreadable: %v", err)
	}
	return pts
}
