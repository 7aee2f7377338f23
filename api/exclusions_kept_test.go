package api_test

import (
	"net/url"
	"reflect"
	"slices"
	"testing"

	"placematch"
	"placematch/demo"
	"placematch/store/storetest"
)

// A run keeps its exclusions as they were: paged, they are the list the same
// search answers with include_excluded=true, near-miss sentences and references
// included; and after providers were renamed and archived (and the index moved on
// to other states), the run still answers them as at the run, by their names then.
func TestKeptExclusionsAreTheRunsAfterProvidersChange(t *testing.T) {
	eachDialect(t, func(t *testing.T, e *env) {
		if _, err := demo.Seed(ctx, e.db, 1, storetest.Clock); err != nil {
			t.Fatal(err)
		}
		child := childWithoutMaxDistance(t, e)
		id := e.do("GET", "/api/v1/children/"+child+"/matches", nil).JSON(t)["match_id"].(string)
		path := "/api/v1/matches/" + id + "/excluded"
		before := pageAll(t, e, path, url.Values{"limit": {"9"}})
		if len(before) < 2 {
			t.Fatalf("the run keeps %d exclusions, want at least 2", len(before))
		}

		listed := e.do("GET", "/api/v1/children/"+child+"/matches?include_excluded=true", nil).JSON(t)["excluded"].([]any)
		nearMisses := 0
		for i, l := range listed {
			want, got := l.(map[string]any), before[i]
			if got["near_miss"] != want["near_miss"] || !reflect.DeepEqual(got["reasons"], want["reasons"]) ||
				!reflect.DeepEqual(got["provider"], want["provider"]) {
				t.Fatalf("exclusion %d: kept %v, listed %v", i, got, want)
			}
			if ref, _ := got["reference"].(string); ref == "" {
				t.Fatalf("exclusion %d has no reference: %v", i, got)
			}
			if got["near_miss"] != nil {
				nearMisses++
			}
		}
		if nearMisses == 0 {
			t.Fatal("no kept exclusion says what would have to change")
		}

		renamed, archived := before[0], before[1]
		kindOf := func(x exclusion) placematch.ProviderKind {
			return placematch.ProviderKind(x["provider"].(map[string]any)["kind"].(string))
		}
		if _, err := e.db.UpdateProvider(ctx, kindOf(renamed), renamed.provider(), 0, func(p *placematch.Provider) error {
			p.Name = "Renamed After The Run"
			return nil
		}); err != nil {
			t.Fatal(err)
		}
		if err := e.db.ArchiveProvider(ctx, kindOf(archived), archived.provider(), 0); err != nil {
			t.Fatal(err)
		}
		after := e.do("GET", "/api/v1/children/"+child+"/matches?include_excluded=true", nil).JSON(t)["excluded"].([]any)
		if len(after) == len(before) {
			t.Fatalf("the search after the changes still excludes %d", len(after))
		}

		again := pageAll(t, e, path, url.Values{"limit": {"9"}})
		if !reflect.DeepEqual(again, before) {
			t.Fatalf("after the changes the run keeps\n%v\nwas\n%v", again, before)
		}
		if got := pageAll(t, e, path, url.Values{"q": {"renamed after"}}); len(got) != 0 {
			t.Fatalf("the run finds a name given after it: %v", got)
		}
		if got := pageAll(t, e, path, url.Values{"q": {renamed.name()}}); !slices.ContainsFunc(got, func(x exclusion) bool { return x.provider() == renamed.provider() }) {
			t.Fatalf("the run does not find %q by its name then: %v", renamed.name(), got)
		}
	})
}
