package api_test

import (
	"bytes"
	"encoding/json"
	"strings"
	"testing"

	"placematch"
	"placematch/store"
)

// snapshot is every live record as the store holds it, to show that a refused
// request changed nothing.
func (e *env) snapshot(t *testing.T) string {
	t.Helper()
	var all []any
	for _, k := range placematch.ProviderKinds {
		page, err := e.db.ListProviders(ctx, store.ProviderFilter{Kind: k, Limit: store.MaxLimit})
		if err != nil {
			t.Fatal(err)
		}
		all = append(all, page.Items)
	}
	page, err := e.db.ListChildren(ctx, store.ChildFilter{Limit: store.MaxLimit})
	if err != nil {
		t.Fatal(err)
	}
	all = append(all, page.Items)
	pls, err := e.db.ListPlacements(ctx, store.PlacementFilter{Limit: store.MaxLimit})
	if err != nil {
		t.Fatal(err)
	}
	all = append(all, pls.Items)
	b, err := json.Marshal(all)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

const bowTie = `{"type":"Polygon","coordinates":[[[1.0,52.0],[1.1,52.1],[1.1,52.0],[1.0,52.1],[1.0,52.0]]]}`

func TestBadInputIsRefusedAndChangesNothing(t *testing.T) {
	eachDialect(t, func(t *testing.T, e *env) {
		carerID := e.do("POST", "/api/v1/carers", carerBody("KEEP")).JSON(t)["id"].(string)
		childID := e.do("POST", "/api/v1/children", childBody("KEEP")).JSON(t)["id"].(string)
		approval := func(kv ...any) map[string]any {
			return with(carerBody("NEW"), "approval", with(carerBody("x")["approval"].(map[string]any), kv...))
		}
		huge := `{"reference":"` + strings.Repeat("x", 1<<20) + `"}`
		cases := []struct {
			name, method, path string
			body               any
			status             int
			field              string
		}{
			{"malformed JSON", "POST", "/api/v1/carers", `{"reference": "A",`, 400, ""},
			{"not an object", "POST", "/api/v1/carers", `[1,2]`, 400, ""},
			{"empty body", "POST", "/api/v1/children", ``, 400, ""},
			{"wrong type", "POST", "/api/v1/carers", with(carerBody("NEW"), "name", 42), 422, "name"},
			{"wrong nested type", "POST", "/api/v1/carers", approval("age_min", "three"), 422, "approval.age_min"},
			{"unknown field", "POST", "/api/v1/carers", with(carerBody("NEW"), "favourite_colour", "blue"), 422, "favourite_colour"},
			{"derived field", "POST", "/api/v1/units", with(unitBody("NEW"), "filled", 0), 422, "filled"},
			{"unknown nested field", "POST", "/api/v1/carers", approval("colour", 1), 422, "approval.colour"},
			{"unknown enum", "POST", "/api/v1/carers", with(carerBody("NEW"), "status", "retired"), 422, "status"},
			{"unknown placement type", "POST", "/api/v1/carers", approval("placement_types", []string{"holiday"}), 422, "approval.placement_types[0]"},
			{"lat out of range", "POST", "/api/v1/carers", with(carerBody("NEW"), "location", map[string]any{"lat": 91, "lon": 1}), 422, "location.lat"},
			{"lon out of range", "POST", "/api/v1/hubs", with(hubBody("NEW"), "location", map[string]any{"lat": 52, "lon": -181}), 422, "location.lon"},
			{"age_min over age_max", "POST", "/api/v1/carers", approval("age_min", 12, "age_max", 5), 422, "approval.age_min"},
			{"unit ages outside 16-25", "POST", "/api/v1/units", with(unitBody("NEW"), "age_min", 14), 422, "age_min"},
			{"max_children over 3", "POST", "/api/v1/carers", approval("max_children", 4), 422, "approval.max_children"},
			{"max_children over 6 with exemption", "POST", "/api/v1/carers", approval("max_children", 7, "siblings_over_limit", true), 422, "approval.max_children"},
			{"invalid GeoJSON", "POST", "/api/v1/children", with(childBody("NEW"), "avoid_areas", []any{map[string]any{"type": "Point", "coordinates": []float64{1, 52}}}), 422, "avoid_areas[0]"},
			{"self-intersecting GeoJSON", "POST", "/api/v1/children", with(childBody("NEW"), "avoid_areas", []json.RawMessage{json.RawMessage(bowTie)}), 422, "avoid_areas[0]"},
			{"string over limit", "POST", "/api/v1/carers", with(carerBody(strings.Repeat("R", 65))), 422, "reference"},
			{"date in wrong format", "POST", "/api/v1/children", with(childBody("NEW"), "date_of_birth", "01/05/2016"), 422, "date_of_birth"},
			{"date of birth in future", "POST", "/api/v1/children", with(childBody("NEW"), "date_of_birth", "2030-01-01"), 422, "date_of_birth"},
			{"body over 1 MiB", "POST", "/api/v1/carers", huge, 413, ""},
			{"unknown sibling", "POST", "/api/v1/children", with(childBody("NEW"), "siblings", []string{"0190a6b2-0000-7000-8000-000000000000"}), 422, "siblings[0]"},
			{"missing required", "POST", "/api/v1/children", with(childBody("NEW"), "placement_type", nil), 422, "placement_type"},
			{"risk level", "POST", "/api/v1/children", with(childBody("NEW"), "risks", []map[string]any{{"type": "self_harm", "level": "extreme"}}), 422, "risks[0].level"},
			{"unknown postcode", "POST", "/api/v1/carers", with(carerBody("NEW"), "location", nil, "postcode", "ZZ9 9ZZ"), 422, "postcode"},
			{"not a postcode", "POST", "/api/v1/carers", with(carerBody("NEW"), "postcode", "hello"), 422, "postcode"},
			{"no location", "POST", "/api/v1/carers", with(carerBody("NEW"), "location", nil), 422, "location"},
			{"duplicate reference", "POST", "/api/v1/carers", carerBody("KEEP"), 409, ""},
			{"patch wrong type", "PATCH", "/api/v1/carers/" + carerID, map[string]any{"approval": map[string]any{"max_children": "two"}}, 422, "approval.max_children"},
			{"patch breaks a rule", "PATCH", "/api/v1/children/" + childID, map[string]any{"sex": "unknown"}, 422, "sex"},
			{"patch bad If-Match", "PATCH", "/api/v1/carers/" + carerID, map[string]any{"name": "X"}, 400, "If-Match"},
			{"placement without provider", "POST", "/api/v1/placements", map[string]any{"child_id": childID, "start_date": "2026-11-23"}, 422, "provider"},
			{"placement for unknown child", "POST", "/api/v1/placements", map[string]any{"child_id": "0190a6b2-0000-7000-8000-000000000000",
				"provider": map[string]any{"kind": "foster_carer", "id": carerID}, "start_date": "2026-11-23"}, 422, "child_id"},
			{"placement rank 2 without reason", "POST", "/api/v1/placements", map[string]any{"child_id": childID,
				"provider": map[string]any{"kind": "foster_carer", "id": carerID}, "start_date": "2026-11-23",
				"match_id": "0190a6b2-0000-7000-8000-000000000000", "match_rank": 2}, 422, "decision_reason"},
		}
		before := e.snapshot(t)
		for _, tc := range cases {
			t.Run(tc.name, func(t *testing.T) {
				var headers []string
				if tc.field == "If-Match" {
					headers = []string{"If-Match", "version-one"}
				}
				r := e.do(tc.method, tc.path, tc.body, headers...)
				wantProblem(t, r, tc.status, tc.field)
				if bytes.Contains(r.Body, []byte("goroutine")) || bytes.Contains(r.Body, []byte("SELECT")) {
					t.Fatalf("internal detail leaked: %s", r.Body)
				}
				if after := e.snapshot(t); after != before {
					t.Fatalf("stored data changed")
				}
			})
		}
	})
}
