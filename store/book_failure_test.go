package store_test

import (
	"errors"
	"testing"

	"placematch"
	"placematch/store"
	"placematch/store/storetest"
)

// TestBookChildReadFailureStaysAFailure: when reading the child inside the booking
// fails in the database (here its table is gone, on a real engine), Book returns
// that failure, not a validation error saying no child has the id: the officer must
// not be told a child does not exist because the database failed. A closed store
// cannot show this, since the booking's transaction would fail before it reads the
// child. Nothing is stored.
func TestBookChildReadFailureStaysAFailure(t *testing.T) {
	for _, d := range storetest.Dialects() {
		t.Run(d, func(t *testing.T) {
			t.Parallel()
			cfg := storetest.Config(t, d)
			db, err := store.Open(ctx, cfg)
			if err != nil {
				t.Fatal(err)
			}
			t.Cleanup(func() { db.Close() })
			if err := db.Migrate(ctx); err != nil {
				t.Fatal(err)
			}
			p, c := storetest.Carer("FAIL-B"), storetest.Child("FAIL-K")
			if err := db.CreateProvider(ctx, p); err != nil {
				t.Fatal(err)
			}
			if err := db.CreateChild(ctx, c); err != nil {
				t.Fatal(err)
			}
			storetest.RenameTable(t, cfg, "children", "children_gone")
			_, err = db.Book(ctx, store.BookRequest{ChildID: c.ID, Provider: p.Ref(), StartDate: placematch.DateOf(storetest.Clock)})
			if err == nil || errors.Is(err, placematch.ErrInvalid) || errors.Is(err, placematch.ErrNotFound) {
				t.Fatalf("Book with the children table gone: %v, want the database failure", err)
			}
			got, err := db.GetProvider(ctx, p.Kind, p.ID)
			if err != nil {
				t.Fatal(err)
			}
			if got.Filled != 0 {
				t.Errorf("provider filled %d after a failed booking", got.Filled)
			}
		})
	}
}
