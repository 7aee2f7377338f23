package geo

import (
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"testing"

	"github.com/paulmach/orb"

	"placematch"
)

// Rings around Norwich, in GeoJSON [lon, lat] order.
const (
	square    = `[[1.2,52.6],[1.4,52.6],[1.4,52.7],[1.2,52.7],[1.2,52.6]]`
	innerHole = `[[1.25,52.62],[1.25,52.68],[1.35,52.68],[1.35,52.62],[1.25,52.62]]`
	farSquare = `[[0.3,52.7],[0.5,52.7],[0.5,52.8],[0.3,52.8],[0.3,52.7]]`
)

func poly(rings ...string) string {
	return `{"type":"Polygon","coordinates":[` + strings.Join(rings, ",") + `]}`
}

func TestParseArea(t *testing.T) {
	tests := []struct {
		name    string
		raw     string
		polys   int    // polygons returned when valid
		wantErr string // exact error text; "" means valid
	}{
		{"polygon", poly(square), 1, ""},
		{"polygon with hole", poly(square, innerHole), 1, ""},
		{"clockwise ring accepted", poly(`[[1.2,52.6],[1.2,52.7],[1.4,52.7],[1.4,52.6],[1.2,52.6]]`), 1, ""},
		{"altitude ignored", poly(`[[1.2,52.6,10],[1.4,52.6,10],[1.4,52.7,10],[1.2,52.6,10]]`), 1, ""},
		{"repeated position", poly(`[[1.2,52.6],[1.4,52.6],[1.4,52.6],[1.4,52.7],[1.2,52.7],[1.2,52.6]]`), 1, ""},
		{"multipolygon", `{"type":"MultiPolygon","coordinates":[[` + square + `],[` + farSquare + `]]}`, 2, ""},
		{"extra members ignored", `{"type":"Polygon","bbox":[1,2,3,4],"coordinates":[` + square + `]}`, 1, ""},

		{"malformed JSON", `{"type":"Polygon",`, 0, "is not valid JSON"},
		{"not an object", `[1,2]`, 0, "must be a GeoJSON geometry object"},
		{"type missing", `{"coordinates":[]}`, 0, "type is missing; must be Polygon or MultiPolygon"},
		{"wrong type Point", `{"type":"Point","coordinates":[1.3,52.6]}`, 0, `type must be Polygon or MultiPolygon, not "Point"`},
		{"Feature is not a geometry", `{"type":"Feature","geometry":` + poly(square) + `}`, 0, `type must be Polygon or MultiPolygon, not "Feature"`},
		{"lower-case type", `{"type":"polygon","coordinates":[` + square + `]}`, 0, `type must be Polygon or MultiPolygon, not "polygon"`},
		{"coordinates missing", `{"type":"Polygon"}`, 0, "coordinates are missing"},
		{"coordinates wrong shape", `{"type":"Polygon","coordinates":[[1.2,52.6]]}`, 0, "coordinates must be an array of linear rings of [lon, lat] positions"},
		{"no rings", `{"type":"Polygon","coordinates":[]}`, 0, "polygon has no rings"},
		{"no polygons", `{"type":"MultiPolygon","coordinates":[]}`, 0, "multipolygon has no polygons"},
		{"unclosed ring", poly(`[[1.2,52.6],[1.4,52.6],[1.4,52.7],[1.2,52.7]]`), 0, "ring 0 is not closed"},
		{"unclosed hole", poly(square, `[[1.25,52.62],[1.25,52.68],[1.35,52.68],[1.35,52.62]]`), 0, "ring 1 is not closed"},
		{"too few positions", poly(`[[1.2,52.6],[1.4,52.6],[1.2,52.6]]`), 0, "ring 0 has 3 positions; a closed ring needs at least 4"},
		{"too few distinct positions", poly(`[[1.2,52.6],[1.4,52.6],[1.4,52.6],[1.2,52.6]]`), 0, "ring 0 has fewer than 3 distinct positions"},
		{"collinear ring", poly(`[[1.2,52.6],[1.3,52.6],[1.4,52.6],[1.2,52.6]]`), 0, "ring 0 has no area (its positions are in a line)"},
		{"position without latitude", poly(`[[1.2,52.6],[1.4],[1.4,52.7],[1.2,52.6]]`), 0, "ring 0 position 1 must be [lon, lat]"},
		{"longitude out of range", poly(`[[1.2,52.6],[181,52.6],[1.4,52.7],[1.2,52.6]]`), 0, "ring 0 position 1 has longitude 181 outside [-180, 180]"},
		{"latitude out of range", poly(`[[1.2,52.6],[1.4,52.6],[1.4,-91],[1.2,52.6]]`), 0, "ring 0 position 2 has latitude -91 outside [-90, 90]"},
		{"bow-tie", poly(`[[1.2,52.6],[1.4,52.7],[1.4,52.6],[1.2,52.7],[1.2,52.6]]`), 0, "ring 0 intersects itself"},
		{"hole touching itself", poly(square, `[[1.25,52.62],[1.35,52.62],[1.3,52.65],[1.35,52.68],[1.25,52.68],[1.3,52.65],[1.25,52.62]]`), 0, "ring 1 intersects itself"},
		{"collinear overlap", poly(`[[1.2,52.6],[1.4,52.6],[1.4,52.7],[1.3,52.6],[1.25,52.6],[1.2,52.7],[1.2,52.6]]`), 0, "ring 0 intersects itself"},
		{"bad polygon in multipolygon", `{"type":"MultiPolygon","coordinates":[[` + square + `],[[[0.3,52.7],[0.5,52.8],[0.5,52.7],[0.3,52.8],[0.3,52.7]]]]}`, 0, "polygon 1: ring 0 intersects itself"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			mp, err := ParseArea(json.RawMessage(tt.raw))
			if tt.wantErr != "" {
				if err == nil || err.Error() != tt.wantErr {
					t.Fatalf("err = %v, want %q", err, tt.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatalf("unexpected error: %v", err)
			}
			if len(mp) != tt.polys {
				t.Errorf("got %d polygons, want %d", len(mp), tt.polys)
			}
		})
	}
}

func TestParseAreaTooManyPositions(t *testing.T) {
	var b strings.Builder
	b.WriteString(`{"type":"Polygon","coordinates":[[`)
	for i := range maxAreaPositions {
		fmt.Fprintf(&b, "[%g,%g],", 1+float64(i)*1e-5, 52.6)
	}
	b.WriteString(`[1,52.6]]]}`)
	_, err := ParseArea(json.RawMessage(b.String()))
	if err == nil || !strings.Contains(err.Error(), "at most 10000") {
		t.Fatalf("err = %v, want a size limit error", err)
	}
}

func TestParseAreasIndex(t *testing.T) {
	raws := []json.RawMessage{
		json.RawMessage(poly(square)),
		json.RawMessage(poly(farSquare)),
		json.RawMessage(`{"type":"Point","coordinates":[1,52]}`),
		json.RawMessage(`not json`),
	}
	_, err := ParseAreas(raws)
	var ae *AreaError
	if !errors.As(err, &ae) {
		t.Fatalf("err = %v (%T), want *AreaError", err, err)
	}
	if ae.Index != 2 || ae.Err.Error() != `type must be Polygon or MultiPolygon, not "Point"` {
		t.Errorf("got index %d, err %q", ae.Index, ae.Err)
	}
	if err.Error() != `area 2: type must be Polygon or MultiPolygon, not "Point"` {
		t.Errorf("Error() = %q", err.Error())
	}
}

func TestAreasContains(t *testing.T) {
	areas, err := ParseAreas([]json.RawMessage{
		json.RawMessage(poly(square, innerHole)),
		json.RawMessage(`{"type":"MultiPolygon","coordinates":[[` + farSquare + `]]}`),
	})
	if err != nil {
		t.Fatal(err)
	}
	if areas.Empty() {
		t.Fatal("Empty() = true for two areas")
	}
	tests := []struct {
		name string
		p    placematch.Point
		want bool
	}{
		{"in the ring around the hole", placematch.Point{Lat: 52.61, Lon: 1.21}, true},
		{"inside the hole", placematch.Point{Lat: 52.65, Lon: 1.30}, false},
		{"in the second area", placematch.Point{Lat: 52.75, Lon: 0.4}, true},
		{"on an outer edge", placematch.Point{Lat: 52.6, Lon: 1.3}, true},
		{"on a corner", placematch.Point{Lat: 52.6, Lon: 1.2}, true},
		{"between the areas", placematch.Point{Lat: 52.65, Lon: 0.9}, false},
		{"inside the box but lon/lat swapped", placematch.Point{Lat: 1.3, Lon: 52.65}, false},
		{"far away", placematch.Point{Lat: 51.5, Lon: -0.12}, false},
	}
	for _, tt := range tests {
		if got := areas.Contains(tt.p); got != tt.want {
			t.Errorf("%s: Contains(%v) = %v, want %v", tt.name, tt.p, got, tt.want)
		}
	}
}

func TestAreasEmpty(t *testing.T) {
	var zero Areas
	none, err := ParseAreas(nil)
	if err != nil {
		t.Fatal(err)
	}
	for _, a := range []Areas{zero, none} {
		if !a.Empty() || a.Contains(norwich) {
			t.Errorf("empty Areas: Empty() = %v, Contains = %v", a.Empty(), a.Contains(norwich))
		}
	}
}

func TestAreasBound(t *testing.T) {
	areas, err := ParseAreas([]json.RawMessage{
		json.RawMessage(poly(square, innerHole)),
		json.RawMessage(`{"type":"MultiPolygon","coordinates":[[` + farSquare + `]]}`),
	})
	if err != nil {
		t.Fatal(err)
	}
	b := areas.Bound()
	if b.Min[0] != 0.3 || b.Min[1] != 52.6 || b.Max[0] != 1.4 || b.Max[1] != 52.8 {
		t.Errorf("Bound() = %v, want [0.3 52.6]–[1.4 52.8] (both areas)", b)
	}
	var none Areas
	if nb := none.Bound(); nb.Contains(orb.Point{1.3, 52.65}) || !(nb.Min[0] > nb.Max[0]) {
		t.Errorf("empty Areas: Bound() = %v, want an empty box", nb)
	}
}
