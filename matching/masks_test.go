package matching

import (
	"slices"
	"strings"
	"testing"
)

// Masks kept from a ranking describe the same exclusions, with the same codes and
// near-miss sentences, as the list Rank gives with IncludeExcluded, and keeping
// them changes nothing else of the result; a reused buffer is cleared first.
func TestMasksDescribeTheListedExclusions(t *testing.T) {
	r := seeded(17)
	var buf []uint32
	for it := range iterations(t, 200) {
		n := 150
		if it == 0 {
			n = 2*parallelMin + 7 // split across goroutines
		}
		w := randomWorld(r, n)
		cands := prepareAsIs(w.provs...)
		plain := Rank(w.req, cands, DefaultWeights(), w.opt)
		opt := w.opt
		opt.Masks = &buf
		res := Rank(w.req, cands, DefaultWeights(), opt)
		if jsonOf(res) != jsonOf(plain) {
			t.Fatalf("iteration %d: keeping masks changed the result", it)
		}
		if len(buf) != len(cands) {
			t.Fatalf("iteration %d: %d masks for %d candidates", it, len(buf), len(cands))
		}
		var ex []Masked
		for i, m := range buf {
			if m != 0 {
				ex = append(ex, Masked{Pos: i, Mask: m})
			}
		}
		if len(ex) != res.ExcludedCount {
			t.Fatalf("iteration %d: %d masks set, %d excluded", it, len(ex), res.ExcludedCount)
		}
		slices.SortFunc(ex, func(a, b Masked) int { return strings.Compare(cands[a.Pos].P.ID, cands[b.Pos].P.ID) })
		if got, want := jsonOf(Describe(w.req, cands, DefaultWeights(), opt, ex)), jsonOf(res.Excluded); got != want {
			t.Fatalf("iteration %d: described\n%s\nlisted\n%s", it, got, want)
		}
	}
}
