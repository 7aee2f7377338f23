package api_test

import (
	"slices"
	"strings"
	"testing"

	"placematch"
)

// Every new field of the kinds of home is validated: 422 naming the field, and
// nothing stored.
func TestKindsFieldsRefusedAndNothingStored(t *testing.T) {
	eachDialect(t, func(t *testing.T, e *env) {
		childID := e.do("POST", "/api/v1/children", childBody("KEEP")).JSON(t)["id"].(string)
		kin := func(kv ...any) map[string]any {
			a := map[string]any{"placement_types": []string{"connected_person"}, "age_min": 0, "age_max": 17,
				"max_children": 1, "connected_to": []any{childID}}
			return with(carerBody("NEW"), "approval", with(a, kv...))
		}
		unknown := "0190a6b2-0000-7000-8000-000000000000"
		cases := []struct {
			name, path string
			body       map[string]any
			field      string
		}{
			{"connected person with no children", "/api/v1/carers", kin("connected_to", []any{}), "approval.connected_to"},
			{"connected_to without connected_person", "/api/v1/carers", kin("placement_types", []string{"short_term"}), "approval.connected_to"},
			{"unknown child", "/api/v1/carers", kin("connected_to", []any{childID, unknown}), "approval.connected_to[1]"},
			{"not a child id", "/api/v1/carers", kin("connected_to", []any{"grandma"}), "approval.connected_to[0]"},
			{"malformed entry", "/api/v1/carers", kin("connected_to", []any{42}), "approval.connected_to[0]"},
			{"unknown key in entry", "/api/v1/carers", kin("connected_to", []any{map[string]any{"child": childID}}), "approval.connected_to[0]"},
			{"object without child_id", "/api/v1/carers", kin("connected_to", []any{map[string]any{"relationship": "aunt"}}), "approval.connected_to[0].child_id"},
			{"empty relationship", "/api/v1/carers", kin("connected_to", []any{map[string]any{"child_id": childID, "relationship": " "}}), "approval.connected_to[0].relationship"},
			{"child listed twice", "/api/v1/carers", kin("connected_to", []any{childID, map[string]any{"child_id": childID, "relationship": "aunt"}}), "approval.connected_to[1]"},
			{"temporary approval beyond 24 weeks", "/api/v1/carers", kin("temporary_approval",
				map[string]any{"approved_on": "2026-11-01", "expires_on": "2027-04-19", "extended": true}), "approval.temporary_approval.expires_on"},
			{"temporary approval beyond 16 weeks unextended", "/api/v1/carers", kin("temporary_approval",
				map[string]any{"approved_on": "2026-11-01", "expires_on": "2027-03-01"}), "approval.temporary_approval.expires_on"},
			{"temporary approval ending before it starts", "/api/v1/carers", kin("temporary_approval",
				map[string]any{"approved_on": "2026-11-01", "expires_on": "2026-10-01"}), "approval.temporary_approval.expires_on"},
			{"temporary approval without a date", "/api/v1/carers", kin("temporary_approval",
				map[string]any{"expires_on": "2026-12-01"}), "approval.temporary_approval.approved_on"},
			{"temporary approval for a mainstream carer", "/api/v1/carers", with(carerBody("NEW"), "approval", with(carerBody("x")["approval"].(map[string]any),
				"temporary_approval", map[string]any{"approved_on": "2026-11-01", "expires_on": "2026-12-01"})), "approval.temporary_approval"},
			{"unit offering connected person", "/api/v1/units", with(unitBody("NEW"), "placement_types", []string{"short_term", "connected_person"}), "placement_types[1]"},
			{"unit unknown type", "/api/v1/units", with(unitBody("NEW"), "placement_types", []string{"holiday"}), "placement_types[0]"},
			{"unit empty types", "/api/v1/units", with(unitBody("NEW"), "placement_types", []string{}), "placement_types"},
			{"hub offering connected person", "/api/v1/hubs", with(hubBody("NEW"), "placement_types", []string{"connected_person"}), "placement_types[0]"},
			{"hub bed for an 18-year-old", "/api/v1/hubs", with(hubBody("NEW"), "bed_age_max", 18), "bed_age_max"},
			{"hub bed ages reversed", "/api/v1/hubs", with(hubBody("NEW"), "bed_age_min", 16, "bed_age_max", 14), "bed_age_min"},
			{"hub bed age not a whole number", "/api/v1/hubs", with(hubBody("NEW"), "bed_age_min", 14.5), "bed_age_min"},
			{"hub bed for an 18-year-old, minimum alone", "/api/v1/hubs", with(hubBody("NEW"), "bed_age_min", 18), "bed_age_min"},
			{"hub bed age max alone below the default min", "/api/v1/hubs", with(hubBody("NEW"), "bed_age_max", 10), "bed_age_max"},
			{"hub bed age negative", "/api/v1/hubs", with(hubBody("NEW"), "bed_age_min", -1), "bed_age_min"},
			{"temporary approval while in assessment", "/api/v1/carers", with(kin("temporary_approval",
				map[string]any{"approved_on": "2026-11-01", "expires_on": "2026-12-01"}), "status", "in_assessment"), "approval.temporary_approval"},
		}
		before := e.snapshot(t)
		for _, tc := range cases {
			t.Run(tc.name, func(t *testing.T) {
				wantProblem(t, e.do("POST", tc.path, tc.body), 422, tc.field)
				if after := e.snapshot(t); after != before {
					t.Fatal("stored data changed")
				}
			})
		}
		// The same checks on a change.
		id := e.do("POST", "/api/v1/carers", kin()).JSON(t)["id"].(string)
		before = e.snapshot(t)
		wantProblem(t, e.do("PATCH", "/api/v1/carers/"+id, map[string]any{"approval": map[string]any{"connected_to": []any{unknown}}}),
			422, "approval.connected_to[0]")
		if e.snapshot(t) != before {
			t.Fatal("a refused change was stored")
		}
		temp := e.do("POST", "/api/v1/carers", with(kin("temporary_approval", map[string]any{"approved_on": "2026-11-01", "expires_on": "2026-12-01"}), "reference", "TEMP"))
		wantStatus(t, temp, 201)
		before = e.snapshot(t)
		wantProblem(t, e.do("PATCH", "/api/v1/carers/"+temp.JSON(t)["id"].(string), map[string]any{"status": "in_assessment"}),
			422, "approval.temporary_approval")
		if e.snapshot(t) != before {
			t.Fatal("a refused change was stored")
		}
	})
}

