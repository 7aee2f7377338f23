package api_test

import (
	"slices"
	"strings"
	"testing"

	"placematch/auth"
	"placematch/store/storetest"
)

// The stranding case through the API: child A could go to X or Y, child B only to
// X (the one accessible home). First come, first served strands B; the allocation
// places both, says A's home is rank 2 in A's own search, books nothing, answers
// exactly what it stored, and is audited naming both children. Commissioners may
// not run one.
func TestAllocationThroughTheAPI(t *testing.T) {
	eachDialect(t, func(t *testing.T, e *env) {
		x := e.do("POST", "/api/v1/carers", with(carerBody("X"), "household", map[string]any{"pets": false,
			"smoking": false, "other_children_ages": []int{}, "wheelchair_accessible": true})).JSON(t)["id"].(string)
		y := e.do("POST", "/api/v1/carers", with(carerBody("Y"), "location", map[string]any{"lat": 52.75, "lon": 1.30})).JSON(t)["id"].(string)
		a := e.do("POST", "/api/v1/children", childBody("A")).JSON(t)["id"].(string)
		b := e.do("POST", "/api/v1/children", with(childBody("B"), "wheelchair_user", true, "required_from", "2026-11-24")).JSON(t)["id"].(string)

		officer := e.bearer(auth.Principal{Subject: "officer-alloc", Role: auth.PlacementOfficer})
		wantProblem(t, e.do("POST", "/api/v1/allocations", map[string]any{}, "Authorization",
			e.bearer(auth.Principal{Subject: "comm", Role: auth.Commissioner})), 403, "")
		r := e.do("POST", "/api/v1/allocations", map[string]any{}, "Authorization", officer)
		wantStatus(t, r, 201)
		m := r.JSON(t)
		greedy := m["greedy"].(map[string]any)
		if m["placed_children"].(float64) != 2 || greedy["placed_children"].(float64) != 1 || m["optimal"] != true {
			t.Fatalf("placed %v, greedy %v, optimal %v", m["placed_children"], greedy, m["optimal"])
		}
		at := map[string]string{}
		rank := map[string]float64{}
		for _, as := range m["assignments"].([]any) {
			as := as.(map[string]any)
			for _, id := range as["child_ids"].([]any) {
				at[id.(string)] = as["provider"].(map[string]any)["id"].(string)
				rank[id.(string)] = as["rank"].(float64)
			}
		}
		if at[a] != y || at[b] != x || rank[a] != 2 || rank[b] != 1 {
			t.Fatalf("assignments %v ranks %v", at, rank)
		}
		own := e.do("GET", "/api/v1/children/"+a+"/matches", nil, "Authorization", officer).JSON(t)["matches"].([]any)
		if own[1].(map[string]any)["provider"].(map[string]any)["id"] != y {
			t.Fatalf("A's own search does not rank Y second: %v", own)
		}
		stored := e.do("GET", r.Header.Get("Location"), nil, "Authorization", officer)
		wantStatus(t, stored, 200)
		if string(stored.Body) != string(r.Body) {
			t.Fatal("the stored allocation differs from what was sent")
		}
		if got := e.do("GET", "/api/v1/placements", nil).JSON(t)["items"].([]any); len(got) != 0 {
			t.Fatalf("an allocation booked %v", got)
		}
		if got := e.do("GET", "/api/v1/children/"+b, nil).JSON(t)["status"]; got != "awaiting" {
			t.Fatalf("after an allocation B is %v", got)
		}
		rows := auditRows(t, e.db, "officer-alloc")
		var actions []string
		for _, ev := range rows {
			actions = append(actions, ev.Action)
			if ev.Action == "allocation.run" || ev.Action == "allocation.read" {
				if !slices.Contains(ev.ResourceIDs, a) || !slices.Contains(ev.ResourceIDs, b) || ev.ResourceID != m["allocation_id"] {
					t.Fatalf("%s audited %s %v", ev.Action, ev.ResourceID, ev.ResourceIDs)
				}
			}
		}
		if !slices.Contains(actions, "allocation.run") || !slices.Contains(actions, "allocation.read") {
			t.Fatalf("audit actions %v", actions)
		}

		// A booking cites the allocation: following it needs no reason; booking a
		// child elsewhere than it proposed needs one; an allocation that names no
		// such run, or proposed nothing for the child, is refused.
		allocID := m["allocation_id"].(string)
		book := placementBody(a, "foster_carer", x)
		book["allocation_id"] = allocID
		wantProblem(t, e.do("POST", "/api/v1/placements", book, "Authorization", officer), 422, "decision_reason")
		book["allocation_id"] = "01900000-0000-7000-8000-000000000000"
		wantProblem(t, e.do("POST", "/api/v1/placements", book, "Authorization", officer), 422, "allocation_id")
		other := e.do("POST", "/api/v1/children", childBody("LATE")).JSON(t)["id"].(string)
		late := placementBody(other, "foster_carer", x)
		late["allocation_id"] = allocID
		wantProblem(t, e.do("POST", "/api/v1/placements", late, "Authorization", officer), 422, "allocation_id")
		book = placementBody(b, "foster_carer", x)
		book["allocation_id"] = allocID
		r = e.do("POST", "/api/v1/placements", book, "Authorization", officer)
		wantStatus(t, r, 201)
		pl := r.JSON(t)["placements"].([]any)[0].(map[string]any)
		if pl["allocation_id"] != allocID || pl["decision_reason"] != nil {
			t.Fatalf("placement %v", pl)
		}
		book = placementBody(a, "foster_carer", y)
		book["allocation_id"], book["decision_reason"] = allocID, "Closer to her school."
		wantStatus(t, e.do("POST", "/api/v1/placements", book, "Authorization", officer), 201)

		// Restricted to hubs, of which there are none, nobody has an eligible home.
		hubChild := e.do("POST", "/api/v1/children", childBody("H")).JSON(t)["id"].(string)
		r = e.do("POST", "/api/v1/allocations", map[string]any{"child_ids": []string{hubChild}, "kinds": []string{"hub"}})
		wantStatus(t, r, 201)
		un := r.JSON(t)["unplaced"].([]any)
		if len(un) != 1 || un[0].(map[string]any)["code"] != "no_eligible_home" {
			t.Fatalf("unplaced %v", un)
		}
	})
}

