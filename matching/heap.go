package matching

import (
	"math/bits"
	"slices"
)

// entry is a ranked candidate: its index, tier, score and the distances that break
// ties between scores within TieMargin (0 when not known).
type entry struct {
	idx    int32
	tier   int8
	band   int8 // index in Bands: 0 strong, 1 good, 2 possible
	score  float64
	dist   float64 // from home
	school float64 // from the farthest school
}

// topK keeps the k best entries in a min-heap whose root is the worst kept, so a
// candidate that cannot beat it costs one comparison.
type topK struct {
	k    int
	e    []entry
	pool *pool
}

// better orders entries: the lower tier (TierConnected before TierUsual before
// TierOutsideTerms before TierPending), then the better band, then the higher
// score in whole TieMargin steps within the band, then nearer
// home, then nearer school, then lower provider id, then kind (ids are unique per
// kind). The order is total, so the result never depends on the order candidates
// came in; comparing rounded scores rather than "within a margin of each other"
// keeps it transitive.
func (t *topK) better(a, b entry) bool {
	if a.tier != b.tier {
		return a.tier < b.tier
	}
	// The band first: 75.4 (strong) and 74.6 (good) round to the same whole point,
	// and a good match must never rank above a strong one.
	if a.band != b.band {
		return a.band < b.band
	}
	if sa, sb := tieStep(a.score), tieStep(b.score); sa != sb {
		return sa > sb
	}
	if a.dist != b.dist {
		return a.dist < b.dist
	}
	if a.school != b.school {
		return a.school < b.school
	}
	if c := compareIDs(t.pool.at(a.idx), t.pool.at(b.idx)); c != 0 {
		return c < 0
	}
	return a.idx < b.idx
}

// wants reports whether e would be kept.
func (t *topK) wants(e entry) bool {
	return len(t.e) < t.k || t.better(e, t.e[0])
}

// offer keeps e if it is among the k best seen.
func (t *topK) offer(e entry) {
	if len(t.e) < t.k {
		if t.e == nil {
			t.e = make([]entry, 0, min(t.k, 64)) // a huge Limit must not allocate up front
		}
		t.e = append(t.e, e)
		t.up(len(t.e) - 1)
		return
	}
	if !t.better(e, t.e[0]) {
		return
	}
	t.e[0] = e
	t.down(0)
}

func (t *topK) up(i int) {
	for i > 0 {
		p := (i - 1) / 2
		if !t.better(t.e[p], t.e[i]) {
			return
		}
		t.e[p], t.e[i] = t.e[i], t.e[p]
		i = p
	}
}

func (t *topK) down(i int) {
	n := len(t.e)
	for {
		w := i
		if l := 2*i + 1; l < n && t.better(t.e[w], t.e[l]) {
			w = l
		}
		if r := 2*i + 2; r < n && t.better(t.e[w], t.e[r]) {
			w = r
		}
		if w == i {
			return
		}
		t.e[w], t.e[i] = t.e[i], t.e[w]
		i = w
	}
}

// sorted returns the kept entries, best first.
func (t *topK) sorted() []entry {
	out := slices.Clone(t.e)
	slices.SortFunc(out, func(a, b entry) int {
		switch {
		case t.better(a, b):
			return -1
		case t.better(b, a):
			return 1
		}
		return 0
	})
	return out
}

func trailingZeros(r reason) int { return bits.TrailingZeros32(uint32(r)) }

func onesCount(r reason) int { return bits.OnesCount32(uint32(r)) }
