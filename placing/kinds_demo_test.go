package placing_test

import (
	"slices"
	"strings"
	"testing"

	"placematch"
	"placematch/demo"
	"placematch/matching"
	"placematch/placing"
	"placematch/store"
	"placematch/store/storetest"
)

// Over the whole demo, through the use-case layer: each connected-person household
// is first for the children it is connected to and absent for every other child;
// no hub bed is offered to anyone of 18 or over, nor for a connected-person
// request; ties within the margin come nearest home first.
func TestDemoKinshipFirstAndNoHubBedForCareLeavers(t *testing.T) {
	for _, d := range storetest.Dialects() {
		t.Run(d, func(t *testing.T) {
			t.Parallel()
			db := storetest.Open(t, d)
			if _, err := demo.Seed(ctx, db, 1, storetest.Clock); err != nil {
				t.Fatal(err)
			}
			svc := &placing.Service{Store: db, Now: db.Now, AreaConfigured: true}
			w := loadWorld(t, db)
			today := placematch.DateOf(storetest.Clock)
			kinOf := map[string][]string{} // child id → connected carers
			for _, p := range w.providers {
				if p.Carer != nil {
					for _, c := range p.Carer.ConnectedTo {
						kinOf[c.ChildID] = append(kinOf[c.ChildID], p.ID)
					}
				}
			}
			if len(kinOf) < 3 {
				t.Fatalf("the demo connects %d children to kin", len(kinOf))
			}
			firsts := 0
			for _, c := range w.children {
				if c.Status != placematch.ChildAwaiting {
					continue
				}
				run, err := svc.Match(ctx, placing.MatchRequest{ChildID: c.ID, Options: matching.Options{Limit: 50}})
				must(t, err)
				group := w.awaitingGroup(c)
				connected := func(id string) bool {
					p := w.providers[id]
					return p.Carer != nil && p.Carer.ConnectedWith() &&
						!slices.ContainsFunc(group, func(m *placematch.Child) bool { return !p.Carer.IsConnectedTo(m.ID) })
				}
				for i, m := range run.Matches {
					p := w.providers[m.Provider.ID]
					if p.Carer != nil && p.Carer.ConnectedWith() && !connected(p.ID) {
						t.Errorf("%s: connected carer %s offered though not connected", c.Reference, p.Reference)
					}
					if connected(p.ID) && (m.Tier != matching.TierConnected || i > 0 && run.Matches[i-1].Tier != matching.TierConnected) {
						t.Errorf("%s: connected carer %s at rank %d", c.Reference, p.Reference, m.Rank)
					}
					if connected(p.ID) && m.Rank == 1 {
						firsts++
						if !slices.ContainsFunc(m.Reasons, func(s string) bool { return strings.Contains(s, "s22C(7)(a)") }) {
							t.Errorf("%s: reasons %v", c.Reference, m.Reasons)
						}
					}
					if p.Hub != nil {
						for _, g := range group {
							if g.AgeOn(today) >= 18 || g.PlacementType == placematch.PlacementConnectedPerson {
								t.Errorf("%s: hub bed at %s offered to %s", c.Reference, p.Reference, g.Reference)
							}
						}
					}
					if m.Band != matching.BandOf(m.Score) {
						t.Errorf("%s: band %s for %v", c.Reference, m.Band, m.Score)
					}
				}
			}
			if firsts < 3 {
				t.Fatalf("a connected carer was first for only %d children", firsts)
			}
		})
	}
}

// The kinship rules are judged again at booking on the locked rows: a connected
// carer whose link to the child was removed through another instance after the
// search is refused with not_connected_person, and an emergency outside a carer's
// terms is booked with its sixth working day recorded.
func TestBookRejudgesKinshipAndRecordsTheEmergencyLimit(t *testing.T) {
	each(t, func(t *testing.T, db, other *store.DB) {
		child := storetest.Child("K1")
		must(t, db.CreateChild(ctx, child))
		kin := storetest.Carer("KIN", func(p *placematch.Provider) {
			p.Carer.PlacementTypes = []placematch.PlacementType{placematch.PlacementConnectedPerson, placematch.PlacementShortTerm}
			p.Carer.ConnectedTo = []placematch.Connection{{ChildID: child.ID, Relationship: "uncle"}}
		})
		must(t, db.CreateProvider(ctx, kin))
		sibling := storetest.Child("K2")
		must(t, db.CreateChild(ctx, sibling))
		svc := service(db)
		run, err := svc.Match(ctx, placing.MatchRequest{ChildID: child.ID, Options: optsAll()})
		must(t, err)
		if len(run.Matches) == 0 || run.Matches[0].Provider.ID != kin.ID {
			t.Fatalf("ranked %v", ranked(run))
		}
		_, err = other.UpdateProvider(ctx, kin.Kind, kin.ID, 0, func(p *placematch.Provider) error {
			p.Carer.ConnectedTo = []placematch.Connection{{ChildID: sibling.ID}}
			return nil
		})
		must(t, err)
		_, err = svc.Book(ctx, store.BookRequest{ChildID: child.ID, Provider: kin.Ref(), StartDate: placematch.DateOf(storetest.Clock),
			MatchID: run.MatchID, MatchRank: 1})
		wantRuleRefused(t, db, child.ID, err, "not_connected_person")

		// An emergency with a carer approved for short-term care only.
		emergency := storetest.Child("E1", func(c *placematch.Child) { c.PlacementType, c.Urgency = placematch.PlacementEmergency, "emergency" })
		must(t, db.CreateChild(ctx, emergency))
		carer := storetest.Carer("ST", func(p *placematch.Provider) {
			p.Carer.PlacementTypes = []placematch.PlacementType{placematch.PlacementShortTerm}
		})
		must(t, db.CreateProvider(ctx, carer))
		pls, err := svc.Book(ctx, store.BookRequest{ChildID: emergency.ID, Provider: carer.Ref(), StartDate: placematch.MustParseDate("2026-12-24")})
		must(t, err)
		if want := placematch.MustParseDate("2027-01-05"); pls[0].OutsideTermsUntil != want {
			t.Fatalf("limit %s, want %s (Christmas, Boxing Day moved to the 28th and New Year skipped)", pls[0].OutsideTermsUntil, want)
		}
	})
}