// A connected-person carer is first for its child, whatever the others score, and
// absent for every other child; hubs and units show the types they take.
func TestConnectedPersonFirstForItsChildOnly(t *testing.T) {
	eachDialect(t, func(t *testing.T, e *env) {
		child := e.do("POST", "/api/v1/children", childBody("A")).JSON(t)["id"].(string)
		other := e.do("POST", "/api/v1/children", childBody("B")).JSON(t)["id"].(string)
		e.do("POST", "/api/v1/carers", carerBody("NEAR"))
		r := e.do("POST", "/api/v1/carers", with(carerBody("KIN"), "location", map[string]any{"lat": 52.75, "lon": 0.40},
			"skills", []string{}, "approval", map[string]any{"placement_types": []string{"connected_person", "short_term"},
				"age_min": 0, "age_max": 17, "max_children": 1,
				"connected_to":       []any{map[string]any{"child_id": child, "relationship": "grandmother"}},
				"temporary_approval": map[string]any{"approved_on": "2026-11-01", "expires_on": "2027-02-21"}}))
		wantStatus(t, r, 201)
		kin := r.JSON(t)
		approval := kin["approval"].(map[string]any)
		if c := approval["connected_to"].([]any); len(c) != 1 || c[0].(map[string]any)["relationship"] != "grandmother" {
			t.Fatalf("connected_to %v", approval["connected_to"])
		}
		kinID := kin["id"].(string)
		hub := e.do("POST", "/api/v1/hubs", with(hubBody("H"), "location", map[string]any{"lat": 52.62, "lon": 1.29})).JSON(t)
		if types := hub["placement_types"].([]any); len(types) != 4 || hub["bed_age_min"].(float64) != 12 || hub["bed_age_max"].(float64) != 17 {
			t.Fatalf("hub defaults %v %v–%v", types, hub["bed_age_min"], hub["bed_age_max"])
		}

		m := e.do("GET", "/api/v1/children/"+child+"/matches", nil).JSON(t)
		matches := m["matches"].([]any)
		first := matches[0].(map[string]any)
		if first["provider"].(map[string]any)["id"] != kinID || first["tier"].(float64) != 0 {
			t.Fatalf("connected person not first: %v", first["provider"])
		}
		if len(matches) < 2 || first["score"].(float64) >= matches[1].(map[string]any)["score"].(float64) {
			t.Fatalf("the kin carer should be first by tier, not score: %v", matches)
		}
		if !slices.ContainsFunc(first["reasons"].([]any), func(s any) bool { return strings.Contains(s.(string), "s22C(7)(a)") }) {
			t.Errorf("reasons %v", first["reasons"])
		}

		m = e.do("GET", "/api/v1/children/"+other+"/matches?include_excluded=true", nil).JSON(t)
		for _, x := range m["matches"].([]any) {
			if x.(map[string]any)["provider"].(map[string]any)["id"] == kinID {
				t.Fatal("connected carer offered for a child it is not connected to")
			}
		}
		if m["excluded_summary"].(map[string]any)["not_connected_person"].(float64) != 1 {
			t.Errorf("summary %v", m["excluded_summary"])
		}
		// The string form is accepted too, and reads back as an object.
		r = e.do("PATCH", "/api/v1/carers/"+kinID, map[string]any{"approval": map[string]any{"connected_to": []any{child, other}}})
		wantStatus(t, r, 200)
		if c := r.JSON(t)["approval"].(map[string]any)["connected_to"].([]any); len(c) != 2 || c[1].(map[string]any)["child_id"] != other {
			t.Fatalf("connected_to after patch %v", c)
		}
	})
}

