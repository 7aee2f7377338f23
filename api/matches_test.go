package api_test

import (
	"bytes"
	"math"
	"slices"
	"testing"

	"placematch/store"
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
		if len(m["excluded"].([]any)) != 0 {
			t.Fatalf("the default answer lists exclusions: %v", m["excluded"])
		}
		if listed := e.do("GET", "/api/v1/children/"+child+"/matches?limit=5&include_excluded=true", nil).JSON(t); len(listed["excluded"].([]any)) != 2 {
			t.Fatalf("excluded %v", listed["excluded"])
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
		// FAR is 38.4 miles from her home: the booking must say why.
		wantProblem(t, e.do("POST", "/api/v1/placements", book), 422, "distance_reason")
		book["distance_reason"] = "far_away"
		wantProblem(t, e.do("POST", "/api/v1/placements", book), 422, "distance_reason")
		book["distance_reason"] = "continuity"
		r = e.do("POST", "/api/v1/placements", book)
		wantStatus(t, r, 201)
		pl := r.JSON(t)["placements"].([]any)[0].(map[string]any)
		if pl["match_id"] != matchID || pl["match_rank"].(float64) != 2 || pl["decision_reason"] == nil || pl["distance_reason"] != "continuity" {
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

// A high risk the household's own skills do not cover is flagged by default; with
// require_high_risk_skills=true it excludes the household instead. Anything but
// true or false is refused, naming the parameter.
func TestRequireHighRiskSkills(t *testing.T) {
	eachDialect(t, func(t *testing.T, e *env) {
		skilled := e.do("POST", "/api/v1/carers", with(carerBody("HR-S"), "skills", []string{"trauma", "fire_setting"})).JSON(t)["id"].(string)
		unskilled := e.do("POST", "/api/v1/carers", carerBody("HR-U")).JSON(t)["id"].(string)
		child := e.do("POST", "/api/v1/children", with(childBody("HR-K"),
			"risks", []map[string]any{{"type": "fire_setting", "level": "high"}})).JSON(t)["id"].(string)

		flags := func(run map[string]any) map[string][]any {
			out := map[string][]any{}
			for _, m := range run["matches"].([]any) {
				m := m.(map[string]any)
				out[m["provider"].(map[string]any)["id"].(string)] = m["flags"].([]any)
			}
			return out
		}
		r := e.do("GET", "/api/v1/children/"+child+"/matches", nil)
		wantStatus(t, r, 200)
		got := flags(r.JSON(t))
		if len(got) != 2 || slices.Contains(got[skilled], any("high_risk_not_covered")) ||
			!slices.Contains(got[unskilled], any("high_risk_not_covered")) {
			t.Fatalf("default search: flags %v", got)
		}
		r = e.do("GET", "/api/v1/children/"+child+"/matches?require_high_risk_skills=true", nil)
		wantStatus(t, r, 200)
		run := r.JSON(t)
		if got := flags(run); len(got) != 1 || got[skilled] == nil {
			t.Fatalf("with require_high_risk_skills: matched %v", got)
		}
		if run["excluded_summary"].(map[string]any)["high_risk_skills_missing"] != 1.0 {
			t.Fatalf("summary %v", run["excluded_summary"])
		}
		before := e.snapshot(t)
		wantProblem(t, e.do("GET", "/api/v1/children/"+child+"/matches?require_high_risk_skills=yes", nil), 422, "require_high_risk_skills")
		if e.snapshot(t) != before {
			t.Fatal("a refused search changed stored data")
		}
	})
}

// A run stored before API 2.0.0 said "" for a need's level; it is answered without
// it (validated against today's contract), and otherwise byte for byte.
func TestRunStoredBeforeNullLevelsIsAnsweredInTodaysShape(t *testing.T) {
	eachDialect(t, func(t *testing.T, e *env) {
		e.do("POST", "/api/v1/carers", carerBody("NEAR"))
		child := e.do("POST", "/api/v1/children", childBody("A")).JSON(t)["id"].(string)
		r := e.do("GET", "/api/v1/children/"+child+"/matches", nil)
		wantStatus(t, r, 200)
		if !bytes.Contains(r.Body, []byte(`"label":"trauma","covered_by"`)) || bytes.Contains(r.Body, []byte(`"level":""`)) {
			t.Fatalf("a need's level is not left out of a new run: %s", truncate(r.Body))
		}
		run, err := e.db.GetMatchRun(ctx, r.JSON(t)["match_id"].(string))
		if err != nil {
			t.Fatal(err)
		}
		old := *run
		old.ID = store.NewMatchID()
		old.Replay = nil // an old run, stored before runs recorded what replays them
		old.Result = bytes.ReplaceAll(bytes.Replace(run.Result, []byte(run.ID), []byte(old.ID), 1),
			[]byte(`"label":"trauma",`), []byte(`"label":"trauma","level":"",`))
		if bytes.Equal(old.Result, run.Result) {
			t.Fatal("no need to write in the old shape")
		}
		if err := e.db.SaveMatchRun(ctx, &old); err != nil {
			t.Fatal(err)
		}
		got := e.do("GET", "/api/v1/matches/"+old.ID, nil) // validated against openapi.yaml
		wantStatus(t, got, 200)
		want := bytes.Replace(r.Body, []byte(run.ID), []byte(old.ID), 1)
		if !bytes.Equal(got.Body, want) {
			t.Fatalf("old run answered as\n%s\nwant\n%s", truncate(got.Body), truncate(want))
		}
	})
}
