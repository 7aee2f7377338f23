package api_test

import (
	"fmt"
	"net/http"
	"strings"
	"testing"
	"time"

	"placematch/store/storetest"
)

func TestHealthReadyAndContract(t *testing.T) {
	eachDialect(t, func(t *testing.T, e *env) {
		wantStatus(t, e.do("GET", "/healthz", nil), 200)
		r := e.do("GET", "/readyz", nil)
		wantStatus(t, r, 200)
		r = e.do("GET", "/openapi.yaml", nil)
		wantStatus(t, r, 200)
		if len(r.Body) < 1000 {
			t.Fatal("openapi.yaml not served")
		}
		wantProblem(t, e.do("GET", "/api/v1/nothing", nil), 404, "")
		wantProblem(t, e.do("PUT", "/api/v1/carers", nil), 405, "")
		r = e.do("GET", "/healthz", nil, "X-Request-ID", "abc-123")
		if r.Header.Get("X-Request-ID") != "abc-123" {
			t.Fatalf("request id not echoed: %q", r.Header.Get("X-Request-ID"))
		}
	})
}

// A server whose candidate index, built at start, is still recording its manifest
// is not ready (a search would wait for the record): /readyz answers 503 with
// Retry-After until the record is stored, then 200. The manifest's table is held
// by another connection until the test lets go.
func TestNotReadyUntilTheIndexIsRecorded(t *testing.T) {
	for _, d := range storetest.Dialects() {
		t.Run(d, func(t *testing.T) {
			db, cfg := storetest.OpenConfig(t, d)
			if err := db.CreateProvider(ctx, storetest.Carer("R1")); err != nil {
				t.Fatal(err)
			}
			release := storetest.HoldWrites(t, cfg, "provider_states")
			e := newEnvOn(t, db)
			if _, err := e.placing.Warm(ctx); err != nil {
				t.Fatal(err)
			}
			r := e.do("GET", "/readyz", nil)
			wantProblem(t, r, 503, "")
			if r.Header.Get("Retry-After") == "" || !strings.Contains(string(r.Body), "candidate index") {
				t.Fatalf("not ready without saying why or when to ask again: %v %s", r.Header, r.Body)
			}
			release()
			for deadline := time.Now().Add(10 * time.Second); ; time.Sleep(20 * time.Millisecond) {
				if r = e.do("GET", "/readyz", nil); r.Status == 200 {
					break
				}
				if time.Now().After(deadline) {
					t.Fatalf("still %d 10 s after the manifest's table was let go: %s", r.Status, r.Body)
				}
			}
		})
	}
}

func TestProviderLifecycle(t *testing.T) {
	eachDialect(t, func(t *testing.T, e *env) {
		for _, tc := range []struct {
			path string
			body map[string]any
		}{{"carers", carerBody("C1")}, {"units", unitBody("U1")}, {"hubs", hubBody("H1")}} {
			r := e.do("POST", "/api/v1/"+tc.path, tc.body)
			wantStatus(t, r, 201)
			m := r.JSON(t)
			id := m["id"].(string)
			if r.Header.Get("ETag") != `"1"` || r.Header.Get("Location") != "/api/v1/"+tc.path+"/"+id {
				t.Fatalf("%s headers %v", tc.path, r.Header)
			}
			if m["filled"].(float64) != 0 || m["vacancies"] != m["places"] {
				t.Fatalf("%s derived fields %v", tc.path, m)
			}
			r = e.do("GET", "/api/v1/"+tc.path+"/"+id, nil)
			wantStatus(t, r, 200)
			r = e.do("PATCH", "/api/v1/"+tc.path+"/"+id, map[string]any{"name": "Renamed"}, "If-Match", `"1"`)
			wantStatus(t, r, 200)
			if got := r.JSON(t); got["name"] != "Renamed" || got["version"].(float64) != 2 || r.Header.Get("ETag") != `"2"` {
				t.Fatalf("%s after patch %v", tc.path, got)
			}
			wantProblem(t, e.do("PATCH", "/api/v1/"+tc.path+"/"+id, map[string]any{"name": "Stale"}, "If-Match", `"1"`), 412, "")
			wantProblem(t, e.do("DELETE", "/api/v1/"+tc.path+"/"+id, nil, "If-Match", `"1"`), 412, "")
			wantStatus(t, e.do("DELETE", "/api/v1/"+tc.path+"/"+id, nil, "If-Match", `"2"`), 204)
			list := e.do("GET", "/api/v1/"+tc.path, nil).JSON(t)
			if n := len(list["items"].([]any)); n != 0 {
				t.Fatalf("%s: archived record still listed", tc.path)
			}
			got := e.do("GET", "/api/v1/"+tc.path+"/"+id, nil).JSON(t)
			if got["archived_at"] == nil || got["name"] != "Renamed" {
				t.Fatalf("%s: archived record lost: %v", tc.path, got)
			}
			wantProblem(t, e.do("GET", "/api/v1/"+tc.path+"/not-a-uuid", nil), 404, "")
		}
	})
}

