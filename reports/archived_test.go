package reports_test

import (
	"testing"

	"placematch"
	"placematch/reports"
	"placematch/store/storetest"
)

// TestArchivedProviderIsNotSupply: a provider archived while children are placed
// with it offers no places, so it leaves the supply columns and the map layer, but
// its active placements still count as placements.
func TestArchivedProviderIsNotSupply(t *testing.T) {
	for _, dialect := range storetest.Dialects() {
		t.Run(dialect, func(t *testing.T) {
			t.Parallel()
			k := buildKnown(t, dialect)
			before, err := k.service().Sufficiency(ctx, reports.Options{AsOf: asOf})
			if err != nil {
				t.Fatal(err)
			}
			// C1: 3 places, K1 and K2 placed, 1 vacant.
			if err := k.db.ArchiveProvider(ctx, placematch.KindCarer, k.c1.ID, 0); err != nil {
				t.Fatal(err)
			}
			after, err := k.service().Sufficiency(ctx, reports.Options{AsOf: asOf})
			if err != nil {
				t.Fatal(err)
			}
			b, a := before.Total, after.Total
			if a.Providers != b.Providers-1 || a.Places != b.Places-3 || a.Filled != b.Filled-2 || a.Vacant != b.Vacant-1 {
				t.Errorf("supply after archiving C1: providers/places/filled/vacant %d/%d/%d/%d, want %d/%d/%d/%d",
					a.Providers, a.Places, a.Filled, a.Vacant, b.Providers-1, b.Places-3, b.Filled-2, b.Vacant-1)
			}
			if a.Placements() != b.Placements() || a.Within != b.Within || a.Over != b.Over || a.InArea != b.InArea {
				t.Errorf("placements after archiving C1: %d (within %d over %d in area %d), want %d (%d %d %d)",
					a.Placements(), a.Within, a.Over, a.InArea, b.Placements(), b.Within, b.Over, b.InArea)
			}
			if a.Places != a.Filled+a.Vacant+a.Unavailable {
				t.Errorf("places %d != filled %d + vacant %d + unavailable %d", a.Places, a.Filled, a.Vacant, a.Unavailable)
			}
			fc, err := k.service().ProvidersGeoJSON(ctx, reports.MapFilter{})
			if err != nil {
				t.Fatal(err)
			}
			if len(fc.Features) != 4 {
				t.Errorf("map layer has %d providers, want the 4 live ones", len(fc.Features))
			}
			for _, f := range fc.Features {
				if f.Properties["id"] == k.c1.ID {
					t.Errorf("archived C1 on the map layer: %v", f.Properties)
				}
			}
		})
	}
}
