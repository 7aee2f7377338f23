package jobs

import (
	"testing"
	"time"

	"placematch"
	"placematch/store"
	"placematch/store/storetest"
)

func TestSnapshotRerunSameDayReplaces(t *testing.T) {
	eachDialect(t, func(t *testing.T, db *store.DB) {
		must(t, db.CreateProvider(ctx, storetest.Carer("C1", func(p *placematch.Provider) { p.District = "Norwich" })))
		must(t, db.CreateProvider(ctx, storetest.Unit("U1", func(p *placematch.Provider) { p.Availability.Status = placematch.Unavailable })))
		must(t, db.CreateChild(ctx, storetest.Child("A")))
		job := Snapshot{Store: db, Now: fixed}
		for range 2 {
			res, err := job.Run(ctx)
			must(t, err)
			if res.Counts["snapshot_rows"] != 4 {
				t.Fatalf("rows %v", res.Counts)
			}
		}
		rows, err := db.Snapshots(ctx, placematch.DateOf(storetest.Clock))
		must(t, err)
		if len(rows) != 4 {
			t.Fatalf("second run added rows: %d", len(rows))
		}
		for _, r := range rows {
			if r.Places != r.Filled+r.Vacant+r.Unavailable {
				t.Errorf("%+v does not add up", r)
			}
			if r.Kind == placematch.KindUnit && (r.Places != 4 || r.Unavailable != 4) {
				t.Errorf("unavailable unit: %+v", r)
			}
			if r.Kind == placematch.KindCarer && r.PlacementType == placematch.PlacementShortTerm && (r.Vacant != 3 || r.ChildrenAwaiting != 1) {
				t.Errorf("carer short-term: %+v", r)
			}
		}
	})
}

func TestFlagStaleJobUsesConfiguredDays(t *testing.T) {
	eachDialect(t, func(t *testing.T, db *store.DB) {
		old := storetest.Clock.Add(-10 * 24 * time.Hour)
		p := storetest.Carer("C1", func(p *placematch.Provider) { p.Availability.ConfirmedAt = &old })
		must(t, db.CreateProvider(ctx, p))
		res, err := FlagStale{Store: db, Now: fixed, After: 14 * 24 * time.Hour}.Run(ctx)
		must(t, err)
		if res.Counts["providers_flagged"] != 0 {
			t.Fatal("flagged before 14 days")
		}
		res, err = FlagStale{Store: db, Now: fixed, After: 7 * 24 * time.Hour}.Run(ctx)
		must(t, err)
		got, _ := db.GetProvider(ctx, p.Kind, p.ID)
		if res.Counts["providers_flagged"] != 1 || got.Availability.Status != placematch.Unconfirmed {
			t.Fatalf("not flagged: %v %s", res.Counts, got.Availability.Status)
		}
	})
}