// No hub bed is offered to an 18-year-old or for a connected-person request.
func TestNoHubBedForCareLeaversOrConnectedRequests(t *testing.T) {
	eachDialect(t, func(t *testing.T, e *env) {
		hubID := e.do("POST", "/api/v1/hubs", with(hubBody("H"), "location", map[string]any{"lat": 52.62, "lon": 1.29},
			"placement_types", []string{"short_term", "long_term", "emergency"})).JSON(t)["id"].(string)
		e.do("POST", "/api/v1/units", unitBody("U"))
		for _, tc := range []struct {
			name string
			body map[string]any
			code string
		}{
			{"18-year-old", with(childBody("ADULT"), "date_of_birth", "2008-05-01"), "care_leaver_childrens_home"},
			{"connected-person request", with(childBody("KINREQ"), "date_of_birth", "2012-05-01", "placement_type", "connected_person"), "placement_type_not_offered"},
		} {
			id := e.do("POST", "/api/v1/children", tc.body).JSON(t)["id"].(string)
			m := e.do("GET", "/api/v1/children/"+id+"/matches?include_excluded=true", nil).JSON(t)
			for _, x := range m["matches"].([]any) {
				if x.(map[string]any)["provider"].(map[string]any)["id"] == hubID {
					t.Fatalf("%s: hub bed offered", tc.name)
				}
			}
			found := false
			for _, x := range m["excluded"].([]any) {
				ex := x.(map[string]any)
				if ex["provider"].(map[string]any)["id"] == hubID {
					found = slices.Contains(ex["reasons"].([]any), any(tc.code))
				}
			}
			if !found {
				t.Errorf("%s: hub not excluded with %s: %v", tc.name, tc.code, m["excluded"])
			}
		}
	})
}

