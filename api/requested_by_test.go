package api_test

import (
	"testing"
	"time"

	"placematch/auth"
	"placematch/matching"
	"placematch/placing"
)

// A run records who ran the search: the match response and the stored run name
// the officer's subject and role (no name: a token carries none), only to those
// who may read runs; a run stored without anyone named reads requested_by null.
func TestStoredRunSaysWhoRanTheSearch(t *testing.T) {
	eachDialect(t, func(t *testing.T, e *env) {
		e.do("POST", "/api/v1/carers", carerBody("NEAR"))
		child := e.do("POST", "/api/v1/children", childBody("A")).JSON(t)["id"].(string)
		officer := e.bearer(auth.Principal{Subject: "officer-9", Role: auth.PlacementOfficer})

		r := e.do("GET", "/api/v1/children/"+child+"/matches", nil, "Authorization", officer)
		wantStatus(t, r, 200)
		wantRequester(t, "the match response", r.JSON(t)["requested_by"], "officer-9", "placement_officer")
		id := r.JSON(t)["match_id"].(string)

		stored := e.do("GET", "/api/v1/matches/"+id, nil) // read by an administrator
		wantStatus(t, stored, 200)
		if string(stored.Body) != string(r.Body) {
			t.Fatal("the stored run differs from what was sent")
		}
		wantRequester(t, "the stored run", stored.JSON(t)["requested_by"], "officer-9", "placement_officer")
		rec, err := e.db.GetMatchRun(ctx, id)
		if err != nil {
			t.Fatal(err)
		}
		if rec.RequestedBy == nil || rec.RequestedBy.Subject != "officer-9" || rec.RequestedBy.Role != "placement_officer" {
			t.Fatalf("the store records %+v", rec.RequestedBy)
		}

		comm := e.bearer(auth.Principal{Subject: "commissioner-3", Role: auth.Commissioner})
		wantStatus(t, e.do("GET", "/api/v1/matches/"+id, nil, "Authorization", comm), 403)

		uses := &placing.Service{Store: e.db, Now: func() time.Time { return e.clock }}
		old, err := uses.Match(ctx, placing.MatchRequest{ChildID: child, Options: matching.Options{Limit: 5}})
		if err != nil {
			t.Fatal(err)
		}
		nobody := e.do("GET", "/api/v1/matches/"+old.MatchID, nil)
		wantStatus(t, nobody, 200)
		m := nobody.JSON(t)
		if v, ok := m["requested_by"]; !ok || v != nil {
			t.Fatalf("a run that names nobody reads requested_by %v (present %v), want null", v, ok)
		}
		if m["match_id"] != old.MatchID || m["child_id"] != child {
			t.Fatalf("the run read back is not the run: %v", m)
		}
	})
}

func wantRequester(t *testing.T, what string, v any, subject, role string) {
	t.Helper()
	by, ok := v.(map[string]any)
	if !ok || by["subject"] != subject || by["role"] != role || by["name"] != nil {
		t.Fatalf("%s says it was run by %v, want %s (%s) with no name", what, v, subject, role)
	}
	if _, ok := by["name"]; !ok {
		t.Fatalf("%s leaves out the name instead of null: %v", what, v)
	}
}
