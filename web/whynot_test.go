package web_test

import (
	"strconv"
	"strings"
	"testing"

	"placematch"
	"placematch/matching"
	"placematch/placing"
	"placematch/store"
	"placematch/store/storetest"
)

// "Why not" names a carer further than the child's maximum distance, which the run
// only counted, saying how far it is, on both engines; the counts stay the run's.
func TestWhyNotNamesAHomeOutsideTheMaximumDistance(t *testing.T) {
	for _, d := range storetest.Dialects() {
		t.Run(d, func(t *testing.T) {
			s := newSite(t, d)
			far := storetest.Carer("FAR-1", func(p *placematch.Provider) {
				p.Name = "Household Farthingale"
				p.Location = placematch.Point{Lat: 51.5072, Lon: -0.1276} // London
			})
			must(t, s.DB.CreateProvider(ctx, far))
			q, err := s.Uses.Queue(ctx, placing.QueueFilter{})
			must(t, err)
			var run *placing.Run
			for _, c := range q {
				if c.MaxDistanceKM == nil || c.Location == nil {
					continue
				}
				run, err = s.Uses.Match(ctx, matchAll(c.ID))
				must(t, err)
				break
			}
			if run == nil {
				t.Fatal("the demo has no child with a maximum distance")
			}
			outside := run.ExcludedSummary[matching.CodeOutsideSearchRadius]
			if outside == 0 {
				t.Fatalf("the run counts nobody outside the radius: %v", run.ExcludedSummary)
			}
			c := s.client(t)
			s.signIn(t, c, "officer")
			p := s.get(t, c, "/matches/"+run.MatchID+"?q=farthingale")
			if p.StatusCode != 200 {
				t.Fatalf("status %d", p.StatusCode)
			}
			for _, want := range []string{"1 excluded home matches", `data-provider-name="Household Farthingale" data-far`,
				"miles from home, further than"} {
				if !strings.Contains(p.Body, want) {
					t.Errorf("the search does not show %q", want)
				}
			}
			if strings.Contains(p.Body, "0 excluded homes match") {
				t.Error("the page says nobody matches")
			}
			// Without a search the group is counted as the run counted it.
			all := s.get(t, c, "/matches/"+run.MatchID).Body
			if strings.Contains(all, "Farthingale") || !strings.Contains(all, "(<span data-count>"+strconv.Itoa(outside)+"</span>)") {
				t.Errorf("the unsearched page lists the far home or miscounts %d", outside)
			}
		})
	}
}

// The distance to school each ranked home has is shown in its facts, in the map's
// table and when homes are compared, in miles.
func TestMatchesShowTheDistanceToSchool(t *testing.T) {
	s := newSite(t, store.SQLite)
	c := s.client(t)
	s.signIn(t, c, "officer")
	q, err := s.Uses.Queue(ctx, placing.QueueFilter{})
	must(t, err)
	for _, ch := range q {
		run, err := s.Uses.Match(ctx, matchAll(ch.ID))
		must(t, err)
		if len(run.Matches) < 2 || run.Matches[0].SchoolDistanceKM == 0 || run.Matches[1].SchoolDistanceKM == 0 {
			continue
		}
		want := func(m matching.Match) string { return strconv.FormatFloat(m.SchoolDistanceKM/1.609344, 'f', 1, 64) }
		body := s.get(t, c, "/matches/"+run.MatchID).Body
		for _, m := range run.Matches {
			if m.SchoolDistanceKM == 0 {
				continue
			}
			if !strings.Contains(body, `data-school-miles>`+want(m)+` miles</dd>`) || !strings.Contains(body, `data-school-miles>`+want(m)+`</td>`) {
				t.Errorf("rank %d: %s miles to school not shown in the facts and the map's table", m.Rank, want(m))
			}
		}
		cmp := s.get(t, c, "/matches/"+run.MatchID+"/compare?rank=1&rank=2").Body
		if !strings.Contains(cmp, "Distance to school") || !strings.Contains(cmp, ">"+want(run.Matches[1])+" miles<") {
			t.Errorf("compare does not show %s miles to school", want(run.Matches[1]))
		}
		return
	}
	t.Fatal("the demo has no child with a school and two ranked homes")
}
