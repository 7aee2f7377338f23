package web_test

import (
	"net/http"
	"net/url"
	"strings"
	"testing"

	"placematch"
	"placematch/auth"
	"placematch/placing"
	"placematch/store"
	"placematch/web"
)

// withEveryRole offers a carer and a provider to the demo sign-in beside the
// officer and the commissioner.
func withEveryRole(s *web.Server) {
	s.Demo = append(append([]web.DemoPerson(nil), demoPeople...),
		web.DemoPerson{Key: "carer", Label: "Jo Carer", Hint: "A foster carer.",
			Principal: auth.Principal{Subject: "demo-carer", Role: auth.Carer, CarerID: "carer-1"}},
		web.DemoPerson{Key: "provider", Label: "Lee Provider", Hint: "Runs a unit.",
			Principal: auth.Principal{Subject: "demo-provider", Role: auth.Provider, UnitIDs: []string{"unit-1"}}})
}

// Only placement officers use the desk: a commissioner, a carer and a provider are
// shown the 403 page on a child, a run, its map data, booking and ending, and
// nothing is booked or ended.
func TestDeskRefusesEveryOtherRole(t *testing.T) {
	s := newSite(t, store.SQLite, withEveryRole)
	child, _ := s.rankedChild(t)
	run, err := s.Uses.Match(ctx, matchAll(child.ID))
	must(t, err)
	q, err := s.Uses.Queue(ctx, placing.QueueFilter{})
	must(t, err)
	var other *placematch.Child
	for _, c := range q {
		if c.ID != child.ID && len(c.Siblings) == 0 {
			if r, err := s.Uses.Match(ctx, matchAll(c.ID)); err == nil && len(r.Matches) > 0 {
				other = c
				break
			}
		}
	}
	pls, err := s.Uses.Book(ctx, store.BookRequest{ChildID: other.ID, Provider: mustRanked(t, s, other.ID), StartDate: placematch.DateOf(s.Clock.Now())})
	must(t, err)
	before, err := s.DB.ListPlacements(ctx, store.PlacementFilter{Limit: 500})
	must(t, err)
	for _, role := range []string{"commissioner", "carer", "provider"} {
		t.Run(role, func(t *testing.T) {
			c := s.client(t)
			s.signIn(t, c, role)
			for _, path := range []string{"/children/" + child.ID, "/matches/" + run.MatchID, "/matches/" + run.MatchID + "/map.geojson"} {
				if p := s.get(t, c, path); p.StatusCode != http.StatusForbidden || !strings.Contains(p.Body, "for placement officers") {
					t.Errorf("GET %s: %d", path, p.StatusCode)
				}
			}
			if p := s.post(t, c, "/matches/"+run.MatchID+"/book", url.Values{"rank": {"1"}, "start_date": {placematch.DateOf(s.Clock.Now()).String()}}, nil); p.StatusCode != http.StatusForbidden {
				t.Errorf("POST book: %d", p.StatusCode)
			}
			if p := s.post(t, c, "/placements/"+pls[0].ID+"/end", url.Values{"end_reason": {"CARPL"}}, nil); p.StatusCode != http.StatusForbidden {
				t.Errorf("POST end: %d", p.StatusCode)
			}
		})
	}
	after, err := s.DB.ListPlacements(ctx, store.PlacementFilter{Limit: 500})
	must(t, err)
	if len(after.Items) != len(before.Items) {
		t.Fatalf("%d placements before, %d after", len(before.Items), len(after.Items))
	}
	pl, err := s.DB.GetPlacement(ctx, pls[0].ID)
	must(t, err)
	if pl.Version != pls[0].Version || !pl.EndDate.IsZero() {
		t.Fatalf("the placement changed: %+v", pl)
	}
}
