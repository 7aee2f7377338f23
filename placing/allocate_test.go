package placing_test

import (
	"errors"
	"math"
	"slices"
	"strings"
	"testing"

	"placematch"
	"placematch/placing"
	"placematch/store"
	"placematch/store/storetest"
)

// everywhere places every point in one district.
type everywhere string

func (d everywhere) Locate(placematch.Point) (string, bool) { return string(d), true }

// farFromNorwich moves a provider about km north of Norwich.
func farFromNorwich(km float64) func(*placematch.Provider) {
	return func(p *placematch.Provider) {
		p.Location = placematch.Point{Lat: storetest.Norwich.Lat + km/111, Lon: storetest.Norwich.Lon}
	}
}

func assignedTo(a *placing.Allocation, childID string) (placing.Assignment, bool) {
	for _, as := range a.Assignments {
		if slices.Contains(as.ChildIDs, childID) {
			return as, true
		}
	}
	return placing.Assignment{}, false
}

// The stranding case: child A could go to X or Y, child B only to X (the one
// wheelchair-accessible home). First come, first served gives A its best, X, and
// strands B; the allocation places both, A at its rank 2 as A's own search ranks
// it. It books nothing, and the stored run reads back byte for byte.
func TestAllocationPlacesWhatFirstComeStrands(t *testing.T) {
	each(t, func(t *testing.T, db, _ *store.DB) {
		x := storetest.Carer("X", func(p *placematch.Provider) { p.Carer.Household.WheelchairAccessible = true })
		y := storetest.Carer("Y", farFromNorwich(15))
		must(t, db.CreateProvider(ctx, x))
		must(t, db.CreateProvider(ctx, y))
		a := storetest.Child("A")
		b := storetest.Child("B", func(c *placematch.Child) {
			c.WheelchairUser = true
			c.RequiredFrom = c.RequiredFrom.AddDays(1) // needed later: second in the queue
		})
		must(t, db.CreateChild(ctx, a))
		must(t, db.CreateChild(ctx, b))

		svc := service(db)
		al, err := svc.Allocate(ctx, placing.AllocateRequest{})
		must(t, err)
		if al.PlacedChildren != 2 || al.Greedy.PlacedChildren != 1 || len(al.Unplaced) != 0 || !al.Optimal {
			t.Fatalf("placed %d, greedy %d, unplaced %+v, optimal %v", al.PlacedChildren, al.Greedy.PlacedChildren, al.Unplaced, al.Optimal)
		}
		asA, _ := assignedTo(al, a.ID)
		asB, _ := assignedTo(al, b.ID)
		if asA.Provider.ID != y.ID || asB.Provider.ID != x.ID || asB.Rank != 1 {
			t.Fatalf("A at %s (rank %d), B at %s (rank %d)", asA.Provider.Name, asA.Rank, asB.Provider.Name, asB.Rank)
		}
		if math.Round(al.Objective*100) != math.Round((asA.Score+asB.Score)*100) || al.UpperBound.PlacedChildren != 2 || al.UpperBound.Objective != al.Objective {
			t.Fatalf("objective %v bound %+v", al.Objective, al.UpperBound)
		}
		run, err := svc.Match(ctx, placing.MatchRequest{ChildID: a.ID, Options: optsAll()})
		must(t, err)
		if got := ranked(run); len(got) != 2 || got[0] != x.ID || got[1] != y.ID || asA.Rank != 2 || run.Matches[1].Score != asA.Score {
			t.Fatalf("A's own search ranks %v; allocation says rank %d score %v", got, asA.Rank, asA.Score)
		}
		if al.Greedy.Objective >= al.Objective && al.Greedy.PlacedChildren >= al.PlacedChildren {
			t.Fatalf("greedy %+v shown as no worse", al.Greedy)
		}

		stored, err := svc.GetAllocation(ctx, al.AllocationID)
		must(t, err)
		if string(stored.Result) != string(al.Body) || len(stored.Assignments) != 2 || stored.InputHash != al.InputHash {
			t.Fatalf("stored run differs: %s", stored.Result)
		}
		// Books nothing: no placement, children still awaiting, places still free.
		page, err := db.ListPlacements(ctx, store.PlacementFilter{})
		must(t, err)
		if len(page.Items) != 0 {
			t.Fatalf("an allocation booked %d placements", len(page.Items))
		}
		for _, c := range []*placematch.Child{a, b} {
			got, err := db.GetChild(ctx, c.ID)
			must(t, err)
			if got.Status != placematch.ChildAwaiting {
				t.Fatalf("%s is %s", c.Reference, got.Status)
			}
		}
		for _, p := range []*placematch.Provider{x, y} {
			got, err := db.GetProvider(ctx, p.Kind, p.ID)
			must(t, err)
			if got.Filled != 0 || got.Vacancies != 3 {
				t.Fatalf("%s filled %d vacancies %d", p.Name, got.Filled, got.Vacancies)
			}
		}
	})
}

