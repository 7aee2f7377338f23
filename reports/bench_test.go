package reports_test

import (
	"bytes"
	"fmt"
	"math/rand/v2"
	"testing"
	"time"

	"placematch"
	"placematch/geo"
	"placematch/reports"
	"placematch/store"
	"placematch/store/storetest"
)

// outcodes spreads benchmark homes and providers the way people live.
func outcodes(b *testing.B) []placematch.Point {
	return storetest.OutcodeCentroids(b, dataPath(b, "postcodes/gb_outcode_centroids.csv"))
}

// seedNational stores nProviders providers (70% carers, 25% units, 5% hubs) and
// nPlaced placed children plus nAwaiting children awaiting, across Great Britain,
// with England's 296 districts as the locator, from a fixed seed.
func seedNational(b *testing.B, db *store.DB, nProviders, nPlaced, nAwaiting int) {
	districts, err := geo.LoadDistrictsFile(dataPath(b, "boundaries/england_districts.geojson"))
	if err != nil {
		b.Fatal(err)
	}
	db.Locator = districts
	pts := outcodes(b)
	r := rand.New(rand.NewPCG(5, 80))
	near := func() placematch.Point {
		p := pts[r.IntN(len(pts))]
		p.Lat += (r.Float64() - 0.5) * 0.04
		p.Lon += (r.Float64() - 0.5) * 0.06
		return p
	}
	providers := make([]*placematch.Provider, nProviders)
	free := make([]int, 0, nProviders*2)
	for i := range providers {
		ref := fmt.Sprintf("B%06d", i)
		at := func(p *placematch.Provider) { p.Location = near() }
		switch x := r.IntN(100); {
		case x < 70:
			providers[i] = storetest.Carer(ref, at, func(p *placematch.Provider) {
				p.Carer.MaxChildren = 1 + r.IntN(3)
				p.Carer.PlacementTypes = placematch.PlacementTypes[r.IntN(3) : 3+r.IntN(4)]
				if r.IntN(10) == 0 {
					p.Availability.Status = placematch.Unavailable
				}
			})
		case x < 95:
			providers[i] = storetest.Unit(ref, at)
		default:
			providers[i] = storetest.Hub(ref, at)
		}
		for range providers[i].ComputePlaces() {
			free = append(free, i)
		}
	}
	r.Shuffle(len(free), func(i, j int) { free[i], free[j] = free[j], free[i] })
	children := make([]*placematch.Child, nPlaced+nAwaiting)
	placements := make([]store.BulkPlacement, nPlaced)
	for i := range children {
		children[i] = storetest.Child(fmt.Sprintf("K%06d", i), func(c *placematch.Child) {
			c.DateOfBirth = asOf.AddDays(-r.IntN(19 * 365))
			if r.IntN(20) == 0 {
				c.Location = nil
			} else {
				h := near()
				c.Location = &h
			}
		})
		if i < nPlaced {
			placements[i] = store.BulkPlacement{Child: i, Provider: free[i], StartDate: asOf.AddDays(-r.IntN(700))}
		}
	}
	start := time.Now()
	if err := db.BulkImport(ctx, providers, children, placements); err != nil {
		b.Fatal(err)
	}
	b.Logf("seeded %d providers, %d placements, %d awaiting in %v", nProviders, nPlaced, nAwaiting, time.Since(start).Round(time.Millisecond))
}

// BenchmarkSufficiency100k generates the report for 100k providers and 80k active
// placements (plus 5k children awaiting) on each engine: the store reads and the
// aggregation, then each writer. Target: under 2 s.
func BenchmarkSufficiency100k(b *testing.B) {
	for _, dialect := range storetest.Dialects() {
		b.Run(dialect, func(b *testing.B) {
			db := storetest.Open(b, dialect)
			seedNational(b, db, 100_000, 80_000, 5_000)
			svc := &reports.Service{Store: db, Now: db.Now}
			var rep *reports.Report
			b.Run("report", func(b *testing.B) {
				for b.Loop() {
					var err error
					if rep, err = svc.Sufficiency(ctx, reports.Options{AsOf: asOf}); err != nil {
						b.Fatal(err)
					}
				}
				b.ReportMetric(float64(len(rep.Rows)), "rows")
			})
			b.Run("report_by_type_and_band", func(b *testing.B) {
				for b.Loop() {
					if _, err := svc.Sufficiency(ctx, reports.Options{AsOf: asOf, PlacementType: true, AgeBand: true}); err != nil {
						b.Fatal(err)
					}
				}
			})
			for _, f := range reports.Formats {
				b.Run("write_"+string(f), func(b *testing.B) {
					rep.Options.Format = f
					for b.Loop() {
						var buf bytes.Buffer
						if err := rep.Write(&buf); err != nil {
							b.Fatal(err)
						}
					}
				})
			}
		})
	}
}

// BenchmarkAggregate100k measures the Go aggregation alone on rows already read.
func BenchmarkAggregate100k(b *testing.B) {
	db := storetest.Open(b, store.SQLite)
	seedNational(b, db, 100_000, 80_000, 5_000)
	providers, err := db.ReportProviders(ctx, asOf, storetest.Clock)
	if err != nil {
		b.Fatal(err)
	}
	placements, err := db.PlacementsActiveOn(ctx, asOf)
	if err != nil {
		b.Fatal(err)
	}
	awaiting, err := db.ChildrenAwaiting(ctx)
	if err != nil {
		b.Fatal(err)
	}
	for b.Loop() {
		reports.Aggregate(reports.Input{AsOf: asOf, At: storetest.Clock, Providers: providers, Placements: placements,
			Awaiting: awaiting})
	}
}
