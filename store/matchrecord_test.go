package store_test

import (
	"slices"
	"testing"

	"placematch"
	"placematch/store"
	"placematch/store/storetest"
)

// A run's typed record (group and ranked providers) reads back as saved, beside the
// bytes; a run saved before the typed columns existed is read from its bytes.
func TestMatchRunRecord(t *testing.T) {
	for _, d := range storetest.Dialects() {
		t.Run(d, func(t *testing.T) {
			t.Parallel()
			db, cfg := storetest.OpenConfig(t, d)
			a, b := storetest.Child("REC-A"), storetest.Child("REC-B")
			must(t, db.CreateChild(ctx, a))
			must(t, db.CreateChild(ctx, b))
			ranked := []store.RankedProvider{
				{Rank: 1, Provider: placematch.ProviderRef{Kind: placematch.KindCarer, ID: "p1"}, Score: 91.25},
				{Rank: 2, Provider: placematch.ProviderRef{Kind: placematch.KindHub, ID: "p2"}, Score: 80},
			}
			body := `{"group":["` + a.ID + `","` + b.ID + `"],"matches":[{"rank":1,"provider":{"kind":"foster_carer","id":"p1"},"score":91.25},` +
				`{"rank":2,"provider":{"kind":"hub","id":"p2"},"score":80}]}`
			typed := &store.MatchRun{ChildID: a.ID, Group: []string{a.ID, b.ID}, InputHash: "h", WeightsVersion: "v1",
				Ranked: ranked, Result: []byte(body)}
			legacy := &store.MatchRun{ChildID: a.ID, InputHash: "h", WeightsVersion: "v1", Result: []byte(body)}
			empty := &store.MatchRun{ChildID: b.ID, Group: []string{b.ID}, InputHash: "h", WeightsVersion: "v1", Result: []byte(`{}`)}
			for _, m := range []*store.MatchRun{typed, legacy, empty} {
				must(t, db.SaveMatchRun(ctx, m))
			}
			storetest.Exec(t, cfg, "UPDATE match_runs SET group_ids = NULL, ranked = NULL WHERE id = '"+legacy.ID+"'")
			for _, m := range []*store.MatchRun{typed, legacy} {
				got, err := db.GetMatchRun(ctx, m.ID)
				must(t, err)
				if !slices.Equal(got.Group, []string{a.ID, b.ID}) || !slices.Equal(got.Ranked, ranked) || string(got.Result) != body {
					t.Fatalf("run %s read back group %v ranked %v", m.ID, got.Group, got.Ranked)
				}
				if r, ok := got.AtRank(2); !ok || r.Provider.ID != "p2" {
					t.Fatalf("AtRank(2) = %+v, %v", r, ok)
				}
				if _, ok := got.AtRank(3); ok {
					t.Fatal("AtRank(3) found a rank the run does not have")
				}
			}
			// A run that ranked nobody is stored as an empty record, not as a
			// legacy one to be read from its bytes.
			got, err := db.GetMatchRun(ctx, empty.ID)
			must(t, err)
			if len(got.Ranked) != 0 || !slices.Equal(got.Group, []string{b.ID}) {
				t.Fatalf("empty run read back group %v ranked %v", got.Group, got.Ranked)
			}
		})
	}
}
