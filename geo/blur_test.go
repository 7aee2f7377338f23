package geo_test

import (
	"testing"

	"placematch"
	"placematch/geo"
)

// A carer's home as commissioners see it is the centre of its ~1 km square: never
// more than half the square's diagonal away, the same for every home in the square,
// and different for homes a square apart.
func TestBlurMovesHomesToTheirSquare(t *testing.T) {
	for _, p := range []placematch.Point{{Lat: 52.6309, Lon: 1.2974}, {Lat: 52.94006, Lon: 0.85710},
		{Lat: 52.0, Lon: -0.0001}, {Lat: 53.1, Lon: 1.75}} {
		b := geo.Blur(p)
		if d := geo.DistanceKM(p, b); d > geo.BlurKM*0.75 {
			t.Errorf("%v moved %.3f km to %v", p, d, b)
		}
		if b == p {
			t.Errorf("%v not moved", p)
		}
		if again := geo.Blur(b); again != b {
			t.Errorf("the centre %v is not its own square's centre: %v", b, again)
		}
		near := placematch.Point{Lat: b.Lat + 0.001, Lon: b.Lon - 0.001} // ~130 m from the centre
		if geo.Blur(near) != b {
			t.Errorf("a home 130 m from the centre %v lands in another square: %v", b, geo.Blur(near))
		}
		if far := (placematch.Point{Lat: p.Lat + 0.02, Lon: p.Lon}); geo.Blur(far) == b {
			t.Errorf("homes 2 km apart share a square: %v", b)
		}
	}
}
