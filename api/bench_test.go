package api_test

import (
	"fmt"
	"io"
	"math/rand/v2"
	"net/http"
	"net/http/httptest"
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

// seedProviders stores n providers across Great Britain: about 70% carers, 25%
// units, 5% hubs, with mixed statuses, ages, skills and vacancies from a fixed seed.
func seedProviders(b *testing.B, db *store.DB, n int) {
	pts := benchOutcodes(b)
	r := rand.New(rand.NewPCG(10, 23))
	skills := placematch.Needs
	for i := range n {
		ref := fmt.Sprintf("B%06d", i)
		at := pts[r.IntN(len(pts))]
		at.Lat += (r.Float64() - 0.5) * 0.04
		at.Lon += (r.Float64() - 0.5) * 0.06
		var p *placematch.Provider
		switch x := r.IntN(100); {
		case x < 70:
			p = storetest.Carer(ref, func(p *placematch.Provider) {
				p.AgeMin, p.AgeMax = r.IntN(6), 10+r.IntN(8)
				p.Carer.MaxChildren = 1 + r.IntN(3)
				p.Carer.Skills = []string{skills[r.IntN(len(skills))], skills[r.IntN(len(skills))], "trauma"}
				if r.IntN(10) == 0 {
					p.Carer.Status = placematch.CarerOnHold
				}
			})
		case x < 95:
			p = storetest.Unit(ref, func(p *placematch.Provider) { p.Unit.Beds = 1 + r.IntN(6) })
		default:
			p = storetest.Hub(ref)
		}
		p.Location = at
		if r.IntN(6) == 0 {
			p.Availability.Status = placematch.Unavailable
		}
		if err := db.CreateProvider(ctx, p); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkMatchEndpoint is GET /api/v1/children/{id}/matches through the real
// router and a real store holding 10,000 providers across Great Britain, on each
// engine: decode, load the child and siblings, refresh the candidate cache (one
// indexed query that returns no rows when nothing changed), rank, encode, store the
// match run, and write the audit row; the token is verified on every request.
func BenchmarkMatchEndpoint(b *testing.B) {
	for _, d := range storetest.Dialects() {
		b.Run(d, func(b *testing.B) {
			db := storetest.Open(b, d)
			seedProviders(b, db, 10_000)
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
			for _, q := range []string{"include_excluded=false", "include_excluded=true", "max_distance_km=40"} {
				b.Run(q, func(b *testing.B) {
					url := srv.URL + "/api/v1/children/" + child.ID + "/matches?" + q
					get := func() {
						req, _ := http.NewRequest("GET", url, nil)
						req.Header.Set("Authorization", "Bearer "+token)
						res, err := http.DefaultClient.Do(req)
						if err != nil {
							b.Fatal(err)
						}
						n, _ := io.Copy(io.Discard, res.Body)
						res.Body.Close()
						if res.StatusCode != 200 {
							b.Fatalf("status %d", res.StatusCode)
						}
						b.SetBytes(n)
					}
					get() // the first request fills the candidate cache
					for b.Loop() {
						get()
					}
				})
			}
		})
	}
}
