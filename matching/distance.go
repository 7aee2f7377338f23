package matching

import (
	"math"

	"github.com/paulmach/orb"

	"placematch"
)

// earthKM is the sphere geo.DistanceKM uses (orb's WGS84 equatorial radius), so
// distances computed here agree with it; TestDistanceAgreesWithGeo holds them
// together.
const earthKM = orb.EarthRadius / 1000

// unitVector places p on the unit sphere. The straight-line (chord) distance between
// two such vectors is 2·sin(θ/2) for the central angle θ, so it grows with the
// great-circle distance: comparisons need only the squared chord (three
// multiplications), and the one asin that turns it into kilometres is spent only on
// providers that pass the hard rules. This is the haversine formula, rearranged.
func unitVector(p placematch.Point) (x, y, z float64) {
	lat, lon := p.Lat*math.Pi/180, p.Lon*math.Pi/180
	cl := math.Cos(lat)
	return cl * math.Cos(lon), cl * math.Sin(lon), math.Sin(lat)
}

// chord2 is the squared chord between two unit vectors.
func chord2(ax, ay, az, bx, by, bz float64) float64 {
	dx, dy, dz := ax-bx, ay-by, az-bz
	return dx*dx + dy*dy + dz*dz
}

// chordKM turns a squared chord into great-circle kilometres.
func chordKM(c2 float64) float64 {
	return 2 * earthKM * math.Asin(min(1, math.Sqrt(c2)/2))
}

// kmChord2 is the squared chord of a great-circle distance, for thresholds.
func kmChord2(km float64) float64 {
	if km >= math.Pi*earthKM {
		return 4
	}
	s := 2 * math.Sin(km/(2*earthKM))
	return s * s
}