// A sibling group is placed whole at one home, and a child left over is told which
// home it could have had and who the allocation gave it to.
func TestAllocationKeepsGroupsWholeAndNamesWhoTookTheHome(t *testing.T) {
	each(t, func(t *testing.T, db, _ *store.DB) {
		x := storetest.Carer("X")
		must(t, db.CreateProvider(ctx, x))
		brother := storetest.Child("K2")
		must(t, db.CreateChild(ctx, brother))
		sister := storetest.Child("K1", func(c *placematch.Child) { c.Siblings = []string{brother.ID} })
		must(t, db.CreateChild(ctx, sister))
		lone := storetest.Child("L", func(c *placematch.Child) { c.Urgency = "emergency" }) // first in the queue
		must(t, db.CreateChild(ctx, lone))

		al, err := service(db).Allocate(ctx, placing.AllocateRequest{ChildIDs: []string{sister.ID, lone.ID}})
		must(t, err)
		if len(al.Assignments) != 1 || len(al.Assignments[0].ChildIDs) != 2 || al.PlacedChildren != 2 {
			t.Fatalf("assignments %+v", al.Assignments)
		}
		if !slices.Contains(al.Assignments[0].ChildIDs, brother.ID) || !slices.Contains(al.Children, brother.ID) {
			t.Fatalf("the brother, named by his sibling link, is not allocated with her: %+v", al.Assignments)
		}
		if al.Greedy.PlacedChildren != 1 {
			t.Fatalf("greedy placed %d: the emergency first takes X", al.Greedy.PlacedChildren)
		}
		if len(al.Unplaced) != 1 {
			t.Fatalf("unplaced %+v", al.Unplaced)
		}
		u := al.Unplaced[0]
		if u.Code != placing.UnplacedUsedByOthers || len(u.Eligible) != 1 || u.Eligible[0].Provider.ID != x.ID ||
			len(u.Eligible[0].TakenBy) != 1 || !strings.Contains(u.Reason, x.Name) || !strings.Contains(u.Reason, brother.ID) {
			t.Fatalf("unplaced %+v", u)
		}
	})
}

// With places held for emergencies, a district's unit gives only the places above
// the hold; the child left over is told the places there are kept.
func TestAllocationHoldsEmergencyPlaces(t *testing.T) {
	each(t, func(t *testing.T, db, _ *store.DB) {
		db.Locator = everywhere("Norwich")
		unit := storetest.Unit("U")
		must(t, db.CreateProvider(ctx, unit))
		teen := func(ref string) {
			must(t, db.CreateChild(ctx, storetest.Child(ref, func(c *placematch.Child) {
				c.DateOfBirth = placematch.DateOf(storetest.Clock).AddDays(-17*365 - 30)
			})))
		}
		teen("T1")
		teen("T2")
		svc := service(db)
		all, err := svc.Allocate(ctx, placing.AllocateRequest{})
		must(t, err)
		if all.PlacedChildren != 2 {
			t.Fatalf("without a hold a unit of four beds takes both: %+v", all.Assignments)
		}
		hold := 3
		al, err := svc.Allocate(ctx, placing.AllocateRequest{HoldEmergencyPlaces: &hold})
		must(t, err)
		if al.PlacedChildren != 1 || al.Greedy.PlacedChildren != 1 || len(al.Unplaced) != 1 ||
			!al.Unplaced[0].Eligible[0].HeldForEmergencies || al.Options.HoldEmergencyPlaces != 3 {
			t.Fatalf("placed %d, unplaced %+v", al.PlacedChildren, al.Unplaced)
		}
		if al.InputHash == all.InputHash || al.Solver.CompleteLists {
			t.Fatal("the hold-back is part of the input and makes the lists incomplete")
		}
		// The service's default (PLACEMATCH_HOLD_EMERGENCY_PLACES) applies when the
		// request does not say; a request's zero overrides it.
		svc.HoldEmergencyPlaces = 3
		byDefault, err := svc.Allocate(ctx, placing.AllocateRequest{})
		must(t, err)
		none := 0
		overridden, err := svc.Allocate(ctx, placing.AllocateRequest{HoldEmergencyPlaces: &none})
		must(t, err)
		if byDefault.PlacedChildren != 1 || byDefault.Options.HoldEmergencyPlaces != 3 || overridden.PlacedChildren != 2 {
			t.Fatalf("by default placed %d (hold %d), with hold 0 placed %d", byDefault.PlacedChildren,
				byDefault.Options.HoldEmergencyPlaces, overridden.PlacedChildren)
		}
	})
}

