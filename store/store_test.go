package store_test

import (
	"context"
	"errors"
	"testing"

	"placematch"
	"placematch/store"
	"placematch/store/storetest"
)

// eachDialect runs the same test on SQLite and on PostgreSQL, each with a fresh
// migrated database.
var eachDialect = storetest.Each

func must(t *testing.T, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}

var ctx = context.Background()

func TestMigrateTwiceIsNoop(t *testing.T) {
	eachDialect(t, func(t *testing.T, db *store.DB) {
		must(t, db.CreateProvider(ctx, storetest.Carer("C1")))
		must(t, db.Migrate(ctx))
		ok, err := db.SchemaCurrent(ctx)
		must(t, err)
		if !ok {
			t.Fatal("schema not current after migrating")
		}
		page, err := db.ListProviders(ctx, store.ProviderFilter{Kind: placematch.KindCarer})
		must(t, err)
		if len(page.Items) != 1 {
			t.Fatalf("second migrate changed data: %d carers", len(page.Items))
		}
	})
}

func TestUnmigratedSchemaIsNotCurrent(t *testing.T) {
	for _, d := range storetest.Dialects() {
		t.Run(d, func(t *testing.T) {
			db := storetest.OpenUnmigrated(t, d)
			ok, err := db.SchemaCurrent(ctx)
			must(t, err)
			if ok {
				t.Fatal("empty database reported current")
			}
		})
	}
}

func TestProviderRoundTripAndDerivedFields(t *testing.T) {
	eachDialect(t, func(t *testing.T, db *store.DB) {
		for _, p := range []*placematch.Provider{
			storetest.Carer("C1", func(p *placematch.Provider) { p.Filled, p.Places = 2, 99 }),
			storetest.Unit("U1"), storetest.Hub("H1"),
		} {
			must(t, db.CreateProvider(ctx, p))
			got, err := db.GetProvider(ctx, p.Kind, p.ID)
			must(t, err)
			if got.Version != 1 || got.Filled != 0 {
				t.Errorf("%s: version %d filled %d, want 1 and 0 (filled is never taken from input)", p.Reference, got.Version, got.Filled)
			}
			wantPlaces := map[placematch.ProviderKind]int{placematch.KindCarer: 3, placematch.KindUnit: 4, placematch.KindHub: 6}[p.Kind]
			if got.Places != wantPlaces || got.Vacancies != wantPlaces {
				t.Errorf("%s: places %d vacancies %d, want %d", p.Reference, got.Places, got.Vacancies, wantPlaces)
			}
			if got.Name != p.Name || got.Location != p.Location || !got.CreatedAt.Equal(storetest.Clock) {
				t.Errorf("%s: read back %+v", p.Reference, got)
			}
			if _, err := db.GetProvider(ctx, placematch.KindHub, p.ID); p.Kind != placematch.KindHub && !errors.Is(err, placematch.ErrNotFound) {
				t.Errorf("%s read as a hub: %v", p.Kind, err)
			}
		}
		c, err := db.GetProvider(ctx, placematch.KindCarer, mustFirst(t, db, placematch.KindCarer).ID)
		must(t, err)
		if c.Carer.Skills[0] != "trauma" || len(c.Carer.PlacementTypes) != 2 || c.Carer.Status != placematch.CarerApproved {
			t.Errorf("carer details lost: %+v", c.Carer)
		}
	})
}

func mustFirst(t *testing.T, db *store.DB, kind placematch.ProviderKind) *placematch.Provider {
	t.Helper()
	page, err := db.ListProviders(ctx, store.ProviderFilter{Kind: kind})
	must(t, err)
	if len(page.Items) == 0 {
		t.Fatalf("no %s", kind)
	}
	return page.Items[0]
}

func TestDuplicateReferenceConflicts(t *testing.T) {
	eachDialect(t, func(t *testing.T, db *store.DB) {
		must(t, db.CreateProvider(ctx, storetest.Carer("C1")))
		if err := db.CreateProvider(ctx, storetest.Carer("C1")); !errors.Is(err, placematch.ErrConflict) {
			t.Fatalf("duplicate reference: %v", err)
		}
		must(t, db.CreateProvider(ctx, storetest.Unit("C1"))) // another kind may reuse it
	})
}

