package api_test

import (
	"bytes"
	"encoding/csv"
	"slices"
	"testing"

	"github.com/xuri/excelize/v2"

	"placematch"
	"placematch/auth"
	"placematch/store/storetest"
)

// The recommendations report over searches run through the API: two carers, a
// child matched to both (twice), and a wheelchair user with no match. Every
// response is validated against openapi.yaml by the harness.
func TestRecommendationsReportAPI(t *testing.T) {
	eachDialect(t, func(t *testing.T, e *env) {
		for _, ref := range []string{"C1", "C2"} {
			if err := e.db.CreateProvider(ctx, storetest.Carer(ref)); err != nil {
				t.Fatal(err)
			}
		}
		onHold := storetest.Carer("C3", func(p *placematch.Provider) { p.Carer.Status = placematch.CarerOnHold })
		if err := e.db.CreateProvider(ctx, onHold); err != nil {
			t.Fatal(err)
		}
		k1 := storetest.Child("K1")
		k2 := storetest.Child("K2", func(c *placematch.Child) { c.WheelchairUser = true })
		for _, c := range []*placematch.Child{k1, k2} {
			if err := e.db.CreateChild(ctx, c); err != nil {
				t.Fatal(err)
			}
		}
		for _, id := range []string{k1.ID, k1.ID, k2.ID} {
			wantStatus(t, e.do("GET", "/api/v1/children/"+id+"/matches", nil), 200)
		}
		commissioner := e.bearer(auth.Principal{Subject: "commissioner-1", Role: auth.Commissioner})
		r := e.do("GET", "/api/v1/reports/recommendations?suppress=false", nil, "Authorization", commissioner)
		wantStatus(t, r, 200)
		m := r.JSON(t)
		// Two runs for K1 with C1 and C2 (4 top-3 slots, 2 each), one for K2 with
		// none; three providers, so the top 10% is one holding 2 of 4 top-3 slots.
		if m["runs"] != 3.0 || m["providers"] != 3.0 || m["providers_recommended"] != 2.0 || m["top10pct_share_top3"] != 0.5 {
			t.Fatalf("report %v", m)
		}
		never := m["never_recommended"].([]any)
		if len(never) != 1 || never[0].(map[string]any)["provider"].(map[string]any)["id"] != onHold.ID {
			t.Fatalf("never recommended %v", never)
		}
		var wheel map[string]any
		for _, row := range m["no_match"].(map[string]any)["rows"].([]any) {
			if x := row.(map[string]any); x["dimension"] == "wheelchair_user" && x["group"] == "yes" {
				wheel = x
			}
		}
		if wheel["children_searched"] != 1.0 || wheel["children_no_match"] != 1.0 || wheel["pct_no_match"] != 100.0 {
			t.Fatalf("wheelchair row %v", wheel)
		}
		// Suppressed by default: one child is shown as c.
		m = e.do("GET", "/api/v1/reports/recommendations", nil).JSON(t)
		for _, row := range m["no_match"].(map[string]any)["rows"].([]any) {
			if x := row.(map[string]any); x["dimension"] == "wheelchair_user" && x["group"] == "yes" && x["children_searched"] != "c" {
				t.Fatalf("suppressed wheelchair row %v", x)
			}
		}

		r = e.do("GET", "/api/v1/reports/recommendations?format=csv&from=2026-11-01&to=2026-11-23", nil)
		wantStatus(t, r, 200)
		if cd := r.Header.Get("Content-Disposition"); cd != `attachment; filename="recommendations-2026-11-01-2026-11-23.csv"` {
			t.Errorf("Content-Disposition %q", cd)
		}
		recs, err := csv.NewReader(bytes.NewReader(r.Body)).ReadAll()
		if err != nil || !slices.Equal(recs[0], []string{"section", "dimension", "group", "measure", "value"}) ||
			!slices.ContainsFunc(recs, func(r []string) bool { return slices.Equal(r, []string{"summary", "", "", "runs", "3"}) }) {
			t.Errorf("CSV %v %v", recs, err)
		}
		r = e.do("GET", "/api/v1/reports/recommendations?format=xlsx", nil)
		wantStatus(t, r, 200)
		f, err := excelize.OpenReader(bytes.NewReader(r.Body))
		if err != nil {
			t.Fatal(err)
		}
		defer f.Close()
		if v, _ := f.GetCellValue("Summary", "B2"); v != "3" {
			t.Errorf("XLSX Summary B2 = %q", v)
		}
		// A period before the searches holds none of them.
		if m := e.do("GET", "/api/v1/reports/recommendations?from=2026-10-01&to=2026-10-31", nil).JSON(t); m["runs"] != 0.0 {
			t.Errorf("October: %v runs", m["runs"])
		}
	})
}

func TestRecommendationsReportBadParameters(t *testing.T) {
	eachDialect(t, func(t *testing.T, e *env) {
		for q, field := range map[string]string{
			"from=2026-11-20&to=2026-11-01": "from",
			"format=pdf":                    "format",
			"from=01-11-2026":               "from",
			"to=2026-12-25":                 "to",
			"suppress=maybe":                "suppress",
		} {
			wantProblem(t, e.do("GET", "/api/v1/reports/recommendations?"+q, nil), 422, field)
		}
		wantProblem(t, e.do("GET", "/api/v1/reports/recommendations?colour=red", nil), 400, "colour")
		for _, p := range []auth.Principal{callers["placement_officer"], callers["carer"], callers["provider"]} {
			r := e.do("GET", "/api/v1/reports/recommendations", nil, "Authorization", e.bearer(p))
			wantProblem(t, r, 403, "")
		}
	})
}
