package placing

import (
	"fmt"
	"runtime"
	"slices"
	"testing"
	"time"

	"placematch"
	"placematch/matching"
	"placematch/store/storetest"
)

// BenchmarkScarceQueue is what a search pays, once per view of the providers and
// state of the queue, to learn which homes the groups waiting depend on: each
// group's first ScarceHomes+1 eligible homes by the hard rules alone (fewHomes,
// as searches do now), against shortlisting each group on Rank's scores
// (shortlists, scoring every eligible home), and one search ranked for scale.
// The world is allocationWorld's (every child with a 50 km maximum distance).
func BenchmarkScarceQueue(b *testing.B) {
	for _, c := range []struct{ children, providers int }{{200, 10000}, {1000, 10000}, {1000, 100000}} {
		set, groups := allocationWorld(b, c.children, c.providers)
		svc := &Service{Now: func() time.Time { return storetest.Clock }}
		now := storetest.Clock
		name := fmt.Sprintf("children=%d/providers=%d", c.children, c.providers)
		runtime.GC()
		b.Run(name+"/first_eligible", func(b *testing.B) {
			for b.Loop() {
				homes := svc.fewHomes(set, groups, now)
				few := 0
				for _, h := range homes {
					if len(h) > 0 && len(h) <= ScarceHomes {
						few++
					}
				}
				b.ReportMetric(float64(few), "groups_with_few_homes")
			}
		})
		b.Run(name+"/shortlists", func(b *testing.B) {
			for b.Loop() {
				svc.shortlists(set, groups, nil, nil, ScarceHomes+1, now)
			}
		})
		// A search's own cost: its ten matches judged against the queue, with
		// every group's homes still to find (a new view: cold) or found by an
		// earlier search (warm). Both keep the groups' rules, compiled by the
		// first search on this state of the queue.
		g := groups[0]
		req := matching.Request{Child: g.members[0], Group: g.members, Today: placematch.DateOf(now), Now: now}
		var opt matching.Options
		cands := svc.searchSet(set, req, &opt)
		res := matching.Rank(req, cands, svc.weights(), opt)
		for _, warm := range []bool{false, true} {
			b.Run(fmt.Sprintf("%s/judged_warm=%v", name, warm), func(b *testing.B) {
				x := &scarcity{groups: groups}
				svc.judgeScarce(x, set, g.members, slices.Clone(res.Matches), now)
				judged := x.found
				for b.Loop() {
					if !warm {
						x.forget()
					}
					svc.judgeScarce(x, set, g.members, slices.Clone(res.Matches), now)
				}
				b.ReportMetric(float64(judged), "groups_judged")
			})
		}
		b.Run(name+"/one_search", func(b *testing.B) {
			g := groups[0]
			req := matching.Request{Child: g.members[0], Group: g.members, Today: placematch.DateOf(now), Now: now}
			for b.Loop() {
				var opt matching.Options
				cands := svc.searchSet(set, req, &opt)
				matching.Rank(req, cands, svc.weights(), opt)
			}
		})
	}
}
