package demo

import (
	"math/rand/v2"
	"slices"
	"time"

	"placematch"
)

// gen draws every random choice of one seeding run from a single PCG stream. Nothing
// it draws depends on what the database returns (ids, timestamps), so the same seed
// and the same now give the same data on either engine.
type gen struct {
	r     *rand.Rand
	now   time.Time
	today placematch.Date
	seq   int // last case-reference number issued
}

// pcgStream is PCG's second word: fixed so that the seed alone picks the stream.
const pcgStream = 0x706c6163656d6174 // "placemat"

func newGen(seed uint64, now time.Time) *gen {
	g := &gen{r: rand.New(rand.NewPCG(seed, pcgStream)), now: now.UTC(), today: placematch.DateOf(now.UTC())}
	g.seq = g.between(100, 400)
	return g
}

// chance reports true with probability p.
func (g *gen) chance(p float64) bool { return g.r.Float64() < p }

// between returns an integer in [lo, hi].
func (g *gen) between(lo, hi int) int { return lo + g.r.IntN(hi-lo+1) }

// weighted returns an index drawn with probability proportional to its weight.
func (g *gen) weighted(weights []int) int {
	total := 0
	for _, w := range weights {
		total += w
	}
	n := g.r.IntN(total)
	for i, w := range weights {
		if n < w {
			return i
		}
		n -= w
	}
	return len(weights) - 1
}

// opt is a value and its relative weight.
type opt[T any] struct {
	v T
	w int
}

// choose draws one value from weighted options.
func choose[T any](g *gen, opts []opt[T]) T {
	weights := make([]int, len(opts))
	for i, o := range opts {
		weights[i] = o.w
	}
	return opts[g.weighted(weights)].v
}

// sample draws n distinct values from weighted options (fewer when there are not n),
// weighting without replacement. The result keeps the options' order, so lists read
// the same way from record to record.
func sample[T comparable](g *gen, opts []opt[T], n int) []T {
	left := slices.Clone(opts)
	var picked []T
	for len(picked) < n && len(left) > 0 {
		weights := make([]int, len(left))
		for i, o := range left {
			weights[i] = o.w
		}
		i := g.weighted(weights)
		picked = append(picked, left[i].v)
		left = slices.Delete(left, i, i+1)
	}
	var out []T
	for _, o := range opts {
		if slices.Contains(picked, o.v) {
			out = append(out, o.v)
		}
	}
	return out
}

// subset returns k distinct indices below n. Drawing exact counts, rather than one
// chance per record, keeps headline shares (such as the 17% of carers unavailable)
// the same whatever the seed.
func (g *gen) subset(n, k int) map[int]bool {
	out := map[int]bool{}
	for _, i := range g.r.Perm(n)[:k] {
		out[i] = true
	}
	return out
}

// ago returns a time between lo and hi days before now, to the second.
func (g *gen) ago(lo, hi float64) time.Time {
	d := lo + g.r.Float64()*(hi-lo)
	return g.now.Add(-time.Duration(d * float64(24*time.Hour))).Truncate(time.Second)
}

// confirmedAt spreads availability confirmations over the last 30 days: most within
// the 14-day freshness window, about three in ten older, so the demo shows stale
// availability flagged and down-ranked.
func (g *gen) confirmedAt() *time.Time {
	t := g.ago(0, 14)
	if g.chance(0.3) {
		t = g.ago(14.2, 30)
	}
	return &t
}

// dateOfBirth returns a birth date giving exactly age years today.
func (g *gen) dateOfBirth(age int) placematch.Date {
	return placematch.DateOf(g.today.Time().AddDate(-age, 0, -g.between(0, 360)))
}

// reference issues the next council case reference for a referral made in year.
// Numbers rise through the run, so references are unique across years too.
func (g *gen) reference(year int) string {
	g.seq += g.between(1, 9)
	return caseRef(year, g.seq)
}
