package api_test

import (
	"bytes"
	"encoding/csv"
	"fmt"
	"slices"
	"testing"
	"time"

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
		carers := map[string]string{}
		for _, ref := range []string{"C1", "C2"} {
			c := storetest.Carer(ref)
			if err := e.db.CreateProvider(ctx, c); err != nil {
				t.Fatal(err)
			}
			carers[ref] = c.ID
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
		var runs []string
		for _, id := range []string{k1.ID, k1.ID, k2.ID} {
			r := e.do("GET", "/api/v1/children/"+id+"/matches", nil)
			wantStatus(t, r, 200)
			runs = append(runs, r.JSON(t)["match_id"].(string))
		}
		// Declines: K1's first run contacted C1 (declined, no vacancy) and C2
		// (declined, cannot meet needs); its second run C1 again (accepted). So 3
		// homes contacted, 2 declines, one per reason; C1 contacted twice, declined
		// once; C2 contacted once, declined once (C1 listed after C2: the same
		// declines, more contacts).
		officer := e.bearer(auth.Principal{Subject: "officer-calls", Role: auth.PlacementOfficer})
		c1, c2 := carers["C1"], carers["C2"]
		for _, c := range []struct {
			run, provider string
			answer        map[string]any
		}{
			{runs[0], c1, map[string]any{"answer": "declined", "decline_reason": "no_vacancy"}},
			{runs[0], c2, map[string]any{"answer": "declined", "decline_reason": "cannot_meet_needs"}},
			{runs[1], c1, map[string]any{"answer": "accepted"}},
		} {
			body := map[string]any{"provider": map[string]any{"kind": "foster_carer", "id": c.provider},
				"contacted_at": e.clock.Format(time.RFC3339)}
			for k, v := range c.answer {
				body[k] = v
			}
			wantStatus(t, e.do("POST", "/api/v1/matches/"+c.run+"/contacts", body, "Authorization", officer), 201)
		}
		commissioner := e.bearer(auth.Principal{Subject: "commissioner-1", Role: auth.Commissioner})
		r := e.do("GET", "/api/v1/reports/recommendations?suppress=false", nil, "Authorization", commissioner)
		wantStatus(t, r, 200)
		m := r.JSON(t)
		decl := m["declines"].(map[string]any)
		if decl["homes_contacted"] != 3.0 || decl["declined"] != 2.0 {
			t.Fatalf("declines %v", decl)
		}
		if got := fmt.Sprint(decl["by_reason"]); got != "[map[declines:1 reason:cannot_meet_needs] map[declines:1 reason:no_vacancy]]" {
			t.Errorf("declines by reason %s", got)
		}
		provs := decl["providers"].([]any)
		if len(provs) != 2 {
			t.Fatalf("decliners %v", provs)
		}
		first, second := provs[0].(map[string]any), provs[1].(map[string]any)
		if first["provider"].(map[string]any)["id"] != c2 || first["contacted"] != 1.0 || first["declined"] != 1.0 ||
			second["provider"].(map[string]any)["id"] != c1 || second["contacted"] != 2.0 || second["declined"] != 1.0 {
			t.Errorf("decliners %v", provs)
		}
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
