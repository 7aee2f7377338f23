package store_test

import (
	"testing"

	"placematch"
	"placematch/store"
	"placematch/store/storetest"
)

// A provider's sector is kept, changed, cleared, filtered on and read for reports,
// and a value outside the list cannot be stored even by SQL written around the store.
func TestProviderSectorIsKept(t *testing.T) {
	eachDialect(t, func(t *testing.T, db *store.DB) {
		own := storetest.Carer("S-1", func(p *placematch.Provider) { p.Sector = placematch.SectorInHouse })
		ifa := storetest.Carer("S-2", func(p *placematch.Provider) { p.Sector = placematch.SectorAgency })
		none := storetest.Carer("S-3")
		unit := storetest.Unit("S-4", func(p *placematch.Provider) { p.Sector = placematch.SectorPrivate })
		for _, p := range []*placematch.Provider{own, ifa, none, unit} {
			must(t, db.CreateProvider(ctx, p))
		}
		got, err := db.GetProvider(ctx, placematch.KindCarer, own.ID)
		must(t, err)
		if got.Sector != placematch.SectorInHouse {
			t.Fatalf("sector read back as %q", got.Sector)
		}
		if got, _ := db.GetProvider(ctx, placematch.KindCarer, none.ID); got.Sector != "" {
			t.Fatalf("unrecorded sector read back as %q", got.Sector)
		}
		page, err := db.ListProviders(ctx, store.ProviderFilter{Kind: placematch.KindCarer, Sector: placematch.SectorAgency})
		must(t, err)
		if len(page.Items) != 1 || page.Items[0].ID != ifa.ID {
			t.Fatalf("agency carers: %d", len(page.Items))
		}
		_, err = db.UpdateProvider(ctx, placematch.KindCarer, ifa.ID, 0, func(p *placematch.Provider) error {
			p.Sector = placematch.SectorVoluntary
			return nil
		})
		must(t, err)
		_, err = db.UpdateProvider(ctx, placematch.KindCarer, own.ID, 0, func(p *placematch.Provider) error {
			p.Sector = ""
			return nil
		})
		must(t, err)
		sectors, err := db.ProviderSectors(ctx)
		must(t, err)
		want := map[string]placematch.Sector{ifa.ID: placematch.SectorVoluntary, unit.ID: placematch.SectorPrivate}
		if len(sectors) != len(want) {
			t.Fatalf("sectors %v, want %v", sectors, want)
		}
		for id, s := range want {
			if sectors[id] != s {
				t.Errorf("%s: %q, want %q", id, sectors[id], s)
			}
		}
		if err := db.ExecRaw(ctx, "UPDATE providers SET sector = 'ifa' WHERE id = ?", none.ID); err == nil {
			t.Fatal("the schema stored sector 'ifa'")
		}
		if got, _ := db.GetProvider(ctx, placematch.KindCarer, none.ID); got.Sector != "" {
			t.Fatalf("refused update changed the sector to %q", got.Sector)
		}
	})
}
