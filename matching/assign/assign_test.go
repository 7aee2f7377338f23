package assign

import (
	"math/rand/v2"
	"testing"
)

// feasible checks an allocation against the problem: options exist, places,
// one-group providers and pools are never exceeded, and the value adds up.
func feasible(t *testing.T, p *Problem, s Solution) {
	t.Helper()
	places := make([]int, len(p.Providers))
	groups := make([]int, len(p.Providers))
	pools := make([]int, len(p.Pools))
	var v Value
	for g, oi := range s.Option {
		if oi < 0 {
			continue
		}
		if oi >= len(p.Groups[g].Options) {
			t.Fatalf("group %d has no option %d", g, oi)
		}
		o := p.Groups[g].Options[oi]
		size := p.Groups[g].Size
		places[o.Provider] += size
		groups[o.Provider]++
		if k := p.Providers[o.Provider].Pool; k >= 0 {
			pools[k] += size
		}
		v.Children += size
		v.Score += o.Score
	}
	for i, pr := range p.Providers {
		if places[i] > pr.Places {
			t.Fatalf("provider %d given %d children, has %d places", i, places[i], pr.Places)
		}
		if pr.OneGroup && groups[i] > 1 {
			t.Fatalf("provider %d takes one group, given %d", i, groups[i])
		}
	}
	for k, n := range pools {
		if n > p.Pools[k] {
			t.Fatalf("pool %d gives %d places, may give %d", k, n, p.Pools[k])
		}
	}
	if v != s.Value {
		t.Fatalf("solution says %+v, adds up to %+v", s.Value, v)
	}
}

// brute tries every allocation.
func brute(p *Problem) Value {
	st := newState(p)
	best := Value{}
	var cur Value
	var rec func(g int)
	rec = func(g int) {
		if g == len(p.Groups) {
			if best.Less(cur) {
				best = cur
			}
			return
		}
		rec(g + 1) // not placed
		for oi, o := range p.Groups[g].Options {
			if st.fits(g, oi) {
				st.place(g, oi)
				cur.Children += p.Groups[g].Size
				cur.Score += o.Score
				rec(g + 1)
				cur.Children -= p.Groups[g].Size
				cur.Score -= o.Score
				st.unplace(g, oi)
			}
		}
	}
	rec(0)
	return best
}

// randomProblem makes a small problem where contention is likely: few providers
// with few places, groups of one to three, and sometimes pools.
func randomProblem(r *rand.Rand) *Problem {
	nP := 1 + r.IntN(5)
	nG := 1 + r.IntN(7)
	p := &Problem{}
	nPools := r.IntN(3)
	for range nPools {
		p.Pools = append(p.Pools, r.IntN(5))
	}
	for range nP {
		pr := Provider{Places: r.IntN(4), OneGroup: r.IntN(2) == 0, Pool: -1}
		if nPools > 0 && r.IntN(2) == 0 {
			pr.Pool = r.IntN(nPools)
		}
		p.Providers = append(p.Providers, pr)
	}
	for range nG {
		g := Group{Size: 1}
		if r.IntN(3) == 0 {
			g.Size = 2 + r.IntN(2)
		}
		for _, pr := range r.Perm(nP)[:r.IntN(nP+1)] {
			score := int64(r.IntN(MaxScore + 1))
			if r.IntN(4) == 0 {
				score = int64(r.IntN(3)) * 2500 // ties
			}
			g.Options = append(g.Options, Option{Provider: pr, Score: score})
		}
		p.Groups = append(p.Groups, g)
	}
	p.Queue = r.Perm(nG)
	return p
}

// TestSolveEqualsBruteForce: on thousands of small random problems the solver's
// optimum is exactly brute force's, proved optimal, and both its allocation and
// the greedy one are feasible.
func TestSolveEqualsBruteForce(t *testing.T) {
	r := rand.New(rand.NewPCG(13, 1))
	gains := 0
	for i := range 5000 {
		p := randomProblem(r)
		res, err := Solve(p, Limits{})
		if err != nil {
			t.Fatal(err)
		}
		want := brute(p)
		if res.Best.Value != want {
			t.Fatalf("problem %d: solver %+v, brute force %+v\n%+v", i, res.Best.Value, want, p)
		}
		if !res.Optimal || res.Bound != want || res.Stopped {
			t.Fatalf("problem %d: optimal %v bound %+v stopped %v, optimum %+v", i, res.Optimal, res.Bound, res.Stopped, want)
		}
		feasible(t, p, res.Best)
		feasible(t, p, res.Greedy)
		if want.Less(res.Greedy.Value) {
			t.Fatalf("problem %d: greedy %+v beats the optimum %+v", i, res.Greedy.Value, want)
		}
		if res.Greedy.Value.Less(want) {
			gains++
		}
	}
	if gains == 0 {
		t.Fatal("greedy was optimal on every problem: the problems test nothing")
	}
	t.Logf("greedy below the optimum on %d of 5000 problems", gains)
}

