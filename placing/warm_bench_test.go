package placing

import (
	"context"
	"fmt"
	"math/rand/v2"
	"runtime"
	"testing"
	"time"

	"placematch"
	"placematch/matching"
	"placematch/store"
	"placematch/store/storetest"
)

// nationalRegister stores n providers (70% carers, 25% units, 5% hubs) near
// outcode centroids from the shared public data, and places children in 80% as
// many places as there are providers, so that most providers have residents; it
// returns the providers with a place still free after that, for bookings. The seed
// is fixed.
func nationalRegister(b *testing.B, db *store.DB, n int) []*placematch.Provider {
	ctx := context.Background()
	at := storetest.OutcodeCentroids(b, "../../shared/data/postcodes/gb_outcode_centroids.csv")
	r := rand.New(rand.NewPCG(17, 4))
	near := func(p *placematch.Provider) {
		c := at[r.IntN(len(at))]
		p.Location = placematch.Point{Lat: c.Lat + (r.Float64()-0.5)*0.04, Lon: c.Lon + (r.Float64()-0.5)*0.06}
	}
	providers := make([]*placematch.Provider, n)
	var places []int
	for i := range providers {
		ref := fmt.Sprintf("W%06d", i)
		switch x := r.IntN(100); {
		case x < 70:
			providers[i] = storetest.Carer(ref, near, func(p *placematch.Provider) {
				p.Carer.MaxChildren = 1 + r.IntN(3)
				p.Carer.PlacementTypes = placematch.PlacementTypes[r.IntN(3) : 3+r.IntN(4)]
			})
		case x < 95:
			providers[i] = storetest.Unit(ref, near)
		default:
			providers[i] = storetest.Hub(ref, near)
		}
		for range providers[i].ComputePlaces() {
			places = append(places, i)
		}
	}
	r.Shuffle(len(places), func(i, j int) { places[i], places[j] = places[j], places[i] })
	placed := n * 8 / 10
	children := make([]*placematch.Child, placed)
	placements := make([]store.BulkPlacement, placed)
	for i := range children {
		children[i] = storetest.Child(fmt.Sprintf("WK%06d", i), func(c *placematch.Child) {
			c.DateOfBirth = placematch.DateOf(storetest.Clock).AddDays(-365 - r.IntN(17*365))
		})
		placements[i] = store.BulkPlacement{Child: i, Provider: places[i], StartDate: placematch.DateOf(storetest.Clock).AddDays(-r.IntN(700))}
	}
	start := time.Now()
	if err := db.BulkImport(ctx, providers, children, placements); err != nil {
		b.Fatal(err)
	}
	b.Logf("seeded %d providers and %d placements in %v", n, placed, time.Since(start).Round(time.Millisecond))
	var free []*placematch.Provider
	for _, i := range places[placed:] {
		if providers[i].Kind == placematch.KindCarer {
			free = append(free, providers[i])
		}
	}
	return free
}

// liveHeap is the heap still reachable after a collection, in bytes.
func liveHeap() uint64 {
	runtime.GC()
	var m runtime.MemStats
	runtime.ReadMemStats(&m)
	return m.HeapAlloc
}

