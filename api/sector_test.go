package api_test

import (
	"testing"
)

// Carers, units and hubs carry a sector through create, read, patch and list, with
// its PLACE_PROVIDER code; a value outside the list is 422 naming the field and
// changes nothing.
func TestProviderSectorThroughTheAPI(t *testing.T) {
	eachDialect(t, func(t *testing.T, e *env) {
		for _, tc := range []struct {
			path   string
			body   map[string]any
			sector string
			code   string
			then   string
			after  string
		}{
			{"carers", carerBody("C1"), "in_house", "PR1", "agency", "PR4"},
			{"units", unitBody("U1"), "private", "PR4", "voluntary", "PR5"},
			{"hubs", hubBody("H1"), "in_house", "PR1", "other_council", "PR2"},
		} {
			base := "/api/v1/" + tc.path
			wantProblem(t, e.do("POST", base, with(tc.body, "sector", "ifa")), 422, "sector")
			if n := len(e.do("GET", base, nil).JSON(t)["items"].([]any)); n != 0 {
				t.Fatalf("%s: a refused create stored %d records", tc.path, n)
			}
			// Without a sector: none recorded, and neither field is shown.
			plain := e.do("POST", base, with(tc.body, "reference", "no-sector"))
			wantStatus(t, plain, 201)
			if m := plain.JSON(t); m["sector"] != nil || m["place_provider"] != nil {
				t.Fatalf("%s: unrecorded sector shown as %v / %v", tc.path, m["sector"], m["place_provider"])
			}
			r := e.do("POST", base, with(tc.body, "sector", tc.sector))
			wantStatus(t, r, 201)
			m := r.JSON(t)
			id := m["id"].(string)
			if m["sector"] != tc.sector || m["place_provider"] != tc.code {
				t.Fatalf("%s: created with %v / %v", tc.path, m["sector"], m["place_provider"])
			}
			wantProblem(t, e.do("PATCH", base+"/"+id, map[string]any{"sector": "council"}), 422, "sector")
			if got := e.do("GET", base+"/"+id, nil).JSON(t); got["sector"] != tc.sector || got["version"].(float64) != 1 {
				t.Fatalf("%s: a refused patch changed the record: %v v%v", tc.path, got["sector"], got["version"])
			}
			r = e.do("PATCH", base+"/"+id, map[string]any{"sector": tc.then})
			wantStatus(t, r, 200)
			if got := r.JSON(t); got["sector"] != tc.then || got["place_provider"] != tc.after {
				t.Fatalf("%s: patched to %v / %v", tc.path, got["sector"], got["place_provider"])
			}
			list := e.do("GET", base+"?sector="+tc.then, nil).JSON(t)["items"].([]any)
			if len(list) != 1 || list[0].(map[string]any)["id"] != id {
				t.Fatalf("%s?sector=%s: %d items", tc.path, tc.then, len(list))
			}
			if n := len(e.do("GET", base+"?sector="+tc.sector, nil).JSON(t)["items"].([]any)); n != 0 {
				t.Fatalf("%s?sector=%s: %d items after the change", tc.path, tc.sector, n)
			}
			wantProblem(t, e.do("GET", base+"?sector=ifa", nil), 422, "sector")
		}
	})
}
