package store_test

import (
	"errors"
	"testing"
	"time"

	"placematch"
	"placematch/store"
	"placematch/store/storetest"
)

// wantField asserts err is a ValidationError naming field, and not a conflict: the
// capacity CHECK must never take the blame for a date.
func wantField(t *testing.T, err error, field string) {
	t.Helper()
	var ve *placematch.ValidationError
	if !errors.As(err, &ve) || errors.Is(err, placematch.ErrConflict) || errors.Is(err, placematch.ErrNoCapacity) {
		t.Fatalf("want a validation error naming %s, got %v", field, err)
	}
	for _, fe := range ve.Errors {
		if fe.Field == field {
			return
		}
	}
	t.Fatalf("no error names %s: %v", field, err)
}

// The schema refuses an empty or implausible date whoever writes it, and the store
// answers the violation as the field at fault, on both engines.
func TestSchemaRefusesBadDates(t *testing.T) {
	eachDialect(t, func(t *testing.T, db *store.DB) {
		old := placematch.DateOf(time.Date(1850, 3, 1, 0, 0, 0, 0, time.UTC))
		wantField(t, db.CreateChild(ctx, storetest.Child("ZERO", func(c *placematch.Child) { c.DateOfBirth = placematch.Date{} })), "date_of_birth")
		wantField(t, db.CreateChild(ctx, storetest.Child("OLD", func(c *placematch.Child) { c.RequiredFrom = old })), "required_from")
		wantField(t, db.CreateProvider(ctx, storetest.Carer("OLD", func(p *placematch.Provider) { p.Availability.AvailableFrom = old })),
			"availability.available_from")

		c := storetest.Child("C1")
		must(t, db.CreateChild(ctx, c))
		p := storetest.Carer("P1")
		must(t, db.CreateProvider(ctx, p))
		_, err := db.Book(ctx, store.BookRequest{ChildID: c.ID, Provider: p.Ref()})
		wantField(t, err, "start_date")
		pls, err := db.Book(ctx, store.BookRequest{ChildID: c.ID, Provider: p.Ref(), StartDate: placematch.DateOf(storetest.Clock)})
		must(t, err)
		_, err = db.UpdatePlacement(ctx, pls[0].ID, 0, func(pl *placematch.Placement) error { pl.EndDate = old; return nil })
		wantField(t, err, "end_date")
		_, err = db.UpdateChild(ctx, c.ID, 0, func(c *placematch.Child) error { c.DateOfBirth = placematch.Date{}; return nil })
		wantField(t, err, "date_of_birth")

		for _, q := range []string{
			"UPDATE children SET date_of_birth = '' WHERE id = ?",
			"UPDATE children SET required_from = '0001-01-01' WHERE id = ?",
			"UPDATE children SET date_of_birth = '2016-5-1' WHERE id = ?",
			"UPDATE providers SET avail_from = '2101-01-01' WHERE id = ?",
			"UPDATE placements SET start_date = '' WHERE id = ?",
			"UPDATE placements SET end_date = 'soon' WHERE id = ?",
		} {
			if err := db.ExecRaw(ctx, q, ids(c.ID, p.ID, pls[0].ID, q)); err == nil {
				t.Errorf("%s: stored", q)
			}
		}
		got, err := db.GetChild(ctx, c.ID)
		must(t, err)
		if got.DateOfBirth != c.DateOfBirth {
			t.Fatalf("date of birth changed to %v", got.DateOfBirth)
		}
	})
}

// ids picks the id a statement's table needs.
func ids(child, provider, placement, q string) string {
	switch q[7:10] {
	case "chi":
		return child
	case "pro":
		return provider
	}
	return placement
}

// legacyUnreadable is a store holding what was written before the date checks of
// migration 00005: a child whose required_from is empty (bad), a good child, and a
// carer whose available_from is empty.
func legacyUnreadable(t *testing.T, d string) (db *store.DB, bad, good *placematch.Child, p *placematch.Provider) {
	t.Helper()
	db, _ = storetest.OpenAt(t, d, 4)
	bad = storetest.Child("BAD", func(c *placematch.Child) { c.RequiredFrom = placematch.Date{} })
	must(t, db.CreateChild(ctx, bad))
	good = storetest.Child("GOOD")
	must(t, db.CreateChild(ctx, good))
	p = storetest.Carer("P1")
	must(t, db.CreateProvider(ctx, p))
	must(t, db.ExecRaw(ctx, "UPDATE providers SET avail_from = '' WHERE id = ?", p.ID))
	must(t, db.Migrate(ctx))
	return db, bad, good, p
}

// Records written before the date checks with an empty date (as year 1 used to be
// stored) survive the migration; reading one names it, a list leaves it out without
// ending early, and a valid write repairs it.
func TestUnreadableStoredDatesNameTheRecordAndCanBeRepaired(t *testing.T) {
	for _, d := range storetest.Dialects() {
		t.Run(d, func(t *testing.T) {
			t.Parallel()
			db, bad, good, p := legacyUnreadable(t, d)

			_, err := db.GetChild(ctx, bad.ID)
			var ue *placematch.UnreadableError
			if !errors.As(err, &ue) || ue.ID != bad.ID || ue.Field != "required_from" || !errors.Is(err, placematch.ErrUnreadable) {
				t.Fatalf("GetChild: %v", err)
			}
			_, err = db.GetProvider(ctx, placematch.KindCarer, p.ID)
			if !errors.As(err, &ue) || ue.ID != p.ID || ue.Field != "availability.available_from" {
				t.Fatalf("GetProvider: %v", err)
			}

			page, err := db.ListChildren(ctx, store.ChildFilter{Limit: 1})
			must(t, err)
			if len(page.Items) != 0 || page.NextCursor == "" {
				t.Fatalf("first page %+v: want the bad child left out and a next page", page)
			}
			page, err = db.ListChildren(ctx, store.ChildFilter{Limit: 1, Cursor: page.NextCursor})
			must(t, err)
			if len(page.Items) != 1 || page.Items[0].ID != good.ID {
				t.Fatalf("second page %+v", page.Items)
			}
			provs, err := db.ListProviders(ctx, store.ProviderFilter{Kind: placematch.KindCarer})
			must(t, err)
			if len(provs.Items) != 0 {
				t.Fatalf("providers %+v", provs.Items)
			}

			// An update that leaves the bad value is refused by the schema; one that
			// sets a valid date repairs the record.
			_, err = db.UpdateChild(ctx, bad.ID, 0, func(c *placematch.Child) error { c.Urgency = "urgent"; return nil })
			wantField(t, err, "required_from")
			fixed := placematch.DateOf(storetest.Clock)
			_, err = db.UpdateChild(ctx, bad.ID, 0, func(c *placematch.Child) error { c.RequiredFrom = fixed; return nil })
			must(t, err)
			got, err := db.GetChild(ctx, bad.ID)
			must(t, err)
			if got.RequiredFrom != fixed || got.Version != 2 {
				t.Fatalf("repaired child %+v", got)
			}
			_, err = db.UpdateProvider(ctx, placematch.KindCarer, p.ID, 0, func(p *placematch.Provider) error { return nil })
			must(t, err)
			if _, err := db.GetProvider(ctx, placematch.KindCarer, p.ID); err != nil {
				t.Fatalf("repaired provider: %v", err)
			}
		})
	}
}