func TestUpdateVersionsAndArchive(t *testing.T) {
	eachDialect(t, func(t *testing.T, db *store.DB) {
		p := storetest.Carer("C1")
		must(t, db.CreateProvider(ctx, p))
		got, err := db.UpdateProvider(ctx, p.Kind, p.ID, 1, func(p *placematch.Provider) error {
			p.Name = "Renamed"
			return nil
		})
		must(t, err)
		if got.Version != 2 || got.Name != "Renamed" {
			t.Fatalf("update: %+v", got)
		}
		_, err = db.UpdateProvider(ctx, p.Kind, p.ID, 1, func(p *placematch.Provider) error { p.Name = "Stale"; return nil })
		if !errors.Is(err, placematch.ErrVersionMismatch) {
			t.Fatalf("stale version: %v", err)
		}
		boom := errors.New("refused")
		if _, err := db.UpdateProvider(ctx, p.Kind, p.ID, 0, func(p *placematch.Provider) error { p.Name = "X"; return boom }); !errors.Is(err, boom) {
			t.Fatalf("fn error: %v", err)
		}
		again, err := db.GetProvider(ctx, p.Kind, p.ID)
		must(t, err)
		if again.Name != "Renamed" || again.Version != 2 {
			t.Fatalf("refused or stale update changed data: %+v", again)
		}
		must(t, db.ArchiveProvider(ctx, p.Kind, p.ID, 0))
		page, err := db.ListProviders(ctx, store.ProviderFilter{Kind: p.Kind})
		must(t, err)
		if len(page.Items) != 0 {
			t.Fatal("archived provider still listed")
		}
		arch, err := db.GetProvider(ctx, p.Kind, p.ID)
		must(t, err)
		if arch.ArchivedAt == nil {
			t.Fatal("archived_at not set")
		}
		if _, err := db.UpdateProvider(ctx, p.Kind, p.ID, 0, func(*placematch.Provider) error { return nil }); !errors.Is(err, placematch.ErrConflict) {
			t.Fatalf("update of archived provider: %v", err)
		}
	})
}

func TestPaginationAndFilters(t *testing.T) {
	eachDialect(t, func(t *testing.T, db *store.DB) {
		for i, ref := range []string{"A", "B", "C", "D", "E", "F", "G"} {
			must(t, db.CreateProvider(ctx, storetest.Carer(ref, func(p *placematch.Provider) {
				if i%2 == 0 {
					p.Carer.Status = placematch.CarerOnHold
					p.Carer.PlacementTypes = []placematch.PlacementType{placematch.PlacementRemand}
				}
			})))
		}
		var refs []string
		cursor := ""
		for pages := 0; ; pages++ {
			page, err := db.ListProviders(ctx, store.ProviderFilter{Kind: placematch.KindCarer, Limit: 3, Cursor: cursor})
			must(t, err)
			for _, p := range page.Items {
				refs = append(refs, p.Reference)
			}
			if page.NextCursor == "" {
				if pages != 2 {
					t.Fatalf("%d pages, want 3", pages+1)
				}
				break
			}
			cursor = page.NextCursor
		}
		if got := len(refs); got != 7 || refs[0] != "A" || refs[6] != "G" {
			t.Fatalf("pages gave %v", refs)
		}
		page, err := db.ListProviders(ctx, store.ProviderFilter{Kind: placematch.KindCarer, Status: "on_hold"})
		must(t, err)
		if len(page.Items) != 4 {
			t.Fatalf("status filter: %d", len(page.Items))
		}
		page, err = db.ListProviders(ctx, store.ProviderFilter{Kind: placematch.KindCarer, PlacementType: "short_term"})
		must(t, err)
		if len(page.Items) != 3 {
			t.Fatalf("placement type filter: %d", len(page.Items))
		}
		_, err = db.ListProviders(ctx, store.ProviderFilter{Kind: placematch.KindCarer, Cursor: "bogus"})
		var ve *placematch.ValidationError
		if !errors.As(err, &ve) || ve.Errors[0].Field != "cursor" {
			t.Fatalf("bad cursor: %v", err)
		}
	})
}

func TestSiblingsAreLinkedBothWays(t *testing.T) {
	eachDialect(t, func(t *testing.T, db *store.DB) {
		a := storetest.Child("A")
		must(t, db.CreateChild(ctx, a))
		b := storetest.Child("B", func(c *placematch.Child) { c.Siblings = []string{a.ID} })
		must(t, db.CreateChild(ctx, b))
		got, err := db.GetChild(ctx, a.ID)
		must(t, err)
		if len(got.Siblings) != 1 || got.Siblings[0] != b.ID {
			t.Fatalf("A's siblings %v, want [B]", got.Siblings)
		}
		_, err = db.UpdateChild(ctx, b.ID, 0, func(c *placematch.Child) error { c.Siblings = nil; return nil })
		must(t, err)
		got, err = db.GetChild(ctx, a.ID)
		must(t, err)
		if len(got.Siblings) != 0 {
			t.Fatalf("unlinked sibling still listed: %v", got.Siblings)
		}
		bad := storetest.Child("C", func(c *placematch.Child) { c.Siblings = []string{a.ID, "0190a6b2-0000-7000-8000-000000000000"} })
		err = db.CreateChild(ctx, bad)
		var ve *placematch.ValidationError
		if !errors.As(err, &ve) || ve.Errors[0].Field != "siblings[1]" {
			t.Fatalf("unknown sibling: %v", err)
		}
		page, err := db.ListChildren(ctx, store.ChildFilter{})
		must(t, err)
		if len(page.Items) != 2 {
			t.Fatalf("failed create left %d children", len(page.Items))
		}
	})
}

