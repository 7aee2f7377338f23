package matching

import (
	"fmt"
	"math"
	"math/rand/v2"
	"runtime"
	"slices"
	"testing"

	"placematch"
	"placematch/geo"
)

func seeded(seed uint64) *rand.Rand { return rand.New(rand.NewPCG(seed, 0x9e3779b97f4a7c15)) }

// iterations is smaller under -short so the race detector run stays quick.
func iterations(t *testing.T, n int) int {
	if testing.Short() {
		return n / 10
	}
	return n
}

// The fast path agrees with the plain oracle on every provider: the same codes for
// the excluded, none for the matched; every considered provider is one or the other.
func TestRulesAgreeWithOracle(t *testing.T) {
	r := seeded(1)
	for it := range iterations(t, 300) {
		w := randomWorld(r, 120)
		res := Rank(w.req, prepareAsIs(w.provs...), DefaultWeights(), w.opt)
		got := map[string][]string{}
		for _, e := range res.Excluded {
			got[e.Provider.ID] = e.Reasons
		}
		for _, m := range res.Matches {
			if _, dup := got[m.Provider.ID]; dup {
				t.Fatalf("iteration %d: %s both matched and excluded", it, m.Provider.ID)
			}
			got[m.Provider.ID] = nil
		}
		if len(got) != res.Considered || res.ExcludedCount != len(res.Excluded) ||
			res.Eligible != len(res.Matches) || res.Considered != res.Eligible+res.ExcludedCount {
			t.Fatalf("iteration %d: %d seen, considered %d, eligible %d/%d, excluded %d/%d", it, len(got),
				res.Considered, res.Eligible, len(res.Matches), res.ExcludedCount, len(res.Excluded))
		}
		summary := map[string]int{}
		for _, p := range w.provs {
			if len(w.opt.Kinds) > 0 && !slices.Contains(w.opt.Kinds, p.Kind) {
				continue
			}
			want := refReasons(w.req, w.opt, p)
			if g, ok := got[p.ID]; !ok || !slices.Equal(g, want) {
				t.Fatalf("iteration %d, %s (%s): codes %v, oracle %v", it, p.ID, p.Kind, g, want)
			}
			for _, code := range want {
				summary[code]++
			}
		}
		if jsonOf(summary) != jsonOf(res.ExcludedSummary) {
			t.Fatalf("iteration %d: summary %v, want %v", it, res.ExcludedSummary, summary)
		}
	}
}

// Scores are explained exactly: values in [0,1], contributions add up to the score,
// scores within 0–100, bands as BandOf says, and matches come in (tier, score in
// TieMargin steps, distance from home, from school, id) order.
func TestScoresAddUpAndOrder(t *testing.T) {
	r := seeded(2)
	for range iterations(t, 300) {
		w := randomWorld(r, 120)
		if r.Float64() < 0.5 {
			w.opt.Limit = 1 + r.IntN(10)
		}
		weights := DefaultWeights()
		if r.Float64() < 0.5 {
			for _, name := range FactorNames {
				weights.Values[name] = math.Round(r.Float64()*100) / 10
			}
			weights.Values[FactorNeeds] += 0.1
		}
		res := Rank(w.req, prepareAsIs(w.provs...), weights, w.opt)
		for i, m := range res.Matches {
			sum := 0.0
			for _, f := range m.Factors {
				if f.Value < 0 || f.Value > 1 {
					t.Fatalf("%s %s = %v", m.Provider.ID, f.Name, f.Value)
				}
				sum += f.Contribution
			}
			if math.Abs(sum-m.Score) > 0.01 || m.Score < 0 || m.Score > 100 {
				t.Fatalf("%s: score %v, contributions add to %v", m.Provider.ID, m.Score, sum)
			}
			if m.Rank != i+1 {
				t.Fatalf("rank %d at %d", m.Rank, i)
			}
			if m.Band != BandOf(m.Score) {
				t.Fatalf("%s: band %s for score %v", m.Provider.ID, m.Band, m.Score)
			}
			if i > 0 {
				a := res.Matches[i-1]
				sa, sm := math.Round(a.Score/TieMargin), math.Round(m.Score/TieMargin)
				if a.Tier > m.Tier || a.Tier == m.Tier && (sa < sm || sa == sm && (a.DistanceKM > m.DistanceKM ||
					a.DistanceKM == m.DistanceKM && (a.SchoolDistanceKM > m.SchoolDistanceKM ||
						a.SchoolDistanceKM == m.SchoolDistanceKM && a.Provider.ID > m.Provider.ID))) {
					t.Fatalf("out of order: %+v (tier %d, %v, %v km) before %+v (tier %d, %v, %v km)", a.Provider, a.Tier, a.Score,
						a.DistanceKM, m.Provider, m.Tier, m.Score, m.DistanceKM)
				}
			}
		}
	}
}

