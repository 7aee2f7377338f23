package matching

import (
	"encoding/json"
	"math/rand/v2"
	"testing"

	"placematch"
)

// TestDistanceBoundIsAnUpperBound: the upper bounds' table never gives a cell less
// than the exact curve would give any candidate at or beyond the bound's distance.
func TestDistanceBoundIsAnUpperBound(t *testing.T) {
	r := rand.New(rand.NewPCG(3, 4))
	for range 100_000 {
		lb := r.Float64() * 2500
		km := lb + r.Float64()*r.Float64()*50
		school := r.Float64() < 0.5
		slb := r.Float64() * 100
		skm := slb + r.Float64()*20
		if b, v := distanceBound(lb, school, slb), distanceValue(km, school, skm); b < v {
			t.Fatalf("distanceBound(%v, %v, %v) = %v < distanceValue(%v, %v, %v) = %v", lb, school, slb, b, km, school, skm, v)
		}
	}
	if got, want := distanceBound(0, false, 0), 1.0; got != want {
		t.Errorf("distanceBound at home = %v, want %v", got, want)
	}
	if got, want := distanceBound(-1, false, 0), distUnknown; got != want {
		t.Errorf("distanceBound without a home = %v, want %v", got, want)
	}
}

// TestAreaCacheParsesAsGeo: cached avoid-areas contain the same points as freshly
// parsed ones, a bad record stays bad, and the cache stays within its bound.
func TestAreaCacheParsesAsGeo(t *testing.T) {
	raws := []json.RawMessage{square(norwich, 3)}
	for range 2 {
		a, err := parseAreas(raws)
		if err != nil {
			t.Fatal(err)
		}
		if !a.Contains(norwich) || a.Contains(north(norwich, 10)) {
			t.Fatal("the cached area does not contain what the area does")
		}
	}
	bad := []json.RawMessage{json.RawMessage(`{"type":"Point","coordinates":[1,52]}`)}
	for range 2 {
		if _, err := parseAreas(bad); err == nil {
			t.Fatal("a point was accepted as an area to avoid")
		}
	}
	for i := range 2 * areaCacheMax {
		if _, err := parseAreas([]json.RawMessage{square(placematch.Point{Lat: 52, Lon: float64(i) / 1000}, 1)}); err != nil {
			t.Fatal(err)
		}
	}
	areaCache.Lock()
	n := len(areaCache.m)
	areaCache.Unlock()
	if n > areaCacheMax {
		t.Errorf("the cache holds %d entries, more than %d", n, areaCacheMax)
	}
}
