package placing

import (
	"context"
	"fmt"
	"maps"
	"reflect"
	"slices"
	"testing"
	"time"

	"placematch"
	"placematch/matching"
	"placematch/store"
	"placematch/store/storetest"
)

// After every write of a mix — providers created, updated in place, moved,
// booked into, archived, a hub changed, a resident's record changed — the index
// refreshed incrementally holds exactly the candidate set a full build from the
// database gives, and the same state hashes; and the set read before each write
// is left as it was (searches in flight keep reading it).
func TestIncrementalRefreshEqualsFullBuild(t *testing.T) {
	ctx := context.Background()
	for _, d := range storetest.Dialects() {
		t.Run(d, func(t *testing.T) {
			t.Parallel()
			db := storetest.Open(t, d)
			db.Now = func() time.Time { return storetest.Clock }
			var carers []*placematch.Provider
			for i := range 6 {
				p := storetest.Carer(fmt.Sprintf("C%d", i), func(p *placematch.Provider) {
					p.Location.Lat += float64(i) * 0.05
				})
				must(t, db.CreateProvider(ctx, p))
				carers = append(carers, p)
			}
			hub := storetest.Hub("H1")
			must(t, db.CreateProvider(ctx, hub))
			must(t, db.CreateProvider(ctx, storetest.Unit("U1")))
			svc := &Service{Store: db, Now: db.Now}
			if _, err := svc.Warm(ctx); err != nil {
				t.Fatal(err)
			}
			var placed *placematch.Child
			update := func(p *placematch.Provider, fn func(p *placematch.Provider)) {
				_, err := db.UpdateProvider(ctx, p.Kind, p.ID, 0, func(p *placematch.Provider) error { fn(p); return nil })
				must(t, err)
			}
			writes := []struct {
				name  string
				write func()
			}{
				{"update", func() { update(carers[0], func(p *placematch.Provider) { p.AgeMax-- }) }},
				{"move", func() { update(carers[1], func(p *placematch.Provider) { p.Location.Lon += 0.3 }) }},
				{"book", func() {
					placed = storetest.Child("K1")
					must(t, db.CreateChild(ctx, placed))
					_, err := db.Book(ctx, store.BookRequest{ChildID: placed.ID, Provider: carers[2].Ref(),
						StartDate: placematch.DateOf(storetest.Clock)})
					must(t, err)
				}},
				{"resident", func() {
					_, err := db.UpdateChild(ctx, placed.ID, 0, func(c *placematch.Child) error {
						c.Needs = append(c.Needs, "autism")
						return nil
					})
					must(t, err)
				}},
				{"create", func() { must(t, db.CreateProvider(ctx, storetest.Carer("C9"))) }},
				{"hub", func() { update(hub, func(p *placematch.Provider) { p.Hub.EmergencyBeds++ }) }},
				{"archive", func() { must(t, db.ArchiveProvider(ctx, placematch.KindCarer, carers[3].ID, 0)) }},
				{"create and archive", func() {
					must(t, db.CreateProvider(ctx, storetest.Carer("C10")))
					must(t, db.ArchiveProvider(ctx, placematch.KindCarer, carers[4].ID, 0))
					update(carers[5], func(p *placematch.Provider) { p.Name += " II" })
				}},
			}
			for _, w := range writes {
				before, err := svc.index.current(ctx, db, 0, db.Now())
				must(t, err)
				kept := *before
				kept.all = slices.Clone(before.all)
				w.write()
				got, err := svc.index.current(ctx, db, 0, db.Now())
				must(t, err)
				if got == before {
					t.Fatalf("%s: the index did not see the write", w.name)
				}
				if !reflect.DeepEqual(before.all, kept.all) || !reflect.DeepEqual(before.hubs, kept.hubs) {
					t.Errorf("%s: the set read before the write was changed", w.name)
				}
				full := &Service{Store: db, Now: db.Now}
				want, err := full.index.current(ctx, db, 0, db.Now())
				must(t, err)
				sameSet(t, w.name, got, want)
				if !maps.Equal(svc.index.hashes, full.index.hashes) {
					t.Errorf("%s: state hashes %v, a full build has %v", w.name, svc.index.hashes, full.index.hashes)
				}
			}
		})
	}
}

// sameSet fails unless got and want hold the same candidates in the same order,
// the same hubs and counts, and answer radius searches alike.
func sameSet(t *testing.T, name string, got, want *candidateSet) {
	t.Helper()
	if !reflect.DeepEqual(got.all, want.all) {
		t.Errorf("%s: %d candidates differ from a full build's %d", name, len(got.all), len(want.all))
	}
	if !reflect.DeepEqual(got.hubs, want.hubs) || !maps.Equal(got.byKind, want.byKind) ||
		!maps.Equal(got.index, want.index) || !slices.Equal(got.hubAt, want.hubAt) {
		t.Errorf("%s: hubs %d %v, counts %v, want hubs %d %v, counts %v", name, len(got.hubs), got.hubAt, got.byKind,
			len(want.hubs), want.hubAt, want.byKind)
	}
	// The matching index, updated in place or built anew, ranks as a full build's
	// candidates do, every exclusion listed.
	child := storetest.Child("RANKED")
	child.ID = "child-ranked"
	req := matching.Request{Child: child, Now: storetest.Clock}
	opt := matching.Options{IncludeExcluded: true, Limit: 50}
	for _, o := range []matching.Options{opt, {Limit: 3}} {
		r := o
		r.Hubs = want.hubs
		g, w := matching.RankIndex(req, got.idx, matching.DefaultWeights(), o), matching.Rank(req, want.all, matching.DefaultWeights(), r)
		if !reflect.DeepEqual(g, w) {
			t.Errorf("%s: the matching index ranks %d matches, %d excluded; a full build's candidates %d, %d",
				name, len(g.Matches), g.ExcludedCount, len(w.Matches), w.ExcludedCount)
		}
	}
	for _, km := range []float64{1, 10, 40, 400} {
		g, w := got.within(storetest.Norwich, km), want.within(storetest.Norwich, km)
		if !reflect.DeepEqual(g, w) {
			t.Errorf("%s: within %v km: %d candidates, a full build has %d", name, km, len(g), len(w))
		}
	}
}

func must(t *testing.T, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}
