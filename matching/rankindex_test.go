package matching

import (
	"fmt"
	"math"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"

	"placematch"
)

// RankIndex gives exactly Rank's result — the same matches in the same order with
// the same scores and explanations, the same near misses, the same counts and
// exclusion summary — over generated worlds: groups of one to four with needs,
// risks, household needs, schools, avoid-areas and missing homes; providers of
// every kind near the child and across the country; random limits, kinds,
// policies, pending carers and weights. Most searches take the index's own path
// (no maximum distance, no care leaver); the test fails if too few do.
func TestRankIndexIsRank(t *testing.T) {
	r := seeded(17)
	fast := 0
	n := iterations(t, 400)
	for it := range n {
		w := randomWorld(r, 20+r.IntN(300))
		for _, m := range w.req.Group {
			if r.Float64() < 0.8 {
				m.MaxDistanceKM = nil
			}
		}
		if w.req.Child.MaxDistanceKM != nil && r.Float64() < 0.8 {
			w.req.Child.MaxDistanceKM = nil
		}
		strong := r.Float64() < 0.4
		for _, p := range w.provs {
			if r.Float64() < 0.4 {
				p.Location = randomPoint(r, norwich, 500)
			}
			if strong && r.Float64() < 0.15 {
				// As good as a home can be but for distance, so that a cell's
				// upper bound is met exactly and pruning is tested at its edge.
				makeStrong(p)
			}
		}
		w.opt.IncludeExcluded = false
		w.opt.Limit = 1 + r.IntN(12)
		weights := DefaultWeights()
		if r.Float64() < 0.3 {
			weights = Weights{Values: map[string]float64{}}
			for _, f := range FactorNames {
				weights.Values[f] = float64(r.IntN(40))
			}
			weights.Values[FactorDistance]++
		}
		cands := prepareAsIs(w.provs...)
		want := Rank(w.req, cands, weights, w.opt)
		x := NewIndex(cands, w.opt.Hubs)
		got := RankIndex(w.req, x, weights, w.opt)
		if g, wt := jsonOf(got), jsonOf(want); g != wt {
			t.Fatalf("iteration %d: RankIndex differs from Rank\n got  %s\n want %s", it, g, wt)
		}
		if q := newQuery(w.req, weights, w.opt); x.ok && !q.adult && !q.hasMax {
			fast++
		}
	}
	if fast < n/3 {
		t.Fatalf("only %d of %d searches took the index's path", fast, n)
	}
}

// The benchmark world at 10k: the same result through the index, whose path it
// takes, and a listing of every exclusion still answered (by Rank).
func TestRankIndexBenchmarkWorld(t *testing.T) {
	for _, n := range []int{1_000, 10_000} {
		t.Run(fmt.Sprint(n), func(t *testing.T) {
			req, cands, opt := benchWorld(t, n)
			x := NewIndex(cands, opt.Hubs)
			if !x.ok {
				t.Fatal("the benchmark world should take the index's path")
			}
			for _, limit := range []int{1, 10, 50} {
				opt.Limit = limit
				want, got := Rank(req, cands, DefaultWeights(), opt), RankIndex(req, x, DefaultWeights(), opt)
				if jsonOf(got) != jsonOf(want) {
					t.Fatalf("limit %d: RankIndex differs from Rank", limit)
				}
				if len(got.Matches) != limit {
					t.Fatalf("limit %d: %d matches", limit, len(got.Matches))
				}
			}
			opt.IncludeExcluded = true
			if got := RankIndex(req, x, DefaultWeights(), opt); len(got.Excluded) != got.ExcludedCount {
				t.Fatalf("listed %d of %d exclusions", len(got.Excluded), got.ExcludedCount)
			}
		})
	}
}

