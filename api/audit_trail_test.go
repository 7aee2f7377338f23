package api_test

import (
	"slices"
	"strings"
	"testing"

	"placematch/auth"
	"placematch/store"
	"placematch/store/storetest"
)

// auditRows returns the trail of one subject.
func auditRows(t *testing.T, db *store.DB, subject string) []store.AuditEvent {
	t.Helper()
	page, err := db.ListAudit(ctx, store.AuditFilter{Subject: subject, Limit: store.MaxLimit})
	if err != nil {
		t.Fatal(err)
	}
	return page.Items
}

// A list of children records every child it showed, and the trail finds the list
// by any of them.
func TestChildListAuditsEveryChildShown(t *testing.T) {
	eachDialect(t, func(t *testing.T, e *env) {
		var ids []string
		for _, ref := range []string{"A", "B", "C"} {
			ids = append(ids, e.do("POST", "/api/v1/children", childBody(ref)).JSON(t)["id"].(string))
		}
		officer := e.bearer(auth.Principal{Subject: "officer-list", Role: auth.PlacementOfficer})
		wantStatus(t, e.do("GET", "/api/v1/children?limit=2", nil, "Authorization", officer), 200)
		rows := auditRows(t, e.db, "officer-list")
		if len(rows) != 1 || rows[0].Action != "child.list" || len(rows[0].ResourceIDs) != 2 {
			t.Fatalf("audit rows %+v", rows)
		}
		shown := rows[0].ResourceIDs
		for _, id := range shown {
			if !slices.Contains(ids, id) {
				t.Fatalf("audited %s, not a child shown", id)
			}
		}
		r := e.do("GET", "/api/v1/audit?resource="+shown[1], nil)
		wantStatus(t, r, 200)
		found := false
		for _, it := range r.JSON(t)["items"].([]any) {
			if ev := it.(map[string]any); ev["action"] == "child.list" && ev["subject"] == "officer-list" {
				found = true
			}
		}
		if !found {
			t.Fatalf("the list is not found by a child it showed: %s", r.Body)
		}
	})
}

// A match run shows the whole sibling group, so its audit row names every child of
// it, not only the one asked for.
func TestMatchRunAuditsTheWholeGroup(t *testing.T) {
	eachDialect(t, func(t *testing.T, e *env) {
		e.do("POST", "/api/v1/carers", carerBody("C1"))
		a := e.do("POST", "/api/v1/children", childBody("A")).JSON(t)["id"].(string)
		b := e.do("POST", "/api/v1/children", with(childBody("B"), "siblings", []string{a})).JSON(t)["id"].(string)
		officer := e.bearer(auth.Principal{Subject: "officer-group", Role: auth.PlacementOfficer})
		r := e.do("GET", "/api/v1/children/"+a+"/matches", nil, "Authorization", officer)
		wantStatus(t, r, 200)
		wantStatus(t, e.do("GET", r.Header.Get("Location"), nil, "Authorization", officer), 200)
		rows := auditRows(t, e.db, "officer-group")
		if len(rows) != 2 {
			t.Fatalf("audit rows %+v", rows)
		}
		for _, ev := range rows {
			if !slices.Contains(ev.ResourceIDs, a) || !slices.Contains(ev.ResourceIDs, b) {
				t.Fatalf("%s audited %v, want both %s and %s", ev.Action, ev.ResourceIDs, a, b)
			}
		}
		if rows[0].Action != "match.run" || rows[0].ResourceID != a || rows[1].Action != "match.read" {
			t.Fatalf("audit rows %+v", rows)
		}
	})
}

// When the audit trail cannot be written, a child's record is not shown: 503
// problem+json with Retry-After, and nothing is changed. A change still happens
// (it cannot be undone by a failed row) and its failure is counted.
func TestChildRecordIsRefusedWhenTheAuditTrailIsDown(t *testing.T) {
	for _, d := range storetest.Dialects() {
		t.Run(d, func(t *testing.T) {
			t.Parallel()
			cfg := storetest.Config(t, d)
			e := newEnvWith(t, d, cfg)
			child := e.do("POST", "/api/v1/children", childBody("A")).JSON(t)["id"].(string)
			e.do("POST", "/api/v1/carers", carerBody("C1"))
			officer := e.bearer(auth.Principal{Subject: "officer-down", Role: auth.PlacementOfficer})
			before := e.do("GET", "/api/v1/children/"+child, nil, "Authorization", officer)
			wantStatus(t, before, 200)

			storetest.RenameTable(t, cfg, "audit_events", "audit_events_offline")
			for _, path := range []string{"/api/v1/children/" + child, "/api/v1/children", "/api/v1/children/" + child + "/matches"} {
				r := e.do("GET", path, nil, "Authorization", officer)
				wantProblem(t, r, 503, "")
				if r.Header.Get("Retry-After") == "" || r.Header.Get("ETag") != "" {
					t.Fatalf("%s: headers %v", path, r.Header)
				}
				if strings.Contains(string(r.Body), "trauma") || strings.Contains(string(r.Body), "going_missing") {
					t.Fatalf("%s: the record leaked in the refusal: %s", path, r.Body)
				}
			}
			// A refusal that shows nothing is answered as it is.
			wantProblem(t, e.do("GET", "/api/v1/children/0190a6b2-0000-7000-8000-000000000000", nil, "Authorization", officer), 404, "")
			metrics := string(e.do("GET", "/metrics", nil).Body)
			if !containsAll(metrics, "placematch_audit_write_failures_total 4") {
				t.Fatalf("audit failures not counted:\n%s", metrics)
			}
			storetest.RenameTable(t, cfg, "audit_events_offline", "audit_events")
			after := e.do("GET", "/api/v1/children/"+child, nil, "Authorization", officer)
			wantStatus(t, after, 200)
			if string(after.Body) != string(before.Body) {
				t.Fatalf("the record changed:\n%s\n%s", before.Body, after.Body)
			}
			rows := auditRows(t, e.db, "officer-down")
			if len(rows) != 2 || rows[0].Action != "child.read" || rows[1].Action != "child.read" {
				t.Fatalf("audit rows %+v", rows)
			}
		})
	}
}
