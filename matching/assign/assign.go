// Package assign chooses one provider for each of many groups of children at once:
// the allocation across a queue. It is pure and deterministic (no clock of its own:
// the caller's Stop ends the search), and knows nothing of children or providers
// beyond sizes, scores, places and pools.
//
// The objective is lexicographic: first the number of children placed, then the
// sum of the scores of the groups placed. It is maximised as one integer,
// M·children + Σ score with M greater than any sum of scores, so that no gain in
// score can ever pay for a child left unplaced.
//
// Single children are a min-cost flow problem and the flow is solved exactly by
// successive shortest paths. Sibling groups are indivisible and a provider that
// takes one group at most (a fostering household) is not a flow constraint, so
// the flow with groups allowed to split is a relaxation: its value bounds every
// allocation from above. Branch and bound on (group, provider) pairs closes the
// gap, with the relaxation as the bound at every node, until the search is done or
// Stop says to end it; the bound then still holds and the gap is reported.
package assign

import (
	"errors"
	"fmt"
	"slices"
)

// MaxScore is the highest score an option can have, in hundredths (100.00).
const MaxScore = 10000

// Option is a provider a group may go to, with the group's score there in
// hundredths (0 to MaxScore).
type Option struct {
	Provider int
	Score    int64
}

// Group is children who must go to one provider together.
type Group struct {
	Size int
	// Options are the providers the group may go to, best first; a provider at
	// most once. The order breaks ties in the greedy baseline.
	Options []Option
}

// Provider is a home with free places.
type Provider struct {
	Places int
	// OneGroup says the provider takes at most one group in an allocation.
	OneGroup bool
	// Pool is the index of the pool of places the provider draws on (Problem.Pools),
	// or -1 for none.
	Pool int
}

// Problem is an allocation to make.
type Problem struct {
	Groups    []Group
	Providers []Provider
	// Pools are how many places each pool may give in all (for the emergency
	// hold-back: the places of a district and kind, less those kept free).
	Pools []int
	// Queue is the order of first come, first served for the greedy baseline: a
	// permutation of the group indexes; nil is index order.
	Queue []int
}

// Value is what an allocation achieves, compared children first, then score.
type Value struct {
	Children int
	// Score is the sum of the scores of the groups placed, in hundredths.
	Score int64
}

// Less reports whether v is worse than o.
func (v Value) Less(o Value) bool {
	if v.Children != o.Children {
		return v.Children < o.Children
	}
	return v.Score < o.Score
}

// Solution gives each group an option index into its Options, or -1 when the
// group is not placed.
type Solution struct {
	Option []int
	Value  Value
}

// Provider returns the provider a group goes to, or -1.
func (s Solution) Provider(p *Problem, g int) int {
	if s.Option[g] < 0 {
		return -1
	}
	return p.Groups[g].Options[s.Option[g]].Provider
}

// Limits bound the search. Stop is asked between branch-and-bound nodes and ends
// the search when it returns true; MaxNodes ends it after that many nodes (0: no
// limit). The relaxation at the root of each independent part of the problem is
// always solved, so a stopped search still has a bound.
type Limits struct {
	Stop     func() bool
	MaxNodes int
}

// Result is an allocation with what is known of its quality.
type Result struct {
	// Best is the best allocation found.
	Best Solution
	// Greedy is first come, first served in Queue order: each group takes the
	// first of its options with room left.
	Greedy Solution
	// Bound is at least the value of every allocation (lexicographically): no
	// allocation places more children than Bound.Children, and one that places
	// as many scores at most Bound.Score.
	Bound Value
	// Optimal says Best is proved optimal (Best.Value == Bound).
	Optimal bool
	// Stopped says Limits ended the search before it was done.
	Stopped bool
	// Nodes counts the branch-and-bound nodes solved.
	Nodes int
	// Parts counts the independent parts (groups linked by shared providers or
	// pools) the problem was split into.
	Parts int
}

// Validate reports the first thing wrong with a problem.
func (p *Problem) Validate() error {
	for k, n := range p.Pools {
		if n < 0 {
			return fmt.Errorf("assign: pool %d has %d places", k, n)
		}
	}
	for i, pr := range p.Providers {
		if pr.Places < 0 {
			return fmt.Errorf("assign: provider %d has %d places", i, pr.Places)
		}
		if pr.Pool < -1 || pr.Pool >= len(p.Pools) {
			return fmt.Errorf("assign: provider %d names pool %d", i, pr.Pool)
		}
	}
	for g, gr := range p.Groups {
		if gr.Size < 1 || gr.Size > MaxGroupSize {
			return fmt.Errorf("assign: group %d has size %d (1 to %d)", g, gr.Size, MaxGroupSize)
		}
		seen := map[int]bool{}
		for _, o := range gr.Options {
			if o.Provider < 0 || o.Provider >= len(p.Providers) || seen[o.Provider] {
				return fmt.Errorf("assign: group %d names provider %d out of range or twice", g, o.Provider)
			}
			if o.Score < 0 || o.Score > MaxScore {
				return fmt.Errorf("assign: group %d scores %d at provider %d", g, o.Score, o.Provider)
			}
			seen[o.Provider] = true
		}
	}
	if p.Queue != nil {
		q := slices.Sorted(slices.Values(p.Queue))
		for i, g := range q {
			if g != i || len(q) != len(p.Groups) {
				return errors.New("assign: the queue is not a permutation of the groups")
			}
		}
	}
	return nil
}

// MaxGroupSize is the largest group accepted: the scaled costs of the flow stay
// far inside int64 for tens of thousands of children.
const MaxGroupSize = 12

// Solve finds the best allocation it can within the limits.
func Solve(p *Problem, lim Limits) (Result, error) {
	if err := p.Validate(); err != nil {
		return Result{}, err
	}
	st := newState(p)
	res := Result{Greedy: st.greedy()}
	best := slices.Clone(res.Greedy.Option)
	bound := int64(0)
	parts := st.parts()
	res.Parts = len(parts)
	nodes := 0
	for _, gs := range parts {
		b := &search{st: st, gs: gs, lim: lim, nodes: &nodes}
		b.bestOf = make([]int, len(gs))
		for i, g := range gs {
			b.bestOf[i] = best[g]
			if best[g] >= 0 {
				b.best += st.worth(g, best[g])
			}
		}
		b.run()
		for i, g := range gs {
			best[g] = b.bestOf[i]
		}
		bound += b.bound
		res.Stopped = res.Stopped || b.stopped
	}
	res.Nodes = nodes
	res.Best = st.solution(best)
	res.Bound = Value{Children: int(bound / st.m), Score: bound % st.m}
	res.Optimal = res.Best.Value == res.Bound
	return res, nil
}
