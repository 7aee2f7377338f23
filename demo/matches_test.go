package demo

import (
	"slices"
	"testing"

	"placematch"
	"placematch/geo"
	"placematch/matching"
	"placematch/store"
	"placematch/store/storetest"
)

// The demo must show what the engine is for, on data as hard as Norfolk's: vacancies
// are scarce, so a few children have nowhere to go today and some best matches are
// more than 20 miles from home; but most children (and every sibling group) have
// somewhere to go, most best matches are near home, and the best match passes every
// hard rule when checked again on its own.
func TestDemoChildrenGetSensibleMatches(t *testing.T) {
	db := storetest.Open(t, store.SQLite)
	if _, err := Seed(ctx, db, 1, storetest.Clock); err != nil {
		t.Fatal(err)
	}
	w := load(t, db)
	var cands, hubs []matching.Candidate
	for _, p := range w.providers {
		c := matching.Prepare(p)
		cands = append(cands, c)
		if p.Kind == placematch.KindHub {
			hubs = append(hubs, c)
		}
	}
	byID := map[string]*placematch.Child{}
	for _, c := range w.children {
		byID[c.ID] = c
	}
	today := placematch.DateOf(storetest.Clock)
	var searched, matched, near, groups int
	for _, c := range w.children {
		if c.Status != placematch.ChildAwaiting {
			continue
		}
		group := []*placematch.Child{c}
		for _, id := range c.Siblings {
			if s := byID[id]; s != nil && s.Status == placematch.ChildAwaiting {
				group = append(group, s)
			}
		}
		req := matching.Request{Child: c, Group: group, Today: today, Now: storetest.Clock}
		res := matching.Rank(req, cands, matching.DefaultWeights(),
			matching.Options{Limit: 3, AreaConfigured: true, Hubs: hubs})
		searched++
		if len(group) > 1 {
			groups++
		}
		if len(res.Matches) == 0 {
			if len(group) > 1 {
				t.Errorf("%s: the sibling group of %d has no match", c.Reference, len(group))
			}
			t.Logf("%s (age %d, %s, group of %d): no match; %v", c.Reference, c.AgeOn(today), c.PlacementType,
				len(group), res.ExcludedSummary)
			continue
		}
		matched++
		best := res.Matches[0]
		if best.DistanceMiles <= 20 {
			near++
		}
		// The best match, checked on its own, breaks no hard rule.
		i := slices.IndexFunc(cands, func(x matching.Candidate) bool { return x.P.ID == best.Provider.ID })
		again := matching.Rank(req, cands[i:i+1], matching.DefaultWeights(), matching.Options{IncludeExcluded: true, Hubs: hubs})
		if len(again.Excluded) != 0 {
			t.Errorf("%s: best match %s breaks %v", c.Reference, best.Provider.Name, again.Excluded[0].Reasons)
		}
		if geo.Miles(best.DistanceKM) != best.DistanceMiles {
			t.Errorf("%s: distance %v km shown as %v miles", c.Reference, best.DistanceKM, best.DistanceMiles)
		}
	}
	t.Logf("%d searches: %d with a match, %d with the best match within 20 miles", searched, matched, near)
	if searched < 30 || groups < 13 || matched*100 < searched*85 || near*10 < matched*6 {
		t.Fatalf("%d searches, %d matched, %d near: the demo does not show sensible matches", searched, matched, near)
	}
}
