package web_test

import (
	"net/http"
	"strings"
	"testing"
	"time"

	"placematch"
	"placematch/auth"
	"placematch/store"
	"placematch/store/storetest"
	"placematch/web"
)

// withSecondOfficer adds a second placement officer to the demo people.
func withSecondOfficer(s *web.Server) {
	s.Demo = append(append([]web.DemoPerson(nil), s.Demo...), web.DemoPerson{Key: "officer2", Label: "Jo Whitlock",
		Hint: "Finds and books homes.", Principal: auth.Principal{Subject: "demo-officer-2", Role: auth.PlacementOfficer}})
}

// The printable run names who ran the search and when, beside who printed it and
// when, for a panel or a court: one officer runs it, another prints it an hour
// later, on both engines. The stored run records who asked.
func TestPrintedRunNamesWhoRanTheSearchAndWhoPrintedIt(t *testing.T) {
	for _, d := range storetest.Dialects() {
		t.Run(d, func(t *testing.T) {
			s := newSite(t, d, withSecondOfficer)
			child, _ := s.rankedChild(t)
			ran := s.client(t)
			s.signIn(t, ran, "officer")
			p := s.post(t, ran, "/children/"+child.ID+"/matches", nil, nil)
			if p.StatusCode != http.StatusSeeOther {
				t.Fatalf("search: %d", p.StatusCode)
			}
			runPath := p.Header.Get("Location")
			id := strings.TrimPrefix(runPath, "/matches/")
			rec, err := s.DB.GetMatchRun(ctx, id)
			must(t, err)
			want := placematch.Actor{Subject: "demo-officer", Name: "Sam Okafor", Role: "placement_officer"}
			if rec.RequestedBy == nil || *rec.RequestedBy != want {
				t.Fatalf("the run records %+v as who ran it, want %+v", rec.RequestedBy, want)
			}
			ranAt := s.Clock.Now()

			s.Clock.Add(time.Hour)
			printed := s.client(t)
			s.signIn(t, printed, "officer2")
			page := s.get(t, printed, runPath+"/print")
			if page.StatusCode != http.StatusOK {
				t.Fatalf("print: %d", page.StatusCode)
			}
			for _, want := range []string{
				"Search run by Sam Okafor (demo-officer) (placement officer) at " + formatLondon(ranAt),
				"Printed by Jo Whitlock (placement officer) at " + formatLondon(s.Clock.Now()),
				child.Reference,
			} {
				if !strings.Contains(page.Body, want) {
					t.Errorf("the printed run does not say %q", want)
				}
			}
			if strings.Contains(page.Body, "Search run by Jo Whitlock") {
				t.Error("the printed run names the officer who printed it as the one who ran it")
			}
		})
	}
}

// A run stored before runs recorded who asked prints that it was not recorded,
// rather than naming anyone.
func TestPrintedRunOfAnOldRunSaysWhoRanItIsNotKnown(t *testing.T) {
	s := newSite(t, store.SQLite)
	child, _ := s.rankedChild(t) // the use cases' run names nobody
	ids, err := s.DB.MatchRunIDs(ctx)
	must(t, err)
	c := s.client(t)
	s.signIn(t, c, "officer")
	page := s.get(t, c, "/matches/"+ids[0]+"/print")
	if page.StatusCode != http.StatusOK {
		t.Fatalf("print of a run for %s: %d", child.Reference, page.StatusCode)
	}
	if !strings.Contains(page.Body, "who ran it was not recorded") || strings.Contains(page.Body, "Search run by") {
		t.Error("the printed old run does not say that who ran it was not recorded")
	}
	if !strings.Contains(page.Body, "Printed by Sam Okafor (placement officer) at") {
		t.Error("the printed old run does not say who printed it")
	}
}

// formatLondon is a time as the pages write it (Europe/London).
func formatLondon(t time.Time) string {
	london, err := time.LoadLocation("Europe/London")
	if err != nil {
		panic(err)
	}
	return t.In(london).Format("2 January 2006 at 3:04pm")
}
