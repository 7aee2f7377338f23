package api_test

import (
	"errors"
	"os"
	"testing"

	"placematch/geo"
	"placematch/store"
)

// errEnough stops reading the postcode file once a test has what it needs.
var errEnough = errors.New("enough")

// loadPostcodes loads the first n real Norfolk postcodes into the store.
func (e *env) loadPostcodes(t *testing.T, n int) []geo.PostcodeRow {
	t.Helper()
	f, err := os.Open("../../shared/data/postcodes/norfolk_postcodes.csv")
	if err != nil {
		t.Fatalf("real postcode data missing: %v", err)
	}
	defer f.Close()
	w := e.db.NewPostcodeWriter(ctx)
	var rows []geo.PostcodeRow
	_, err = geo.ReadPostcodes(f, func(r geo.PostcodeRow) error {
		rows = append(rows, r)
		if len(rows) > n {
			return errEnough
		}
		return w.Add(store.Postcode{Postcode: r.Postcode, Location: r.Point, District: r.District})
	})
	if !errors.Is(err, errEnough) {
		t.Fatalf("read postcodes: %v", err)
	}
	if err := w.Flush(); err != nil {
		t.Fatal(err)
	}
	return rows[:n]
}

func TestPostcodeGivesLocation(t *testing.T) {
	eachDialect(t, func(t *testing.T, e *env) {
		rows := e.loadPostcodes(t, 500)
		pc := rows[42]
		messy := pc.Postcode[:len(pc.Postcode)-4] + pc.Postcode[len(pc.Postcode)-3:] // no space
		r := e.do("POST", "/api/v1/carers", with(carerBody("PC"), "location", nil, "postcode", messy))
		wantStatus(t, r, 201)
		m := r.JSON(t)
		loc := m["location"].(map[string]any)
		if m["postcode"] != pc.Postcode || loc["lat"].(float64) != pc.Point.Lat || loc["lon"].(float64) != pc.Point.Lon {
			t.Fatalf("postcode %q gave %v at %v, want %s at %v", messy, m["postcode"], loc, pc.Postcode, pc.Point)
		}
		// A new postcode alone moves the carer.
		other := rows[300]
		r = e.do("PATCH", "/api/v1/carers/"+m["id"].(string), map[string]any{"postcode": other.Postcode})
		wantStatus(t, r, 200)
		if loc := r.JSON(t)["location"].(map[string]any); loc["lat"].(float64) != other.Point.Lat {
			t.Fatalf("postcode change did not move the carer: %v", loc)
		}
		// An empty postcode clears it and leaves the location where it was.
		r = e.do("PATCH", "/api/v1/carers/"+m["id"].(string), map[string]any{"postcode": ""})
		wantStatus(t, r, 200)
		if got := r.JSON(t); got["postcode"] != nil || got["location"].(map[string]any)["lat"].(float64) != other.Point.Lat {
			t.Fatalf("clearing the postcode moved the carer: %v", got)
		}
		r = e.do("POST", "/api/v1/children", with(childBody("PC"), "location", nil, "postcode", pc.Postcode))
		wantStatus(t, r, 201)
		if r.JSON(t)["location"] == nil {
			t.Fatal("child's home not resolved from postcode")
		}
	})
}

func placementBody(child, kind, provider string) map[string]any {
	return map[string]any{"child_id": child, "provider": map[string]any{"kind": kind, "id": provider},
		"start_date": "2026-11-23"}
}

