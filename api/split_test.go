package api_test

import (
	"strings"
	"testing"
)

// TestBookingThatSplitsSiblingsIsRecorded: a booking places the sibling group
// together unless include_siblings is false; booking one child of an awaiting group
// alone needs a split_reason (422 naming it otherwise) and marks the placement
// siblings_split with the reason; booking the whole group, or the last sibling left,
// is no split; a split_reason on a booking that splits nothing, or one too long, is
// 422 and changes nothing; the sufficiency report counts the split.
func TestBookingThatSplitsSiblingsIsRecorded(t *testing.T) {
	eachDialect(t, func(t *testing.T, e *env) {
		withReports(t, e)
		carer := e.do("POST", "/api/v1/carers", carerBody("SPL")).JSON(t)["id"].(string)
		a := e.do("POST", "/api/v1/children", childBody("SA")).JSON(t)["id"].(string)
		b := e.do("POST", "/api/v1/children", with(childBody("SB"), "siblings", []string{a})).JSON(t)["id"].(string)
		c := e.do("POST", "/api/v1/children", childBody("SC")).JSON(t)["id"].(string)
		d := e.do("POST", "/api/v1/children", with(childBody("SD"), "siblings", []string{c})).JSON(t)["id"].(string)

		before := e.snapshot(t)
		for _, body := range []map[string]any{
			// C and D go together: there is nothing to explain.
			with(placementBody(c, "foster_carer", carer), "include_siblings", true, "split_reason", "no room"),
			with(placementBody(a, "foster_carer", carer), "include_siblings", false, "split_reason", strings.Repeat("x", 2001)),
			// A alone without a reason: the split must be explained.
			with(placementBody(a, "foster_carer", carer), "include_siblings", false),
			// A and B together by default: nothing to explain.
			with(placementBody(a, "foster_carer", carer), "split_reason", "no room"),
		} {
			wantProblem(t, e.do("POST", "/api/v1/placements", body), 422, "split_reason")
		}
		if after := e.snapshot(t); after != before {
			t.Fatal("a refused booking changed stored data")
		}

		r := e.do("POST", "/api/v1/placements", with(placementBody(a, "foster_carer", carer), "include_siblings", false,
			"split_reason", "B's carer is approved for one child only"))
		wantStatus(t, r, 201)
		pl := r.JSON(t)["placements"].([]any)[0].(map[string]any)
		if pl["siblings_split"] != true || pl["split_reason"] != "B's carer is approved for one child only" {
			t.Fatalf("split booking %v", pl)
		}
		got := e.do("GET", "/api/v1/placements/"+pl["id"].(string), nil).JSON(t)
		if got["siblings_split"] != true || got["split_reason"] != pl["split_reason"] {
			t.Fatalf("split not stored: %v", got)
		}
		// B is the last of its group awaiting: placing it splits nothing further.
		other := e.do("POST", "/api/v1/carers", carerBody("SPL2")).JSON(t)["id"].(string)
		r = e.do("POST", "/api/v1/placements", placementBody(b, "foster_carer", other))
		wantStatus(t, r, 201)
		if pl := r.JSON(t)["placements"].([]any)[0].(map[string]any); pl["siblings_split"] != false || pl["split_reason"] != nil {
			t.Fatalf("last sibling's booking %v", pl)
		}
		// C and D together, by default: no split on either placement.
		third := e.do("POST", "/api/v1/carers", carerBody("SPL3")).JSON(t)["id"].(string)
		r = e.do("POST", "/api/v1/placements", placementBody(d, "foster_carer", third))
		wantStatus(t, r, 201)
		if n := len(r.JSON(t)["placements"].([]any)); n != 2 {
			t.Fatalf("booking D placed %d children, want D and its sibling C", n)
		}
		for _, p := range r.JSON(t)["placements"].([]any) {
			if p.(map[string]any)["siblings_split"] != false {
				t.Fatalf("group booking marked split: %v", p)
			}
		}

		rows := e.do("GET", "/api/v1/reports/sufficiency?suppress=false", nil).JSON(t)["rows"].([]any)
		total := rows[len(rows)-1].(map[string]any)
		if total["district"] != "TOTAL" || total["placements_splitting_siblings"] != 1.0 {
			t.Fatalf("report total %v", total)
		}
	})
}