func TestPostcodeImportIsIdempotent(t *testing.T) {
	eachDialect(t, func(t *testing.T, db *store.DB) {
		for range 2 {
			w := db.NewPostcodeWriter(ctx)
			for i, pc := range []string{"NR2 1AB", "NR2 1AD", "NR2 1AB"} {
				lat := []float64{52.60, 52.61, 52.62}[i]
				must(t, w.Add(store.Postcode{Postcode: pc, Location: placematch.Point{Lat: lat, Lon: 1.29}, District: "Norwich"}))
			}
			must(t, w.Flush())
		}
		n, err := db.CountPostcodes(ctx)
		must(t, err)
		if n != 2 {
			t.Fatalf("%d postcodes, want 2", n)
		}
		pc, err := db.LookupPostcode(ctx, "NR2 1AB")
		must(t, err)
		if pc.Location.Lat != 52.62 || pc.District != "Norwich" {
			t.Fatalf("last row should win: %+v", pc)
		}
		if _, err := db.LookupPostcode(ctx, "NR9 9ZZ"); !errors.Is(err, placematch.ErrNotFound) {
			t.Fatalf("unknown postcode: %v", err)
		}
	})
}

// The candidate index reads every provider once, then only what changed: an
// archive is returned (so the index can drop the provider), and a read with an
// up-to-date cursor returns nothing.
func TestProviderChanges(t *testing.T) {
	eachDialect(t, func(t *testing.T, db *store.DB) {
		a, b := storetest.Carer("A"), storetest.Carer("B")
		must(t, db.CreateProvider(ctx, a))
		must(t, db.CreateProvider(ctx, b))
		all, cur, err := db.ProviderChanges(ctx, store.ChangeCursor{})
		must(t, err)
		if len(all) != 2 {
			t.Fatalf("%d changed, want 2", len(all))
		}
		none, cur, err := db.ProviderChanges(ctx, cur)
		must(t, err)
		if len(none) != 0 {
			t.Fatalf("%d changed with nothing written, want 0", len(none))
		}
		must(t, db.ArchiveProvider(ctx, a.Kind, a.ID, 0))
		changed, cur, err := db.ProviderChanges(ctx, cur)
		must(t, err)
		if len(changed) != 1 || changed[0].ID != a.ID || changed[0].ArchivedAt == nil {
			t.Fatalf("after archive: %d changed", len(changed))
		}
		again, _, err := db.ProviderChanges(ctx, cur)
		must(t, err)
		if len(again) != 0 {
			t.Fatalf("the archive was returned again: %d changed", len(again))
		}
	})
}

func TestMatchRunRoundTrip(t *testing.T) {
	eachDialect(t, func(t *testing.T, db *store.DB) {
		c := storetest.Child("A")
		must(t, db.CreateChild(ctx, c))
		m := &store.MatchRun{ID: store.NewMatchID(), ChildID: c.ID, InputHash: "h", WeightsVersion: "v1", Result: []byte(`{"x":1}`)}
		must(t, db.SaveMatchRun(ctx, m))
		got, err := db.GetMatchRun(ctx, m.ID)
		must(t, err)
		if string(got.Result) != `{"x":1}` || got.WeightsVersion != "v1" || got.ChildID != c.ID {
			t.Fatalf("read back %+v", got)
		}
	})
}

// Timestamps come from the store's clock, never from the driver's: a fixed clock
// reads back exactly.
func TestTimestampsFollowTheStoreClock(t *testing.T) {
	eachDialect(t, func(t *testing.T, db *store.DB) {
		c := storetest.Child("A")
		must(t, db.CreateChild(ctx, c))
		_, err := db.UpdateChild(ctx, c.ID, 0, func(c *placematch.Child) error { c.Urgency = "emergency"; return nil })
		must(t, err)
		got, err := db.GetChild(ctx, c.ID)
		must(t, err)
		if !got.UpdatedAt.Equal(storetest.Clock) || !got.CreatedAt.Equal(storetest.Clock) {
			t.Fatalf("created %v updated %v, want the store clock %v", got.CreatedAt, got.UpdatedAt, storetest.Clock)
		}
	})
}