func TestBookingAndEnding(t *testing.T) {
	eachDialect(t, func(t *testing.T, e *env) {
		carer := e.do("POST", "/api/v1/carers", with(carerBody("C1"), "approval", map[string]any{
			"placement_types": []string{"short_term"}, "age_min": 0, "age_max": 17, "max_children": 1})).JSON(t)["id"].(string)
		a := e.do("POST", "/api/v1/children", childBody("A")).JSON(t)["id"].(string)
		b := e.do("POST", "/api/v1/children", childBody("B")).JSON(t)["id"].(string)

		r := e.do("POST", "/api/v1/placements", placementBody(a, "foster_carer", carer))
		wantStatus(t, r, 201)
		pl := r.JSON(t)["placements"].([]any)[0].(map[string]any)
		if pl["status"] != "active" || pl["child_id"] != a {
			t.Fatalf("placement %v", pl)
		}
		if m := e.do("GET", "/api/v1/carers/"+carer, nil).JSON(t); m["filled"].(float64) != 1 || m["vacancies"].(float64) != 0 {
			t.Fatalf("carer after booking %v", m)
		}
		wantProblem(t, e.do("POST", "/api/v1/placements", placementBody(b, "foster_carer", carer)), 409, "")
		wantProblem(t, e.do("POST", "/api/v1/placements", placementBody(a, "foster_carer", carer)), 409, "")
		// A placed child's status follows its placement, never a PATCH.
		wantProblem(t, e.do("PATCH", "/api/v1/children/"+a, map[string]any{"status": "awaiting"}), 422, "status")
		wantProblem(t, e.do("PATCH", "/api/v1/children/"+b, map[string]any{"status": "placed"}), 422, "status")

		id := pl["id"].(string)
		wantProblem(t, e.do("PATCH", "/api/v1/placements/"+id, map[string]any{"status": "ended"}), 422, "end_reason")
		wantProblem(t, e.do("PATCH", "/api/v1/placements/"+id, map[string]any{"status": "ended", "end_reason": "NOPE"}), 422, "end_reason")
		wantProblem(t, e.do("PATCH", "/api/v1/placements/"+id, map[string]any{"status": "ended", "end_reason": "CARPL",
			"end_date": "2026-12-01"}), 422, "end_date")
		wantProblem(t, e.do("DELETE", "/api/v1/placements/"+id, nil), 409, "")
		r = e.do("PATCH", "/api/v1/placements/"+id, map[string]any{"status": "ended", "end_reason": "CARPL"})
		wantStatus(t, r, 200)
		if m := r.JSON(t); m["end_date"] != "2026-11-23" || m["status"] != "ended" {
			t.Fatalf("ended placement %v", m)
		}
		if m := e.do("GET", "/api/v1/carers/"+carer, nil).JSON(t); m["filled"].(float64) != 0 {
			t.Fatalf("ending did not free the place: %v", m)
		}
		wantStatus(t, e.do("POST", "/api/v1/placements", placementBody(b, "foster_carer", carer)), 201)
		list := e.do("GET", "/api/v1/placements?provider_id="+carer, nil).JSON(t)
		if len(list["items"].([]any)) != 2 {
			t.Fatalf("placements listed: %v", list)
		}
		wantStatus(t, e.do("DELETE", "/api/v1/placements/"+id, nil), 204)
	})
}

// The law is a hard rule at booking too: a child under 16 is never placed in
// supported accommodation, whatever the officer asks.
func TestBookingBreakingAHardRuleIsRefused(t *testing.T) {
	eachDialect(t, func(t *testing.T, e *env) {
		unit := e.do("POST", "/api/v1/units", unitBody("U1")).JSON(t)["id"].(string)
		child := e.do("POST", "/api/v1/children", childBody("YOUNG")).JSON(t)["id"].(string)
		r := e.do("POST", "/api/v1/placements", placementBody(child, "supported_accommodation", unit))
		wantProblem(t, r, 409, "")
		reasons := r.JSON(t)["reasons"].([]any)
		found := map[string]bool{}
		for _, c := range reasons {
			found[c.(string)] = true
		}
		if !found["under_16_supported_accommodation"] || !found["age_out_of_range"] {
			t.Fatalf("reasons %v", reasons)
		}
		if m := e.do("GET", "/api/v1/units/"+unit, nil).JSON(t); m["filled"].(float64) != 0 {
			t.Fatal("refused booking took a bed")
		}
	})
}
