package store_test

import (
	"reflect"
	"testing"

	"placematch"
	"placematch/store"
	"placematch/store/storetest"
)

// A run keeps its excluded set (a mask per provider of its manifest, or the mark
// that its replay record derives them) beside its replay record and reads it back
// as it was, and a run stored with the list as
// JSON, as runs were before, still reads back its list and pages it by reason, by
// name or reference and by cursor. On both engines.
func TestMatchRunKeepsItsExcludedSetAndOldRunsTheirList(t *testing.T) {
	for _, d := range storetest.Dialects() {
		t.Run(d, func(t *testing.T) {
			t.Parallel()
			db := storetest.Open(t, d)
			child := storetest.Child("KEPT-A")
			must(t, db.CreateChild(ctx, child))

			masks := make([]uint32, 1000)
			masks[0], masks[3], masks[999] = 1, 1<<2|1<<30, 7
			for i := 500; i < 900; i += 3 {
				masks[i] = 1 << (i % 31)
			}
			kept := &store.ExcludedSet{Codes: []string{"age_out_of_range", "unavailable", "fostering_limit"}, Masks: masks}
			run := &store.MatchRun{ID: store.NewMatchID(), ChildID: child.ID, Group: []string{child.ID}, InputHash: "h",
				WeightsVersion: "v1", Result: []byte(`{}`), Replay: []byte(`{"manifest":"m"}`), Kept: kept}
			must(t, db.SaveMatchRun(ctx, run))
			got, err := db.MatchRunExcluded(ctx, run.ID)
			must(t, err)
			if got.List != nil || !reflect.DeepEqual(got.Set, kept) || string(got.Replay) != `{"manifest":"m"}` {
				t.Fatalf("kept set read back as %+v, list %v, replay %s", got.Set, got.List, got.Replay)
			}

			// A derived set is stored as a marker and read back as one.
			derived := &store.MatchRun{ID: store.NewMatchID(), ChildID: child.ID, Group: []string{child.ID}, InputHash: "h",
				WeightsVersion: "v1", Result: []byte(`{}`), Replay: []byte(`{"manifest":"m"}`), Kept: &store.ExcludedSet{Derived: true}}
			must(t, db.SaveMatchRun(ctx, derived))
			if got, err := db.MatchRunExcluded(ctx, derived.ID); err != nil || got.Set == nil || !got.Set.Derived || got.Set.Masks != nil {
				t.Fatalf("derived set read back as %+v (%v)", got, err)
			}

			ref := func(id, name string) placematch.ProviderRef {
				return placematch.ProviderRef{ID: id, Kind: placematch.KindCarer, Name: name}
			}
			ids := []string{store.NewMatchID(), store.NewMatchID(), store.NewMatchID()}
			list := []store.Exclusion{
				{Provider: ref(ids[2], "The Oaks"), Reference: "FC-3", Reasons: []string{"unavailable"}},
				{Provider: ref(ids[0], "Birch House"), Reference: "FC-1", Reasons: []string{"age_out_of_range", "unavailable"}},
				{Provider: ref(ids[1], "Cedar Lodge"), Reference: "FC-2", Reasons: []string{"age_out_of_range"}, NearMiss: "age 4–9"},
			}
			old := &store.MatchRun{ID: store.NewMatchID(), ChildID: child.ID, Group: []string{child.ID}, InputHash: "h",
				WeightsVersion: "v1", Result: []byte(`{}`), Excluded: list}
			must(t, db.SaveMatchRun(ctx, old))
			back, err := db.MatchRunExcluded(ctx, old.ID)
			must(t, err)
			if back.Set != nil || len(back.List) != 3 {
				t.Fatalf("old run read back as %+v, set %+v", back.List, back.Set)
			}
			for i, e := range back.List { // in provider id order (ids are issued in order)
				if e.Provider.ID != ids[i] {
					t.Fatalf("old run's list at %d is %s, want %s", i, e.Provider.ID, ids[i])
				}
			}
			page, err := store.PageExclusions(back.List, store.ExclusionFilter{Reason: "unavailable", Limit: 1})
			must(t, err)
			if len(page.Items) != 1 || page.Items[0].Provider.ID != ids[0] || page.NextCursor == "" {
				t.Fatalf("first page by reason: %+v", page)
			}
			page, err = store.PageExclusions(back.List, store.ExclusionFilter{Reason: "unavailable", Limit: 1, Cursor: page.NextCursor})
			must(t, err)
			if len(page.Items) != 1 || page.Items[0].Provider.ID != ids[2] || page.NextCursor != "" {
				t.Fatalf("second page by reason: %+v", page)
			}
			page, err = store.PageExclusions(back.List, store.ExclusionFilter{Query: "fc-2"})
			must(t, err)
			if len(page.Items) != 1 || page.Items[0].NearMiss != "age 4–9" {
				t.Fatalf("by reference: %+v", page)
			}
			if _, err := store.PageExclusions(back.List, store.ExclusionFilter{Cursor: "nonsense"}); err == nil {
				t.Fatal("a cursor this service never issued is accepted")
			}
		})
	}
}
