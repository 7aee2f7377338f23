package api_test

import (
	"testing"

	"placematch/auth"
	"placematch/store"
)

// A carer sees and changes only its own record: another carer's record answers 404
// (its existence is not confirmed) and children are out of reach; each refusal is
// audited.
func TestCarerSeesOnlyItsOwnRecord(t *testing.T) {
	eachDialect(t, func(t *testing.T, e *env) {
		mine := e.do("POST", "/api/v1/carers", carerBody("MINE")).JSON(t)["id"].(string)
		other := e.do("POST", "/api/v1/carers", carerBody("OTHER")).JSON(t)["id"].(string)
		child := e.do("POST", "/api/v1/children", childBody("A")).JSON(t)["id"].(string)
		me := e.bearer(auth.Principal{Subject: "carer-mine", Role: auth.Carer, CarerID: mine})

		wantStatus(t, e.do("GET", "/api/v1/carers/"+mine, nil, "Authorization", me), 200)
		wantProblem(t, e.do("GET", "/api/v1/carers/"+other, nil, "Authorization", me), 404, "")
		wantProblem(t, e.do("GET", "/api/v1/carers", nil, "Authorization", me), 403, "")
		wantProblem(t, e.do("PATCH", "/api/v1/carers/"+mine, map[string]any{"name": "X"}, "Authorization", me), 403, "")
		wantProblem(t, e.do("PUT", "/api/v1/carers/"+other+"/availability", map[string]any{"status": "unavailable"},
			"Authorization", me, "If-Match", `"1"`), 404, "")
		wantProblem(t, e.do("GET", "/api/v1/children/"+child, nil, "Authorization", me), 403, "")
		wantProblem(t, e.do("GET", "/api/v1/children/"+child+"/matches", nil, "Authorization", me), 403, "")
		wantProblem(t, e.do("PUT", "/api/v1/carers/"+mine+"/availability", map[string]any{"status": "unavailable"},
			"Authorization", me), 428, "")

		r := e.do("PUT", "/api/v1/carers/"+mine+"/availability", map[string]any{"status": "unavailable", "note": "holiday"},
			"Authorization", me, "If-Match", `"1"`)
		wantStatus(t, r, 200)
		if av := r.JSON(t)["availability"].(map[string]any); av["status"] != "unavailable" || av["source"] != "carer" {
			t.Fatalf("own availability update: %v", av)
		}
		o := e.do("GET", "/api/v1/carers/"+other, nil).JSON(t)
		if o["version"].(float64) != 1 || o["availability"].(map[string]any)["status"] != "available" {
			t.Fatalf("another carer's record changed: %v", o)
		}
		page, err := e.db.ListAudit(ctx, store.AuditFilter{Subject: "carer-mine", Limit: 100})
		if err != nil {
			t.Fatal(err)
		}
		denied := 0
		for _, ev := range page.Items {
			if ev.Outcome == "denied" {
				denied++
			}
		}
		if denied != 6 {
			t.Fatalf("%d refusals audited, want 6: %+v", denied, page.Items)
		}
	})
}

// A provider lists and updates only its own units.
func TestProviderSeesOnlyItsOwnUnits(t *testing.T) {
	eachDialect(t, func(t *testing.T, e *env) {
		mine := e.do("POST", "/api/v1/units", unitBody("MINE")).JSON(t)["id"].(string)
		other := e.do("POST", "/api/v1/units", unitBody("OTHER")).JSON(t)["id"].(string)
		me := e.bearer(auth.Principal{Subject: "provider-1", Role: auth.Provider, UnitIDs: []string{mine}})
		list := e.do("GET", "/api/v1/units", nil, "Authorization", me).JSON(t)["items"].([]any)
		if len(list) != 1 || list[0].(map[string]any)["id"] != mine {
			t.Fatalf("provider listed %v", list)
		}
		wantProblem(t, e.do("GET", "/api/v1/units/"+other, nil, "Authorization", me), 404, "")
		wantProblem(t, e.do("GET", "/api/v1/carers", nil, "Authorization", me), 403, "")
		wantStatus(t, e.do("PUT", "/api/v1/units/"+mine+"/availability", map[string]any{"status": "available"},
			"Authorization", me, "If-Match", `"1"`), 200)
	})
}

