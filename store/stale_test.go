package store_test

import (
	"testing"
	"time"

	"placematch"
	"placematch/store"
	"placematch/store/storetest"
)

// The nightly job's SQL is the domain's staleness rule: of carers and units
// confirmed on either side of the cutoff (a second each way, and on it), never
// confirmed, unavailable or already unconfirmed, exactly those
// Availability.StaleBy says are stale are flagged, on both engines.
func TestFlagStaleAvailabilityIsTheDomainRule(t *testing.T) {
	eachDialect(t, func(t *testing.T, db *store.DB) {
		after := 14 * 24 * time.Hour
		cutoff := placematch.StaleCutoff(storetest.Clock, after)
		at := func(d time.Duration) *time.Time { t := cutoff.Add(d); return &t }
		avail := []placematch.Availability{
			{Status: placematch.Available, ConfirmedAt: at(-time.Second)},
			{Status: placematch.Available, ConfirmedAt: at(0)},
			{Status: placematch.Available, ConfirmedAt: at(time.Second)},
			{Status: placematch.Available},
			{Status: placematch.Unavailable, ConfirmedAt: at(-72 * time.Hour)},
			{Status: placematch.Unconfirmed, ConfirmedAt: at(-72 * time.Hour)},
		}
		var made []*placematch.Provider
		want := 0
		for i, a := range avail {
			for _, mk := range []func(string, ...func(*placematch.Provider)) *placematch.Provider{storetest.Carer, storetest.Unit} {
				p := mk(string(rune('A'+i))+"-"+string(mk("x").Kind), func(p *placematch.Provider) { p.Availability = a })
				must(t, db.CreateProvider(ctx, p))
				made = append(made, p)
				if a.StaleBy(cutoff) {
					want++
				}
			}
		}
		n, err := db.FlagStaleAvailability(ctx, cutoff)
		must(t, err)
		if n != want || want != 4 {
			t.Fatalf("flagged %d, the rule says %d (of 4 expected)", n, want)
		}
		for i, p := range made {
			got, err := db.GetProvider(ctx, p.Kind, p.ID)
			must(t, err)
			wasStale := avail[i/2].StaleBy(cutoff)
			if flagged := got.Availability.Status == placematch.Unconfirmed && avail[i/2].Status != placematch.Unconfirmed; flagged != wasStale {
				t.Errorf("%s %s (%+v): flagged %v, the rule says %v", p.Kind, p.Reference, avail[i/2], flagged, wasStale)
			}
		}
	})
}
