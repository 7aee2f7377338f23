package matching

import (
	"encoding/csv"
	"fmt"
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
