package assign

import "slices"

// state is the room left while groups are placed one by one; place and unplace
// undo each other exactly, so the search walks its tree on one state.
type state struct {
	p      *Problem
	m      int64 // the worth of one child: more than any sum of scores
	places []int
	pools  []int
	taken  []int // groups placed at each provider
	forbid [][]bool
}

func newState(p *Problem) *state {
	st := &state{p: p, m: MaxScore*int64(len(p.Groups)) + 1,
		places: make([]int, len(p.Providers)), pools: slices.Clone(p.Pools),
		taken: make([]int, len(p.Providers)), forbid: make([][]bool, len(p.Groups))}
	for i, pr := range p.Providers {
		st.places[i] = pr.Places
	}
	for g, gr := range p.Groups {
		st.forbid[g] = make([]bool, len(gr.Options))
	}
	return st
}

// worth is what placing group g at its option oi adds to the objective.
func (st *state) worth(g, oi int) int64 {
	gr := &st.p.Groups[g]
	return st.m*int64(gr.Size) + gr.Options[oi].Score
}

// fits reports whether group g may go to its option oi now.
func (st *state) fits(g, oi int) bool {
	if st.forbid[g][oi] {
		return false
	}
	size, pr := st.p.Groups[g].Size, st.p.Groups[g].Options[oi].Provider
	if st.places[pr] < size || st.p.Providers[pr].OneGroup && st.taken[pr] > 0 {
		return false
	}
	k := st.p.Providers[pr].Pool
	return k < 0 || st.pools[k] >= size
}

func (st *state) place(g, oi int) { st.move(g, oi, 1) }

func (st *state) unplace(g, oi int) { st.move(g, oi, -1) }

func (st *state) move(g, oi, sign int) {
	size, pr := st.p.Groups[g].Size, st.p.Groups[g].Options[oi].Provider
	st.places[pr] -= sign * size
	st.taken[pr] += sign
	if k := st.p.Providers[pr].Pool; k >= 0 {
		st.pools[k] -= sign * size
	}
}

// queue is the greedy order.
func (st *state) queue() []int {
	if st.p.Queue != nil {
		return st.p.Queue
	}
	q := make([]int, len(st.p.Groups))
	for i := range q {
		q[i] = i
	}
	return q
}

// greedy is first come, first served: in queue order, each group takes the first
// of its options with room left. The state is left as it was.
func (st *state) greedy() Solution {
	of := make([]int, len(st.p.Groups))
	for i := range of {
		of[i] = -1
	}
	for _, g := range st.queue() {
		for oi := range st.p.Groups[g].Options {
			if st.fits(g, oi) {
				st.place(g, oi)
				of[g] = oi
				break
			}
		}
	}
	for g, oi := range of {
		if oi >= 0 {
			st.unplace(g, oi)
		}
	}
	return st.solution(of)
}

// solution values an assignment of options.
func (st *state) solution(of []int) Solution {
	s := Solution{Option: of}
	for g, oi := range of {
		if oi >= 0 {
			s.Value.Children += st.p.Groups[g].Size
			s.Value.Score += st.p.Groups[g].Options[oi].Score
		}
	}
	return s
}

// parts splits the groups with options into independent parts: groups linked,
// directly or through others, by a provider or a pool they could share. Each part
// is solved on its own; parts come in order of their first group.
func (st *state) parts() [][]int {
	nG, nP := len(st.p.Groups), len(st.p.Providers)
	parent := make([]int, nG+nP+len(st.p.Pools))
	for i := range parent {
		parent[i] = i
	}
	find := func(x int) int {
		for parent[x] != x {
			parent[x] = parent[parent[x]]
			x = parent[x]
		}
		return x
	}
	union := func(a, b int) {
		if ra, rb := find(a), find(b); ra != rb {
			parent[max(ra, rb)] = min(ra, rb)
		}
	}
	for g, gr := range st.p.Groups {
		for _, o := range gr.Options {
			union(g, nG+o.Provider)
			if k := st.p.Providers[o.Provider].Pool; k >= 0 {
				union(nG+o.Provider, nG+nP+k)
			}
		}
	}
	byRoot := map[int]int{}
	var out [][]int
	for g, gr := range st.p.Groups {
		if len(gr.Options) == 0 {
			continue
		}
		r := find(g)
		i, ok := byRoot[r]
		if !ok {
			i = len(out)
			byRoot[r] = i
			out = append(out, nil)
		}
		out[i] = append(out[i], g)
	}
	return out
}
