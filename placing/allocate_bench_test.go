package placing

import (
	"fmt"
	"math/rand/v2"
	"runtime"
	"testing"
	"time"

	"placematch"
	"placematch/store/storetest"
)

// allocationWorld is providers spread over Great Britain, each within 3 km of a
// random outcode centroid from the shared public data (70% foster households with
// one to three vacancies and broad approvals, 25% units, 5% hubs), and children in
// the same way: ages 0 to 17, one in ten in a sibling group of two or three, a
// third with a need, one in twenty a wheelchair user, each with a maximum distance
// of 50 km, an eighth emergencies. Everything comes from a fixed seed.
func allocationWorld(b *testing.B, children, providers int) (*candidateSet, []*queued) {
	at := storetest.OutcodeCentroids(b, "../../shared/data/postcodes/gb_outcode_centroids.csv")
	r := rand.New(rand.NewPCG(13, uint64(providers)))
	near := func() placematch.Point {
		c := at[r.IntN(len(at))]
		return placematch.Point{Lat: c.Lat + (r.Float64()-0.5)*0.054, Lon: c.Lon + (r.Float64()-0.5)*0.087}
	}
	id := func(kind, i int) string { return fmt.Sprintf("0190%04x-0000-7000-8000-%012x", kind, i) }
	byID := map[string]*placematch.Provider{}
	for i := range providers {
		var p *placematch.Provider
		switch x := r.IntN(20); {
		case x < 14:
			p = storetest.Carer(fmt.Sprint("C", i))
			p.Carer.MaxChildren = 1 + r.IntN(3)
			p.Carer.PlacementTypes = append(p.Carer.PlacementTypes, placematch.PlacementLongTerm)
			p.Carer.Household.WheelchairAccessible = r.IntN(10) == 0
			p.Places = p.Carer.MaxChildren
		case x < 19:
			p = storetest.Unit(fmt.Sprint("U", i))
			p.Unit.Beds = 1 + r.IntN(4)
			p.Places = p.Unit.Beds
		default:
			p = storetest.Hub(fmt.Sprint("H", i))
			p.Places = p.Hub.Beds + p.Hub.EmergencyBeds
		}
		p.ID, p.Location = id(0, i), near()
		p.Filled = r.IntN(p.Places + 1)
		p.Vacancies = p.Places - p.Filled
		byID[p.ID] = p
	}
	var groups []*queued
	for n := 0; n < children; {
		size := 1
		if r.IntN(10) == 0 {
			size = 2 + r.IntN(2)
		}
		size = min(size, children-n)
		home := near()
		g := &queued{}
		for j := range size {
			age := r.IntN(18)
			c := storetest.Child(fmt.Sprint("K", n+j), func(c *placematch.Child) {
				c.DateOfBirth = placematch.DateOf(storetest.Clock).AddDays(-age*365 - 30)
				c.Location = &home
				c.WheelchairUser = r.IntN(20) == 0
				c.Needs = nil
				if r.IntN(3) == 0 {
					c.Needs = []string{"trauma"}
				}
				if r.IntN(8) == 0 {
					c.Urgency = "emergency"
				}
				c.PlacementType = placematch.PlacementLongTerm
				km := 50.0
				c.MaxDistanceKM = &km
			})
			c.ID = id(1, n+j)
			g.members = append(g.members, c)
			g.ids = append(g.ids, c.ID)
		}
		for _, a := range g.members {
			for _, s := range g.members {
				if s != a {
					a.Siblings = append(a.Siblings, s.ID)
				}
			}
		}
		groups = append(groups, g)
		n += size
	}
	return buildSet(nil, byID, nil), groups
}

// BenchmarkAllocate is an allocation's work after the records are read: every
// group shortlisted on the index's view, the solver within the default time
// limit, the answer written. It reports children placed by the allocation, by
// first come first served, and the bound, and whether the time limit stopped it.
func BenchmarkAllocate(b *testing.B) {
	for _, c := range []struct{ children, providers int }{
		{40, 10000}, {1000, 10000}, {5000, 10000}, {40, 100000}, {1000, 100000}, {5000, 100000},
	} {
		b.Run(fmt.Sprintf("children=%d/providers=%d", c.children, c.providers), func(b *testing.B) {
			set, groups := allocationWorld(b, c.children, c.providers)
			svc := &Service{Now: func() time.Time { return storetest.Clock }}
			now := storetest.Clock
			runtime.GC() // the world's garbage is not the allocation's
			b.ResetTimer()
			for b.Loop() {
				out, err := svc.allocate(set, groups, nil, nil, 0, now, time.Now())
				if err != nil {
					b.Fatal(err)
				}
				stopped := 0.0
				if out.Solver.Stopped {
					stopped = 1
				}
				b.ReportMetric(float64(out.PlacedChildren), "placed")
				b.ReportMetric(float64(out.Greedy.PlacedChildren), "greedy")
				b.ReportMetric(float64(out.UpperBound.PlacedChildren), "bound")
				b.ReportMetric(out.Objective, "score")
				b.ReportMetric(out.Greedy.Objective, "greedy_score")
				b.ReportMetric(out.UpperBound.Objective, "bound_score")
				b.ReportMetric(stopped, "stopped")
				b.ReportMetric(float64(out.Solver.Nodes), "nodes")
			}
		})
	}
}
