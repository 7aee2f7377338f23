package storetest

import (
	"encoding/csv"
	"os"
	"strconv"
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
	f, err := os.Open(path)
	if err != nil {
		tb.Fatalf("benchmark data missing: %v", err)
	}
	defer f.Close()
	rows, err := csv.NewReader(f).ReadAll()
	if err != nil || len(rows) < 2 {
		tb.Fatalf("read %s: %v", path, err)
	}
	out := make([]placematch.Point, 0, len(rows)-1)
	for _, row := range rows[1:] {
		lat, err1 := strconv.ParseFloat(row[1], 64)
		lon, err2 := strconv.ParseFloat(row[2], 64)
		if err1 != nil || err2 != nil {
			tb.Fatalf("%s: bad row %v", path, row)
		}
		out = append(out, placematch.Point{Lat: lat, Lon: lon})
	}
	return out
}
