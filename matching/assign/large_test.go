package assign

import (
	"math/rand/v2"
	"testing"
	"time"
)

// largeProblem makes an allocation the size of a region or a nation: providers
// spread along a line, each group choosing among the k nearest windows of them, so
// that neighbours compete; a few homes in three take one group, one in ten
// children is in a sibling group of two to four.
func largeProblem(seed uint64, groups, providers, k int) *Problem {
	r := rand.New(rand.NewPCG(seed, 2))
	p := &Problem{Providers: make([]Provider, providers)}
	for i := range p.Providers {
		p.Providers[i] = Provider{Places: r.IntN(3), OneGroup: r.IntN(3) == 0, Pool: -1}
	}
	for range groups {
		g := Group{Size: 1}
		if r.IntN(10) == 0 {
			g.Size = 2 + r.IntN(3)
		}
		at := r.IntN(providers)
		seen := map[int]bool{}
		for range k {
			pr := (at + r.IntN(4*k) + providers) % providers
			if seen[pr] || p.Providers[pr].Places < g.Size {
				continue
			}
			seen[pr] = true
			g.Options = append(g.Options, Option{Provider: pr, Score: int64(r.IntN(MaxScore + 1))})
		}
		sortOptions(g.Options)
		p.Groups = append(p.Groups, g)
	}
	return p
}

func sortOptions(o []Option) {
	for i := 1; i < len(o); i++ {
		for j := i; j > 0 && o[j].Score > o[j-1].Score; j-- {
			o[j], o[j-1] = o[j-1], o[j]
		}
	}
}

// TestLargeBound: on problems too large to solve to the end the bound is at least
// the allocation found, which is at least the greedy one, and both are feasible.
func TestLargeBound(t *testing.T) {
	for seed := range uint64(3) {
		p := largeProblem(seed, 300, 1000, 20)
		res, err := Solve(p, Limits{MaxNodes: 20})
		if err != nil {
			t.Fatal(err)
		}
		feasible(t, p, res.Best)
		feasible(t, p, res.Greedy)
		if res.Bound.Less(res.Best.Value) || res.Best.Value.Less(res.Greedy.Value) {
			t.Fatalf("seed %d: bound %+v, best %+v, greedy %+v", seed, res.Bound, res.Best.Value, res.Greedy.Value)
		}
		t.Logf("seed %d: greedy %+v best %+v bound %+v optimal %v nodes %d parts %d", seed,
			res.Greedy.Value, res.Best.Value, res.Bound, res.Optimal, res.Nodes, res.Parts)
	}
}

// BenchmarkSolve allocates 1,000 groups over 10,000 providers within a 5-second
// limit.
func BenchmarkSolve(b *testing.B) {
	p := largeProblem(7, 1000, 10000, 30)
	for b.Loop() {
		end := time.Now().Add(5 * time.Second)
		res, _ := Solve(p, Limits{Stop: func() bool { return time.Now().After(end) }})
		b.ReportMetric(float64(res.Best.Value.Children), "placed")
		b.ReportMetric(float64(res.Greedy.Value.Children), "greedy")
		b.ReportMetric(float64(res.Bound.Children), "bound")
	}
}