// An emergency with a carer inside its terms ranks above an otherwise equal carer
// outside them, even one nearer.
func TestEmergencyInsideTermsFirst(t *testing.T) {
	eachDialect(t, func(t *testing.T, e *env) {
		approval := func(types ...string) map[string]any {
			return map[string]any{"placement_types": types, "age_min": 0, "age_max": 17, "max_children": 2}
		}
		outside := e.do("POST", "/api/v1/carers", with(carerBody("OUT"), "approval", approval("short_term"),
			"location", map[string]any{"lat": 52.621, "lon": 1.291})).JSON(t)["id"].(string)
		inside := e.do("POST", "/api/v1/carers", with(carerBody("IN"), "approval", approval("short_term", "emergency"),
			"location", map[string]any{"lat": 52.64, "lon": 1.31})).JSON(t)["id"].(string)
		child := e.do("POST", "/api/v1/children", with(childBody("E"), "placement_type", "emergency", "urgency", "emergency")).JSON(t)["id"].(string)
		m := e.do("GET", "/api/v1/children/"+child+"/matches", nil).JSON(t)
		matches := m["matches"].([]any)
		if len(matches) != 2 {
			t.Fatalf("matches %v", matches)
		}
		a, b := matches[0].(map[string]any), matches[1].(map[string]any)
		if a["provider"].(map[string]any)["id"] != inside || b["provider"].(map[string]any)["id"] != outside || b["tier"].(float64) != 2 {
			t.Fatalf("order %v then %v", a["provider"], b["provider"])
		}
		if a["score"].(float64) >= b["score"].(float64) {
			t.Fatalf("the outside-terms carer should score higher here (nearer), yet rank below: %v vs %v", a["score"], b["score"])
		}
		if !slices.Contains(b["flags"].([]any), any("emergency_outside_terms")) || a["band"] == nil {
			t.Errorf("flags %v band %v", b["flags"], a["band"])
		}
		// Booked outside its terms, the placement records its last permitted day.
		book := placementBody(child, "foster_carer", outside)
		book["match_id"], book["match_rank"], book["decision_reason"] = m["match_id"], 2, "Nearest to her school tonight."
		r := e.do("POST", "/api/v1/placements", book)
		wantStatus(t, r, 201)
		if pl := r.JSON(t)["placements"].([]any)[0].(map[string]any); pl["outside_terms_until"] != "2026-11-30" {
			t.Fatalf("outside_terms_until %v", pl["outside_terms_until"])
		}
	})
}

// A unit or hub that declares no placement types has none recorded: it shows,
// and is matched with, the documented defaults of the day it is read, through a
// change of another field too; declared types are stored as written.
func TestDefaultPlacementTypesNotStored(t *testing.T) {
	eachDialect(t, func(t *testing.T, e *env) {
		for _, tc := range []struct {
			kind     placematch.ProviderKind
			path     string
			body     map[string]any
			defaults []placematch.PlacementType
		}{
			{placematch.KindUnit, "/api/v1/units", unitBody("U"), placematch.DefaultUnitPlacementTypes},
			{placematch.KindHub, "/api/v1/hubs", hubBody("H"), placematch.DefaultHubPlacementTypes},
		} {
			r := e.do("POST", tc.path, tc.body)
			wantStatus(t, r, 201)
			id := r.JSON(t)["id"].(string)
			stored := func() []placematch.PlacementType {
				p, err := e.db.GetProvider(ctx, tc.kind, id)
				if err != nil {
					t.Fatal(err)
				}
				if p.Unit != nil {
					return p.Unit.PlacementTypes
				}
				return p.Hub.PlacementTypes
			}
			shown := func(r resp) []string {
				var out []string
				for _, x := range r.JSON(t)["placement_types"].([]any) {
					out = append(out, x.(string))
				}
				return out
			}
			want := make([]string, len(tc.defaults))
			for i, d := range tc.defaults {
				want[i] = string(d)
			}
			if got := stored(); got != nil {
				t.Errorf("%s: the defaults were stored: %v", tc.kind, got)
			}
			if got := shown(r); !slices.Equal(got, want) {
				t.Errorf("%s shows %v, want the defaults %v", tc.kind, got, want)
			}
			r = e.do("PATCH", tc.path+"/"+id, map[string]any{"name": "Renamed"})
			wantStatus(t, r, 200)
			if got := stored(); got != nil || !slices.Equal(shown(r), want) {
				t.Errorf("%s after a change: stored %v, shown %v", tc.kind, got, shown(r))
			}
			r = e.do("PATCH", tc.path+"/"+id, map[string]any{"placement_types": []string{"emergency"}})
			wantStatus(t, r, 200)
			if got := stored(); !slices.Equal(got, []placematch.PlacementType{placematch.PlacementEmergency}) || !slices.Equal(shown(r), []string{"emergency"}) {
				t.Errorf("%s declared: stored %v, shown %v", tc.kind, got, shown(r))
			}
		}
	})
}
