package geo

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"

	"github.com/paulmach/orb"
	"github.com/paulmach/orb/planar"
)

// maxAreaPositions bounds the positions in one avoid-area. The self-intersection
// test is quadratic in the ring size and the geometry comes from API clients, so an
// unbounded ring would let one request burn seconds of CPU; a hand-drawn or exported
// area of interest is far smaller than this.
const maxAreaPositions = 10000

// rawGeometry is the part of a GeoJSON geometry object ParseArea reads. Decoding it by
// hand, rather than through orb/geojson, lets every error name the ring and position
// that is wrong.
type rawGeometry struct {
	Type        string          `json:"type"`
	Coordinates json.RawMessage `json:"coordinates"`
}

// ParseArea validates one RFC 7946 GeoJSON geometry that must be a Polygon or a
// MultiPolygon and returns it as a MultiPolygon (a Polygon becomes a one-element
// MultiPolygon, so callers handle one shape).
//
// A ring must be closed (first position equal to last), have at least 4 positions,
// hold longitudes in [-180, 180] and latitudes in [-90, 90], and must not cross or
// touch itself; adjacent segments, which always share an endpoint, are not compared.
// Winding order is not enforced (RFC 7946 asks parsers to accept either), and holes
// are not checked to lie inside their exterior ring.
//
// Errors are short plain sentences ("ring 0 is not closed", "polygon 1: ring 1
// intersects itself") meant to become the message of a problem+json field error.
func ParseArea(raw json.RawMessage) (orb.MultiPolygon, error) {
	if !json.Valid(raw) {
		return nil, errors.New("is not valid JSON")
	}
	var g rawGeometry
	if err := json.Unmarshal(raw, &g); err != nil {
		return nil, errors.New("must be a GeoJSON geometry object")
	}
	coords := bytes.TrimSpace(g.Coordinates)
	switch {
	case g.Type == "":
		return nil, errors.New("type is missing; must be Polygon or MultiPolygon")
	case g.Type != "Polygon" && g.Type != "MultiPolygon":
		return nil, fmt.Errorf("type must be Polygon or MultiPolygon, not %q", g.Type)
	case len(coords) == 0 || string(coords) == "null":
		return nil, errors.New("coordinates are missing")
	}
	if g.Type == "Polygon" {
		var rings [][][]float64
		if err := json.Unmarshal(coords, &rings); err != nil {
			return nil, errors.New("coordinates must be an array of linear rings of [lon, lat] positions")
		}
		if n := countPositions([][][][]float64{rings}); n > maxAreaPositions {
			return nil, fmt.Errorf("has %d positions; at most %d are allowed", n, maxAreaPositions)
		}
		p, err := parsePolygon(rings)
		if err != nil {
			return nil, err
		}
		return orb.MultiPolygon{p}, nil
	}
	var polys [][][][]float64
	if err := json.Unmarshal(coords, &polys); err != nil {
		return nil, errors.New("coordinates must be an array of polygons, each an array of linear rings of [lon, lat] positions")
	}
	if len(polys) == 0 {
		return nil, errors.New("multipolygon has no polygons")
	}
	if n := countPositions(polys); n > maxAreaPositions {
		return nil, fmt.Errorf("has %d positions; at most %d are allowed", n, maxAreaPositions)
	}
	mp := make(orb.MultiPolygon, 0, len(polys))
	for i, rings := range polys {
		p, err := parsePolygon(rings)
		if err != nil {
			return nil, fmt.Errorf("polygon %d: %w", i, err)
		}
		mp = append(mp, p)
	}
	return mp, nil
}

// countPositions totals the positions of a multipolygon before any work is done on it.
func countPositions(polys [][][][]float64) int {
	n := 0
	for _, rings := range polys {
		for _, r := range rings {
			n += len(r)
		}
	}
	return n
}

// parsePolygon checks the rings of one polygon; ring 0 is the exterior, the rest holes.
func parsePolygon(rings [][][]float64) (orb.Polygon, error) {
	if len(rings) == 0 {
		return nil, errors.New("polygon has no rings")
	}
	p := make(orb.Polygon, 0, len(rings))
	for i, positions := range rings {
		r, err := parseRing(positions)
		if err != nil {
			return nil, fmt.Errorf("ring %d %w", i, err)
		}
		p = append(p, r)
	}
	return p, nil
}

