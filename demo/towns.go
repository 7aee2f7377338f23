package demo

import (
	"math"
	"slices"

	"placematch"
	"placematch/geo"
)

// Districts of Norfolk County Council's area, spelt as the ONS names them, so that
// demo districts line up with a real boundary file when one is configured later.
const (
	breckland     = "Breckland"
	broadland     = "Broadland"
	greatYarmouth = "Great Yarmouth"
	kingsLynn     = "King's Lynn and West Norfolk"
	northNorfolk  = "North Norfolk"
	norwich       = "Norwich"
	southNorfolk  = "South Norfolk"
)

// inland marks a town whose jitter may go in any direction.
const inland = -1

// town is a hand-entered fact about a place: where it is, its district, roughly how
// many people live there (which, with districtPop, spreads carers and children, so
// Norwich gets the most), and for coastal towns the bearing of the land, so that jittered
// homes stay ashore.
type town struct {
	name     string
	district string
	lat, lon float64
	pop      int     // residents, roughly; only ratios matter
	landward float64 // compass bearing towards land in degrees, or inland
}

// towns are written from general knowledge of Norfolk to about 0.01°, not copied from
// any data file: the demo must run with nothing but the binary. A test checks them
// against the shared places file.
var towns = []town{
	{"Norwich", norwich, 52.63, 1.30, 144000, inland},
	{"Sprowston", broadland, 52.65, 1.33, 16000, inland},
	{"Thorpe St Andrew", broadland, 52.635, 1.35, 14500, inland},
	{"Hellesdon", broadland, 52.66, 1.27, 11000, inland},
	{"Costessey", southNorfolk, 52.66, 1.21, 13000, inland},
	{"Taverham", broadland, 52.68, 1.21, 10000, inland},
	{"Wymondham", southNorfolk, 52.57, 1.11, 15000, inland},
	{"Hethersett", southNorfolk, 52.60, 1.18, 6000, inland},
	{"Diss", southNorfolk, 52.38, 1.11, 8000, inland},
	{"Harleston", southNorfolk, 52.40, 1.30, 4500, inland},
	{"Long Stratton", southNorfolk, 52.49, 1.23, 4400, inland},
	{"Loddon", southNorfolk, 52.53, 1.48, 3000, inland},
	{"Aylsham", broadland, 52.79, 1.25, 7000, inland},
	{"Acle", broadland, 52.64, 1.55, 2800, inland},
	{"Reepham", broadland, 52.76, 1.11, 2700, inland},
	{"Wroxham", broadland, 52.70, 1.41, 1600, inland},
	{"King's Lynn", kingsLynn, 52.75, 0.40, 43000, inland},
	{"Downham Market", kingsLynn, 52.60, 0.38, 10000, inland},
	{"Hunstanton", kingsLynn, 52.94, 0.49, 4200, 90},
	{"Dersingham", kingsLynn, 52.85, 0.51, 4600, inland},
	{"Great Yarmouth", greatYarmouth, 52.61, 1.73, 38000, 270},
	{"Gorleston-on-Sea", greatYarmouth, 52.58, 1.72, 26000, 270},
	{"Caister-on-Sea", greatYarmouth, 52.65, 1.72, 9000, 270},
	{"Thetford", breckland, 52.41, 0.75, 25000, inland},
	{"Dereham", breckland, 52.68, 0.94, 19000, inland},
	{"Swaffham", breckland, 52.65, 0.69, 7500, inland},
	{"Attleborough", breckland, 52.52, 1.02, 11000, inland},
	{"Watton", breckland, 52.57, 0.83, 7300, inland},
	{"Cromer", northNorfolk, 52.93, 1.30, 7700, 180},
	{"Sheringham", northNorfolk, 52.94, 1.21, 7300, 180},
	{"North Walsham", northNorfolk, 52.82, 1.39, 12600, inland},
	{"Fakenham", northNorfolk, 52.83, 0.85, 8000, inland},
	{"Holt", northNorfolk, 52.91, 1.09, 4000, inland},
	{"Wells-next-the-Sea", northNorfolk, 52.95, 0.85, 2200, 180},
	{"Stalham", northNorfolk, 52.77, 1.52, 3200, inland},
}

// outOfCounty are towns in the neighbouring counties where Norfolk places some
// children: independent fostering agencies' households and supported accommodation
// over the border (Norfolk's published figures count about one child in five placed
// outside the council's boundary). They have no district, and each lies more than
// 20 km from every town in towns, so Locator files nothing near them under a Norfolk
// district. Positions are hand-entered to about 0.01°, like towns.
var outOfCounty = []town{
	{"Peterborough", "", 52.57, -0.24, 0, inland}, // Cambridgeshire
	{"Ely", "", 52.40, 0.26, 0, inland},           // Cambridgeshire
	{"Spalding", "", 52.79, -0.15, 0, inland},     // Lincolnshire
	{"Boston", "", 52.98, -0.03, 0, inland},       // Lincolnshire
	{"Stowmarket", "", 52.19, 1.00, 0, inland},    // Suffolk
	{"Ipswich", "", 52.06, 1.16, 0, inland},       // Suffolk
}

