package web_test

import (
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"placematch"
	"placematch/store"
)

var versionField = regexp.MustCompile(`name="version" value="(\d+)"`)

// Ending a placement cites the version the form was made from: a change made
// meanwhile (here, a reason recorded by another officer) answers 409 with a clear
// message and ends nothing; the conflict page carries the version as it is now, and
// sending it again ends the placement. A form without a version is refused.
func TestEndingAPlacementChangedMeanwhileIsAConflict(t *testing.T) {
	s := newSite(t, store.SQLite)
	c := s.client(t)
	s.signIn(t, c, "officer")
	child, _ := s.rankedChild(t)
	pls, err := s.Uses.Book(ctx, store.BookRequest{ChildID: child.ID, Provider: mustRanked(t, s, child.ID), StartDate: placematch.DateOf(s.Clock.Now())})
	must(t, err)
	id := pls[0].ID
	form := s.get(t, c, "/placements/"+id+"/end")
	m := versionField.FindStringSubmatch(form.Body)
	if m == nil {
		t.Fatal("the form carries no version")
	}
	why := "Recorded by another officer"
	_, err = s.Uses.ChangePlacement(ctx, id, pls[0].Version, placematch.PlacementChange{DecisionReason: &why})
	must(t, err)

	p := s.post(t, c, "/placements/"+id+"/end", url.Values{"end_reason": {"CARPL"}, "version": {m[1]}}, nil)
	if p.StatusCode != http.StatusConflict || !strings.Contains(p.Body, "Someone changed this placement after you opened this page") {
		t.Fatalf("a stale form: %d", p.StatusCode)
	}
	pl, err := s.DB.GetPlacement(ctx, id)
	must(t, err)
	if pl.Status != placematch.PlacementActive {
		t.Fatalf("the stale form ended the placement: %s", pl.Status)
	}
	again := versionField.FindStringSubmatch(p.Body)
	if again == nil || again[1] == m[1] {
		t.Fatalf("the conflict page carries version %v, was %s", again, m[1])
	}
	if p := s.post(t, c, "/placements/"+id+"/end", url.Values{"end_reason": {"CARPL"}}, nil); p.StatusCode != http.StatusBadRequest {
		t.Fatalf("a form without a version: %d", p.StatusCode)
	}
	if p := s.post(t, c, "/placements/"+id+"/end", url.Values{"end_reason": {"CARPL"}, "version": {again[1]}}, nil); p.StatusCode != http.StatusSeeOther {
		t.Fatalf("sent again: %d", p.StatusCode)
	}
	pl, err = s.DB.GetPlacement(ctx, id)
	must(t, err)
	if pl.Status != placematch.PlacementEnded || pl.DecisionReason != why {
		t.Fatalf("after sending again: %+v", pl)
	}
}
