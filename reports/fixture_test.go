package reports_test

import (
	"context"
	"os"
	"path/filepath"
	"testing"

	"placematch"
	"placematch/geo"
	"placematch/reports"
	"placematch/store"
	"placematch/store/storetest"
)

var ctx = context.Background()

// sharedData is the project's folder of real public data, read in place.
const sharedData = "../../shared/data"

func dataPath(tb testing.TB, rel string) string {
	tb.Helper()
	p := filepath.Join(sharedData, filepath.FromSlash(rel))
	if _, err := os.Stat(p); err != nil {
		tb.Fatalf("shared test data missing (expected next to the repository): %v", err)
	}
	return p
}

func norfolk(tb testing.TB) *geo.Districts {
	tb.Helper()
	d, err := geo.LoadDistrictsFile(dataPath(tb, "boundaries/norfolk_districts.geojson"))
	if err != nil {
		tb.Fatal(err)
	}
	return d
}

// Town centres (GeoNames), far enough from district edges to be placed without doubt.
var (
	norwich       = placematch.Point{Lat: 52.6278, Lon: 1.2983}
	kingsLynn     = placematch.Point{Lat: 52.7517, Lon: 0.3956}
	greatYarmouth = placematch.Point{Lat: 52.6083, Lon: 1.7305}
	cambridge     = placematch.Point{Lat: 52.2053, Lon: 0.1218} // outside Norfolk
)

var asOf = placematch.DateOf(storetest.Clock) // 2026-11-23

// known is the fixture of the every-cell test; the comments give the expected
// report lines. Children K1..K7 are placed (K7's placement has ended), A1..A3 await.
type known struct {
	db                 *store.DB
	c1, c2, c3, u1, h1 *placematch.Provider
}

func buildKnown(t *testing.T, dialect string) *known {
	t.Helper()
	db := storetest.Open(t, dialect)
	db.Locator = norfolk(t)
	k := &known{db: db}
	at := func(p placematch.Point) func(*placematch.Provider) {
		return func(pr *placematch.Provider) { pr.Location = p }
	}
	k.c1 = storetest.Carer("C1", at(norwich)) // emergency, short_term; 3 places
	k.c2 = storetest.Carer("C2", at(norwich), func(p *placematch.Provider) {
		p.Carer.MaxChildren = 2
		p.Carer.PlacementTypes = []placematch.PlacementType{placematch.PlacementLongTerm}
	})
	k.c3 = storetest.Carer("C3", at(kingsLynn), func(p *placematch.Provider) {
		p.Carer.MaxChildren = 1
		p.Carer.PlacementTypes = []placematch.PlacementType{placematch.PlacementShortTerm}
	})
	k.u1 = storetest.Unit("U1", at(norwich))  // 4 beds
	k.h1 = storetest.Hub("H1", at(cambridge)) // 4 + 2 beds, outside the area
	for _, p := range []*placematch.Provider{k.c1, k.c2, k.c3, k.u1, k.h1} {
		if err := db.CreateProvider(ctx, p); err != nil {
			t.Fatal(err)
		}
	}
	home := func(p placematch.Point) func(*placematch.Child) {
		return func(c *placematch.Child) { c.Location = &p }
	}
	noHome := func(c *placematch.Child) { c.Location = nil }
	aged := func(years int) func(*placematch.Child) {
		return func(c *placematch.Child) { c.DateOfBirth = asOf.AddDays(-years*366 - 10) }
	}
	start := placematch.MustParseDate("2026-11-01")
	place := func(c *placematch.Child, p *placematch.Provider) *placematch.Placement {
		t.Helper()
		if err := db.CreateChild(ctx, c); err != nil {
			t.Fatal(err)
		}
		pls, err := db.Book(ctx, store.BookRequest{ChildID: c.ID, Provider: p.Ref(), StartDate: start})
		if err != nil {
			t.Fatalf("book %s: %v", c.Reference, err)
		}
		return pls[0]
	}
	place(storetest.Child("K1", home(norwich)), k.c1)                 // 0 miles
	place(storetest.Child("K2", home(kingsLynn), aged(12)), k.c1)     // over 20 miles
	place(storetest.Child("K3", noHome, aged(2)), k.c3)               // distance unknown
	place(storetest.Child("K4", home(norwich), aged(17)), k.u1)       // 0 miles
	place(storetest.Child("K5", home(greatYarmouth), aged(16)), k.h1) // over, out of area
	place(storetest.Child("K6", home(norwich), aged(6)), k.c2)        // 0 miles
	k7 := place(storetest.Child("K7", home(norwich), aged(8)), k.c1)  // ended: awaiting again
	if _, err := db.UpdatePlacement(ctx, k7.ID, 0, func(p *placematch.Placement) error {
		p.Status, p.EndReason, p.EndDate = placematch.PlacementEnded, "CARPL", placematch.MustParseDate("2026-11-20")
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	// C2 goes on hold and U1 says it is unavailable after their children arrived.
	if _, err := db.UpdateProvider(ctx, placematch.KindCarer, k.c2.ID, 0, func(p *placematch.Provider) error {
		p.Carer.Status = placematch.CarerOnHold
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	if _, err := db.UpdateProvider(ctx, placematch.KindUnit, k.u1.ID, 0, func(p *placematch.Provider) error {
		p.Availability.Status = placematch.Unavailable
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	for _, c := range []*placematch.Child{
		storetest.Child("A1", home(norwich)), // short_term, 10
		storetest.Child("A2", home(norwich), aged(3), func(c *placematch.Child) { c.PlacementType = placematch.PlacementEmergency }),
		storetest.Child("A3", noHome),
	} {
		if err := db.CreateChild(ctx, c); err != nil {
			t.Fatal(err)
		}
	}
	return k
}

func (k *known) service() *reports.Service {
	return &reports.Service{Store: k.db, Now: k.db.Now}
}