// Unknown, non-awaiting and repeated child ids, and a negative hold, are refused
// naming the field, and nothing is stored.
func TestAllocationRefusesBadInput(t *testing.T) {
	each(t, func(t *testing.T, db, _ *store.DB) {
		ok := storetest.Child("OK")
		must(t, db.CreateChild(ctx, ok))
		closed := storetest.Child("C", func(c *placematch.Child) { c.Status = placematch.ChildClosed })
		must(t, db.CreateChild(ctx, closed))
		neg := -1
		for name, req := range map[string]placing.AllocateRequest{
			"unknown":      {ChildIDs: []string{ok.ID, "01900000-0000-7000-8000-000000000000"}},
			"not awaiting": {ChildIDs: []string{ok.ID, closed.ID}},
			"twice":        {ChildIDs: []string{ok.ID, ok.ID}},
			"hold":         {HoldEmergencyPlaces: &neg},
		} {
			_, err := service(db).Allocate(ctx, req)
			var v *placematch.ValidationError
			if !errors.As(err, &v) || len(v.Errors) == 0 {
				t.Fatalf("%s: %v", name, err)
			}
			if want := map[bool]string{true: "hold_emergency_places", false: "child_ids"}[name == "hold"]; v.Errors[0].Field != want {
				t.Fatalf("%s: names %+v", name, v.Errors)
			}
		}
		if n, err := db.CountAllocations(ctx); err != nil || n != 0 {
			t.Fatalf("%d allocations stored after bad input (%v)", n, err)
		}
	})
}

