package store_test

import (
	"testing"
	"time"

	"placematch"
	"placematch/store"
	"placematch/store/storetest"
)

// A feed row counts as the provider confirming availability only when it is recent:
// an old row updates the reported vacancies but leaves a unit the nightly job
// flagged unconfirmed as it was.
func TestOldFeedRowDoesNotReviveAnUnconfirmedUnit(t *testing.T) {
	eachDialect(t, func(t *testing.T, db *store.DB) {
		old := storetest.Clock.Add(-20 * 24 * time.Hour)
		u := storetest.Unit("U1", func(p *placematch.Provider) { p.Availability.ConfirmedAt = &old })
		must(t, db.CreateProvider(ctx, u))
		n, err := db.FlagStaleAvailability(ctx, storetest.Clock.Add(-14*24*time.Hour))
		must(t, err)
		if n != 1 {
			t.Fatalf("%d flagged", n)
		}
		f := &placematch.Feed{Name: "acme", URL: "http://127.0.0.1:1/feed.csv", Format: "csv", UnitIDs: []string{u.ID}}
		must(t, db.CreateFeed(ctx, f))
		_, issues, err := db.ApplyFeed(ctx, f, []placematch.FeedReport{{Row: 2, UnitReference: "U1", Vacancies: 2,
			AsOf: storetest.Clock.Add(-10 * 24 * time.Hour)}})
		must(t, err)
		got, err := db.GetProvider(ctx, u.Kind, u.ID)
		must(t, err)
		if len(issues) != 0 || got.Availability.Status != placematch.Unconfirmed {
			t.Fatalf("old row: status %s, issues %v", got.Availability.Status, issues)
		}
		_, _, err = db.ApplyFeed(ctx, f, []placematch.FeedReport{{Row: 2, UnitReference: "U1", Vacancies: 1,
			AsOf: storetest.Clock.Add(-time.Hour)}})
		must(t, err)
		got, err = db.GetProvider(ctx, u.Kind, u.ID)
		must(t, err)
		if got.Availability.Status != placematch.Available || got.Vacancies != 1 {
			t.Fatalf("recent row: status %s, vacancies %d", got.Availability.Status, got.Vacancies)
		}
	})
}
