package storetest

import (
	"context"
	"encoding/csv"
	"fmt"
	"math"
	"math/rand/v2"
	"os"
	"strconv"

	"placematch"
	"placematch/store"
)

// ReadOutcodeCentroids is OutcodeCentroids for programs: it reads Great Britain's
// outcode centroids (outcode,lat,lon,… with a header row) from path.
func ReadOutcodeCentroids(path string) ([]placematch.Point, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	rows, err := csv.NewReader(f).ReadAll()
	if err != nil {
		return nil, fmt.Errorf("read %s: %w", path, err)
	}
	if len(rows) < 2 {
		return nil, fmt.Errorf("read %s: no rows", path)
	}
	out := make([]placematch.Point, 0, len(rows)-1)
	for _, row := range rows[1:] {
		if len(row) < 3 {
			return nil, fmt.Errorf("%s: short row %v", path, row)
		}
		lat, err1 := strconv.ParseFloat(row[1], 64)
		lon, err2 := strconv.ParseFloat(row[2], 64)
		if err1 != nil || err2 != nil {
			return nil, fmt.Errorf("%s: bad row %v", path, row)
		}
		out = append(out, placematch.Point{Lat: lat, Lon: lon})
	}
	return out, nil
}

// near is a point up to maxKM from c in a uniformly random direction and area.
func near(r *rand.Rand, c placematch.Point, maxKM float64) placematch.Point {
	const kmPerDegLat = 111.195
	d, th := maxKM*math.Sqrt(r.Float64()), 2*math.Pi*r.Float64()
	return placematch.Point{Lat: c.Lat + d*math.Cos(th)/kmPerDegLat,
		Lon: c.Lon + d*math.Sin(th)/(kmPerDegLat*math.Cos(c.Lat*math.Pi/180))}
}

func pickOne[T any](r *rand.Rand, xs []T) T { return xs[r.IntN(len(xs))] }

// World is n providers across Great Britain from a fixed seed, for benchmarks at
// national scale: about 70% foster carers, 25% supported-accommodation units and 5%
// hubs, each within 3 km of a random point of pts (outcode centroids), with mixed
// carer statuses (one in ten on hold, one in fifty in assessment), age ranges,
// placement types, skills, languages, places, wheelchair-accessible homes, and one in
// six unavailable. References are N000000, N000001, …; ids are not set (the store
// sets them). The same pts, n and seed give the same providers.
func World(pts []placematch.Point, n int, seed uint64) []*placematch.Provider {
	r := rand.New(rand.NewPCG(seed, 23))
	skills := append(append([]string{}, placematch.Needs[:12]...), placematch.RiskTypes[:5]...)
	langs := []string{"polish", "arabic", "urdu", "romanian", "tigrinya"}
	out := make([]*placematch.Provider, n)
	for i := range out {
		ref := fmt.Sprintf("N%06d", i)
		var p *placematch.Provider
		switch x := r.IntN(100); {
		case x < 70:
			p = Carer(ref, func(p *placematch.Provider) {
				p.AgeMin, p.AgeMax = pickOne(r, []int{0, 0, 0, 5, 10, 12}), pickOne(r, []int{10, 17, 17, 17})
				d := p.Carer
				d.MaxChildren = 1 + r.IntN(3)
				d.Skills = []string{pickOne(r, skills), pickOne(r, skills), "trauma"}
				if r.IntN(5) == 0 {
					d.Languages = append(d.Languages, pickOne(r, langs))
				}
				if r.IntN(3) == 0 {
					d.PlacementTypes = append(d.PlacementTypes, placematch.PlacementLongTerm)
				}
				if r.IntN(5) == 0 {
					d.PlacementTypes = d.PlacementTypes[1:] // no emergencies
				}
				d.Household.WheelchairAccessible = r.IntN(5) == 0
				switch y := r.IntN(50); {
				case y < 5:
					d.Status = placematch.CarerOnHold
				case y < 6:
					d.Status = placematch.CarerInAssessment
				}
			})
		case x < 95:
			p = Unit(ref, func(p *placematch.Provider) {
				p.Unit.Beds = 1 + r.IntN(6)
				p.Unit.WeeklyCostPence = int64(60000 + 1000*r.IntN(80))
				if r.IntN(4) == 0 {
					p.Unit.Features = append(p.Unit.Features, placematch.FeatureWheelchairAccessible)
				}
			})
		default:
			p = Hub(ref)
		}
		p.Name += fmt.Sprintf(" %d", i)
		p.Location = near(r, pts[r.IntN(len(pts))], 3)
		if r.IntN(6) == 0 {
			p.Availability.Status = placematch.Unavailable
		}
		out[i] = p
	}
	return out
}

// National is a world ready for store.BulkImport: providers, children, and
// placements filling some of the providers' places.
type National struct {
	Providers  []*placematch.Provider
	Children   []*placematch.Child
	Placements []store.BulkPlacement
	// Awaiting are the indexes in Children of the children awaiting a placement.
	Awaiting []int
}

// NationalWorld is World(pts, providers, seed) with awaiting children, each near a
// random point of pts, aged 1 to 17, with a need, a language and now and then a
// wheelchair; and one child placed with about one provider in five (which fills one
// place, so that vacancies vary).
func NationalWorld(pts []placematch.Point, providers, awaiting int, seed uint64) National {
	w := National{Providers: World(pts, providers, seed)}
	r := rand.New(rand.NewPCG(seed, 29))
	needs := []string{"trauma", "education_support", "autism", "mental_health", "esol"}
	today := placematch.DateOf(Clock)
	for i := range awaiting {
		home := near(r, pts[r.IntN(len(pts))], 3)
		c := Child(fmt.Sprintf("W%06d", i), func(c *placematch.Child) {
			c.DateOfBirth = today.AddDays(-365*(1+r.IntN(17)) - r.IntN(365))
			c.Location = &home
			c.Needs = []string{pickOne(r, needs)}
			c.WheelchairUser = r.IntN(20) == 0
			c.PlacementType = pickOne(r, []placematch.PlacementType{placematch.PlacementShortTerm,
				placematch.PlacementShortTerm, placematch.PlacementEmergency, placematch.PlacementLongTerm})
			if c.PlacementType == placematch.PlacementEmergency {
				c.Urgency = "emergency"
			}
		})
		w.Awaiting = append(w.Awaiting, len(w.Children))
		w.Children = append(w.Children, c)
	}
	start := today.AddDays(-90)
	for i, p := range w.Providers {
		if r.IntN(5) != 0 || p.ComputePlaces() == 0 {
			continue
		}
		home := p.Location
		c := Child(fmt.Sprintf("P%06d", i), func(c *placematch.Child) {
			c.DateOfBirth = today.AddDays(-365 * (max(p.AgeMin, 1) + r.IntN(2)))
			c.Location = &home
		})
		w.Placements = append(w.Placements, store.BulkPlacement{Child: len(w.Children), Provider: i, StartDate: start})
		w.Children = append(w.Children, c)
	}
	return w
}

// Import stores the world with one store.BulkImport; afterwards the records carry
// the ids the store gave them.
func (w National) Import(ctx context.Context, db *store.DB) error {
	return db.BulkImport(ctx, w.Providers, w.Children, w.Placements)
}

// AwaitingIDs are the ids of the awaiting children (after Import).
func (w National) AwaitingIDs() []string {
	ids := make([]string, len(w.Awaiting))
	for i, j := range w.Awaiting {
		ids[i] = w.Children[j].ID
	}
	return ids
}
