package api_test

import (
	"math"
	"testing"
)

func TestMatchesAreRankedExplainedStoredAndCitable(t *testing.T) {
	eachDialect(t, func(t *testing.T, e *env) {
		near := e.do("POST", "/api/v1/carers", carerBody("NEAR")).JSON(t)["id"].(string)
		far := e.do("POST", "/api/v1/carers", with(carerBody("FAR"), "location", map[string]any{"lat": 52.75, "lon": 0.40})).JSON(t)["id"].(string)
		e.do("POST", "/api/v1/carers", with(carerBody("ONHOLD"), "status", "on_hold"))
		e.do("POST", "/api/v1/units", unitBody("U1"))
		child := e.do("POST", "/api/v1/children", childBody("A")).JSON(t)["id"].(string)

		r := e.do("GET", "/api/v1/children/"+child+"/matches?limit=5", nil)
		wantStatus(t, r, 200)
		m := r.JSON(t)
		matches := m["matches"].([]any)
		if len(matches) != 2 {
			t.Fatalf("matches %v", matches)
		}
		first := matches[0].(map[string]any)
		if first["provider"].(map[string]any)["id"] != near || first["rank"].(float64) != 1 {
			t.Fatalf("nearest carer not first: %v", first)
		}
		sum := 0.0
		for _, f := range first["factors"].([]any) {
			sum += f.(map[string]any)["contribution"].(float64)
		}
		if math.Abs(sum-first["score"].(float64)) > 0.01 {
			t.Fatalf("contributions %v do not add to score %v", sum, first["score"])
		}
		summary := m["excluded_summary"].(map[string]any)
		if summary["not_approved"].(float64) != 1 || summary["under_16_supported_accommodation"].(float64) != 1 {
			t.Fatalf("summary %v", summary)
		}
		if len(m["excluded"].([]any)) != 2 {
			t.Fatalf("excluded %v", m["excluded"])
		}
		matchID := m["match_id"].(string)
		stored := e.do("GET", "/api/v1/matches/"+matchID, nil)
		wantStatus(t, stored, 200)
		if string(stored.Body) != string(r.Body) {
			t.Fatal("stored match run differs from what was sent")
		}

		wantProblem(t, e.do("GET", "/api/v1/children/"+child+"/matches?kinds=castle", nil), 422, "kinds")
		wantProblem(t, e.do("GET", "/api/v1/children/"+child+"/matches?limit=x", nil), 422, "limit")

		book := placementBody(child, "foster_carer", far)
		book["match_id"], book["match_rank"] = matchID, 2
		wantProblem(t, e.do("POST", "/api/v1/placements", book), 422, "decision_reason")
		book["match_rank"] = 1
		wantProblem(t, e.do("POST", "/api/v1/placements", book), 422, "match_rank")
		book["match_rank"], book["decision_reason"] = 2, "Keeps her at her school with her friends."
		r = e.do("POST", "/api/v1/placements", book)
		wantStatus(t, r, 201)
		pl := r.JSON(t)["placements"].([]any)[0].(map[string]any)
		if pl["match_id"] != matchID || pl["match_rank"].(float64) != 2 || pl["decision_reason"] == "" {
			t.Fatalf("decision not recorded: %v", pl)
		}
	})
}

func TestMatchesWithinMaxDistanceCountTheRest(t *testing.T) {
	eachDialect(t, func(t *testing.T, e *env) {
		e.do("POST", "/api/v1/carers", carerBody("NEAR"))
		e.do("POST", "/api/v1/carers", with(carerBody("FAR"), "location", map[string]any{"lat": 52.75, "lon": 0.40}))
		child := e.do("POST", "/api/v1/children", childBody("A")).JSON(t)["id"].(string)
		m := e.do("GET", "/api/v1/children/"+child+"/matches?max_distance_km=20&kinds=foster_carer", nil).JSON(t)
		if len(m["matches"].([]any)) != 1 {
			t.Fatalf("matches %v", m["matches"])
		}
		s := m["excluded_summary"].(map[string]any)
		if s["outside_search_radius"].(float64)+valueOr(s["beyond_max_distance"]) != 1 {
			t.Fatalf("far carer not counted: %v", s)
		}
	})
}

func valueOr(v any) float64 {
	f, _ := v.(float64)
	return f
}
