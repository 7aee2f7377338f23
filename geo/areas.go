package geo

import (
	"encoding/json"
	"fmt"
	"math"

	"github.com/paulmach/orb"
	"github.com/paulmach/orb/planar"

	"placematch"
)

// Areas is a parsed set of avoid-areas: places a child must not be placed in (near a
// person who poses a risk, a previous placement that broke down). Every polygon keeps
// its bounding box so that the common answer, "not in any of them", costs four
// comparisons per polygon instead of a walk round its rings.
//
// The zero Areas is empty and contains no point. An Areas is read-only once built
// and safe for concurrent use.
type Areas struct {
	polys  []orb.Polygon
	bounds []orb.Bound
}

// AreaError reports which geometry of a ParseAreas input was invalid, so the caller
// can name the field ("avoid_areas[2]") in its own terms.
type AreaError struct {
	// Index is the position of the offending geometry in the input slice.
	Index int
	// Err is the ParseArea error, a plain message without the index.
	Err error
}

// Error names the index in a neutral form; API code builds its own field path from
// Index and Err instead of using this text.
func (e *AreaError) Error() string { return fmt.Sprintf("area %d: %v", e.Index, e.Err) }

// Unwrap exposes the ParseArea error.
func (e *AreaError) Unwrap() error { return e.Err }

// ParseAreas parses each geometry with ParseArea. It stops at the first invalid one
// and returns a *AreaError carrying its index, since one bad area makes the whole
// request invalid and the first error is enough to fix it.
func ParseAreas(raws []json.RawMessage) (Areas, error) {
	var a Areas
	for i, raw := range raws {
		mp, err := ParseArea(raw)
		if err != nil {
			return Areas{}, &AreaError{Index: i, Err: err}
		}
		for _, p := range mp {
			a.polys = append(a.polys, p)
			a.bounds = append(a.bounds, p.Bound())
		}
	}
	return a, nil
}

// Contains reports whether p lies in any of the areas. Points inside a hole are not
// contained; points on an edge are, because for safeguarding an edge case should fall
// on the side of caution.
func (a Areas) Contains(p placematch.Point) bool {
	pt := orbPoint(p)
	for i, b := range a.bounds {
		if b.Contains(pt) && planar.PolygonContains(a.polys[i], pt) {
			return true
		}
	}
	return false
}

// Bound is the union of the areas' bounding boxes; for no areas it is empty (its
// Min above its Max), so that it contains no point.
func (a Areas) Bound() orb.Bound {
	b := orb.Bound{Min: orb.Point{math.Inf(1), math.Inf(1)}, Max: orb.Point{math.Inf(-1), math.Inf(-1)}}
	for _, pb := range a.bounds {
		b = orb.Bound{Min: orb.Point{min(b.Min[0], pb.Min[0]), min(b.Min[1], pb.Min[1])},
			Max: orb.Point{max(b.Max[0], pb.Max[0]), max(b.Max[1], pb.Max[1])}}
	}
	return b
}

// Empty reports whether there are no areas, so callers can skip the check entirely.
func (a Areas) Empty() bool { return len(a.polys) == 0 }
