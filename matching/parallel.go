package matching

import (
	"cmp"
	"runtime"
	"slices"
	"sync"
)

// parallelMin is the smallest candidate list split across goroutines: below it the
// first pass takes well under a millisecond and a goroutine's start-up and the merge
// cost more than they save. Measured on 2 cores (see bench_test.go).
const parallelMin = 16384

// scanAll runs the first pass over p's candidates, split into contiguous chunks across up to
// GOMAXPROCS goroutines, and merges their states. The merge is deterministic: the
// heaps hold entries under a total order, counts add, and exclusions are sorted by
// id within each chunk and then merged.
func (q *query) scanAll(p *pool, listExcluded bool) *scanState {
	cands := p.base
	n := len(cands)
	workers := 1
	if n >= parallelMin {
		workers = max(1, min(runtime.GOMAXPROCS(0), n/(parallelMin/2)))
	}
	states := make([]scanState, workers)
	var wg sync.WaitGroup
	for w := range states {
		lo, hi := w*n/workers, (w+1)*n/workers
		st := &states[w]
		st.top = topK{k: q.limit, pool: p}
		st.listExcluded = listExcluded
		st.want, st.got = make([]uint64, len(q.members)), make([]uint64, len(q.members))
		if listExcluded {
			st.excl = make([]excluded, 0, hi-lo)
		}
		run := func() {
			q.scan(cands[lo:hi], int32(lo), p.dead, st)
			if hi == n {
				q.scan(p.extra, int32(n), nil, st)
			}
			if listExcluded {
				sortExcluded(p, st.excl)
			}
		}
		if w == workers-1 {
			run() // the calling goroutine takes the last chunk
		} else {
			wg.Go(run)
		}
	}
	wg.Wait()

	st := &states[0]
	for i := 1; i < len(states); i++ {
		o := &states[i]
		st.considered += o.considered
		st.excluded += o.excluded
		for r, c := range o.counts {
			st.counts[r] += c
		}
		for _, e := range o.top.e {
			st.top.offer(e)
		}
		for _, e := range o.near.e {
			st.near.offer(e)
		}
		if listExcluded {
			st.excl = mergeExcluded(p, st.excl, o.excl)
		}
	}
	return st
}

// sortExcluded orders exclusions by provider id, then kind.
func sortExcluded(p *pool, ex []excluded) {
	slices.SortFunc(ex, func(a, b excluded) int { return compareExcluded(p, a, b) })
}

func compareExcluded(p *pool, a, b excluded) int {
	if a.key != b.key {
		return cmp.Compare(a.key, b.key)
	}
	return compareIDs(p.at(a.idx), p.at(b.idx))
}

// mergeExcluded merges two sorted lists.
func mergeExcluded(p *pool, a, b []excluded) []excluded {
	out := make([]excluded, 0, len(a)+len(b))
	for len(a) > 0 && len(b) > 0 {
		if compareExcluded(p, b[0], a[0]) < 0 {
			out, b = append(out, b[0]), b[1:]
		} else {
			out, a = append(out, a[0]), a[1:]
		}
	}
	return append(append(out, a...), b...)
}

// pool is the candidates of one search: a list, and for an updated Index the
// positions in it no longer held (dead) and the candidates written since
// (extra), numbered after the list's.
type pool struct {
	base  []Candidate
	dead  bitset
	extra []Candidate
}

// at is the candidate numbered i.
func (p *pool) at(i int32) *Candidate {
	if int(i) < len(p.base) {
		return &p.base[i]
	}
	return &p.extra[int(i)-len(p.base)]
}
