package store_test

import (
	"testing"

	"placematch"
	"placematch/store"
	"placematch/store/storetest"
)

// everywhere puts every point in one district.
type everywhere string

func (d everywhere) Locate(placematch.Point) (string, bool) { return string(d), true }

// District and reference filters ignore the case of ASCII letters, and only those,
// identically on both engines.
func TestFiltersIgnoreASCIICase(t *testing.T) {
	eachDialect(t, func(t *testing.T, db *store.DB) {
		db.Locator = everywhere("King's Lynn and West Norfolk")
		must(t, db.CreateProvider(ctx, storetest.Carer("Cr-1")))
		must(t, db.CreateChild(ctx, storetest.Child("Ab-1")))
		must(t, db.CreateChild(ctx, storetest.Child("Øb-2")))
		for _, tc := range []struct {
			f    store.ProviderFilter
			want int
		}{
			{store.ProviderFilter{District: "KING'S LYNN AND WEST NORFOLK"}, 1},
			{store.ProviderFilter{District: "king's lynn and west norfolk", Reference: "CR-1"}, 1},
			{store.ProviderFilter{District: "Kings Lynn"}, 0},
		} {
			tc.f.Kind = placematch.KindCarer
			page, err := db.ListProviders(ctx, tc.f)
			must(t, err)
			if len(page.Items) != tc.want {
				t.Errorf("%+v: %d, want %d", tc.f, len(page.Items), tc.want)
			}
		}
		for _, tc := range []struct {
			f    store.ChildFilter
			want int
		}{
			{store.ChildFilter{District: "king's LYNN and west norfolk"}, 2},
			{store.ChildFilter{Reference: "aB-1"}, 1},
			{store.ChildFilter{Reference: "øb-2"}, 0}, // Ø is not ASCII: not folded on either engine
			{store.ChildFilter{Reference: "ØB-2"}, 1},
		} {
			page, err := db.ListChildren(ctx, tc.f)
			must(t, err)
			if len(page.Items) != tc.want {
				t.Errorf("%+v: %d, want %d", tc.f, len(page.Items), tc.want)
			}
		}
	})
}
