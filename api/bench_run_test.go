package api_test

import (
	"fmt"
	"io"
	"math/rand/v2"
	"net/http"
	"net/http/httptest"
	"runtime"
	"testing"
	"time"

	"placematch"
	"placematch/api"
	"placematch/auth"
	"placematch/demo"
	"placematch/placing"
	"placematch/store"
	"placematch/store/storetest"
)

// BenchmarkRunVsRecord puts a search (GET /children/{id}/matches, the default
// include_excluded=false) beside the same server's audited read of the child's
// record (GET /children/{id}), through the real router, token check and store, on
// each engine, with the demo and with 10,000 providers, at 1 and 20 concurrent
// clients. Each reports req/s: a search should cost little more than the read.
func BenchmarkRunVsRecord(b *testing.B) {
	for _, d := range storetest.Dialects() {
		for _, data := range []string{"demo", "10k"} {
			b.Run(d+"/"+data, func(b *testing.B) {
				db := storetest.Open(b, d)
				switch data {
				case "demo":
					if _, err := demo.Seed(ctx, db, 1, storetest.Clock); err != nil {
						b.Fatal(err)
					}
				default:
					benchRunProviders(b, db, 10_000)
				}
				child := storetest.Child("BENCH")
				if err := db.CreateChild(ctx, child); err != nil {
					b.Fatal(err)
				}
				keys := &auth.HMAC{Secret: []byte("bench-secret-bench-secret-bench-secret"), Issuer: "placematch",
					Audience: "placematch-api", Now: func() time.Time { return storetest.Clock }}
				token, err := keys.Mint(auth.Principal{Subject: "officer-bench", Role: auth.PlacementOfficer}, time.Hour)
				if err != nil {
					b.Fatal(err)
				}
				s := &api.Server{Store: db, OpenAPI: placematch.OpenAPI,
					Placing: &placing.Service{Store: db, Now: func() time.Time { return storetest.Clock }}, Verifier: keys}
				srv := httptest.NewServer(s.Handler())
				defer srv.Close()
				client := &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: 64}}
				defer client.CloseIdleConnections()
				for _, ep := range []struct{ name, path string }{
					{"match", "/api/v1/children/" + child.ID + "/matches"},
					{"child", "/api/v1/children/" + child.ID},
				} {
					get := func(b *testing.B) {
						req, _ := http.NewRequest("GET", srv.URL+ep.path, nil)
						req.Header.Set("Authorization", "Bearer "+token)
						res, err := client.Do(req)
						if err != nil {
							b.Error(err)
							return
						}
						_, _ = io.Copy(io.Discard, res.Body)
						res.Body.Close()
						if res.StatusCode != 200 {
							b.Errorf("%s: status %d", ep.path, res.StatusCode)
						}
					}
					get(b) // the first search fills the candidate index
					for _, clients := range []int{1, 20} {
						b.Run(fmt.Sprintf("%s/clients=%d", ep.name, clients), func(b *testing.B) {
							start := time.Now()
							if clients == 1 {
								for b.Loop() {
									get(b)
								}
							} else {
								procs := runtime.GOMAXPROCS(0) // RunParallel starts parallelism × GOMAXPROCS clients
								b.SetParallelism((clients + procs - 1) / procs)
								b.RunParallel(func(pb *testing.PB) {
									for pb.Next() {
										get(b)
									}
								})
							}
							b.ReportMetric(float64(b.N)/time.Since(start).Seconds(), "req/s")
						})
					}
				}
			})
		}
	}
}

// benchRunProviders stores n providers around Great Britain's outcodes from a fixed
// seed: mostly carers, some units and hubs, a sixth of them unavailable.
func benchRunProviders(b *testing.B, db *store.DB, n int) {
	pts := storetest.OutcodeCentroids(b, "../../shared/data/postcodes/gb_outcode_centroids.csv")
	r := rand.New(rand.NewPCG(17, 2))
	for i := range n {
		ref := fmt.Sprintf("R%06d", i)
		var p *placematch.Provider
		switch x := r.IntN(100); {
		case x < 70:
			p = storetest.Carer(ref, func(p *placematch.Provider) {
				p.AgeMin, p.AgeMax = r.IntN(6), 10+r.IntN(8)
				p.Carer.MaxChildren = 1 + r.IntN(3)
			})
		case x < 95:
			p = storetest.Unit(ref, func(p *placematch.Provider) { p.Unit.Beds = 1 + r.IntN(6) })
		default:
			p = storetest.Hub(ref)
		}
		at := pts[r.IntN(len(pts))]
		at.Lat += (r.Float64() - 0.5) * 0.04
		at.Lon += (r.Float64() - 0.5) * 0.06
		p.Location = at
		if r.IntN(6) == 0 {
			p.Availability.Status = placematch.Unavailable
		}
		if err := db.CreateProvider(ctx, p); err != nil {
			b.Fatal(err)
		}
	}
}