// Same input, same output: repeated runs, shuffled candidates, and a small limit
// (which lets the first pass skip outreach lookups) all agree.
func TestDeterministic(t *testing.T) {
	r := seeded(3)
	for range iterations(t, 200) {
		w := randomWorld(r, 150)
		cands := prepareAsIs(w.provs...)
		want := jsonOf(Rank(w.req, cands, DefaultWeights(), w.opt))
		if again := jsonOf(Rank(w.req, cands, DefaultWeights(), w.opt)); again != want {
			t.Fatal("second run differs")
		}
		r.Shuffle(len(cands), func(i, j int) { cands[i], cands[j] = cands[j], cands[i] })
		if shuffled := jsonOf(Rank(w.req, cands, DefaultWeights(), w.opt)); shuffled != want {
			t.Fatal("shuffled candidates give a different result")
		}
		full := Rank(w.req, cands, DefaultWeights(), w.opt)
		w.opt.Limit = 1 + r.IntN(5)
		top := Rank(w.req, cands, DefaultWeights(), w.opt)
		n := min(w.opt.Limit, len(full.Matches))
		if jsonOf(top.Matches) != jsonOf(full.Matches[:n]) {
			t.Fatalf("limit %d: %v, full ranking starts %v", w.opt.Limit, matchIDs(top), matchIDs(full)[:n])
		}
	}
}

// Ties are broken by distance, then id: identical providers at one place rank by id.
func TestTieBreak(t *testing.T) {
	var ps []*placematch.Provider
	for _, id := range []string{"d", "b", "c", "a"} {
		ps = append(ps, newCarer(id, 3))
	}
	ps = append(ps, newCarer("e", 2.9), newCarer("0", 3.1))
	r := rank(t, request(newChild("c", 9)), Options{}, ps...)
	if got := matchIDs(r); !slices.Equal(got, []string{"e", "a", "b", "c", "d", "0"}) {
		t.Errorf("order %v", got)
	}
}

// Moving a provider closer to home never lowers its distance factor.
func TestDistanceMonotone(t *testing.T) {
	r := seeded(4)
	for range iterations(t, 2000) {
		c := newChild("c", 9)
		home := randomPoint(r, norwich, 50)
		c.Location = &home
		p := newCarer("p", 0)
		p.Location = randomPoint(r, home, 200*r.Float64())
		before := factor(rank(t, request(c), Options{}, p).Matches[0], FactorDistance).Value
		f := r.Float64()
		p.Location = placematch.Point{Lat: home.Lat + f*(p.Location.Lat-home.Lat),
			Lon: home.Lon + f*(p.Location.Lon-home.Lon)}
		after := factor(rank(t, request(c), Options{}, p).Matches[0], FactorDistance).Value
		if after < before {
			t.Fatalf("moved closer (×%.3f): %v → %v", f, before, after)
		}
	}
	prev := 2.0
	for km := 0.0; km < 500; km += 0.25 {
		v := distanceCurve(km)
		if v > prev || v < 0 {
			t.Fatalf("distanceCurve(%v) = %v after %v", km, v, prev)
		}
		prev = v
	}
}

// Covering one more of the child's needs never lowers the needs factor.
func TestNeedsMonotone(t *testing.T) {
	r := seeded(5)
	all := slices.Concat(placematch.Needs, placematch.RiskTypes)
	for range iterations(t, 1000) {
		w := randomWorld(r, 10)
		c := newChild("c", 14)
		c.Needs = some(r, placematch.Needs, 0.3)
		for _, rt := range some(r, placematch.RiskTypes, 0.3) {
			c.Risks = append(c.Risks, placematch.Risk{Type: rt, Level: pick(r, []string{"low", "high"})})
		}
		p := newCarer("p", 10*r.Float64())
		p.Carer.Skills = some(r, all, 0.3)
		opt := Options{Hubs: w.opt.Hubs, Kinds: []placematch.ProviderKind{placematch.KindCarer}}
		before := factor(rank(t, request(c), opt, p).Matches[0], FactorNeeds).Value
		p.Carer.Skills = append(p.Carer.Skills, pick(r, all))
		after := factor(rank(t, request(c), opt, p).Matches[0], FactorNeeds).Value
		if after < before {
			t.Fatalf("one more skill: %v → %v", before, after)
		}
	}
}

// The chord distance used in the first pass is geo.DistanceKM.
func TestDistanceAgreesWithGeo(t *testing.T) {
	r := seeded(6)
	for range 10000 {
		a := randomPoint(r, norwich, 800)
		b := randomPoint(r, a, 500*r.Float64()*r.Float64())
		ax, ay, az := unitVector(a)
		bx, by, bz := unitVector(b)
		got, want := chordKM(chord2(ax, ay, az, bx, by, bz)), geo.DistanceKM(a, b)
		if math.Abs(got-want) > 1e-9*max(1, want) {
			t.Fatalf("%v–%v: %v km, geo %v km", a, b, got, want)
		}
		if km := 1000 * r.Float64(); math.Abs(chordKM(kmChord2(km))-km) > 1e-9*max(1, km) {
			t.Fatalf("kmChord2(%v) round trip", km)
		}
	}
}

