package api_test

import (
	"fmt"
	"math/rand/v2"
	"net/http"
	"testing"

	"placematch"
	"placematch/store"
	"placematch/store/storetest"
)

// BenchmarkMatchEndpointQueue is BenchmarkMatchEndpoint with a queue: 10,000
// providers and 200 other children awaiting (one in ten a wheelchair user, one in
// five with a sibling), so that a search also judges which of its matches another
// waiting child or group depends on. "steady" repeats the search with nothing
// written between; "child_written" updates one awaiting child before each search,
// so that the queue is judged afresh every time.
func BenchmarkMatchEndpointQueue(b *testing.B) {
	for _, d := range storetest.Dialects() {
		b.Run(d, func(b *testing.B) {
			db := storetest.Open(b, d)
			seedWorld(b, db, 10_000)
			seedQueue(b, db, 200)
			child := storetest.Child("BENCH")
			if err := db.CreateChild(ctx, child); err != nil {
				b.Fatal(err)
			}
			s := newBenchServer(b, db)
			path := "/api/v1/children/" + child.ID + "/matches"
			get := func() {
				if _, err := s.get(http.DefaultClient, path); err != nil {
					b.Fatal(err)
				}
			}
			other := storetest.Child("WRITTEN")
			if err := db.CreateChild(ctx, other); err != nil {
				b.Fatal(err)
			}
			b.Run("steady", func(b *testing.B) {
				get()
				for b.Loop() {
					get()
				}
			})
			b.Run("child_written", func(b *testing.B) {
				n := 0
				for b.Loop() {
					n++
					c, err := db.UpdateChild(ctx, other.ID, 0, func(c *placematch.Child) error {
						c.Languages = [][]string{{"english"}, {"english", "polish"}}[n%2]
						return nil
					})
					if err != nil {
						b.Fatal(err)
					}
					other = c
					get()
				}
			})
		})
	}
}

// seedQueue stores n children awaiting across Norfolk from a fixed seed.
func seedQueue(b *testing.B, db *store.DB, n int) {
	r := rand.New(rand.NewPCG(7, 13))
	for i := 0; i < n; i++ {
		c := storetest.Child(fmt.Sprintf("Q%04d", i), func(c *placematch.Child) {
			c.DateOfBirth = placematch.DateOf(storetest.Clock).AddDays(-365 * (1 + r.IntN(16)))
			c.WheelchairUser = r.IntN(10) == 0
			home := placematch.Point{Lat: storetest.Norwich.Lat + (r.Float64()-0.5)*0.6, Lon: storetest.Norwich.Lon + (r.Float64()-0.5)*1.2}
			c.Location = &home
		})
		if err := db.CreateChild(ctx, c); err != nil {
			b.Fatal(err)
		}
		if r.IntN(5) == 0 && i+1 < n {
			i++
			s := storetest.Child(fmt.Sprintf("Q%04d", i), func(s *placematch.Child) {
				s.Location, s.Siblings = c.Location, []string{c.ID}
			})
			if err := db.CreateChild(ctx, s); err != nil {
				b.Fatal(err)
			}
		}
	}
}

// BenchmarkMatchEndpointQueueNational is the load run's search in process: 100,000
// providers and 1,000 children awaiting across Great Britain
// (storetest.NationalWorld), each search for a different child of the queue with
// include_excluded=false, one client, nothing written between searches.
func BenchmarkMatchEndpointQueueNational(b *testing.B) {
	for _, d := range storetest.Dialects() {
		b.Run(d, func(b *testing.B) {
			db := storetest.Open(b, d)
			w := storetest.NationalWorld(benchOutcodes(b), 100_000, 1000, 10)
			if err := w.Import(ctx, db); err != nil {
				b.Fatal(err)
			}
			s := newBenchServer(b, db)
			paths := make([]string, len(w.Awaiting))
			for i, c := range w.Awaiting {
				paths[i] = "/api/v1/children/" + w.Children[c].ID + "/matches?include_excluded=false"
			}
			if _, err := s.get(http.DefaultClient, paths[0]); err != nil { // builds the index
				b.Fatal(err)
			}
			n := 0
			for b.Loop() {
				n++
				if _, err := s.get(http.DefaultClient, paths[n*7919%len(paths)]); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
