package api_test

import (
	"testing"

	"placematch/store"
)

// TestCancelPlacementBeforeItStarts: a placement that has not started can be
// cancelled (PATCH status cancelled); that frees the place at once, puts the child
// back to awaiting, is audited as a cancellation, and lets the placement be archived.
// A placement that has started cannot be cancelled (it must be ended), and a
// cancelled one cannot become active again; refusals change nothing.
func TestCancelPlacementBeforeItStarts(t *testing.T) {
	eachDialect(t, func(t *testing.T, e *env) {
		carer := e.do("POST", "/api/v1/carers", carerBody("CX")).JSON(t)["id"].(string)
		child := e.do("POST", "/api/v1/children", childBody("CXA")).JSON(t)["id"].(string)
		started := e.do("POST", "/api/v1/children", childBody("CXB")).JSON(t)["id"].(string)

		// Today is 2026-11-23: one placement starts next week, one started today.
		future := e.do("POST", "/api/v1/placements", with(placementBody(child, "foster_carer", carer),
			"start_date", "2026-12-01", "end_date", "2027-01-31"))
		wantStatus(t, future, 201)
		id := future.JSON(t)["placements"].([]any)[0].(map[string]any)["id"].(string)
		now := e.do("POST", "/api/v1/placements", placementBody(started, "foster_carer", carer))
		wantStatus(t, now, 201)
		nowID := now.JSON(t)["placements"].([]any)[0].(map[string]any)["id"].(string)
		if m := e.do("GET", "/api/v1/carers/"+carer, nil).JSON(t); m["filled"].(float64) != 2 {
			t.Fatalf("carer after two bookings %v", m)
		}

		before := e.snapshot(t)
		wantProblem(t, e.do("PATCH", "/api/v1/placements/"+nowID, map[string]any{"status": "cancelled"}), 409, "")
		if after := e.snapshot(t); after != before {
			t.Fatal("a refused cancellation changed stored data")
		}

		r := e.do("PATCH", "/api/v1/placements/"+id, map[string]any{"status": "cancelled"}, "If-Match", `"1"`)
		wantStatus(t, r, 200)
		if m := r.JSON(t); m["status"] != "cancelled" {
			t.Fatalf("cancelled placement %v", m)
		}
		if m := e.do("GET", "/api/v1/carers/"+carer, nil).JSON(t); m["filled"].(float64) != 1 || m["vacancies"].(float64) != 1 {
			t.Fatalf("cancelling did not free the place: %v", m)
		}
		if m := e.do("GET", "/api/v1/children/"+child, nil).JSON(t); m["status"] != "awaiting" {
			t.Fatalf("child after cancellation %v", m["status"])
		}
		page, err := e.db.ListAudit(ctx, store.AuditFilter{Resource: id})
		if err != nil {
			t.Fatal(err)
		}
		cancels := 0
		for _, a := range page.Items {
			if a.Action == "placement.cancel" && a.Outcome == "success" {
				cancels++
			}
		}
		if cancels != 1 {
			t.Fatalf("%d cancellations audited, want 1: %+v", cancels, page.Items)
		}

		before = e.snapshot(t)
		wantProblem(t, e.do("PATCH", "/api/v1/placements/"+id, map[string]any{"status": "active"}), 409, "")
		wantProblem(t, e.do("PATCH", "/api/v1/placements/"+id, map[string]any{"status": "ended", "end_reason": "CARPL"}), 409, "")
		if after := e.snapshot(t); after != before {
			t.Fatal("a refused change of a cancelled placement changed stored data")
		}
		list := e.do("GET", "/api/v1/placements?status=cancelled", nil).JSON(t)
		if items := list["items"].([]any); len(items) != 1 || items[0].(map[string]any)["id"] != id {
			t.Fatalf("cancelled placements listed: %v", list)
		}
		// The child can be booked again, and the cancelled placement archived.
		wantStatus(t, e.do("POST", "/api/v1/placements", with(placementBody(child, "foster_carer", carer), "start_date", "2026-12-08")), 201)
		wantStatus(t, e.do("DELETE", "/api/v1/placements/"+id, nil), 204)
	})
}
