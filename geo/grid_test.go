package geo

import (
	"fmt"
	"math/rand/v2"
	"slices"
	"testing"

	"placematch"
)

// TestGridWithinMatchesBruteForce checks the grid against a scan of every point, on
// random points clustered in England (the real workload) and spread over the globe
// (poles, the antimeridian, radii bigger than a cell or than half the planet).
func TestGridWithinMatchesBruteForce(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	england := func() placematch.Point {
		return placematch.Point{Lat: 50 + rng.Float64()*5, Lon: -5 + rng.Float64()*7}
	}
	world := func() placematch.Point {
		return placematch.Point{Lat: rng.Float64()*180 - 90, Lon: rng.Float64()*360 - 180}
	}
	edge := func() placematch.Point { // hug the poles and the antimeridian
		lat := 85 + rng.Float64()*5
		if rng.IntN(2) == 0 {
			lat = -lat
		}
		lon := 179 + rng.Float64()
		if rng.IntN(2) == 0 {
			lon = -lon
		}
		if rng.IntN(2) == 0 {
			lat = rng.Float64()*20 - 10
		}
		return placematch.Point{Lat: lat, Lon: lon}
	}
	cases := []struct {
		name    string
		cellDeg float64
		gen     func() placematch.Point
		radii   []float64
	}{
		{"England 0.1°", 0.1, england, []float64{0, 1, 5, 32.19, 80, 400}},
		{"England 0.5°", 0.5, england, []float64{2, 20, 150}},
		{"world 1°", 1, world, []float64{50, 500, 3000, 12000, 21000}},
		{"poles and antimeridian 0.25°", 0.25, edge, []float64{10, 100, 600, 2500}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			g := NewGrid(c.cellDeg)
			pts := map[string]placematch.Point{}
			for i := range 3000 {
				id := fmt.Sprint("p", i)
				pts[id] = c.gen()
				g.Insert(id, pts[id])
			}
			for range 60 {
				center := c.gen()
				for _, r := range c.radii {
					var want, got []string
					for id, p := range pts {
						if DistanceKM(center, p) <= r {
							want = append(want, id)
						}
					}
					g.Within(center, r, func(id string, p placematch.Point) {
						if p != pts[id] {
							t.Errorf("Within gave %s at %v, inserted at %v", id, p, pts[id])
						}
						got = append(got, id)
					})
					slices.Sort(want)
					slices.Sort(got)
					if !slices.Equal(got, want) {
						t.Fatalf("Within(%v, %v km): got %d ids, brute force %d", center, r, len(got), len(want))
					}
				}
			}
		})
	}
}

func TestGridInsertMoveRemove(t *testing.T) {
	g := NewGrid(0.1)
	g.Insert("a", norwich)
	g.Insert("b", cromer)
	g.Insert("a", dereham) // moves a; must not leave a copy in Norwich's cell
	if g.Len() != 2 {
		t.Fatalf("Len = %d, want 2", g.Len())
	}
	near := func(p placematch.Point) []string {
		var ids []string
		g.Within(p, 1, func(id string, _ placematch.Point) { ids = append(ids, id) })
		return ids
	}
	if ids := near(norwich); len(ids) != 0 {
		t.Errorf("near Norwich after move: %v", ids)
	}
	if ids := near(dereham); !slices.Equal(ids, []string{"a"}) {
		t.Errorf("near Dereham: %v", ids)
	}
	g.Remove("a")
	g.Remove("never inserted")
	if g.Len() != 1 || len(near(dereham)) != 0 {
		t.Errorf("after Remove: Len = %d, near Dereham %v", g.Len(), near(dereham))
	}
	if len(g.cells) != 1 {
		t.Errorf("empty cells kept: %d cells for 1 point", len(g.cells))
	}
	g.Within(norwich, -1, func(string, placematch.Point) { t.Error("negative radius matched") })
}

// TestGridCallbackMayWrite shows fn runs outside the lock: writing from it would
// deadlock otherwise.
func TestGridCallbackMayWrite(t *testing.T) {
	g := NewGrid(0.1)
	g.Insert("a", norwich)
	g.Within(norwich, 1, func(id string, _ placematch.Point) { g.Remove(id) })
	if g.Len() != 0 {
		t.Errorf("Len = %d after removing from the callback", g.Len())
	}
}

func TestNewGridRejectsBadCell(t *testing.T) {
	defer func() {
		if recover() == nil {
			t.Error("NewGrid(0) did not panic")
		}
	}()
	NewGrid(0)
}

func BenchmarkGridWithin(b *testing.B) {
	rng := rand.New(rand.NewPCG(3, 4))
	g := NewGrid(0.1)
	for i := range 50000 { // about the number of English foster households
		g.Insert(fmt.Sprint(i), placematch.Point{Lat: 50.5 + rng.Float64()*4.5, Lon: -4 + rng.Float64()*5.7})
	}
	n := 0
	for b.Loop() {
		g.Within(norwich, placematch.NearKm, func(string, placematch.Point) { n++ })
	}
	_ = n
}