// An officer's match request leaves exactly one audit row naming the officer, the
// action, the child and the outcome.
func TestMatchRequestIsAudited(t *testing.T) {
	eachDialect(t, func(t *testing.T, e *env) {
		e.do("POST", "/api/v1/carers", carerBody("C1"))
		child := e.do("POST", "/api/v1/children", childBody("A")).JSON(t)["id"].(string)
		officer := e.bearer(auth.Principal{Subject: "officer-9", Role: auth.PlacementOfficer})
		wantStatus(t, e.do("GET", "/api/v1/children/"+child+"/matches", nil, "Authorization", officer, "X-Request-ID", "req-42"), 200)
		page, err := e.db.ListAudit(ctx, store.AuditFilter{Subject: "officer-9"})
		if err != nil {
			t.Fatal(err)
		}
		if len(page.Items) != 1 {
			t.Fatalf("%d audit rows, want 1: %+v", len(page.Items), page.Items)
		}
		ev := page.Items[0]
		if ev.Action != "match.run" || ev.Role != "placement_officer" || ev.ResourceType != "child" || ev.ResourceID != child ||
			ev.Outcome != "success" || ev.Status != 200 || ev.RequestID != "req-42" || ev.ClientAddr != "127.0.0.1" {
			t.Fatalf("audit row %+v", ev)
		}
		r := e.do("GET", "/api/v1/audit?subject=officer-9", nil)
		wantStatus(t, r, 200)
		if n := len(r.JSON(t)["items"].([]any)); n != 1 {
			t.Fatalf("audit API gave %d rows", n)
		}
		wantProblem(t, e.do("GET", "/api/v1/audit?from=yesterday", nil), 422, "from")
		wantProblem(t, e.do("GET", "/api/v1/audit", nil, "Authorization", officer), 403, "")
	})
}

// A commissioner's export leaves one audit row; a commissioner never reads a child.
func TestCommissionerExportIsAuditedAndChildrenAreOutOfReach(t *testing.T) {
	eachDialect(t, func(t *testing.T, e *env) {
		child := e.do("POST", "/api/v1/children", childBody("A")).JSON(t)["id"].(string)
		comm := e.bearer(auth.Principal{Subject: "commissioner-3", Role: auth.Commissioner})
		r := e.do("GET", "/api/v1/reports/sufficiency?format=csv", nil, "Authorization", comm)
		wantStatus(t, r, 200)
		page, err := e.db.ListAudit(ctx, store.AuditFilter{Subject: "commissioner-3"})
		if err != nil {
			t.Fatal(err)
		}
		if len(page.Items) != 1 || page.Items[0].Action != "report.sufficiency" || page.Items[0].Role != "commissioner" ||
			page.Items[0].Outcome != "success" || page.Items[0].ResourceType != "report" {
			t.Fatalf("audit rows %+v", page.Items)
		}
		wantProblem(t, e.do("GET", "/api/v1/children/"+child, nil, "Authorization", comm), 403, "")
		wantProblem(t, e.do("GET", "/api/v1/placements", nil, "Authorization", comm), 403, "")
	})
}

func TestCORSIsClosedByDefault(t *testing.T) {
	eachDialect(t, func(t *testing.T, e *env) {
		r := e.do("GET", "/healthz", nil, "Origin", "https://evil.example")
		if r.Header.Get("Access-Control-Allow-Origin") != "" {
			t.Fatal("CORS open to any origin")
		}
		if r.Header.Get("X-Content-Type-Options") != "nosniff" || r.Header.Get("Cache-Control") != "no-store" {
			t.Fatalf("secure headers missing: %v", r.Header)
		}
	})
}
