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

// Every transaction that locks several rows takes them in one order (a placement,
// then children, then providers; see store.go), so concurrent bookings (with a
// check, which reads the residents), updates of the provider and of its children,
// endings and the stale-flag job queue instead of deadlocking (PostgreSQL would abort
// one with 40P01).
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
				pls, err := db.Book(ctx, store.BookRequest{ChildID: c.ID, Provider: p.Ref(), StartDate: placematch.DateOf(storetest.Clock),
					Check: func([]*placematch.Child, *placematch.Provider) error { return nil }})
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
			wg.Go(func() {
				// A placed child's change stamps the provider: the child, then the provider.
				_, err := db.UpdateChild(ctx, c.ID, 0, func(c *placematch.Child) error {
					c.Risks = []placematch.Risk{{Type: "going_missing", Level: []string{"medium", "high"}[i%2]}}
					return nil
				})
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

// Ending a placement frees the provider's place and puts the child back to awaiting;
// booking that child's sibling with its siblings locks both children and then the
// provider. Run side by side they must not deadlock: the ending locks the child
// before the provider, as the booking does. Either may go first: the sibling is
// booked alone (the child is still placed) or with the child (it is awaiting again).
func TestEndingAndSiblingBookingNeverDeadlock(t *testing.T) {
	eachDialect(t, func(t *testing.T, db *store.DB) {
		today := placematch.DateOf(storetest.Clock)
		for i := range 25 {
			p := storetest.Carer(fmt.Sprintf("END-%d", i))
			must(t, db.CreateProvider(ctx, p))
			a := storetest.Child(fmt.Sprintf("END-A%d", i))
			must(t, db.CreateChild(ctx, a))
			b := storetest.Child(fmt.Sprintf("END-B%d", i), func(c *placematch.Child) { c.Siblings = []string{a.ID} })
			must(t, db.CreateChild(ctx, b))
			placed, err := db.Book(ctx, store.BookRequest{ChildID: a.ID, Provider: p.Ref(), StartDate: today, SplitReason: "respite"})
			must(t, err)
			var endErr, bookErr error
			var wg sync.WaitGroup
			wg.Go(func() {
				_, endErr = db.UpdatePlacement(ctx, placed[0].ID, 0, func(pl *placematch.Placement) error {
					pl.Status, pl.EndReason, pl.EndDate = placematch.PlacementEnded, "CARPL", today
					return nil
				})
			})
			wg.Go(func() {
				_, bookErr = db.Book(ctx, store.BookRequest{ChildID: b.ID, Provider: p.Ref(), StartDate: today, IncludeSiblings: true})
			})
			wg.Wait()
			if endErr != nil || bookErr != nil {
				t.Fatalf("round %d: ending %v, booking %v", i, endErr, bookErr)
			}
		}
	})
}