// BenchmarkWarm100k builds the candidate index for 100,000 providers (80,000 of
// them with residents) from cold on each engine, as the binary does before it
// serves after a restart (an earlier process recorded its manifest), and reports
// the live heap the index holds (MB-live). Then it books one
// child into a home and times what the next search pays: the incremental refresh
// alone, and a whole match. ms-manifest-after is how long the first search after
// Warm waits for the manifest Warm leaves to be recorded in the background. Targets: warm under 0.5 s, under 50 MB live.
func BenchmarkWarm100k(b *testing.B) {
	const n = 100_000
	ctx := context.Background()
	for _, dialect := range storetest.Dialects() {
		b.Run(dialect, func(b *testing.B) {
			db := storetest.Open(b, dialect)
			db.Now = func() time.Time { return storetest.Clock }
			free := nationalRegister(b, db, n)
			seeker := storetest.Child("SEEKER")
			if err := db.CreateChild(ctx, seeker); err != nil {
				b.Fatal(err)
			}
			// A process before this one built the index and recorded its manifest,
			// as a restart finds the database.
			if _, err := (&Service{Store: db, Now: db.Now}).index.current(ctx, db, 0, db.Now()); err != nil {
				b.Fatal(err)
			}
			b.Run("warm", func(b *testing.B) {
				var live float64
				var settled time.Duration // from Warm's return until its manifest is stored
				for b.Loop() {
					before := liveHeap()
					svc := &Service{Store: db, Now: db.Now}
					st, err := svc.Warm(ctx)
					if err != nil {
						b.Fatal(err)
					}
					if st.Providers != n {
						b.Fatalf("the index holds %d providers, want %d", st.Providers, n)
					}
					b.StopTimer()
					start := time.Now()
					if _, err := svc.index.current(ctx, db, 0, db.Now()); err != nil {
						b.Fatal(err)
					}
					settled += time.Since(start)
					live = float64(liveHeap()-before) / 1e6
					runtime.KeepAlive(svc)
					b.StartTimer()
				}
				b.ReportMetric(live, "MB-live")
				b.ReportMetric(float64(settled.Milliseconds())/float64(b.N), "ms-manifest-after")
			})
			svc := &Service{Store: db, Now: db.Now}
			if _, err := svc.index.current(ctx, db, 0, db.Now()); err != nil {
				b.Fatal(err)
			}
			booked := 0
			book := func(b *testing.B) {
				b.Helper()
				if booked == len(free) {
					b.Fatal("no free place left to book")
				}
				p := free[booked]
				booked++
				c := storetest.Child(fmt.Sprintf("WB%06d", booked))
				if err := db.CreateChild(ctx, c); err != nil {
					b.Fatal(err)
				}
				if _, err := db.Book(ctx, store.BookRequest{ChildID: c.ID, Provider: p.Ref(),
					StartDate: placematch.DateOf(storetest.Clock)}); err != nil {
					b.Fatal(err)
				}
			}
			b.Run("refresh_after_booking", func(b *testing.B) {
				for b.Loop() {
					b.StopTimer()
					book(b)
					b.StartTimer()
					if _, err := svc.index.current(ctx, db, 0, db.Now()); err != nil {
						b.Fatal(err)
					}
				}
			})
			b.Run("match_after_booking", func(b *testing.B) {
				for b.Loop() {
					b.StopTimer()
					book(b)
					b.StartTimer()
					if _, err := svc.Match(ctx, MatchRequest{ChildID: seeker.ID, Options: matching.Options{Limit: 10}}); err != nil {
						b.Fatal(err)
					}
				}
			})
			b.Run("match_unchanged", func(b *testing.B) {
				for b.Loop() {
					if _, err := svc.Match(ctx, MatchRequest{ChildID: seeker.ID, Options: matching.Options{Limit: 10}}); err != nil {
						b.Fatal(err)
					}
				}
			})
		})
	}
}

// BenchmarkBuildSet100k is the part of a full load after the rows are read:
// preparing 100,000 providers (80,000 residents among them) as candidates and
// building the set around them (the matching.Index, the grid, the id map), on
// SQLite's read of the same register as BenchmarkWarm100k.
func BenchmarkBuildSet100k(b *testing.B) {
	ctx := context.Background()
	db := storetest.Open(b, store.SQLite)
	db.Now = func() time.Time { return storetest.Clock }
	nationalRegister(b, db, 100_000)
	ps, _, err := db.ProviderChanges(ctx, store.ChangeCursor{})
	if err != nil {
		b.Fatal(err)
	}
	byID := make(map[string]*placematch.Provider, len(ps))
	for _, p := range ps {
		byID[p.ID] = p
	}
	for b.Loop() {
		if set := buildSet(nil, byID, nil); len(set.all) != len(ps) || set.idx == nil {
			b.Fatalf("the set holds %d candidates, want %d", len(set.all), len(ps))
		}
	}
}
