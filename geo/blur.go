package geo

import (
	"math"

	"placematch"
)

// BlurKM is the side of the squares carers' homes are moved to the centres of
// wherever a commissioner sees them (the map layer, carers' records).
const BlurKM = 1.0

// Blur returns the centre of the ~BlurKM square p lies in: latitude in steps of
// BlurKM of arc, longitude in steps as wide at the square's latitude. Every point
// of a square gives the same centre, so nearby homes cannot be told apart.
func Blur(p placematch.Point) placematch.Point {
	const kmPerDeg = 111.195 // one degree of a great circle on the 6371 km sphere
	dLat := BlurKM / kmPerDeg
	row := math.Floor(p.Lat / dLat)
	lat := (row + 0.5) * dLat
	dLon := dLat / math.Cos(lat*math.Pi/180)
	lon := (math.Floor(p.Lon/dLon) + 0.5) * dLon
	return placematch.Point{Lat: lat, Lon: lon}
}