func TestPatchMergesNestedFieldsAndRevalidates(t *testing.T) {
	eachDialect(t, func(t *testing.T, e *env) {
		id := e.do("POST", "/api/v1/carers", carerBody("C1")).JSON(t)["id"].(string)
		r := e.do("PATCH", "/api/v1/carers/"+id, map[string]any{"approval": map[string]any{"age_max": 10}})
		wantStatus(t, r, 200)
		a := r.JSON(t)["approval"].(map[string]any)
		if a["age_max"].(float64) != 10 || a["max_children"].(float64) != 2 || len(a["placement_types"].([]any)) != 2 {
			t.Fatalf("nested merge lost fields: %v", a)
		}
		// The merged record must pass the same rules as a create.
		wantProblem(t, e.do("PATCH", "/api/v1/carers/"+id, map[string]any{"approval": map[string]any{"age_min": 12}}), 422, "approval.age_min")
		wantProblem(t, e.do("PATCH", "/api/v1/carers/"+id, map[string]any{"filled": 0}), 422, "filled")
		wantProblem(t, e.do("PATCH", "/api/v1/carers/"+id, map[string]any{"name": nil}), 422, "name")
		got := e.do("GET", "/api/v1/carers/"+id, nil).JSON(t)
		if got["version"].(float64) != 2 || got["approval"].(map[string]any)["age_min"].(float64) != 0 {
			t.Fatalf("refused patches changed the record: %v", got)
		}
	})
}

func TestAvailabilityUpdate(t *testing.T) {
	eachDialect(t, func(t *testing.T, e *env) {
		id := e.do("POST", "/api/v1/carers", carerBody("C1")).JSON(t)["id"].(string)
		r := e.do("PUT", "/api/v1/carers/"+id+"/availability",
			map[string]any{"status": "unavailable", "available_from": "2026-12-01", "note": "family holiday"}, "If-Match", `"1"`)
		wantStatus(t, r, 200)
		m := r.JSON(t)
		av := m["availability"].(map[string]any)
		if av["status"] != "unavailable" || av["available_from"] != "2026-12-01" || m["vacancies"].(float64) != 0 {
			t.Fatalf("availability %v, vacancies %v", av, m["vacancies"])
		}
		wantProblem(t, e.do("PUT", "/api/v1/carers/"+id+"/availability", map[string]any{"status": "maybe"}), 422, "status")
		// Saying it again through PATCH, twenty days later, is a new confirmation.
		e.clock = e.clock.Add(20 * 24 * time.Hour)
		r = e.do("PATCH", "/api/v1/carers/"+id, map[string]any{"availability": map[string]any{"status": "available"}})
		wantStatus(t, r, 200)
		av = r.JSON(t)["availability"].(map[string]any)
		if av["confirmed_at"] != e.clock.Format(time.RFC3339) || av["source"] != "officer" {
			t.Fatalf("PATCH did not re-confirm availability: %v", av)
		}
		wantProblem(t, e.do("PATCH", "/api/v1/carers/"+id, map[string]any{"availability": map[string]any{"confirmed_at": "2030-01-01T00:00:00Z"}}), 422, "availability.confirmed_at")
		wantProblem(t, e.do("PUT", "/api/v1/carers/"+id+"/availability", map[string]any{"status": "available"}, "If-Match", `"1"`), 412, "")
	})
}

func TestListPaginationAndFilters(t *testing.T) {
	eachDialect(t, func(t *testing.T, e *env) {
		for i := range 5 {
			b := carerBody(fmt.Sprintf("C%d", i))
			if i%2 == 1 {
				b["status"] = "on_hold"
			}
			wantStatus(t, e.do("POST", "/api/v1/carers", b), 201)
		}
		seen := map[string]bool{}
		path := "/api/v1/carers?limit=2"
		for pages := 1; ; pages++ {
			m := e.do("GET", path, nil).JSON(t)
			for _, it := range m["items"].([]any) {
				seen[it.(map[string]any)["reference"].(string)] = true
			}
			next, _ := m["next_cursor"].(string)
			if next == "" {
				if pages != 3 {
					t.Fatalf("%d pages", pages)
				}
				break
			}
			path = "/api/v1/carers?limit=2&cursor=" + next
		}
		if len(seen) != 5 {
			t.Fatalf("pages covered %d carers", len(seen))
		}
		m := e.do("GET", "/api/v1/carers?status=on_hold", nil).JSON(t)
		if len(m["items"].([]any)) != 2 {
			t.Fatalf("status filter gave %d", len(m["items"].([]any)))
		}
		wantProblem(t, e.do("GET", "/api/v1/carers?status=retired", nil), 422, "status")
		wantProblem(t, e.do("GET", "/api/v1/carers?limit=0", nil), 422, "limit")
		wantProblem(t, e.do("GET", "/api/v1/carers?cursor=xyz", nil), 422, "cursor")
	})
}

func TestChildrenAndSiblings(t *testing.T) {
	eachDialect(t, func(t *testing.T, e *env) {
		a := e.do("POST", "/api/v1/children", childBody("A")).JSON(t)
		r := e.do("POST", "/api/v1/children", with(childBody("B"), "siblings", []string{a["id"].(string)}))
		wantStatus(t, r, 201)
		b := r.JSON(t)
		if b["age"].(float64) != 10 {
			t.Fatalf("age %v", b["age"])
		}
		got := e.do("GET", "/api/v1/children/"+a["id"].(string), nil).JSON(t)
		if sibs := got["siblings"].([]any); len(sibs) != 1 || sibs[0] != b["id"] {
			t.Fatalf("sibling link not mirrored: %v", sibs)
		}
		r = e.do("PATCH", "/api/v1/children/"+b["id"].(string), map[string]any{"max_distance_km": 30, "status": "closed"})
		wantStatus(t, r, 200)
		if m := r.JSON(t); m["max_distance_km"].(float64) != 30 || m["status"] != "closed" {
			t.Fatalf("patch %v", m)
		}
		wantProblem(t, e.do("PATCH", "/api/v1/children/"+b["id"].(string), map[string]any{"status": "placed"}), 422, "status")
		list := e.do("GET", "/api/v1/children?status=awaiting", nil).JSON(t)
		if len(list["items"].([]any)) != 1 {
			t.Fatalf("status filter: %v", list)
		}
		wantStatus(t, e.do("DELETE", "/api/v1/children/"+a["id"].(string), nil), http.StatusNoContent)
	})
}
