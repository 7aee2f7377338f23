package store_test

import (
	"errors"
	"testing"

	"placematch"
	"placematch/store"
	"placematch/store/storetest"
)

// TestCancelledPlacementNeverRan: cancelling a placement before its start frees the
// place, and the placement counts on no day of the report, not even within its
// planned dates; once it has started it cannot be cancelled (ErrConflict).
func TestCancelledPlacementNeverRan(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		p := storetest.Carer("CAN")
		if err := db.CreateProvider(ctx, p); err != nil {
			t.Fatal(err)
		}
		today := placematch.DateOf(storetest.Clock)
		var ids []string
		for i, start := range []placematch.Date{today.AddDays(7), today} {
			c := storetest.Child("CAN" + string(rune('A'+i)))
			if err := db.CreateChild(ctx, c); err != nil {
				t.Fatal(err)
			}
			pls, err := db.Book(ctx, store.BookRequest{ChildID: c.ID, Provider: p.Ref(), StartDate: start, EndDate: today.AddDays(60)})
			if err != nil {
				t.Fatal(err)
			}
			ids = append(ids, pls[0].ID)
		}
		cancel := func(p *placematch.Placement) error { p.Status = placematch.PlacementCancelled; return nil }
		if _, err := db.UpdatePlacement(ctx, ids[1], 0, cancel); !errors.Is(err, placematch.ErrConflict) {
			t.Fatalf("cancelling a placement that started today: %v, want ErrConflict", err)
		}
		if _, err := db.UpdatePlacement(ctx, ids[0], 0, cancel); err != nil {
			t.Fatal(err)
		}
		got, err := db.GetProvider(ctx, p.Kind, p.ID)
		if err != nil {
			t.Fatal(err)
		}
		if got.Filled != 1 {
			t.Fatalf("filled %d after cancelling one of two, want 1", got.Filled)
		}
		running, err := db.PlacementsActiveOn(ctx, today.AddDays(10))
		if err != nil {
			t.Fatal(err)
		}
		if len(running) != 1 {
			t.Fatalf("%d placements running within the cancelled one's dates, want only the other", len(running))
		}
	})
}
