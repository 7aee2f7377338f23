package jobs

import (
	"testing"

	"placematch"
	"placematch/reports"
	"placematch/store"
	"placematch/store/storetest"
)

// TestSnapshotAgreesWithReport: the nightly snapshot and the sufficiency report
// (grouped by placement type) give the same supply and demand for every row,
// including where two separate aggregations used to disagree: a carer with no
// placement types (the report counted it, the snapshot did not), providers outside
// every district and a child whose home is not known (labelled "outside area" and
// "home not known" by the report, blank by the snapshot). The snapshot's TOTAL row
// is the report's TOTAL: each provider, child and group once.
func TestSnapshotAgreesWithReport(t *testing.T) {
	eachDialect(t, func(t *testing.T, db *store.DB) {
		must(t, db.CreateProvider(ctx, storetest.Carer("C1")))
		must(t, db.CreateProvider(ctx, storetest.Carer("C2", func(p *placematch.Provider) { p.Carer.PlacementTypes = nil })))
		must(t, db.CreateProvider(ctx, storetest.Unit("U1")))
		must(t, db.CreateChild(ctx, storetest.Child("A")))
		must(t, db.CreateChild(ctx, storetest.Child("B", func(c *placematch.Child) { c.Location = nil })))
		_, err := Snapshot{Store: db, Now: fixed}.Run(ctx)
		must(t, err)
		snaps, err := db.Snapshots(ctx, placematch.DateOf(storetest.Clock))
		must(t, err)
		rep, err := (&reports.Service{Store: db, Now: fixed}).Sufficiency(ctx,
			reports.Options{AsOf: placematch.DateOf(storetest.Clock), PlacementType: true})
		must(t, err)
		type measures struct{ providers, places, filled, vacant, unavailable, awaiting, groups int }
		want := map[reports.Key]measures{}
		for _, r := range append(rep.Rows, rep.Total) {
			want[r.Key] = measures{r.Providers, r.Places, r.Filled, r.Vacant, r.Unavailable, r.ChildrenAwaiting, r.GroupsAwaiting}
		}
		got := map[reports.Key]measures{}
		for _, s := range snaps {
			got[reports.Key{District: s.District, Kind: s.Kind, PlacementType: s.PlacementType}] =
				measures{s.Providers, s.Places, s.Filled, s.Vacant, s.Unavailable, s.ChildrenAwaiting, s.GroupsAwaiting}
		}
		for k, w := range want {
			if got[k] != w {
				t.Errorf("%+v: snapshot %+v, report %+v", k, got[k], w)
			}
		}
		for k, g := range got {
			if _, ok := want[k]; !ok {
				t.Errorf("%+v: snapshot row %+v has no report row", k, g)
			}
		}
		untyped := reports.Key{District: reports.OutsideArea, Kind: placematch.KindCarer}
		if got[untyped].providers != 1 {
			t.Errorf("carer with no placement types: snapshot %+v", got[untyped])
		}
		// B is 10: demand for a foster carer (short_term) only.
		notKnown := reports.Key{District: reports.HomeNotKnown, Kind: placematch.KindCarer, PlacementType: placematch.PlacementShortTerm}
		if got[notKnown].awaiting != 1 {
			t.Errorf("child whose home is not known: snapshot %+v", got[notKnown])
		}
		if total := got[reports.Key{District: reports.TotalLabel}]; total.providers != 3 || total.awaiting != 2 || total.groups != 2 {
			t.Errorf("snapshot total %+v, want 3 providers and 2 children in 2 groups", total)
		}
	})
}
