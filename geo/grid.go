package geo

import (
	"math"
	"sync"

	"placematch"
)

// Grid buckets ids by latitude/longitude cell so that "what is within r km of here"
// looks at a few cells instead of every provider in England. Cells are cellDeg
// degrees square; 0.1 (about 11 km by 7 km in England) suits radii of a few to a few
// dozen kilometres.
//
// A Grid is safe for concurrent use. Within collects its answers under a read lock and
// calls fn after releasing it, so fn may itself Insert or Remove.
type Grid struct {
	cellDeg float64
	mu      sync.RWMutex
	cells   map[cellKey]map[string]placematch.Point
	points  map[string]placematch.Point
}

// cellKey is the integer cell of a point: floor(lon/cellDeg), floor(lat/cellDeg).
type cellKey struct{ x, y int64 }

// NewGrid returns an empty grid with cells cellDeg degrees square. It panics when
// cellDeg is not positive, which is a programming error, not a data error.
func NewGrid(cellDeg float64) *Grid {
	if !(cellDeg > 0) {
		panic("geo: NewGrid cell size must be positive")
	}
	return &Grid{
		cellDeg: cellDeg,
		cells:   map[cellKey]map[string]placematch.Point{},
		points:  map[string]placematch.Point{},
	}
}

// key is the cell holding p. Points must be valid (see placematch.Point.Validate).
func (g *Grid) key(p placematch.Point) cellKey {
	return cellKey{int64(math.Floor(p.Lon / g.cellDeg)), int64(math.Floor(p.Lat / g.cellDeg))}
}

// Insert adds id at p, moving it if it is already in the grid, so the store can call
// Insert on every update without checking first.
func (g *Grid) Insert(id string, p placematch.Point) {
	g.mu.Lock()
	defer g.mu.Unlock()
	g.remove(id)
	k := g.key(p)
	cell := g.cells[k]
	if cell == nil {
		cell = map[string]placematch.Point{}
		g.cells[k] = cell
	}
	cell[id] = p
	g.points[id] = p
}

// Remove deletes id; removing an absent id does nothing.
func (g *Grid) Remove(id string) {
	g.mu.Lock()
	defer g.mu.Unlock()
	g.remove(id)
}

// remove deletes id with the write lock held, dropping cells that become empty so
// that memory and the cell scan in Within track live points only.
func (g *Grid) remove(id string) {
	p, ok := g.points[id]
	if !ok {
		return
	}
	k := g.key(p)
	delete(g.cells[k], id)
	if len(g.cells[k]) == 0 {
		delete(g.cells, k)
	}
	delete(g.points, id)
}

// Len returns the number of ids in the grid.
func (g *Grid) Len() int {
	g.mu.RLock()
	defer g.mu.RUnlock()
	return len(g.points)
}

// Within calls fn for every id whose point is at most radiusKM (DistanceKM) from
// center, in no particular order. Cells that may hold such points are chosen with a
// safety margin and every candidate is then checked exactly, so the grid never
// changes the answer, only the cost.
func (g *Grid) Within(center placematch.Point, radiusKM float64, fn func(id string, p placematch.Point)) {
	type hit struct {
		id string
		p  placematch.Point
	}
	var hits []hit
	g.mu.RLock()
	g.scanCells(center, radiusKM, func(cell map[string]placematch.Point) {
		for id, p := range cell {
			if DistanceKM(center, p) <= radiusKM {
				hits = append(hits, hit{id, p})
			}
		}
	})
	g.mu.RUnlock()
	for _, h := range hits {
		fn(h.id, h.p)
	}
}

// scanCells calls visit for each occupied cell that may hold points within radiusKM
// of center. The degree span is widened by 1% and by a cell to absorb rounding at
// cell edges; near a pole, or for radii spanning half the globe, every longitude is
// covered; spans crossing ±180° wrap to the other side.
func (g *Grid) scanCells(center placematch.Point, radiusKM float64, visit func(map[string]placematch.Point)) {
	if radiusKM < 0 || len(g.cells) == 0 {
		return
	}
	dLat := radiusKM/kmPerDegreeLat*1.01 + g.cellDeg
	yLo := int64(math.Floor((center.Lat - dLat) / g.cellDeg))
	yHi := int64(math.Floor((center.Lat + dLat) / g.cellDeg))
	xRanges := [][2]float64{{-180, 180}}
	if farLat := math.Abs(center.Lat) + dLat; farLat < 89 {
		dLon := radiusKM/lonKMPerDegree(farLat)*1.01 + g.cellDeg
		if dLon < 180 {
			lo, hi := center.Lon-dLon, center.Lon+dLon
			xRanges = [][2]float64{{max(lo, -180), min(hi, 180)}}
			if lo < -180 {
				xRanges = append(xRanges, [2]float64{lo + 360, 180})
			}
			if hi > 180 {
				xRanges = append(xRanges, [2]float64{-180, hi - 360})
			}
		}
	}
	var xs [][2]int64
	covered := int64(0)
	for _, r := range xRanges {
		x0, x1 := int64(math.Floor(r[0]/g.cellDeg)), int64(math.Floor(r[1]/g.cellDeg))
		xs = append(xs, [2]int64{x0, x1})
		covered += (x1 - x0 + 1) * (yHi - yLo + 1)
	}
	inRange := func(k cellKey) bool {
		if k.y < yLo || k.y > yHi {
			return false
		}
		for _, x := range xs {
			if k.x >= x[0] && k.x <= x[1] {
				return true
			}
		}
		return false
	}
	// For big radii it is cheaper to walk the occupied cells than the covering ones.
	if covered > int64(len(g.cells)) {
		for k, cell := range g.cells {
			if inRange(k) {
				visit(cell)
			}
		}
		return
	}
	for _, x := range xs {
		for cx := x[0]; cx <= x[1]; cx++ {
			for cy := yLo; cy <= yHi; cy++ {
				if cell, ok := g.cells[cellKey{cx, cy}]; ok {
					visit(cell)
				}
			}
		}
	}
}
