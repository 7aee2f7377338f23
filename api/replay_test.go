package api_test

import (
	"encoding/json"
	"slices"
	"testing"

	"placematch/auth"
	"placematch/store"
)

// An officer replays a run: it is identical, and today's search names the carer
// that said it is unavailable (left, with the rule) and the carer recorded since
// (joined, new). The replay is audited; an unknown run is 404; a run stored
// without a replay record is 409; a commissioner may not replay.
func TestReplayAMatchRunThroughTheAPI(t *testing.T) {
	eachDialect(t, func(t *testing.T, e *env) {
		a := e.do("POST", "/api/v1/carers", carerBody("A")).JSON(t)["id"].(string)
		wantStatus(t, e.do("POST", "/api/v1/carers", with(carerBody("B"), "location", map[string]any{"lat": 52.70, "lon": 1.35})), 201)
		child := e.do("POST", "/api/v1/children", childBody("K")).JSON(t)["id"].(string)
		run := e.do("GET", "/api/v1/children/"+child+"/matches", nil).JSON(t)["match_id"].(string)

		wantStatus(t, e.do("PUT", "/api/v1/carers/"+a+"/availability", map[string]any{"status": "unavailable", "note": "ill"}), 200)
		c := e.do("POST", "/api/v1/carers", with(carerBody("C"), "location", map[string]any{"lat": 52.80, "lon": 1.40})).JSON(t)["id"].(string)

		officer := e.bearer(auth.Principal{Subject: "officer-replay", Role: auth.PlacementOfficer})
		r := e.do("POST", "/api/v1/matches/"+run+"/replay", nil, "Authorization", officer)
		wantStatus(t, r, 200)
		var got struct {
			Identical bool `json:"identical"`
			Providers int  `json:"providers"`
			Today     struct {
				Changes []struct {
					Provider struct{ ID string } `json:"provider"`
					Change   string              `json:"change"`
					Reasons  []string            `json:"reasons"`
					Then     *struct{ Rank int } `json:"then"`
					Now      *struct{ Rank int } `json:"now"`
				} `json:"changes"`
			} `json:"today"`
		}
		if err := json.Unmarshal(r.Body, &got); err != nil {
			t.Fatal(err)
		}
		ch := got.Today.Changes
		if !got.Identical || got.Providers != 2 || len(ch) != 2 ||
			ch[0].Provider.ID != a || ch[0].Change != "left" || ch[0].Reasons[0] != "unavailable" || ch[0].Now != nil ||
			ch[1].Provider.ID != c || ch[1].Change != "joined" || ch[1].Reasons[0] != "new_provider" || ch[1].Then != nil {
			t.Fatalf("replay %s", r.Body)
		}
		// B is not listed: it rose to rank 1 only because A left.
		rows := auditRows(t, e.db, "officer-replay")
		if len(rows) != 1 || rows[0].Action != "match.replay" || !slices.Contains(rows[0].ResourceIDs, child) {
			t.Fatalf("audit rows %+v", rows)
		}

		wantProblem(t, e.do("POST", "/api/v1/matches/"+store.NewMatchID()+"/replay", nil), 404, "")
		old := &store.MatchRun{ChildID: child, InputHash: "h", WeightsVersion: "v1", Result: []byte(`{"matches":[]}`)}
		if err := e.db.SaveMatchRun(ctx, old); err != nil {
			t.Fatal(err)
		}
		wantProblem(t, e.do("POST", "/api/v1/matches/"+old.ID+"/replay", nil), 409, "")
		commissioner := e.bearer(auth.Principal{Subject: "comm", Role: auth.Commissioner})
		wantProblem(t, e.do("POST", "/api/v1/matches/"+run+"/replay", nil, "Authorization", commissioner), 403, "")
	})
}
