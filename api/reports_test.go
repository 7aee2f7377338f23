package api_test

import (
	"bytes"
	"encoding/csv"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/paulmach/orb/geojson"
	"github.com/xuri/excelize/v2"

	"placematch"
	"placematch/api"
	"placematch/placing"
	"placematch/reports"
	"placematch/store"
	"placematch/store/storetest"
)

// withReports restarts the env's server with a report service that has the DfE
// figures with Norfolk's own (read from the shared data in place) and the Norfolk
// district names.
func withReports(t *testing.T, e *env) {
	t.Helper()
	cmp, err := reports.LoadComparisonFileFor("../../shared/data/dfe/dfe_cla_31march_placement_type_and_distance_by_la_2021_2025.csv", "Norfolk")
	if err != nil {
		t.Fatal(err)
	}
	now := func() time.Time { return e.clock }
	s := &api.Server{Store: e.db, OpenAPI: placematch.OpenAPI, Version: "test", Verifier: e.keys,
		Placing: &placing.Service{Store: e.db, Now: now,
			Reports: &reports.Service{Store: e.db, Now: now, Comparison: cmp, Districts: []string{"Norwich", "Broadland"}}}}
	e.srv.Close()
	e.srv = httptest.NewServer(s.Handler())
	t.Cleanup(e.srv.Close)
}

// seedReport stores two carers, a hub and three children, two of them placed.
func seedReport(t *testing.T, db *store.DB) {
	t.Helper()
	c1, c2, h := storetest.Carer("C1"), storetest.Carer("C2"), storetest.Hub("H1")
	for _, p := range []*placematch.Provider{c1, c2, h} {
		if err := db.CreateProvider(ctx, p); err != nil {
			t.Fatal(err)
		}
	}
	for i, p := range []*placematch.Provider{c1, h, nil} {
		c := storetest.Child("K" + string(rune('1'+i)))
		if err := db.CreateChild(ctx, c); err != nil {
			t.Fatal(err)
		}
		if p == nil {
			continue
		}
		if _, err := db.Book(ctx, store.BookRequest{ChildID: c.ID, Provider: p.Ref(), StartDate: placematch.DateOf(storetest.Clock)}); err != nil {
			t.Fatal(err)
		}
	}
	rows, err := (&reports.Service{Store: db, Now: func() time.Time { return storetest.Clock }}).SnapshotRows(ctx, placematch.DateOf(storetest.Clock))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := db.ReplaceSnapshot(ctx, placematch.DateOf(storetest.Clock).AddDays(-1), rows); err != nil {
		t.Fatal(err)
	}
}

// TestSufficiencyReportAPI fetches the report in every format; every response is
// validated against openapi.yaml by the harness (JSON against its schema).
func TestSufficiencyReportAPI(t *testing.T) {
	eachDialect(t, func(t *testing.T, e *env) {
		withReports(t, e)
		seedReport(t, e.db)
		for _, q := range []string{"", "?group_by=district,provider_kind,placement_type,age_band",
			"?suppress=true&from=2026-11-01&to=2026-11-23", "?as_of=2026-11-22&suppress=false"} {
			r := e.do("GET", "/api/v1/reports/sufficiency"+q, nil)
			wantStatus(t, r, 200)
			m := r.JSON(t)
			rows := m["rows"].([]any)
			total := rows[len(rows)-1].(map[string]any)
			if total["district"] != "TOTAL" || m["comparison"] == nil || m["council"] == nil || m["sectors"] == nil {
				t.Errorf("%s: total %v, comparison, council or sectors missing", q, total)
			}
			if q == "" && (total["providers"] != 3.0 || total["filled"] != 2.0 || total["children_awaiting"] != 1.0) {
				t.Errorf("total %v", total)
			}
		}
		r := e.do("GET", "/api/v1/reports/sufficiency?format=csv&as_of=2026-11-23", nil)
		wantStatus(t, r, 200)
		if cd := r.Header.Get("Content-Disposition"); cd != `attachment; filename="sufficiency-2026-11-23.csv"` {
			t.Errorf("Content-Disposition %q", cd)
		}
		recs, err := csv.NewReader(bytes.NewReader(r.Body)).ReadAll()
		if err != nil || recs[0][0] != "district" || recs[len(recs)-1][0] != "TOTAL" {
			t.Errorf("CSV %v %v", recs, err)
		}
		r = e.do("GET", "/api/v1/reports/sufficiency?format=xlsx", nil)
		wantStatus(t, r, 200)
		f, err := excelize.OpenReader(bytes.NewReader(r.Body))
		if err != nil {
			t.Fatal(err)
		}
		defer f.Close()
		if v, _ := f.GetCellValue("Sufficiency", "C2"); v != "2" {
			t.Errorf("XLSX C2 = %q", v)
		}
	})
}

func TestSufficiencyReportBadParameters(t *testing.T) {
	eachDialect(t, func(t *testing.T, e *env) {
		for q, field := range map[string]string{
			"as_of=23-11-2026":              "as_of",
			"from=2026-11-01":               "to",
			"group_by=district,colour":      "group_by",
			"format=pdf":                    "format",
			"suppress=maybe":                "suppress",
			"from=2026-11-20&to=2026-11-01": "to",
		} {
			wantProblem(t, e.do("GET", "/api/v1/reports/sufficiency?"+q, nil), 422, field)
		}
		wantProblem(t, e.do("GET", "/api/v1/reports/providers.geojson?kinds=castle", nil), 422, "kinds")
	})
}

// TestProvidersGeoJSONAPI parses the map layer with orb/geojson.
func TestProvidersGeoJSONAPI(t *testing.T) {
	eachDialect(t, func(t *testing.T, e *env) {
		withReports(t, e)
		seedReport(t, e.db)
		r := e.do("GET", "/api/v1/reports/providers.geojson", nil)
		wantStatus(t, r, 200)
		if ct := r.Header.Get("Content-Type"); ct != "application/geo+json" {
			t.Errorf("content type %q", ct)
		}
		fc, err := geojson.UnmarshalFeatureCollection(r.Body)
		if err != nil || len(fc.Features) != 3 {
			t.Fatalf("%v, %d features", err, len(fc.Features))
		}
		if strings.Contains(string(r.Body), "K1") {
			t.Error("child data in the map layer")
		}
		r = e.do("GET", "/api/v1/reports/providers.geojson?kinds=hub&district=outside%20area", nil)
		wantStatus(t, r, 200)
		if fc, _ := geojson.UnmarshalFeatureCollection(r.Body); len(fc.Features) != 1 {
			t.Errorf("hubs outside the area: %d", len(fc.Features))
		}
		wantProblem(t, e.do("GET", "/api/v1/reports/providers.geojson?district=Leeds", nil), 422, "district")
	})
}
