package api_test

import (
	"net/http"
	"slices"
	"strings"
	"testing"

	"github.com/gin-gonic/gin"

	"placematch/api"
	"placematch/auth"
	"placematch/store/storetest"
)

// access says, for every route, which roles besides admin may call it ("public": no
// token needed). It is written out by hand, apart from the code's policy table, so
// that a change to either shows here; a route missing from it fails the test.
var access = map[string]string{
	"GET /healthz":        "public",
	"GET /readyz":         "public",
	"GET /openapi.yaml":   "public",
	"GET /problems/:type": "public",
	"GET /metrics":        "public",

	"GET /api/v1/carers":                    "placement_officer commissioner",
	"POST /api/v1/carers":                   "",
	"GET /api/v1/carers/:id":                "placement_officer commissioner carer",
	"PATCH /api/v1/carers/:id":              "",
	"DELETE /api/v1/carers/:id":             "",
	"PUT /api/v1/carers/:id/availability":   "carer",
	"GET /api/v1/units":                     "placement_officer commissioner provider",
	"POST /api/v1/units":                    "",
	"GET /api/v1/units/:id":                 "placement_officer commissioner provider",
	"PATCH /api/v1/units/:id":               "",
	"DELETE /api/v1/units/:id":              "",
	"PUT /api/v1/units/:id/availability":    "provider",
	"GET /api/v1/hubs":                      "placement_officer commissioner",
	"POST /api/v1/hubs":                     "",
	"GET /api/v1/hubs/:id":                  "placement_officer commissioner",
	"PATCH /api/v1/hubs/:id":                "",
	"DELETE /api/v1/hubs/:id":               "",
	"PUT /api/v1/hubs/:id/availability":     "",
	"GET /api/v1/children":                  "placement_officer",
	"POST /api/v1/children":                 "placement_officer",
	"GET /api/v1/children/:id":              "placement_officer",
	"PATCH /api/v1/children/:id":            "placement_officer",
	"DELETE /api/v1/children/:id":           "placement_officer",
	"GET /api/v1/children/:id/matches":      "placement_officer",
	"GET /api/v1/matches/:id":               "placement_officer",
	"POST /api/v1/matches/:id/replay":       "placement_officer",
	"POST /api/v1/matches/:id/contacts":     "placement_officer",
	"GET /api/v1/matches/:id/decision":      "placement_officer",
	"GET /api/v1/matches/:id/excluded":      "placement_officer",
	"GET /api/v1/contacts":                  "placement_officer carer provider",
	"GET /api/v1/contacts/:id":              "placement_officer carer provider",
	"PUT /api/v1/contacts/:id/answer":       "placement_officer carer provider",
	"POST /api/v1/allocations":              "placement_officer",
	"GET /api/v1/allocations/:id":           "placement_officer",
	"GET /api/v1/placements":                "placement_officer",
	"POST /api/v1/placements":               "placement_officer",
	"GET /api/v1/placements/:id":            "placement_officer",
	"PATCH /api/v1/placements/:id":          "placement_officer",
	"DELETE /api/v1/placements/:id":         "placement_officer",
	"GET /api/v1/audit":                     "",
	"GET /api/v1/jobs":                      "",
	"GET /api/v1/jobs/:name/runs":           "",
	"POST /api/v1/jobs/:name/runs":          "",
	"GET /api/v1/jobs/:name/runs/:id":       "",
	"GET /api/v1/feeds":                     "",
	"POST /api/v1/feeds":                    "",
	"GET /api/v1/feeds/:id":                 "",
	"PATCH /api/v1/feeds/:id":               "",
	"DELETE /api/v1/feeds/:id":              "",
	"GET /api/v1/reports/sufficiency":       "commissioner",
	"GET /api/v1/reports/recommendations":   "commissioner",
	"GET /api/v1/reports/providers.geojson": "commissioner placement_officer", // providers only, no child data
}

const noSuchID = "0190a6b2-0000-7000-8000-000000000000"

var callers = map[string]auth.Principal{
	"admin":             {Subject: "admin-1", Role: auth.Admin},
	"placement_officer": {Subject: "officer-1", Role: auth.PlacementOfficer},
	"carer":             {Subject: "carer-1", Role: auth.Carer, CarerID: noSuchID},
	"provider":          {Subject: "provider-1", Role: auth.Provider, UnitIDs: []string{noSuchID}},
	"commissioner":      {Subject: "commissioner-1", Role: auth.Commissioner},
}

// Every route × every role, and no token: the outcome is what access says.
func TestEveryRouteEveryRole(t *testing.T) {
	e := newEnv(t, storetest.Dialects()[0])
	s := &api.Server{Store: e.db, Verifier: e.keys}
	var routes []string
	for _, r := range s.Handler().(*gin.Engine).Routes() {
		key := r.Method + " " + r.Path
		routes = append(routes, key)
		if _, ok := access[key]; !ok {
			t.Errorf("route %s has no entry in the access table: decide who may call it", key)
		}
	}
	for key := range access {
		if !slices.Contains(routes, key) {
			t.Errorf("access table lists %s, which the router does not have", key)
		}
	}
	for _, key := range routes {
		allowed, ok := access[key]
		if !ok {
			continue
		}
		method, path, _ := strings.Cut(key, " ")
		path = strings.NewReplacer(":id", noSuchID, ":name", "reconcile-vacancies").Replace(path)
		var body any
		if method == "POST" || method == "PATCH" || method == "PUT" {
			body = map[string]any{}
		}
		r := e.do(method, path, body, "Authorization", "")
		if allowed == "public" {
			if r.Status == 401 || r.Status == 403 {
				t.Errorf("%s without a token: %d, want it public", key, r.Status)
			}
			continue
		}
		if r.Status != http.StatusUnauthorized || r.Header.Get("WWW-Authenticate") == "" {
			t.Errorf("%s without a token: %d, want 401 with WWW-Authenticate", key, r.Status)
		}
		for name, p := range callers {
			r := e.do(method, path, body, "Authorization", e.bearer(p))
			mayCall := name == "admin" || slices.Contains(strings.Fields(allowed), name)
			denied := r.Status == http.StatusForbidden || r.Status == http.StatusUnauthorized
			if mayCall == denied {
				t.Errorf("%s as %s: %d (may call: %v)", key, name, r.Status, mayCall)
			}
		}
	}
}
