package geo

import (
	"math"

	"github.com/paulmach/orb"

	"placematch"
)

// kmPerMileDfE is the divisor the DfE uses to turn kilometres into miles; using the
// same (rather than 1.609344) keeps our reported miles equal to theirs.
const kmPerMileDfE = 1.6093

// kmPerDegreeLat is the length of one degree of latitude on the sphere DistanceKM
// uses, so degree margins derived from it agree with the distances it returns.
const kmPerDegreeLat = orb.EarthRadius / 1000 * math.Pi / 180

// DistanceKM returns the great-circle distance between a and b in kilometres.
//
// It uses the haversine formula, which stays accurate for short distances (orb's
// geo.Distance is a flat approximation, and its DistanceHaversine returns NaN for
// near-antipodal points because it does not clamp rounding error). The sphere has
// orb's WGS84 equatorial radius, which in England (about 52°N) is closer to the
// ellipsoid's local curvature than the 6371 km mean radius, so results agree with the
// DfE's OS-grid straight-line distances to a fraction of a percent.
func DistanceKM(a, b placematch.Point) float64 {
	const rad = math.Pi / 180
	sLat := math.Sin((b.Lat - a.Lat) * rad / 2)
	sLon := math.Sin((b.Lon - a.Lon) * rad / 2)
	h := sLat*sLat + math.Cos(a.Lat*rad)*math.Cos(b.Lat*rad)*sLon*sLon
	return 2 * orb.EarthRadius / 1000 * math.Asin(math.Sqrt(min(1, h)))
}

// Miles converts kilometres to miles exactly as the DfE does (km / 1.6093, rounded to
// one decimal place), so a figure we show next to a published statistic matches it.
func Miles(km float64) float64 {
	return math.Round(km/kmPerMileDfE*10) / 10
}

// orbPoint puts a Point in GeoJSON order (longitude first).
func orbPoint(p placematch.Point) orb.Point { return orb.Point{p.Lon, p.Lat} }

// lonKMPerDegree is the length of a degree of longitude at latitude lat.
func lonKMPerDegree(lat float64) float64 {
	return kmPerDegreeLat * math.Cos(lat*math.Pi/180)
}

// marginBound widens b by km on every side, in degrees measured at latitude lat.
// Near the poles the longitude margin covers the whole circle, because a degree of
// longitude there is shorter than any margin.
func marginBound(b orb.Bound, lat, km float64) orb.Bound {
	dLat := km / kmPerDegreeLat
	dLon := 360.0
	if k := lonKMPerDegree(math.Abs(lat) + dLat); k > km/180 {
		dLon = km / k
	}
	return orb.Bound{
		Min: orb.Point{b.Min[0] - dLon, b.Min[1] - dLat},
		Max: orb.Point{b.Max[0] + dLon, b.Max[1] + dLat},
	}
}

// ringDistanceKM returns the distance in kilometres from p to the nearest edge of r.
//
// The ring is projected onto a flat plane centred on p (equirectangular, scaled at
// p's latitude). Over the couple of kilometres this is used for, the error is metres
// at most, and it avoids a great-circle point-to-arc calculation per segment.
func ringDistanceKM(r orb.Ring, p orb.Point) float64 {
	kx, ky := lonKMPerDegree(p[1]), kmPerDegreeLat
	best := math.Inf(1)
	for i := 0; i+1 < len(r); i++ {
		ax, ay := (r[i][0]-p[0])*kx, (r[i][1]-p[1])*ky
		bx, by := (r[i+1][0]-p[0])*kx, (r[i+1][1]-p[1])*ky
		best = min(best, originToSegment(ax, ay, bx, by))
	}
	return best
}

// originToSegment is the distance from (0,0) to the segment a–b.
func originToSegment(ax, ay, bx, by float64) float64 {
	dx, dy := bx-ax, by-ay
	t := 0.0
	if l2 := dx*dx + dy*dy; l2 > 0 {
		t = min(1, max(0, -(ax*dx+ay*dy)/l2))
	}
	x, y := ax+t*dx, ay+t*dy
	return math.Hypot(x, y)
}
