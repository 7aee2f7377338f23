package api_test

import (
	"net/url"
	"strings"
	"testing"

	"github.com/getkin/kin-openapi/openapi3"

	"placematch"
)

// A list refuses a parameter it does not take, or one given twice, naming it: a
// misspelt filter used to answer the whole list.
func TestListsRefuseUnknownAndRepeatedParameters(t *testing.T) {
	eachDialect(t, func(t *testing.T, e *env) {
		childID := e.do("POST", "/api/v1/children", childBody("KEEP")).JSON(t)["id"].(string)
		for _, tc := range []struct{ path, field string }{
			{"/api/v1/carers?colour=blue", "colour"},
			{"/api/v1/units?district=Norwich&beds=3", "beds"},
			{"/api/v1/hubs?Reference=H1", "Reference"},
			{"/api/v1/children?referance=KEEP", "referance"},
			{"/api/v1/children?status=awaiting&status=closed", "status"},
			{"/api/v1/children/" + childID + "/matches?max_distance=5", "max_distance"},
			{"/api/v1/placements?child=" + childID, "child"},
			{"/api/v1/audit?who=admin-1", "who"},
			{"/api/v1/feeds?name=wensum", "name"},
			{"/api/v1/jobs?limit=5", "limit"},
			{"/api/v1/carers?limit=5&limit=6", "limit"},
			{"/api/v1/reports/sufficiency?grup_by=district", "grup_by"},
			{"/api/v1/reports/sufficiency?format=json&format=csv", "format"},
			{"/api/v1/reports/providers.geojson?distrct=Norwich", "distrct"},
		} {
			wantProblem(t, e.do("GET", tc.path, nil), 400, tc.field)
		}
		wantProblem(t, e.do("GET", "/api/v1/children?reference=%zz", nil), 400, "")
	})
}

// Every query parameter the contract declares for a list is taken (its value may
// still be refused with 422, never with 400), so the lists of names in the handlers
// cannot drift from openapi.yaml.
func TestListsTakeEveryDeclaredParameter(t *testing.T) {
	doc, err := openapi3.NewLoader().LoadFromData(placematch.OpenAPI)
	if err != nil {
		t.Fatal(err)
	}
	e := newEnv(t, "sqlite")
	childID := e.do("POST", "/api/v1/children", childBody("KEEP")).JSON(t)["id"].(string)
	checked := 0
	for path, item := range doc.Paths.Map() {
		op := item.Get
		if op == nil || !(strings.HasPrefix(op.OperationID, "list") || op.OperationID == "matchChild" ||
			strings.HasPrefix(path, "/api/v1/reports/")) || strings.Contains(path, "{name}") {
			continue
		}
		for _, p := range append(item.Parameters, op.Parameters...) {
			if p.Value.In != "query" {
				continue
			}
			target := strings.Replace(path, "{id}", childID, 1) + "?" + url.Values{p.Value.Name: {"x"}}.Encode()
			if r := e.do("GET", target, nil); r.Status == 400 {
				t.Errorf("%s: %s", target, r.Body)
			}
			checked++
		}
	}
	if checked < 20 {
		t.Fatalf("only %d parameters checked", checked)
	}
}

// Control characters and invalid UTF-8 in a filter are refused the same way on both
// engines, before any query; NaN, Inf and 1e400 are not distances.
func TestQueryValuesAreCheckedOnBothEngines(t *testing.T) {
	eachDialect(t, func(t *testing.T, e *env) {
		childID := e.do("POST", "/api/v1/children", childBody("KEEP")).JSON(t)["id"].(string)
		for _, tc := range []struct{ path, field string }{
			{"/api/v1/children?reference=%00", "reference"},
			{"/api/v1/carers?district=North%00Norfolk", "district"},
			{"/api/v1/units?reference=U%1B", "reference"},
			{"/api/v1/placements?child_id=%C3%28", "child_id"},
			{"/api/v1/audit?subject=admin%00", "subject"},
			{"/api/v1/reports/sufficiency?group_by=district%00", "group_by"},
			{"/api/v1/reports/providers.geojson?district=Norwich%00", "district"},
			{"/api/v1/children/" + childID + "/matches?max_distance_km=NaN", "max_distance_km"},
			{"/api/v1/children/" + childID + "/matches?max_distance_km=Inf", "max_distance_km"},
			{"/api/v1/children/" + childID + "/matches?max_distance_km=-Infinity", "max_distance_km"},
			{"/api/v1/children/" + childID + "/matches?max_distance_km=1e400", "max_distance_km"},
		} {
			wantProblem(t, e.do("GET", tc.path, nil), 422, tc.field)
		}
	})
}

// The reference and district filters ignore the case of ASCII letters, on both
// engines alike.
func TestReferenceAndDistrictFiltersIgnoreCase(t *testing.T) {
	eachDialect(t, func(t *testing.T, e *env) {
		e.do("POST", "/api/v1/children", childBody("Ab-12"))
		e.do("POST", "/api/v1/carers", carerBody("Cr-7"))
		e.do("POST", "/api/v1/carers", carerBody("École-1"))
		count := func(path string) int {
			r := e.do("GET", path, nil)
			wantStatus(t, r, 200)
			return len(r.JSON(t)["items"].([]any))
		}
		for path, want := range map[string]int{
			"/api/v1/children?reference=AB-12":                       1,
			"/api/v1/children?reference=ab-12":                       1,
			"/api/v1/children?reference=ab-13":                       0,
			"/api/v1/carers?reference=cR-7":                          1,
			"/api/v1/carers?reference=" + url.QueryEscape("éCOLE-1"): 0, // only ASCII letters fold
			"/api/v1/carers?reference=" + url.QueryEscape("École-1"): 1,
		} {
			if got := count(path); got != want {
				t.Errorf("%s: %d items, want %d", path, got, want)
			}
		}
	})
}
