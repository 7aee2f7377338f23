package api_test

import (
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"runtime"
	"testing"
	"time"

	"placematch"
	"placematch/api"
	"placematch/auth"
	"placematch/placing"
	"placematch/store"
	"placematch/store/storetest"
)

// benchOutcodes spreads benchmark providers the way people live.
func benchOutcodes(b *testing.B) []placematch.Point {
	return storetest.OutcodeCentroids(b, "../../shared/data/postcodes/gb_outcode_centroids.csv")
}

// seedWorld stores storetest.World's n providers across Great Britain (about 70%
// carers, 25% units, 5% hubs, mixed statuses, ages, skills and vacancies, one in five
// with a child placed) with one store.BulkImport, from a fixed seed.
func seedWorld(b *testing.B, db *store.DB, n int) {
	b.Helper()
	w := storetest.NationalWorld(benchOutcodes(b), n, 0, 10)
	if err := w.Import(ctx, db); err != nil {
		b.Fatal(err)
	}
}

// benchServer is the real router on a real store behind an HTTP listener, with a
// placement officer's token verified on every request.
type benchServer struct {
	url, token string
}

func newBenchServer(b *testing.B, db *store.DB) *benchServer {
	b.Helper()
	keys := &auth.HMAC{Secret: []byte("bench-secret-bench-secret-bench-secret"), Issuer: "placematch",
		Audience: "placematch-api", Now: func() time.Time { return storetest.Clock }}
	token, err := keys.Mint(auth.Principal{Subject: "officer-bench", Role: auth.PlacementOfficer}, time.Hour)
	if err != nil {
		b.Fatal(err)
	}
	s := &api.Server{Store: db, OpenAPI: placematch.OpenAPI,
		Placing: &placing.Service{Store: db, Now: func() time.Time { return storetest.Clock }}, Verifier: keys}
	srv := httptest.NewServer(s.Handler())
	b.Cleanup(srv.Close)
	return &benchServer{url: srv.URL, token: token}
}

// get asks for path and reads the whole body; it returns the body's size, or an
// error for a transport failure or any status but 200. It is safe from several
// goroutines.
func (s *benchServer) get(client *http.Client, path string) (int64, error) {
	req, err := http.NewRequest("GET", s.url+path, nil)
	if err != nil {
		return 0, err
	}
	req.Header.Set("Authorization", "Bearer "+s.token)
	res, err := client.Do(req)
	if err != nil {
		return 0, err
	}
	n, err := io.Copy(io.Discard, res.Body)
	res.Body.Close()
	if err != nil {
		return n, err
	}
	if res.StatusCode != 200 {
		return n, fmt.Errorf("GET %s: status %d", path, res.StatusCode)
	}
	return n, nil
}

// loop is b.Loop over get, with the response's size as the bytes per operation.
func (s *benchServer) loop(b *testing.B, path string) {
	b.Helper()
	get := func() {
		n, err := s.get(http.DefaultClient, path)
		if err != nil {
			b.Fatal(err)
		}
		b.SetBytes(n)
	}
	get() // the first request fills the candidate cache
	for b.Loop() {
		get()
	}
}

// parallel is RunParallel over get with at least clients goroutines (the multiple
// of GOMAXPROCS at or above it),
// each with its own connections; it reports requests per second.
func (s *benchServer) parallel(b *testing.B, path string, clients int) {
	b.Helper()
	if _, err := s.get(http.DefaultClient, path); err != nil {
		b.Fatal(err)
	}
	procs := runtime.GOMAXPROCS(0)
	b.SetParallelism((clients + procs - 1) / procs) // RunParallel starts parallelism × GOMAXPROCS
	b.ResetTimer()
	start := time.Now()
	b.RunParallel(func(pb *testing.PB) {
		client := &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: 2}}
		defer client.CloseIdleConnections()
		for pb.Next() {
			if _, err := s.get(client, path); err != nil {
				b.Error(err)
				return
			}
		}
	})
	b.ReportMetric(float64(b.N)/time.Since(start).Seconds(), "req/s")
}

// BenchmarkMatchEndpoint is GET /api/v1/children/{id}/matches through the real
// router and a real store holding 10,000 or 100,000 providers across Great Britain
// (storetest.World, loaded with store.BulkImport), on each engine: decode, load the
// child and siblings, refresh the candidate cache (one indexed query that returns no
// rows when nothing changed), rank, encode, store the match run, and write the audit
// row; the token is verified on every request. "children" is the same server's
// audited GET /api/v1/children/{id} for the same child, the yardstick of a match's
// overhead; "parallel=20" runs both from 20 concurrent clients and reports req/s.
func BenchmarkMatchEndpoint(b *testing.B) {
	for _, d := range storetest.Dialects() {
		b.Run(d, func(b *testing.B) {
			for _, n := range []int{10_000, 100_000} {
				b.Run(fmt.Sprintf("providers=%d", n), func(b *testing.B) {
					db := storetest.Open(b, d)
					seedWorld(b, db, n)
					child := storetest.Child("BENCH")
					if err := db.CreateChild(ctx, child); err != nil {
						b.Fatal(err)
					}
					s := newBenchServer(b, db)
					matches := "/api/v1/children/" + child.ID + "/matches?"
					for _, q := range []string{"include_excluded=false", "include_excluded=true", "max_distance_km=40"} {
						b.Run(q, func(b *testing.B) { s.loop(b, matches+q) })
					}
					b.Run("children", func(b *testing.B) { s.loop(b, "/api/v1/children/"+child.ID) })
					b.Run("parallel=20", func(b *testing.B) {
						b.Run("include_excluded=false", func(b *testing.B) {
							s.parallel(b, matches+"include_excluded=false", 20)
						})
						b.Run("children", func(b *testing.B) { s.parallel(b, "/api/v1/children/"+child.ID, 20) })
					})
				})
			}
		})
	}
}