// The tiers carry into the allocation: a child with an eligible connected person
// goes to it even when another home scores more (s22C(7)(a)), and an emergency
// goes to a carer inside its terms before a better-scoring one outside them,
// unless only the one outside its terms can take the child.
func TestAllocationKeepsTheTiers(t *testing.T) {
	each(t, func(t *testing.T, db, _ *store.DB) {
		// Two groups, so that each chooses among two homes (an allocation
		// shortlists as many homes per group as there are groups).
		a, b := storetest.Child("A"), storetest.Child("B")
		must(t, db.CreateChild(ctx, a))
		must(t, db.CreateChild(ctx, b))
		near := storetest.Carer("NEAR") // at the child's home: the better score
		kin := storetest.Carer("KIN", farFromNorwich(30), func(p *placematch.Provider) {
			p.Carer.PlacementTypes = []placematch.PlacementType{placematch.PlacementConnectedPerson, placematch.PlacementShortTerm}
			p.Carer.ConnectedTo = []placematch.Connection{{ChildID: a.ID, Relationship: "aunt"}}
			p.Carer.Skills = nil
		})
		other := storetest.Carer("OTHER") // a carer takes one group: B's other home
		must(t, db.CreateProvider(ctx, near))
		must(t, db.CreateProvider(ctx, kin))
		must(t, db.CreateProvider(ctx, other))
		svc := service(db)
		al, err := svc.Allocate(ctx, placing.AllocateRequest{ChildIDs: []string{a.ID, b.ID}})
		must(t, err)
		as, ok := assignedTo(al, a.ID)
		if !ok || as.Provider.ID != kin.ID || as.Rank != 1 {
			t.Fatalf("A at %+v (placed %v), want the connected person; %+v", as, ok, al)
		}
		run, err := svc.Match(ctx, placing.MatchRequest{ChildID: a.ID, Options: optsAll()})
		must(t, err)
		if len(run.Matches) < 2 || run.Matches[0].Score >= run.Matches[1].Score {
			t.Fatalf("the setup needs the connected person to score less: %+v", run.Matches)
		}
		if !strings.Contains(al.ObjectiveIs, "s22C(7)(a)") || !strings.Contains(al.ObjectiveIs, "reg 23") {
			t.Errorf("objective_definition %q", al.ObjectiveIs)
		}

		// NEAR and OTHER are taken out of the second part: unavailable.
		for _, id := range []string{near.ID, other.ID} {
			_, err = db.UpdateProvider(ctx, placematch.KindCarer, id, 0, func(p *placematch.Provider) error {
				p.Availability.Status = placematch.Unavailable
				return nil
			})
			must(t, err)
		}
		e := storetest.Child("E", func(c *placematch.Child) {
			c.PlacementType, c.Urgency = placematch.PlacementEmergency, "emergency"
		})
		must(t, db.CreateChild(ctx, e))
		outside := storetest.Carer("OUT", func(p *placematch.Provider) {
			p.Carer.PlacementTypes = []placematch.PlacementType{placematch.PlacementShortTerm}
		})
		inside := storetest.Carer("IN", farFromNorwich(25))
		must(t, db.CreateProvider(ctx, outside))
		must(t, db.CreateProvider(ctx, inside))
		// Another group that only a unit can take, so that E chooses between
		// its two carers.
		g := storetest.Child("G", func(c *placematch.Child) {
			c.DateOfBirth, c.WheelchairUser = placematch.DateOf(storetest.Clock).AddDays(-17*365-30), true
		})
		must(t, db.CreateChild(ctx, g))
		must(t, db.CreateProvider(ctx, storetest.Unit("GU", func(p *placematch.Provider) {
			p.Unit.Features = append(p.Unit.Features, placematch.FeatureWheelchairAccessible)
		})))
		al, err = svc.Allocate(ctx, placing.AllocateRequest{ChildIDs: []string{e.ID, g.ID}})
		must(t, err)
		var outScore, inScore float64
		for _, x := range al.Unplaced {
			t.Fatalf("unplaced %+v", x)
		}
		run, err = svc.Match(ctx, placing.MatchRequest{ChildID: e.ID, Options: optsAll()})
		must(t, err)
		for _, m := range run.Matches {
			switch m.Provider.ID {
			case outside.ID:
				outScore = m.Score
			case inside.ID:
				inScore = m.Score
			}
		}
		if outScore <= inScore {
			t.Fatalf("the setup needs the carer outside its terms to score more: %v vs %v", outScore, inScore)
		}
		if as, _ := assignedTo(al, e.ID); as.Provider.ID != inside.ID {
			t.Fatalf("the emergency went to %s, not the carer inside its terms", as.Provider.Name)
		}
		// With the carer inside its terms taken by another emergency, the child
		// still goes to the one outside them: children placed come first.
		f := storetest.Child("F", func(c *placematch.Child) {
			c.PlacementType, c.Urgency = placematch.PlacementEmergency, "emergency"
			c.WheelchairUser = true
		})
		must(t, db.CreateChild(ctx, f))
		_, err = db.UpdateProvider(ctx, placematch.KindCarer, inside.ID, 0, func(p *placematch.Provider) error {
			p.Carer.Household.WheelchairAccessible, p.Carer.MaxChildren = true, 1
			return nil
		})
		must(t, err)
		al, err = svc.Allocate(ctx, placing.AllocateRequest{ChildIDs: []string{e.ID, f.ID}})
		must(t, err)
		asE, _ := assignedTo(al, e.ID)
		asF, _ := assignedTo(al, f.ID)
		if al.PlacedChildren != 2 || asE.Provider.ID != outside.ID || asF.Provider.ID != inside.ID {
			t.Fatalf("placed %d: E at %s, F at %s", al.PlacedChildren, asE.Provider.Name, asF.Provider.Name)
		}
	})
}
