package matching

import (
	"encoding/csv"
	"fmt"
	"math"
	"math/rand/v2"
	"os"
	"slices"
	"strconv"
	"testing"

	"placematch"
)

// outcodesCSV is the shared public data set, read where it lies and never copied.
const outcodesCSV = "../../shared/data/postcodes/gb_outcode_centroids.csv"

type outcode struct {
	p        placematch.Point
	district string // set only in Norfolk, the configured council area
}

func loadOutcodes(b testing.TB) []outcode {
	f, err := os.Open(outcodesCSV)
	if err != nil {
		b.Fatalf("benchmark data missing: %v", err)
	}
	defer f.Close()
	rows, err := csv.NewReader(f).ReadAll()
	if err != nil || len(rows) < 2 {
		b.Fatalf("read %s: %v", outcodesCSV, err)
	}
	var out []outcode
	for _, row := range rows[1:] {
		lat, err1 := strconv.ParseFloat(row[1], 64)
		lon, err2 := strconv.ParseFloat(row[2], 64)
		if err1 != nil || err2 != nil {
			b.Fatalf("bad row %v", row)
		}
		o := outcode{p: placematch.Point{Lat: lat, Lon: lon}}
		if row[7] == "Norfolk" {
			o.district = row[5]
		}
		out = append(out, o)
	}
	return out
}

// benchWorld is n providers across Great Britain (about 70% carers, 25% units, 5%
// hubs), each within 3 km of a random outcode centroid, with random statuses,
// approvals (mostly broad for carers), vacancies, skills and languages from a fixed
// seed, and households for the household rules (randomProvider: a quarter of carers
// with pets, some smoking, some with children of their own, residents with
// household needs and risks in most filled places); and a 14-year-old in Norwich
// with four needs, a language, a school, an avoid-area and a household need
// (no pets).
func benchWorld(b testing.TB, n int) (Request, []Candidate, Options) {
	outcodes := loadOutcodes(b)
	r := rand.New(rand.NewPCG(2026, 11))
	provs := make([]*placematch.Provider, n)
	var hubs []*placematch.Provider
	for i := range provs {
		o := outcodes[r.IntN(len(outcodes))]
		p := randomProvider(r, i, o.p, 3)
		p.District = o.district
		if d := p.Carer; d != nil {
			// Most approvals are broad: short and long term, wide age bands.
			p.AgeMin, p.AgeMax = pick(r, []int{0, 0, 0, 5, 10, 12}), pick(r, []int{10, 17, 17, 17})
			if r.Float64() < 0.8 {
				d.PlacementTypes = append(d.PlacementTypes, placematch.PlacementShortTerm)
			}
			p.Vacancies = p.ComputeVacancies(testNow)
		}
		provs[i] = p
		if p.Hub != nil {
			hubs = append(hubs, p)
		}
	}
	c := newChild("child", 14)
	home := placematch.Point{Lat: 52.6294, Lon: 1.2806} // NR2
	school := north(home, 4)
	c.Location, c.SchoolLocation = &home, &school
	c.Needs = []string{"trauma", "education_support", "autism", NeedNoPets}
	c.Risks = []placematch.Risk{{Type: "going_missing", Level: "high"}}
	c.Languages = []string{"polish"}
	c.AvoidAreas = append(c.AvoidAreas, square(north(home, -20), 3))
	opt := Options{AreaConfigured: true, Hubs: prepareAsIs(hubs...)}
	return request(c), prepareAsIs(provs...), opt
}

func BenchmarkRank(b *testing.B) {
	benchRank(b, false)
}

func BenchmarkRankIncludeExcluded(b *testing.B) {
	benchRank(b, true)
}

func benchRank(b *testing.B, listExcluded bool) {
	for _, n := range []int{1_000, 10_000, 100_000} {
		b.Run(fmt.Sprintf("%dk", n/1000), func(b *testing.B) {
			req, cands, opt := benchWorld(b, n)
			opt.IncludeExcluded = listExcluded
			w := DefaultWeights()
			res := Rank(req, cands, w, opt)
			if len(res.Matches) == 0 {
				b.Fatal("no matches: the benchmark world is unrealistic")
			}
			for b.Loop() {
				Rank(req, cands, w, opt)
			}
			b.ReportMetric(float64(res.ExcludedCount)/float64(res.Considered)*100, "%excluded")
		})
	}
}

// BenchmarkPrepare is the store's cost of keeping candidates current.
func BenchmarkPrepare(b *testing.B) {
	r := rand.New(rand.NewPCG(1, 2))
	p := randomProvider(r, 1, norwich, 10)
	for b.Loop() {
		Prepare(p)
	}
}