// Many homes alike but for where they are, so that a good share round to the same
// whole point and their order is settled by distance, as a far cell's whole-point
// bound meets the k-th's: RankIndex gives up a cell or a band that cannot beat it
// on distance either (cannotBeatAt), and still answers as Rank does. The world is
// copies of one home a random group can take, at random places up to 400 km away:
// far out the distance curve is nearly flat.
func TestRankIndexTiesOnDistance(t *testing.T) {
	r := seeded(23)
	decided, ran := 0, 0
	n := iterations(t, 60)
	for it := 0; ran < n; it++ {
		if it > 50*n {
			t.Fatalf("only %d of %d random groups had a home and a match", ran, it)
		}
		w := randomWorld(r, 60)
		for _, m := range w.req.Group {
			m.MaxDistanceKM = nil
		}
		w.opt.IncludeExcluded = false
		res := Rank(w.req, prepareAsIs(w.provs...), DefaultWeights(), w.opt)
		if len(res.Matches) == 0 || w.req.Child.Location == nil {
			continue
		}
		var like *placematch.Provider
		for _, p := range w.provs {
			if p.ID == res.Matches[0].Provider.ID {
				like = p
			}
		}
		provs := make([]*placematch.Provider, 1500+r.IntN(2500))
		for i := range provs {
			p := *like
			p.ID, p.Name = fmt.Sprintf("t%05d", i), fmt.Sprintf("Alike %d", i)
			p.Location = randomPoint(r, *w.req.Child.Location, 400)
			provs[i] = &p
		}
		cands := prepareAsIs(provs...)
		x := NewIndex(cands, w.opt.Hubs)
		ran++
		w.opt.Limit = 1 + r.IntN(12)
		want, got := Rank(w.req, cands, DefaultWeights(), w.opt), RankIndex(w.req, x, DefaultWeights(), w.opt)
		if g, wt := jsonOf(got), jsonOf(want); g != wt {
			t.Fatalf("iteration %d: RankIndex differs from Rank\n got  %s\n want %s", it, g, wt)
		}
		for i := 1; i < len(want.Matches); i++ {
			if a, b := want.Matches[i-1], want.Matches[i]; tieStep(a.Score) == tieStep(b.Score) && a.DistanceKM != b.DistanceKM {
				decided++
			}
		}
	}
	if decided < n {
		t.Fatalf("only %d neighbours in %d lists were ordered on distance within a whole point", decided, n)
	}
}

// One index asked for different days (the available-from rule's set is kept for
// the last day asked): each answer is Rank's for that day, and going back to a
// day answers as before.
func TestRankIndexAcrossRequiredDays(t *testing.T) {
	req, cands, opt := benchWorld(t, 10_000)
	x := NewIndex(cands, opt.Hubs)
	late := map[int]int{}
	for _, days := range []int{0, 5, -3, 12, 0, 5} {
		req.Child.RequiredFrom = testToday.AddDays(days)
		want, got := Rank(req, cands, DefaultWeights(), opt), RankIndex(req, x, DefaultWeights(), opt)
		if jsonOf(got) != jsonOf(want) {
			t.Fatalf("required in %d days: RankIndex differs from Rank", days)
		}
		n := got.ExcludedSummary[CodeAvailableTooLate]
		if was, ok := late[days]; ok && was != n {
			t.Fatalf("required in %d days: %d too late, %d the first time", days, n, was)
		}
		late[days] = n
	}
	if !(late[0] > late[5] && late[5] > late[12] && late[-3] == late[0]) {
		t.Fatalf("too late by day asked: %v; a later day must leave fewer too late, a past day counts as today", late)
	}
}

// BenchmarkRankIndex is BenchmarkRank's searches through an Index.
func BenchmarkRankIndex(b *testing.B) {
	for _, n := range []int{1_000, 10_000, 100_000} {
		b.Run(fmt.Sprintf("%dk", n/1000), func(b *testing.B) {
			req, cands, opt := benchWorld(b, n)
			x := NewIndex(cands, opt.Hubs)
			w := DefaultWeights()
			if res := RankIndex(req, x, w, opt); len(res.Matches) == 0 {
				b.Fatal("no matches: the benchmark world is unrealistic")
			}
			for b.Loop() {
				RankIndex(req, x, w, opt)
			}
		})
	}
}

// BenchmarkRankIndexNational is BenchmarkRankIndex/100k's index searched for
// children across Great Britain rather than one in Norwich: 200 children, each
// near a random outcode, aged 1 to 17, with one need, a search each in turn.
func BenchmarkRankIndexNational(b *testing.B) {
	req, cands, opt := benchWorld(b, 100_000)
	x := NewIndex(cands, opt.Hubs)
	outcodes := loadOutcodes(b)
	r := rand.New(rand.NewPCG(2026, 12))
	reqs := make([]Request, 200)
	for i := range reqs {
		c := newChild(fmt.Sprintf("n%d", i), 1+r.IntN(17))
		home := outcodes[r.IntN(len(outcodes))].p
		c.Location = &home
		c.Needs = []string{pick(r, []string{"trauma", "education_support", "autism", "mental_health", "esol"})}
		reqs[i] = request(c)
		reqs[i].Today, reqs[i].Now = req.Today, req.Now
	}
	w := DefaultWeights()
	if res := RankIndex(reqs[0], x, w, opt); len(res.Matches) == 0 {
		b.Fatal("no matches: the benchmark world is unrealistic")
	}
	n := 0
	for b.Loop() {
		RankIndex(reqs[n%len(reqs)], x, w, opt)
		n++
	}
}

