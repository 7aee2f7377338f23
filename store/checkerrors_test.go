package store_test

import (
	"errors"
	"strings"
	"testing"

	"placematch"
	"placematch/store"
	"placematch/store/storetest"
)

// Only the providers' filled range check means that a provider has no vacant place
// left. Another CHECK failing (here one added to children, a real constraint on each
// engine) is a conflict with the stored records, never reported as no capacity; on
// SQLite every CHECK failure used to be.
func TestOnlyTheFilledRangeCheckMeansNoVacantPlace(t *testing.T) {
	const noPlace = "no vacant place"
	eachDialect(t, func(t *testing.T, db *store.DB) {
		p := storetest.Carer("CHECK-P")
		must(t, db.CreateProvider(ctx, p))
		err := store.Translate(db.ExecRaw(ctx, "UPDATE providers SET filled = places + 1 WHERE id = ?", p.ID))
		if !errors.Is(err, placematch.ErrConflict) || !strings.Contains(err.Error(), noPlace) {
			t.Fatalf("filled above places: %v, want the no-vacant-place conflict", err)
		}

		addCheck := "ALTER TABLE children ADD CONSTRAINT children_urgency_probe CHECK (urgency <> 'probe')"
		if db.Dialect() == store.SQLite { // SQLite adds a CHECK only with a column
			addCheck = "ALTER TABLE children ADD COLUMN probe INTEGER CONSTRAINT children_urgency_probe CHECK (urgency <> 'probe')"
		}
		must(t, db.ExecRaw(ctx, addCheck))
		c := storetest.Child("CHECK-C")
		must(t, db.CreateChild(ctx, c))
		_, err = db.UpdateChild(ctx, c.ID, 0, func(c *placematch.Child) error { c.Urgency = "probe"; return nil })
		if err == nil || !errors.Is(err, placematch.ErrConflict) || errors.Is(err, placematch.ErrNoCapacity) ||
			strings.Contains(err.Error(), noPlace) {
			t.Fatalf("another CHECK failing: %v, want a conflict that does not speak of vacant places", err)
		}
	})
}