// TestStranding: child A could go to X or Y, child B only to X, each home with one
// place. First come, first served gives A its best, X, and strands B; the
// allocation places both.
func TestStranding(t *testing.T) {
	const x, y = 0, 1
	p := &Problem{
		Providers: []Provider{{Places: 1, Pool: -1}, {Places: 1, Pool: -1}},
		Groups: []Group{
			{Size: 1, Options: []Option{{x, 9000}, {y, 8000}}}, // A, first in the queue
			{Size: 1, Options: []Option{{x, 7000}}},            // B
		},
	}
	res, err := Solve(p, Limits{})
	if err != nil {
		t.Fatal(err)
	}
	if got := res.Greedy.Option; got[0] != 0 || got[1] != -1 {
		t.Fatalf("greedy gave %v, want A at X and B stranded", got)
	}
	if res.Best.Provider(p, 0) != y || res.Best.Provider(p, 1) != x {
		t.Fatalf("allocation gave %v, want A at Y and B at X", res.Best.Option)
	}
	if res.Best.Value != (Value{2, 15000}) || !res.Optimal {
		t.Fatalf("value %+v optimal %v", res.Best.Value, res.Optimal)
	}
}

// TestGroupsNeverSplit: a group of three and two single children over two homes of
// two places each: the group fits nowhere, so it is unplaced whole, not spread.
func TestGroupsNeverSplit(t *testing.T) {
	p := &Problem{
		Providers: []Provider{{Places: 2, Pool: -1}, {Places: 2, Pool: -1}},
		Groups: []Group{
			{Size: 3, Options: []Option{{0, 10000}, {1, 10000}}},
			{Size: 1, Options: []Option{{0, 5000}}},
			{Size: 1, Options: []Option{{1, 5000}}},
		},
	}
	res, err := Solve(p, Limits{})
	if err != nil {
		t.Fatal(err)
	}
	feasible(t, p, res.Best)
	if res.Best.Option[0] != -1 || res.Best.Value != (Value{2, 10000}) {
		t.Fatalf("got %v %+v", res.Best.Option, res.Best.Value)
	}
}

// TestOneGroupAndPools: a fostering household takes one group though it has places
// for two; a pool kept for emergencies gives only what is left above the hold.
func TestOneGroupAndPools(t *testing.T) {
	p := &Problem{
		Providers: []Provider{{Places: 2, OneGroup: true, Pool: -1}, {Places: 3, Pool: 0}},
		Pools:     []int{1},
		Groups: []Group{
			{Size: 1, Options: []Option{{0, 9000}, {1, 9000}}},
			{Size: 1, Options: []Option{{0, 8000}, {1, 8000}}},
			{Size: 1, Options: []Option{{0, 7000}, {1, 7000}}},
		},
	}
	res, err := Solve(p, Limits{})
	if err != nil {
		t.Fatal(err)
	}
	feasible(t, p, res.Best)
	if res.Best.Value != (Value{2, 17000}) || !res.Optimal {
		t.Fatalf("got %v %+v", res.Best.Option, res.Best.Value)
	}
}

func TestValidate(t *testing.T) {
	bad := []*Problem{
		{Groups: []Group{{Size: 0}}},
		{Groups: []Group{{Size: 1, Options: []Option{{Provider: 0}}}}},
		{Providers: []Provider{{Places: 1, Pool: 0}}},
		{Providers: []Provider{{Places: 1, Pool: -1}}, Groups: []Group{{Size: 1, Options: []Option{{0, 1}, {0, 2}}}}},
		{Providers: []Provider{{Places: 1, Pool: -1}}, Groups: []Group{{Size: 1, Options: []Option{{0, MaxScore + 1}}}}},
		{Groups: []Group{{Size: 1}}, Queue: []int{1}},
	}
	for i, p := range bad {
		if _, err := Solve(p, Limits{}); err == nil {
			t.Errorf("problem %d accepted", i)
		}
	}
}