// Bad input answers problem+json naming the field and stores nothing.
func TestAllocationRefusesBadInput(t *testing.T) {
	eachDialect(t, func(t *testing.T, e *env) {
		carer := e.do("POST", "/api/v1/carers", carerBody("C")).JSON(t)["id"].(string)
		ok := e.do("POST", "/api/v1/children", childBody("OK")).JSON(t)["id"].(string)
		placed := e.do("POST", "/api/v1/children", childBody("P")).JSON(t)["id"].(string)
		wantStatus(t, e.do("POST", "/api/v1/placements", placementBody(placed, "foster_carer", carer)), 201)
		for _, c := range []struct {
			body   any
			status int
			field  string
		}{
			{`{"child_ids": [`, 400, ""},
			{`[]`, 400, ""},
			{map[string]any{"child_ids": []string{"nope"}}, 422, "child_ids[0]"},
			{map[string]any{"child_ids": []string{ok, "01900000-0000-7000-8000-000000000000"}}, 422, "child_ids"},
			{map[string]any{"child_ids": []string{ok, placed}}, 422, "child_ids"},
			{map[string]any{"child_ids": []string{ok, ok}}, 422, "child_ids"},
			{map[string]any{"child_ids": []string{}}, 422, "child_ids"},
			{map[string]any{"child_ids": "all"}, 422, "child_ids"},
			{map[string]any{"kinds": []string{"castle"}}, 422, "kinds[0]"},
			{map[string]any{"max_distance_km": 0}, 422, "max_distance_km"},
			{map[string]any{"max_distance_km": "far"}, 422, "max_distance_km"},
			{map[string]any{"hold_emergency_places": -1}, 422, "hold_emergency_places"},
			{map[string]any{"hold_emergency_places": 1.5}, 422, "hold_emergency_places"},
			{map[string]any{"everyone": true}, 422, "everyone"},
		} {
			wantProblem(t, e.do("POST", "/api/v1/allocations", c.body), c.status, c.field)
		}
		if n, err := e.db.CountAllocations(ctx); err != nil || n != 0 {
			t.Fatalf("%d allocations stored after bad input (%v)", n, err)
		}
		wantProblem(t, e.do("GET", "/api/v1/allocations/01900000-0000-7000-8000-000000000000", nil), 404, "")
	})
}

// An allocation shows the children it allocated for: like a match run it is held
// until its audit row is written, and refused with 503 when the trail is down.
func TestAllocationIsRefusedWhenTheAuditTrailIsDown(t *testing.T) {
	for _, d := range storetest.Dialects() {
		t.Run(d, func(t *testing.T) {
			t.Parallel()
			cfg := storetest.Config(t, d)
			e := newEnvWith(t, d, cfg)
			child := e.do("POST", "/api/v1/children", childBody("A")).JSON(t)["id"].(string)
			e.do("POST", "/api/v1/carers", carerBody("C1"))
			officer := e.bearer(auth.Principal{Subject: "officer-down", Role: auth.PlacementOfficer})
			r := e.do("POST", "/api/v1/allocations", map[string]any{}, "Authorization", officer)
			wantStatus(t, r, 201)
			stored := r.Header.Get("Location")

			storetest.RenameTable(t, cfg, "audit_events", "audit_events_offline")
			for _, r := range []resp{
				e.do("POST", "/api/v1/allocations", map[string]any{}, "Authorization", officer),
				e.do("GET", stored, nil, "Authorization", officer),
			} {
				wantProblem(t, r, 503, "")
				if r.Header.Get("Retry-After") == "" || strings.Contains(string(r.Body), child) {
					t.Fatalf("refusal shows the allocation: %v %s", r.Header, r.Body)
				}
			}
			storetest.RenameTable(t, cfg, "audit_events_offline", "audit_events")
			wantStatus(t, e.do("GET", stored, nil, "Authorization", officer), 200)
		})
	}
}
