package api_test

import (
	"encoding/json"
	"strings"
	"testing"
)

// rawBody writes m as JSON with extra members spliced in as written, for bodies a
// JSON encoder would never produce (a key twice, 1e400, bytes that are not UTF-8).
func rawBody(t *testing.T, m map[string]any, members string) string {
	t.Helper()
	b, err := json.Marshal(m)
	if err != nil {
		t.Fatal(err)
	}
	if len(m) == 0 {
		return "{" + members + "}"
	}
	return "{" + members + "," + string(b[1:])
}

// without copies m less the keys named.
func without(m map[string]any, keys ...string) map[string]any {
	out := with(m)
	for _, k := range keys {
		delete(out, k)
	}
	return out
}

// Values that used to be stored and then broke every read of the record, or that
// one engine stored and the other refused with a 500, are refused before the store
// on both engines, naming the field, and change nothing.
func TestHostileBodiesAreRefusedAndChangeNothing(t *testing.T) {
	eachDialect(t, func(t *testing.T, e *env) {
		carerID := e.do("POST", "/api/v1/carers", carerBody("KEEP")).JSON(t)["id"].(string)
		childID := e.do("POST", "/api/v1/children", childBody("KEEP")).JSON(t)["id"].(string)
		booked := e.do("POST", "/api/v1/placements", map[string]any{"child_id": childID,
			"provider": map[string]any{"kind": "foster_carer", "id": carerID}, "start_date": "2026-11-23"})
		wantStatus(t, booked, 201)
		placementID := booked.Header.Get("Location")[len("/api/v1/placements/"):]
		availability := func(kv ...any) map[string]any {
			return with(carerBody("NEW"), "availability", with(map[string]any{"status": "available"}, kv...))
		}
		cases := []struct {
			name, method, path string
			body               any
			status             int
			field              string
		}{
			{"year 1 date of birth", "POST", "/api/v1/children", with(childBody("NEW"), "date_of_birth", "0001-01-01"), 422, "date_of_birth"},
			{"year 1 required_from", "POST", "/api/v1/children", with(childBody("NEW"), "required_from", "0001-01-01"), 422, "required_from"},
			{"required_from after 2100", "POST", "/api/v1/children", with(childBody("NEW"), "required_from", "2101-01-01"), 422, "required_from"},
			{"year 1 available_from", "POST", "/api/v1/carers", availability("available_from", "0001-01-01"), 422, "availability.available_from"},
			{"year 1 confirmed_at", "POST", "/api/v1/carers", availability("confirmed_at", "0001-01-01T00:00:00Z"), 422, "availability.confirmed_at"},
			{"confirmed_at before 1900", "POST", "/api/v1/carers", availability("confirmed_at", "1899-12-31T23:00:00Z"), 422, "availability.confirmed_at"},
			{"year 1 available_from by PUT", "PUT", "/api/v1/carers/" + carerID + "/availability",
				map[string]any{"status": "available", "available_from": "0001-01-01"}, 422, "available_from"},
			{"year 1 start_date", "POST", "/api/v1/placements", map[string]any{"child_id": childID,
				"provider": map[string]any{"kind": "foster_carer", "id": carerID}, "start_date": "0001-01-01"}, 422, "start_date"},
			{"start_date years ago", "POST", "/api/v1/placements", map[string]any{"child_id": childID,
				"provider": map[string]any{"kind": "foster_carer", "id": carerID}, "start_date": "2023-01-01"}, 422, "start_date"},
			{"year 1 end_date", "PATCH", "/api/v1/placements/" + placementID, map[string]any{"end_date": "0001-01-01"}, 422, "end_date"},
			{"patch year 1 date of birth", "PATCH", "/api/v1/children/" + childID, map[string]any{"date_of_birth": "0001-01-01"}, 422, "date_of_birth"},
			{"number beyond float64", "POST", "/api/v1/children", rawBody(t, childBody("NEW"), `"max_distance_km":1e400`), 422, "max_distance_km"},
			{"nested number beyond float64", "POST", "/api/v1/carers", rawBody(t, without(carerBody("NEW"), "location"),
				`"location":{"lat":1e400,"lon":1}`), 422, "location.lat"},
			{"patch number beyond float64", "PATCH", "/api/v1/children/" + childID, `{"max_distance_km":-1e999}`, 422, "max_distance_km"},
			{"NUL in a name", "POST", "/api/v1/carers", with(carerBody("NEW"), "name", "House\u0000hold"), 422, "name"},
			{"NUL in a list", "POST", "/api/v1/children", with(childBody("NEW"), "languages", []string{"en\u0000"}), 422, "languages[0]"},
			{"NUL in free text", "POST", "/api/v1/carers", availability("note", "call\u0000me"), 422, "availability.note"},
			{"escape in a reference", "POST", "/api/v1/children", with(childBody("NEW\u001b[2J")), 422, "reference"},
			{"newline in a reference", "POST", "/api/v1/children", with(childBody("NEW\nLINE")), 422, "reference"},
			{"C1 control in a name", "POST", "/api/v1/hubs", with(hubBody("NEW"), "name", "Hub\u0085"), 422, "name"},
			{"NUL in GeoJSON", "POST", "/api/v1/children", with(childBody("NEW"), "avoid_areas",
				[]any{map[string]any{"type": "Polygon\u0000"}}), 422, "avoid_areas[0].type"},
			{"NUL by PATCH", "PATCH", "/api/v1/carers/" + carerID, map[string]any{"name": "\u0000"}, 422, "name"},
			{"NUL in a patched note", "PATCH", "/api/v1/placements/" + placementID, map[string]any{"decision_reason": "a\u0000b"}, 422, "decision_reason"},
			{"NUL in a feed URL", "POST", "/api/v1/feeds", map[string]any{"name": "wensum", "url": "https://example.org/\u0000",
				"format": "json"}, 422, "url"},
			{"invalid UTF-8", "POST", "/api/v1/carers", rawBody(t, without(carerBody("NEW"), "name"), "\"name\":\"Ho\xffse\""), 400, ""},
			{"invalid UTF-8 by PATCH", "PATCH", "/api/v1/children/" + childID, "{\"sex\":\"\xc3\x28\"}", 400, ""},
			{"duplicate key", "POST", "/api/v1/carers", rawBody(t, carerBody("NEW"), `"reference":"OTHER"`), 400, "reference"},
			{"duplicate nested key", "POST", "/api/v1/carers", rawBody(t, without(carerBody("NEW"), "approval"),
				`"approval":{"placement_types":["short_term"],"age_min":0,"age_max":17,"max_children":2,"max_children":3}`), 400, "approval.max_children"},
			{"duplicate key by PATCH", "PATCH", "/api/v1/children/" + childID, `{"sex":"male","sex":"female"}`, 400, "sex"},
			{"two JSON values", "POST", "/api/v1/hubs", `{"reference":"A"} {"reference":"B"}`, 400, ""},
			{"nesting too deep", "POST", "/api/v1/children", `{"avoid_areas":` + strings.Repeat("[", 40) + strings.Repeat("]", 40) + `}`, 400, ""},
		}
		before := e.snapshot(t)
		for _, tc := range cases {
			t.Run(tc.name, func(t *testing.T) {
				r := e.do(tc.method, tc.path, tc.body)
				wantProblem(t, r, tc.status, tc.field)
				if after := e.snapshot(t); after != before {
					t.Fatalf("stored data changed")
				}
			})
		}
	})
}

// Free text keeps the tabs and line breaks people type; the boundary dates are
// accepted.
func TestFreeTextAndBoundaryDatesAreKept(t *testing.T) {
	eachDialect(t, func(t *testing.T, e *env) {
		note := "Call after 6pm.\r\n\tAsk for Sam."
		r := e.do("POST", "/api/v1/carers", with(carerBody("TEXT"), "availability",
			map[string]any{"status": "available", "note": note, "available_from": "2100-12-31"}))
		wantStatus(t, r, 201)
		got := e.do("GET", r.Header.Get("Location"), nil).JSON(t)["availability"].(map[string]any)
		if got["note"] != note || got["available_from"] != "2100-12-31" {
			t.Fatalf("availability %v", got)
		}
		wantStatus(t, e.do("POST", "/api/v1/children", with(childBody("OLD"), "date_of_birth", "2001-11-23",
			"required_from", "1900-01-01")), 201)
	})
}
