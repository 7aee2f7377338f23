package api_test

import (
	"testing"

	"placematch/auth"
	"placematch/store"
	"placematch/store/storetest"
)

// A search whose audit row cannot be written stores no run and shows nothing (503);
// once the trail is back, a search stores its run and exactly one audit row naming
// the group, in the same write. On both engines.
func TestMatchRunIsStoredOnlyWithItsAuditRow(t *testing.T) {
	for _, d := range storetest.Dialects() {
		t.Run(d, func(t *testing.T) {
			t.Parallel()
			db, cfg := storetest.OpenConfig(t, d)
			e := newEnvOn(t, db)
			e.do("POST", "/api/v1/carers", carerBody("NEAR"))
			child := e.do("POST", "/api/v1/children", childBody("A")).JSON(t)["id"].(string)
			officer := e.bearer(auth.Principal{Subject: "officer-tx", Role: auth.PlacementOfficer})

			storetest.RenameTable(t, cfg, "audit_events", "audit_events_away")
			r := e.do("GET", "/api/v1/children/"+child+"/matches", nil, "Authorization", officer)
			wantProblem(t, r, 503, "")
			if r.Header.Get("Location") != "" {
				t.Fatal("the refused search names a run")
			}
			ids, err := db.MatchRunIDs(ctx)
			if err != nil || len(ids) != 0 {
				t.Fatalf("runs stored without their audit row: %v %v", ids, err)
			}
			storetest.RenameTable(t, cfg, "audit_events_away", "audit_events")

			r = e.do("GET", "/api/v1/children/"+child+"/matches", nil, "Authorization", officer)
			wantStatus(t, r, 200)
			id := r.JSON(t)["match_id"].(string)
			page, err := db.ListAudit(ctx, store.AuditFilter{Subject: "officer-tx", Limit: 100})
			if err != nil {
				t.Fatal(err)
			}
			var runs []store.AuditEvent
			for _, ev := range page.Items {
				if ev.Action == "match.run" && ev.Outcome == "success" {
					runs = append(runs, ev)
				}
			}
			if len(runs) != 1 || runs[0].ResourceID != child || len(runs[0].ResourceIDs) != 1 || runs[0].ResourceIDs[0] != child ||
				runs[0].Status != 200 || runs[0].Role != "placement_officer" || runs[0].RequestID == "" {
				t.Fatalf("audit rows of the search: %+v", runs)
			}
			if ids, _ := db.MatchRunIDs(ctx); len(ids) != 1 || ids[0] != id {
				t.Fatalf("runs stored: %v, want %s", ids, id)
			}
		})
	}
}