// BenchmarkNewIndex is the cost of building the index over prepared candidates.
func BenchmarkNewIndex(b *testing.B) {
	_, cands, opt := benchWorld(b, 100_000)
	for b.Loop() {
		NewIndex(cands, opt.Hubs)
	}
}

// makeStrong gives p every skill and test language, a confirmation of its
// availability now and a place in the council's area.
func makeStrong(p *placematch.Provider) {
	all := slices.Concat(placematch.Needs, placematch.RiskTypes)
	switch {
	case p.Carer != nil:
		p.Carer.Skills, p.Carer.Languages = all, testLanguages
	case p.Unit != nil:
		p.Unit.Skills = all
	}
	p.Availability.ConfirmedAt = confirmedAgo(0)
	p.District = "Norwich"
}

// A cell's upper bound holds for every provider in it that passes the rules, and
// is met or nearly met by the strongest: the bound that lets RankIndex skip whole
// cells is neither wrong nor vacuous.
func TestCellUpperBound(t *testing.T) {
	r := seeded(29)
	closest := math.Inf(1)
	for it := range 200 { // not fewer under -short: the closest approach needs them
		w := randomWorld(r, 40+r.IntN(200))
		for _, p := range w.provs {
			if r.Float64() < 0.4 {
				p.Location = randomPoint(r, norwich, 300)
			}
			if r.Float64() < 0.3 {
				makeStrong(p)
			}
		}
		w.opt.IncludeExcluded = false
		w.opt.Limit = len(w.provs)
		cands := prepareAsIs(w.provs...)
		res := Rank(w.req, cands, DefaultWeights(), w.opt)
		x := NewIndex(cands, w.opt.Hubs)
		q := newQueryHubs(w.req, DefaultWeights(), w.opt, &x.hubs)
		cellOf := map[string]*cell{}
		for ci := range x.cells {
			cl := &x.cells[ci]
			for i := cl.lo; i < cl.hi; i++ {
				cellOf[x.cands[i].P.ID] = cl
			}
		}
		for _, m := range res.Matches {
			ub := q.upper(cellOf[m.Provider.ID])
			if m.Score > ub+1e-9 {
				t.Fatalf("iteration %d: %s scores %v above its cell's bound %v", it, m.Provider.ID, m.Score, ub)
			}
			closest = min(closest, ub-m.Score)
		}
	}
	if closest > 0.5 {
		t.Fatalf("no provider came within 0.5 of its cell's bound (closest %v): the bound is loose", closest)
	}
}

// An index updated by Replace ranks as Rank does over the providers as they are
// now — changed, added and removed ones included, with every exclusion listed too
// — whether one or several updates were made since NewIndex.
func TestRankIndexAfterReplace(t *testing.T) {
	r := seeded(31)
	for it := range iterations(t, 150) {
		w := randomWorld(r, 30+r.IntN(200))
		for _, m := range w.req.Group {
			m.MaxDistanceKM = nil
		}
		w.opt.IncludeExcluded = r.Float64() < 0.2
		w.opt.Limit = 1 + r.IntN(10)
		byID := map[string]*placematch.Provider{}
		for _, p := range w.provs {
			byID[p.ID] = p
		}
		hubsOf := func() []Candidate {
			var hubs []*placematch.Provider
			for _, p := range byID {
				if p.Hub != nil {
					hubs = append(hubs, p)
				}
			}
			slices.SortFunc(hubs, func(a, b *placematch.Provider) int { return strings.Compare(a.ID, b.ID) })
			return prepareAsIs(hubs...)
		}
		x := NewIndex(prepareAsIs(w.provs...), hubsOf())
		next := len(w.provs)
		for range 1 + r.IntN(3) {
			var changed []Candidate
			var removed []string
			ids := make([]string, 0, len(byID))
			for id := range byID {
				ids = append(ids, id)
			}
			slices.Sort(ids)
			for _, id := range ids {
				switch f := r.Float64(); {
				case f < 0.05:
					delete(byID, id)
					removed = append(removed, id)
				case f < 0.15:
					q := randomProvider(r, 0, norwich, 80)
					q.ID = id
					kinds(r, q, w.req.Group)
					byID[id] = q
					changed = append(changed, Prepare(q))
				}
			}
			for range r.IntN(5) {
				q := randomProvider(r, next, norwich, 300)
				next++
				kinds(r, q, w.req.Group)
				byID[q.ID] = q
				changed = append(changed, Prepare(q))
			}
			x = x.Replace(changed, removed, hubsOf())
		}
		var now []*placematch.Provider
		for _, p := range byID {
			now = append(now, p)
		}
		opt := w.opt
		opt.Hubs = hubsOf()
		want := Rank(w.req, prepareAsIs(now...), DefaultWeights(), opt)
		got := RankIndex(w.req, x, DefaultWeights(), w.opt)
		if g, wt := jsonOf(got), jsonOf(want); g != wt {
			t.Fatalf("iteration %d: RankIndex after Replace differs from Rank\n got  %s\n want %s", it, g, wt)
		}
		if x.Len() != len(now) || len(x.Candidates()) != len(now) {
			t.Fatalf("iteration %d: the index holds %d (%d listed), want %d", it, x.Len(), len(x.Candidates()), len(now))
		}
	}
}

