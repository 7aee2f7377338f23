package api_test

import "testing"

// TestSufficiencyReportDemandAndTrendTotal: through the API (the harness validates
// each response against openapi.yaml), the 10-year-old awaiting is demand for a
// foster carer only, one group of one, and the trend ends its date with a TOTAL row
// that has no provider kind and counts each provider once.
func TestSufficiencyReportDemandAndTrendTotal(t *testing.T) {
	eachDialect(t, func(t *testing.T, e *env) {
		withReports(t, e)
		seedReport(t, e.db)
		r := e.do("GET", "/api/v1/reports/sufficiency?from=2026-11-01&to=2026-11-23", nil)
		wantStatus(t, r, 200)
		m := r.JSON(t)
		for _, row := range m["rows"].([]any) {
			row := row.(map[string]any)
			want := 0.0
			if row["provider_kind"] == "foster_carer" || row["district"] == "TOTAL" {
				want = 1
			}
			if row["children_awaiting"] != want || row["groups_awaiting"] != want {
				t.Errorf("row %v: children and groups awaiting, want %v", row, want)
			}
			// C1 (2 vacant) and C2 (3) meet the one child: no shortfall anywhere.
			if row["shortfall"] != 0.0 {
				t.Errorf("row %v: shortfall", row)
			}
		}
		trend := m["trend"].(map[string]any)["rows"].([]any)
		last := trend[len(trend)-1].(map[string]any)
		if _, kind := last["provider_kind"]; last["district"] != "TOTAL" || kind || last["snapshot_date"] != "2026-11-22" ||
			last["providers"] != 3.0 || last["places"] != 12.0 || last["groups_awaiting"] != 1.0 {
			t.Errorf("trend TOTAL %v: want 3 providers, 3 + 3 + 6 places, 1 group, no kind", last)
		}
	})
}