// parseRing checks one linear ring. Its errors are predicates ("is not closed") that
// parsePolygon prefixes with the ring's index.
func parseRing(positions [][]float64) (orb.Ring, error) {
	if len(positions) < 4 {
		return nil, fmt.Errorf("has %d positions; a closed ring needs at least 4", len(positions))
	}
	r := make(orb.Ring, len(positions))
	for j, pos := range positions {
		if len(pos) < 2 {
			return nil, fmt.Errorf("position %d must be [lon, lat]", j)
		}
		lon, lat := pos[0], pos[1]
		if lon < -180 || lon > 180 {
			return nil, fmt.Errorf("position %d has longitude %g outside [-180, 180]", j, lon)
		}
		if lat < -90 || lat > 90 {
			return nil, fmt.Errorf("position %d has latitude %g outside [-90, 90]", j, lat)
		}
		r[j] = orb.Point{lon, lat}
	}
	if r[0] != r[len(r)-1] {
		return nil, errors.New("is not closed")
	}
	// Repeated consecutive positions are legal GeoJSON but make zero-length segments
	// that would "touch" their neighbours' neighbours, so test a copy without them.
	clean := dedupe(r)
	if len(clean) < 4 {
		return nil, errors.New("has fewer than 3 distinct positions")
	}
	if selfIntersects(clean) {
		return nil, errors.New("intersects itself")
	}
	// Checked after crossing: a symmetric bow-tie's two lobes cancel to zero area.
	if planar.Area(clean) == 0 {
		return nil, errors.New("has no area (its positions are in a line)")
	}
	return r, nil
}

// dedupe drops positions equal to the one before them.
func dedupe(r orb.Ring) orb.Ring {
	out := make(orb.Ring, 0, len(r))
	for i, p := range r {
		if i == 0 || p != r[i-1] {
			out = append(out, p)
		}
	}
	return out
}

// selfIntersects reports whether any two non-adjacent segments of the closed ring r
// cross or touch. Segment i runs from r[i] to r[i+1]; the first and last segments are
// adjacent because they meet at the closing position.
func selfIntersects(r orb.Ring) bool {
	n := len(r) - 1
	for i := 0; i < n; i++ {
		a, b := r[i], r[i+1]
		sb := orb.Bound{Min: a, Max: a}.Extend(b)
		for j := i + 2; j < n; j++ {
			if i == 0 && j == n-1 {
				continue
			}
			c, d := r[j], r[j+1]
			if !sb.Intersects(orb.Bound{Min: c, Max: c}.Extend(d)) {
				continue
			}
			if segmentsIntersect(a, b, c, d) {
				return true
			}
		}
	}
	return false
}

// segmentsIntersect reports whether segments p1–p2 and q1–q2 share any point,
// including touching at an end and overlapping when collinear.
func segmentsIntersect(p1, p2, q1, q2 orb.Point) bool {
	d1, d2 := orient(q1, q2, p1), orient(q1, q2, p2)
	d3, d4 := orient(p1, p2, q1), orient(p1, p2, q2)
	if d1*d2 < 0 && d3*d4 < 0 {
		return true
	}
	return (d1 == 0 && onSegment(q1, q2, p1)) ||
		(d2 == 0 && onSegment(q1, q2, p2)) ||
		(d3 == 0 && onSegment(p1, p2, q1)) ||
		(d4 == 0 && onSegment(p1, p2, q2))
}

// orient is twice the signed area of triangle a, b, c: positive when c lies left of
// a→b, negative when right, zero when collinear.
func orient(a, b, c orb.Point) float64 {
	return (b[0]-a[0])*(c[1]-a[1]) - (b[1]-a[1])*(c[0]-a[0])
}

// onSegment reports whether c, already known to be collinear with a–b, lies on it.
func onSegment(a, b, c orb.Point) bool {
	return min(a[0], b[0]) <= c[0] && c[0] <= max(a[0], b[0]) &&
		min(a[1], b[1]) <= c[1] && c[1] <= max(a[1], b[1])
}