// The blooms of ids only decide which homes at the fostering limit are read one
// by one: with every bit set, so that every such home is read, the answer is the
// same, by Rank and by RankIndex. The worlds hold homes full of the group's
// siblings (which the sibling exception lets through), homes where only some
// residents are (which it does not), exemptions naming the group or others, and
// homes of strangers whose links name other children, so that blooms meet by
// chance too.
func TestBloomsOnlyDecideWhatIsRead(t *testing.T) {
	r := seeded(64)
	var siblingHomes, exemptHomes int
	for it := range iterations(t, 150) {
		var group []*placematch.Child
		for k := range 1 + r.IntN(3) {
			group = append(group, newChild(fmt.Sprintf("g%d-%d", it, k), 4+r.IntN(10)))
		}
		group = siblings(group...)
		ids := func() []string {
			var out []string
			for _, m := range group {
				out = append(out, m.ID)
			}
			return out
		}
		var provs []*placematch.Provider
		for i := range 40 + r.IntN(40) {
			p := newCarer(fmt.Sprintf("c%03d", i), 1+float64(r.IntN(60)))
			p.Carer.MaxChildren = 6
			n := 1 + r.IntN(4)
			kin := r.IntN(3) // 0: strangers, 1: some of the group's siblings, 2: all of them
			for j := range n {
				res := randomResident(r, fmt.Sprintf("R-%d-%d", i, j), 3+r.IntN(14))
				res.ChildID = fmt.Sprintf("r%d-%d-%d", it, i, j)
				switch {
				case kin == 2 || kin == 1 && j == 0:
					res.Siblings = ids()
					for _, m := range group {
						if r.Float64() < 0.5 { // the link read from either record
							m.Siblings = append(m.Siblings, res.ChildID)
						}
					}
				default:
					for range r.IntN(3) {
						res.Siblings = append(res.Siblings, fmt.Sprintf("x%d", r.IntN(500)))
					}
				}
				p.Residents = append(p.Residents, res)
			}
			p.Filled = n
			if r.Float64() < 0.2 {
				named := ids()
				if r.Float64() < 0.5 {
					named = []string{fmt.Sprintf("x%d", r.IntN(500)), fmt.Sprintf("x%d", r.IntN(500))}
				}
				p.Carer.Exemptions = []placematch.Exemption{{Children: named, GrantedBy: "Norfolk County Council"}}
			}
			provs = append(provs, p)
		}
		req := request(group...)
		opt := Options{Limit: 1 + r.IntN(20)}
		w := DefaultWeights()
		cands := prepare(provs...)
		all := slices.Clone(cands)
		for i := range all {
			all[i].resIDs, all[i].resLinks, all[i].exBloom = ^uint64(0), ^uint64(0), ^uint64(0)
		}
		want := jsonOf(Rank(req, all, w, opt))
		if got := jsonOf(Rank(req, cands, w, opt)); got != want {
			t.Fatalf("iteration %d: Rank with the blooms differs from every home read\n got  %s\n want %s", it, got, want)
		}
		if got := jsonOf(RankIndex(req, NewIndex(cands, nil), w, opt)); got != want {
			t.Fatalf("iteration %d: RankIndex with the blooms differs from every home read\n got  %s\n want %s", it, got, want)
		}
		for _, m := range Rank(req, all, w, opt).Matches {
			for _, p := range provs {
				if p.ID == m.Provider.ID && p.Filled+len(group) > placematch.FosteringLimit {
					if len(p.Carer.Exemptions) > 0 {
						exemptHomes++
					} else {
						siblingHomes++
					}
				}
			}
		}
	}
	// Not a test of nothing: homes over the limit were matched by each exception.
	if siblingHomes == 0 || exemptHomes == 0 {
		t.Fatalf("matched over the limit: %d by the sibling exception, %d by an exemption", siblingHomes, exemptHomes)
	}
}
