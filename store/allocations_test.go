package store_test

import (
	"errors"
	"testing"

	"placematch"
	"placematch/store"
	"placematch/store/storetest"
)

// An allocation reads back as it was stored: the bytes shown, the versions and the
// typed assignments a booking checks against.
func TestAllocationRoundTrip(t *testing.T) {
	eachDialect(t, func(t *testing.T, db *store.DB) {
		a := &store.Allocation{ID: store.NewAllocationID(), InputHash: "h", WeightsVersion: "w1", RulesVersion: "r1",
			Children: []string{"c1", "c2", "c3"},
			Assignments: []store.Assignment{{ChildIDs: []string{"c1", "c2"},
				Provider: placematch.ProviderRef{Kind: placematch.KindCarer, ID: "p1", Name: "Carer"}, Rank: 2, Score: 71.5}},
			Result: []byte(`{"allocation_id":"x"}`)}
		must(t, db.SaveAllocation(ctx, a))
		got, err := db.GetAllocation(ctx, a.ID)
		must(t, err)
		if string(got.Result) != `{"allocation_id":"x"}` || got.RulesVersion != "r1" || got.WeightsVersion != "w1" ||
			len(got.Children) != 3 || !got.CreatedAt.Equal(storetest.Clock) {
			t.Fatalf("read back %+v", got)
		}
		as, ok := got.For("c2")
		if !ok || as.Provider.ID != "p1" || as.Rank != 2 || as.Score != 71.5 {
			t.Fatalf("assignment of c2: %+v %v", as, ok)
		}
		if _, ok := got.For("c3"); ok {
			t.Fatal("c3 was not placed")
		}
		if _, err := db.GetAllocation(ctx, "00000000-0000-7000-8000-000000000000"); !errors.Is(err, placematch.ErrNotFound) {
			t.Fatalf("missing allocation: %v", err)
		}
		if n, err := db.CountAllocations(ctx); err != nil || n != 1 {
			t.Fatalf("count %d %v", n, err)
		}
	})
}
