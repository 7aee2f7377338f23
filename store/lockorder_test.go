package store_test

import (
	"errors"
	"fmt"
	"sync"
	"testing"
	"time"

	"placematch"
	"placematch/store"
	"placematch/store/storetest"
)

// Every transaction that writes providers or placements takes the provider change
// counter first, so concurrent bookings, updates, endings and the stale-flag job
// queue instead of deadlocking (PostgreSQL would abort one with 40P01).
func TestConcurrentProviderWritesNeverDeadlock(t *testing.T) {
	eachDialect(t, func(t *testing.T, db *store.DB) {
		p := storetest.Carer("BUSY", func(p *placematch.Provider) {
			p.Carer.MaxChildren = 3
			p.Availability.ConfirmedAt = nil
		})
		must(t, db.CreateProvider(ctx, p))
		var kids []*placematch.Child
		for i := range 12 {
			c := storetest.Child(fmt.Sprintf("K%d", i))
			must(t, db.CreateChild(ctx, c))
			kids = append(kids, c)
		}
		var wg sync.WaitGroup
		errs := make(chan error, 100)
		keep := func(err error) {
			if err != nil && !errors.Is(err, placematch.ErrNoCapacity) && !errors.Is(err, placematch.ErrConflict) {
				errs <- err
			}
		}
		for i, c := range kids {
			wg.Go(func() {
				pls, err := db.Book(ctx, store.BookRequest{ChildID: c.ID, Provider: p.Ref(), StartDate: placematch.DateOf(storetest.Clock)})
				keep(err)
				if err == nil && i%2 == 0 {
					_, err = db.UpdatePlacement(ctx, pls[0].ID, 0, func(pl *placematch.Placement) error {
						pl.Status, pl.EndReason, pl.EndDate = placematch.PlacementEnded, "CARPL", placematch.DateOf(storetest.Clock)
						return nil
					})
					keep(err)
				}
			})
			wg.Go(func() {
				_, err := db.UpdateProvider(ctx, p.Kind, p.ID, 0, func(p *placematch.Provider) error {
					p.Availability.Note = fmt.Sprint(i)
					return nil
				})
				keep(err)
			})
			wg.Go(func() {
				_, err := db.FlagStaleAvailability(ctx, storetest.Clock.Add(-time.Hour))
				keep(err)
			})
		}
		wg.Wait()
		close(errs)
		for err := range errs {
			t.Error(err)
		}
		got, err := db.GetProvider(ctx, p.Kind, p.ID)
		must(t, err)
		active, err := db.ListPlacements(ctx, store.PlacementFilter{ProviderID: p.ID, Status: "active"})
		must(t, err)
		if got.Filled != len(active.Items) || got.Filled > got.Places {
			t.Fatalf("filled %d, active placements %d, places %d", got.Filled, len(active.Items), got.Places)
		}
	})
}
