package store_test

import (
	"context"
	"errors"
	"testing"
	"time"

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
			db, cfg := storetest.OpenConfig(t, d)
			p, c := storetest.Carer("FAIL-B"), storetest.Child("FAIL-K")
			if err := db.CreateProvider(ctx, p); err != nil {
				t.Fatal(err)
			}
			if err := db.CreateChild(ctx, c); err != nil {
				t.Fatal(err)
			}
			storetest.RenameTable(t, cfg, "children", "children_gone")
			_, err := db.Book(ctx, store.BookRequest{ChildID: c.ID, Provider: p.Ref(), StartDate: placematch.DateOf(storetest.Clock)})
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

// TestBookChildReadTimeoutIsUnavailable: when the database does not answer the
// booking's read of the child in time (here the children are behind a view that
// takes seconds, on a real engine, and the request's deadline is shorter), Book
// returns ErrUnavailable, which the API answers 503, and not the validation error
// saying no child has the id: lockGroup turns only ErrNotFound into that error.
func TestBookChildReadTimeoutIsUnavailable(t *testing.T) {
	for _, d := range storetest.Dialects() {
		t.Run(d, func(t *testing.T) {
			t.Parallel()
			db, cfg := storetest.OpenConfig(t, d)
			p, c := storetest.Carer("SLOW-B"), storetest.Child("SLOW-K")
			must(t, db.CreateProvider(ctx, p))
			must(t, db.CreateChild(ctx, c))
			storetest.RenameTable(t, cfg, "children", "children_stored")
			slow := "CREATE VIEW children AS SELECT * FROM children_stored WHERE (SELECT true FROM pg_sleep(5))"
			if d == store.SQLite {
				slow = `CREATE VIEW children AS SELECT * FROM children_stored WHERE (WITH RECURSIVE n(i) AS
					(SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 4000000) SELECT count(*) FROM n) > 0`
			}
			storetest.Exec(t, cfg, slow)
			short, cancel := context.WithTimeout(ctx, 300*time.Millisecond)
			defer cancel()
			_, err := db.Book(short, store.BookRequest{ChildID: c.ID, Provider: p.Ref(), StartDate: placematch.DateOf(storetest.Clock)})
			if !errors.Is(err, placematch.ErrUnavailable) || errors.Is(err, placematch.ErrInvalid) {
				t.Fatalf("Book with the child read timing out: %v, want ErrUnavailable", err)
			}
		})
	}
}
