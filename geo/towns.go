package geo

import (
	"math"

	"placematch"
)

// Locator places a point in a named district. *Districts implements it from boundary
// polygons and TownLocator from a list of towns, so code that needs a district can
// run with real boundaries in production and without them in the demo.
type Locator interface {
	// Locate returns the district of p, or ("", false) when p is in none it knows.
	Locate(p placematch.Point) (string, bool)
}

// Town is a named place and the district it lies in. The built-in demo carries a
// handful of these as hand-entered facts, because the product must not depend on
// boundary files being present.
type Town struct {
	Name     string
	District string
	Point    placematch.Point
}

// TownLocator assigns a point to the district of the nearest town. It is a coarse
// stand-in for boundary polygons, used when no boundary file is configured.
type TownLocator struct {
	// Towns are the candidate places; ties go to the earlier town.
	Towns []Town
	// MaxKM is how far the nearest town may be before the point is treated as being
	// in no known district; zero or less means no limit.
	MaxKM float64
}

// Locate returns the district of the town nearest to p, or ("", false) when there are
// no towns or the nearest is further than MaxKM.
func (t TownLocator) Locate(p placematch.Point) (string, bool) {
	best, district := math.Inf(1), ""
	for _, town := range t.Towns {
		if d := DistanceKM(p, town.Point); d < best {
			best, district = d, town.District
		}
	}
	if district == "" || (t.MaxKM > 0 && best > t.MaxKM) {
		return "", false
	}
	return district, true
}
