package store_test

import (
	"errors"
	"testing"

	"placematch"
	"placematch/store"
	"placematch/store/storetest"
)

// TestUnreachableDatabaseIsUnavailable: once the database goes away, reads and
// writes fail with ErrUnavailable, which the API answers as 503, not as an internal
// error.
func TestUnreachableDatabaseIsUnavailable(t *testing.T) {
	for _, d := range storetest.Dialects() {
		t.Run(d, func(t *testing.T) {
			t.Parallel()
			db, unplug := storetest.OpenUnpluggable(t, d)
			p := storetest.Carer("UNPLUG")
			if err := db.CreateProvider(ctx, p); err != nil {
				t.Fatal(err)
			}
			unplug()
			calls := map[string]func() error{
				"get": func() error { _, err := db.GetProvider(ctx, placematch.KindCarer, p.ID); return err },
				"list": func() error {
					_, err := db.ListProviders(ctx, store.ProviderFilter{Kind: placematch.KindCarer})
					return err
				},
				"create":    func() error { return db.CreateProvider(ctx, storetest.Carer("UNPLUG-2")) },
				"archive":   func() error { return db.ArchiveProvider(ctx, placematch.KindCarer, p.ID, 0) },
				"placement": func() error { _, err := db.GetPlacement(ctx, p.ID); return err },
			}
			for name, call := range calls {
				if err := call(); !errors.Is(err, placematch.ErrUnavailable) {
					t.Errorf("%s: %v, want ErrUnavailable", name, err)
				}
			}
		})
	}
}
