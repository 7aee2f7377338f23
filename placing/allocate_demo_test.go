package placing_test

import (
	"fmt"
	"slices"
	"testing"

	"placematch"
	"placematch/demo"
	"placematch/matching"
	"placematch/placing"
	"placematch/store"
	"placematch/store/storetest"
)

// On the demo, through the use-case layer: every child awaiting is allocated for
// exactly once, with its whole sibling group; no provider is given more children
// than its vacancies, nor a household or hub more than one group; each proposed
// provider has, in the group's own search, the rank and score the allocation
// shows, and breaks no household rule checked plainly from the stored records; the
// allocation is no worse than first come, first served and no better than its
// bound. Then, with places made scarce (every home one place), it is shown to
// place at least as many as greedy.
func TestDemoAllocationKeepsEveryRule(t *testing.T) {
	for _, d := range storetest.Dialects() {
		t.Run(d, func(t *testing.T) {
			t.Parallel()
			db := storetest.Open(t, d)
			if _, err := demo.Seed(ctx, db, 1, storetest.Clock); err != nil {
				t.Fatal(err)
			}
			svc := &placing.Service{Store: db, Now: db.Now, AreaConfigured: true}
			al, err := svc.Allocate(ctx, placing.AllocateRequest{})
			must(t, err)
			checkDemoAllocation(t, svc, loadWorld(t, db), al)

			// Scarce: every home's vacancies cut to one place.
			w := loadWorld(t, db)
			for _, p := range w.providers {
				if p.Vacancies > 1 {
					scarce(t, db, p)
				}
			}
			tight, err := svc.Allocate(ctx, placing.AllocateRequest{})
			must(t, err)
			checkDemoAllocation(t, svc, loadWorld(t, db), tight)
			codes := map[string]int{}
			for _, u := range al.Unplaced {
				codes[u.Code] += len(u.ChildIDs)
			}
			t.Logf("%d children awaiting; full supply: placed %d (greedy %d, bound %d), score %.2f (greedy %.2f), unplaced %v; "+
				"one place per home: placed %d (greedy %d, bound %d)", len(al.Children),
				al.PlacedChildren, al.Greedy.PlacedChildren, al.UpperBound.PlacedChildren, al.Objective, al.Greedy.Objective, codes,
				tight.PlacedChildren, tight.Greedy.PlacedChildren, tight.UpperBound.PlacedChildren)
		})
	}
}

// scarce leaves a provider one vacant place by lowering its places.
func scarce(t *testing.T, db *store.DB, p *placematch.Provider) {
	t.Helper()
	_, err := db.UpdateProvider(ctx, p.Kind, p.ID, 0, func(q *placematch.Provider) error {
		switch {
		case q.Carer != nil:
			q.Carer.MaxChildren = q.Filled + 1
		case q.Unit != nil:
			q.Unit.Beds = q.Filled + 1
		case q.Hub != nil:
			q.Hub.Beds, q.Hub.EmergencyBeds = q.Filled+1, 0
		}
		return nil
	})
	must(t, err)
}

func checkDemoAllocation(t *testing.T, svc *placing.Service, w *world, al *placing.Allocation) {
	t.Helper()
	today := placematch.DateOf(storetest.Clock)
	seen := map[string]int{}
	perProvider := map[string][]int{}
	check := func(ids []string) []*placematch.Child {
		group := w.childrenByID(ids)
		if want := sortedIDs(w.awaitingGroup(group[0])); !slices.Equal(want, sortedIDs(group)) {
			t.Fatalf("allocated %v as a group, the sibling group is %v", ids, want)
		}
		for _, id := range ids {
			seen[id]++
		}
		return group
	}
	for _, as := range al.Assignments {
		group := check(as.ChildIDs)
		perProvider[as.Provider.ID] = append(perProvider[as.Provider.ID], len(group))
		run, err := svc.Match(ctx, placing.MatchRequest{ChildID: group[0].ID, Options: matching.Options{Limit: 100}})
		must(t, err)
		var got *matching.Match
		for i := range run.Matches {
			if run.Matches[i].Provider.ID == as.Provider.ID {
				got = &run.Matches[i]
			}
		}
		if got == nil || got.Rank != as.Rank || got.Score != as.Score {
			t.Fatalf("%v at %s rank %d score %v; its own search: %+v", as.ChildIDs, as.Provider.Name, as.Rank, as.Score, got)
		}
		if broken := w.householdBreaks(w.providers[as.Provider.ID], group, today); len(broken) > 0 {
			t.Errorf("%v at %s breaks household rules: %v", as.ChildIDs, as.Provider.Name, broken)
		}
	}
	for _, u := range al.Unplaced {
		check(u.ChildIDs)
	}
	for _, c := range w.children {
		if n := seen[c.ID]; (c.Status == placematch.ChildAwaiting) != (n == 1) || n > 1 {
			t.Fatalf("%s (%s) allocated for %d times", c.Reference, c.Status, n)
		}
	}
	for id, sizes := range perProvider {
		p := w.providers[id]
		total := 0
		for _, n := range sizes {
			total += n
		}
		if total > p.Vacancies || p.Kind != placematch.KindUnit && len(sizes) > 1 {
			t.Fatalf("%s (%s, %d vacancies) given groups %v", p.Name, p.Kind, p.Vacancies, sizes)
		}
	}
	if al.PlacedChildren < al.Greedy.PlacedChildren || al.UpperBound.PlacedChildren < al.PlacedChildren ||
		al.PlacedChildren == al.Greedy.PlacedChildren && al.Objective < al.Greedy.Objective-0.005 {
		t.Fatalf("placed %d, greedy %+v, bound %+v", al.PlacedChildren, al.Greedy, al.UpperBound)
	}
	if want := fmt.Sprint(len(seen)); fmt.Sprint(len(al.Children)) != want {
		t.Fatalf("children %d, allocated for %s", len(al.Children), want)
	}
}