// The outreach grid finds exactly the hubs a scan of all hubs finds, for hubs near
// each other, spread over Britain, and spread over the globe (which coarsens the grid).
func TestHubIndexMatchesBruteForce(t *testing.T) {
	r := seeded(7)
	for it := range iterations(t, 300) {
		spread := []float64{30, 600, 8000}[it%3]
		var hubs []*placematch.Provider
		for i := range 1 + r.IntN(60) {
			loc := randomPoint(r, norwich, spread)
			if spread > 1000 {
				loc = placematch.Point{Lat: 140*r.Float64() - 70, Lon: 340*r.Float64() - 170}
			}
			h := newHub(fmt.Sprintf("h%03d", i), loc, some(r, placematch.HubServices, 0.4)...)
			h.Hub.OutreachRadiusKM = 1 + 40*r.Float64()
			h.AgeMin = r.IntN(14)
			hubs = append(hubs, h)
		}
		cands := prepareAsIs(hubs...)
		age := 8 + r.IntN(10)
		all := uint64(1<<len(needBit) - 1)
		q := &query{ages: []int16{int16(age)}, itemMask: []uint64{all}, highMask: []uint64{0}}
		q.hubs = newHubIndex(cands, q.ages, func(*Candidate) bool { return false })
		want, got := make([]uint64, 1), make([]uint64, 1)
		for range 50 {
			p := Prepare(newCarer("p", 0))
			pt := randomPoint(r, hubs[r.IntN(len(hubs))].Location, 50)
			p.x, p.y, p.z = unitVector(pt)
			p.lat, p.lon = pt.Lat, pt.Lon
			var brute uint64
			for _, h := range hubs {
				if age >= h.AgeMin && age <= h.AgeMax && geo.DistanceKM(h.Location, pt) <= h.Hub.OutreachRadiusKM {
					brute |= serviceMask(h.Hub.Services)
				}
			}
			if w := q.outreachWeight(&p, want, got); got[0] != brute || w != bits64(brute) {
				t.Fatalf("iteration %d at %v: grid %b (weight %d), brute force %b", it, pt, got[0], w, brute)
			}
		}
	}
}

// The first pass split over goroutines gives what one goroutine gives, whatever the
// number of chunks, with and without the exclusion list.
func TestParallelMatchesSerial(t *testing.T) {
	defer runtime.GOMAXPROCS(runtime.GOMAXPROCS(0))
	r := seeded(8)
	for it := range 3 {
		w := randomWorld(r, 2*parallelMin+r.IntN(parallelMin))
		w.opt.Limit = 25
		w.opt.IncludeExcluded = it != 1
		cands := prepareAsIs(w.provs...)
		runtime.GOMAXPROCS(1)
		want := jsonOf(Rank(w.req, cands, DefaultWeights(), w.opt))
		for _, procs := range []int{2, 3, 4} {
			runtime.GOMAXPROCS(procs)
			if got := jsonOf(Rank(w.req, cands, DefaultWeights(), w.opt)); got != want {
				t.Fatalf("iteration %d: %d goroutines differ from one", it, procs)
			}
		}
	}
}

// The group is one search: for generated groups of 2–4 siblings listing each other,
// opening the search from any member, with the others in any order, gives the same
// result, byte for byte.
func TestGroupIsOneSearch(t *testing.T) {
	r := seeded(9)
	seen := 0
	for it := range iterations(t, 200) {
		w := randomWorld(r, 80)
		for len(w.req.Group) < 2 {
			w = randomWorld(r, 80)
		}
		group := w.req.Group
		for _, m := range group {
			m.Siblings = nil
		}
		siblings(group...)
		cands := prepareAsIs(w.provs...)
		want := jsonOf(Rank(w.req, cands, DefaultWeights(), w.opt))
		for i, m := range group {
			others := slices.Clone(group)
			others = slices.Delete(others, i, i+1)
			r.Shuffle(len(others), func(a, b int) { others[a], others[b] = others[b], others[a] })
			req := w.req
			req.Child, req.Group = m, append([]*placematch.Child{m}, others...)
			if got := jsonOf(Rank(req, cands, DefaultWeights(), w.opt)); got != want {
				t.Fatalf("iteration %d: opened from member %d (%s) the result differs:\n%s\nwant\n%s", it, i, m.ID, got, want)
			}
			if len(req.Group) != len(group) {
				t.Fatal("group changed size")
			}
		}
		seen += len(group)
	}
	if seen == 0 {
		t.Fatal("no groups generated")
	}
}

// The first pass allocates nothing per candidate, household rules and outreach
// lookups included.
func TestScanDoesNotAllocate(t *testing.T) {
	r := seeded(10)
	for range 20 {
		w := randomWorld(r, 400)
		cands := prepareAsIs(w.provs...)
		q := newQuery(w.req, DefaultWeights(), w.opt)
		st := &scanState{top: topK{k: q.limit, pool: &pool{base: cands}},
			want: make([]uint64, len(q.members)), got: make([]uint64, len(q.members))}
		q.scan(cands, 0, nil, st) // fills the heap once
		if n := testing.AllocsPerRun(5, func() { q.scan(cands, 0, nil, st) }); n != 0 {
			t.Fatalf("the first pass allocated %v times", n)
		}
	}
}
