package store_test

import (
	"errors"
	"testing"

	"placematch"
	"placematch/store/storetest"
)

// A patch is decided on the record as an update starts from: a value an update may
// repair is unset instead of refusing the read, a missing record or one of another
// kind is not found, and the record otherwise reads as GetX reads it.
func TestRecordsReadToUpdateKeepRepairableRecords(t *testing.T) {
	for _, d := range storetest.Dialects() {
		t.Run(d, func(t *testing.T) {
			t.Parallel()
			db, bad, good, p := legacyUnreadable(t, d)

			c, err := db.ChildToUpdate(ctx, bad.ID)
			if err != nil || c.ID != bad.ID || !c.RequiredFrom.IsZero() || c.Reference != "BAD" || c.Version != 1 {
				t.Fatalf("ChildToUpdate(bad) = %+v, %v; want the child, required_from unset", c, err)
			}
			c, err = db.ChildToUpdate(ctx, good.ID)
			want, _ := db.GetChild(ctx, good.ID)
			if err != nil || c.Reference != want.Reference || c.RequiredFrom != want.RequiredFrom || c.Version != want.Version {
				t.Fatalf("ChildToUpdate(good) = %+v, %v; want %+v", c, err, want)
			}
			pr, err := db.ProviderToUpdate(ctx, placematch.KindCarer, p.ID)
			if err != nil || pr.ID != p.ID || !pr.Availability.AvailableFrom.IsZero() || pr.Name != p.Name {
				t.Fatalf("ProviderToUpdate(bad) = %+v, %v; want the carer, available_from unset", pr, err)
			}
			for name, err := range map[string]error{
				"child":           second(db.ChildToUpdate(ctx, "0190a6b2-0000-7000-8000-000000000000")),
				"child bad id":    second(db.ChildToUpdate(ctx, "nope")),
				"provider":        second(db.ProviderToUpdate(ctx, placematch.KindCarer, "0190a6b2-0000-7000-8000-000000000000")),
				"another kind":    second(db.ProviderToUpdate(ctx, placematch.KindUnit, p.ID)),
				"provider bad id": second(db.ProviderToUpdate(ctx, placematch.KindCarer, "nope")),
			} {
				if !errors.Is(err, placematch.ErrNotFound) {
					t.Errorf("%s: %v, want not found", name, err)
				}
			}
		})
	}
}

func second[T any](_ T, err error) error { return err }