// BenchmarkBookingCheck is the hard-rule judgement of one provider inside a booking's
// transaction: Check, against what the booking used to do — Rank on the one
// prepared provider with its exclusions listed. The child is the benchmark world's
// (with an avoid-area), the provider one that passes every rule, so that Rank
// explains a match.
func BenchmarkBookingCheck(b *testing.B) {
	req, cands, opt := benchWorld(b, 1_000)
	res := Rank(req, cands, DefaultWeights(), opt)
	if len(res.Matches) == 0 {
		b.Fatal("no matches: the benchmark world is unrealistic")
	}
	p := cands[slices.IndexFunc(cands, func(c Candidate) bool { return c.P.ID == res.Matches[0].Provider.ID })].P
	checkOpt := Options{AreaConfigured: opt.AreaConfigured}
	b.Run("rank-one", func(b *testing.B) {
		for b.Loop() {
			one := Rank(req, []Candidate{Prepare(p)}, DefaultWeights(),
				Options{IncludeExcluded: true, AreaConfigured: opt.AreaConfigured, Limit: 1})
			if len(one.Matches) != 1 {
				b.Fatal("the provider no longer matches")
			}
		}
	})
	b.Run("check", func(b *testing.B) {
		for b.Loop() {
			if codes := Check(req, p, checkOpt); len(codes) != 0 {
				b.Fatalf("Check found %v", codes)
			}
		}
	})
}

// BenchmarkChordTopK is the yardstick Rank is compared with: the bare exact
// distance ranking over benchWorld's 100,000 points — unit vectors prepared once,
// the squared chord to the child's home, the nearest 10 kept in a max-heap — with
// no rules and no scores.
func BenchmarkChordTopK(b *testing.B) {
	req, cands, _ := benchWorld(b, 100_000)
	xs, ys, zs := make([]float64, len(cands)), make([]float64, len(cands)), make([]float64, len(cands))
	for i, c := range cands {
		xs[i], ys[i], zs[i] = benchUnitVector(c.P.Location)
	}
	qx, qy, qz := benchUnitVector(*req.Child.Location)
	want := bruteNearest(xs, ys, zs, qx, qy, qz, 10)
	if got := chordTopK(xs, ys, zs, qx, qy, qz); !slices.Equal(got[:], want) {
		b.Fatalf("chordTopK = %v, want %v", got, want)
	}
	for b.Loop() {
		chordTopK(xs, ys, zs, qx, qy, qz)
	}
}

func benchUnitVector(p placematch.Point) (x, y, z float64) {
	lat, lon := p.Lat*math.Pi/180, p.Lon*math.Pi/180
	return math.Cos(lat) * math.Cos(lon), math.Cos(lat) * math.Sin(lon), math.Sin(lat)
}

// chordTopK returns the indexes of the 10 points nearest the query, nearest first.
func chordTopK(xs, ys, zs []float64, qx, qy, qz float64) [10]int {
	const k = 10
	var d [k]float64 // a max-heap on d, the worst of the best k at d[0]
	var idx [k]int
	n := 0
	for i := range xs {
		dx, dy, dz := xs[i]-qx, ys[i]-qy, zs[i]-qz
		c := dx*dx + dy*dy + dz*dz
		if n < k {
			j := n
			n++
			for j > 0 && d[(j-1)/2] < c { // sift up
				d[j], idx[j] = d[(j-1)/2], idx[(j-1)/2]
				j = (j - 1) / 2
			}
			d[j], idx[j] = c, i
			continue
		}
		if c >= d[0] {
			continue
		}
		j := 0 // replace the root and sift down
		for {
			l := 2*j + 1
			if l >= k {
				break
			}
			if r := l + 1; r < k && d[r] > d[l] {
				l = r
			}
			if d[l] <= c {
				break
			}
			d[j], idx[j] = d[l], idx[l]
			j = l
		}
		d[j], idx[j] = c, i
	}
	// Heap order to nearest first.
	order := [k]int{0, 1, 2, 3, 4, 5, 6, 7, 8, 9}
	slices.SortFunc(order[:], func(a, b int) int { return cmpFloat(d[a], d[b], idx[a], idx[b]) })
	var out [k]int
	for i, o := range order {
		out[i] = idx[o]
	}
	return out
}

func cmpFloat(a, b float64, ia, ib int) int {
	switch {
	case a < b:
		return -1
	case a > b:
		return 1
	}
	return ia - ib
}

// bruteNearest sorts every point by squared chord, the check of chordTopK.
func bruteNearest(xs, ys, zs []float64, qx, qy, qz float64, k int) []int {
	ids := make([]int, len(xs))
	d := make([]float64, len(xs))
	for i := range xs {
		ids[i] = i
		dx, dy, dz := xs[i]-qx, ys[i]-qy, zs[i]-qz
		d[i] = dx*dx + dy*dy + dz*dz
	}
	slices.SortFunc(ids, func(a, b int) int { return cmpFloat(d[a], d[b], a, b) })
	return ids[:k]
}