// districtPop is each district's population, roughly (2021 census). Most of Norfolk
// lives in villages, not in the towns listed here, so a district's weight is shared
// among its towns in proportion to their size: the villagers are counted with the
// town they live near, and no district is starved because few of its towns are
// listed.
var districtPop = map[string]int{
	breckland: 140000, broadland: 131700, greatYarmouth: 99800, kingsLynn: 154300,
	northNorfolk: 103000, norwich: 144000, southNorfolk: 141600,
}

// weight is each town's share of records: its part of its district's population.
var weight = func() []int {
	inDistrict := map[string]int{}
	for _, t := range towns {
		inDistrict[t.district] += t.pop
	}
	out := make([]int, len(towns))
	for i, t := range towns {
		out[i] = districtPop[t.district] * t.pop / inDistrict[t.district]
	}
	return out
}()

// Towns are the demo's places (hand-entered facts): name, district and an approximate
// WGS84 position of about 35 Norfolk towns and villages.
var Towns = func() []geo.Town {
	out := make([]geo.Town, len(towns))
	for i, t := range towns {
		out[i] = geo.Town{Name: t.name, District: t.district, Point: t.point()}
	}
	return out
}()

// Locator assigns districts by nearest demo town within 15 km (used when no boundary
// file is configured). 15 km is well beyond the few kilometres demo homes are put from
// their town, and about the distance between neighbouring market towns, so every demo
// record gets a district while a point well outside the county gets none.
func Locator() geo.TownLocator {
	return geo.TownLocator{Towns: slices.Clone(Towns), MaxKM: 15}
}

func (t town) point() placematch.Point { return placematch.Point{Lat: t.lat, Lon: t.lon} }

// townIndex returns the index of the named town; the names are constants of this
// package, so a miss is a programming error.
func townIndex(name string) int {
	i := slices.IndexFunc(towns, func(t town) bool { return t.name == name })
	if i < 0 {
		panic("demo: unknown town " + name)
	}
	return i
}

// pickTown draws a town with probability proportional to its weight among the
// candidates (all towns when candidates is nil).
func (g *gen) pickTown(candidates []int) int {
	if candidates == nil {
		candidates = make([]int, len(towns))
		for i := range towns {
			candidates[i] = i
		}
	}
	weights := make([]int, len(candidates))
	for i, c := range candidates {
		weights[i] = weight[c]
	}
	return candidates[g.weighted(weights)]
}

// nearestTown returns the demo town nearest to p, earlier towns winning ties, as
// Locator decides.
func nearestTown(p placematch.Point) int {
	best, bestKM := 0, math.Inf(1)
	for i, t := range towns {
		if d := geo.DistanceKM(p, t.point()); d < bestKM {
			best, bestKM = i, d
		}
	}
	return best
}

// near returns a point up to maxKM from town ti, uniform over the disc or, on the
// coast, the half-disc towards land, and nearer to ti than to any other town: draws
// that stray into a neighbour's catchment are drawn again. That way Locator files
// every demo record under the district of the town it was drawn for, so each
// district gets the share of records its weight gives it, and "Smith household,
// Sprowston" is never filed under Norwich. The point is rounded to about a metre so
// that both engines store and show the same digits.
func (g *gen) near(ti int, maxKM float64) placematch.Point {
	t := towns[ti]
	for range 50 {
		r := maxKM * math.Sqrt(g.r.Float64())
		bearing := g.r.Float64() * 360
		if t.landward != inland {
			bearing = t.landward - 90 + g.r.Float64()*180
		}
		rad := bearing * math.Pi / 180
		const kmPerDegLat = 111.2
		dLat := r * math.Cos(rad) / kmPerDegLat
		dLon := r * math.Sin(rad) / (kmPerDegLat * math.Cos(t.lat*math.Pi/180))
		p := placematch.Point{Lat: round5(t.lat + dLat), Lon: round5(t.lon + dLon)}
		if nearestTown(p) == ti {
			return p
		}
	}
	return t.point() // unreachable in practice: about half of any town's disc is its own
}

// nearOut returns a point up to maxKM from out-of-county town oi, uniform over the
// disc, rounded like near. maxKM stays well below the 20 km that separates these
// towns from Norfolk's, so the point is in no district.
func (g *gen) nearOut(oi int, maxKM float64) placematch.Point {
	t := outOfCounty[oi]
	r := maxKM * math.Sqrt(g.r.Float64())
	rad := g.r.Float64() * 2 * math.Pi
	const kmPerDegLat = 111.2
	dLat := r * math.Cos(rad) / kmPerDegLat
	dLon := r * math.Sin(rad) / (kmPerDegLat * math.Cos(t.lat*math.Pi/180))
	return placematch.Point{Lat: round5(t.lat + dLat), Lon: round5(t.lon + dLon)}
}

// townsBetween lists the towns whose centre is at least lo and at most hi km from p,
// in list order.
func townsBetween(p placematch.Point, lo, hi float64) []int {
	var out []int
	for i, t := range towns {
		if d := geo.DistanceKM(p, t.point()); d >= lo && d <= hi {
			out = append(out, i)
		}
	}
	return out
}

func round5(x float64) float64 { return math.Round(x*1e5) / 1e5 }
