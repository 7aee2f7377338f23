package geo

import (
	"math"
	"testing"

	"placematch"
)

// Town centres, hand-entered for the tests.
var (
	norwich       = placematch.Point{Lat: 52.6285, Lon: 1.2923} // City Hall
	dereham       = placematch.Point{Lat: 52.6815, Lon: 0.9388} // Market Place
	cromer        = placematch.Point{Lat: 52.9312, Lon: 1.2989}
	greatYarmouth = placematch.Point{Lat: 52.6083, Lon: 1.7305}
)

func TestDistanceKM(t *testing.T) {
	tests := []struct {
		name     string
		a, b     placematch.Point
		want, by float64 // expected km and tolerance
	}{
		// Dereham is "15 miles (24 km) west of Norwich" by the usual gazetteers.
		{"Norwich-Dereham", norwich, dereham, 24.6, 0.3},
		{"Norwich-Cromer", norwich, cromer, 33.7, 0.3},
		{"Norwich-Great Yarmouth", norwich, greatYarmouth, 29.7, 0.3},
		{"same point", norwich, norwich, 0, 1e-9},
		{"one degree of longitude on the equator", placematch.Point{}, placematch.Point{Lon: 1}, 111.319, 0.001},
		{"one degree of latitude", placematch.Point{Lat: 52}, placematch.Point{Lat: 53}, 111.319, 0.001},
		{"across the antimeridian", placematch.Point{Lon: 179.5}, placematch.Point{Lon: -179.5}, 111.319, 0.001},
		{"antipodes", placematch.Point{Lat: 10, Lon: 20}, placematch.Point{Lat: -10, Lon: -160}, math.Pi * 6378.137, 0.001},
		{"ten metres", norwich, placematch.Point{Lat: norwich.Lat + 10/111319.49, Lon: norwich.Lon}, 0.010, 1e-6},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := DistanceKM(tt.a, tt.b)
			if math.Abs(got-tt.want) > tt.by {
				t.Errorf("DistanceKM = %.4f km, want %.4f ± %g", got, tt.want, tt.by)
			}
			if back := DistanceKM(tt.b, tt.a); back != got {
				t.Errorf("not symmetric: %v one way, %v the other", got, back)
			}
		})
	}
}

func TestMiles(t *testing.T) {
	tests := []struct {
		km, want float64
	}{
		{0, 0},
		{placematch.NearKm, 20.0}, // 20.0025 rounds down: the DfE threshold is 20.0 miles
		{16.09, 10.0},             // 9.998
		{24.46, 15.2},             // 15.199
		{0.08, 0.0},               // 0.0497
		{0.0805, 0.1},             // 0.05002 rounds half away from zero
		{22, 13.7},                // 13.6705
		{100, 62.1},               // 62.139: DfE's 1.6093, not the exact 1.609344
	}
	for _, tt := range tests {
		if got := Miles(tt.km); got != tt.want {
			t.Errorf("Miles(%v) = %v, want %v", tt.km, got, tt.want)
		}
	}
}

func TestNearKm(t *testing.T) {
	if got := math.Round(placematch.NearMiles*1.6093*100) / 100; got != placematch.NearKm {
		t.Errorf("%v miles = %v km, constant says %v", placematch.NearMiles, got, placematch.NearKm)
	}
	if got := Miles(placematch.NearKm); got != placematch.NearMiles {
		t.Errorf("Miles(NearKm) = %v, want %v", got, placematch.NearMiles)
	}
}

func BenchmarkDistanceKM(b *testing.B) {
	var sink float64
	for b.Loop() {
		sink += DistanceKM(norwich, dereham)
	}
	_ = sink
}
