package api_test

import (
	"testing"

	"placematch/store/storetest"
)

// TestDatabaseGoneIsServiceUnavailable: with the database unreachable a request is
// 503 problem+json with Retry-After, not 500, on both engines.
func TestDatabaseGoneIsServiceUnavailable(t *testing.T) {
	for _, d := range storetest.Dialects() {
		t.Run(d, func(t *testing.T) {
			t.Parallel()
			db, unplug := storetest.OpenUnpluggable(t, d)
			e := newEnvOn(t, db)

			r := e.do("POST", "/api/v1/carers", carerBody("GONE"))
			wantStatus(t, r, 201)
			id := r.JSON(t)["id"].(string)
			unplug()
			for _, call := range []struct{ method, path string }{
				{"GET", "/api/v1/carers/" + id},
				{"GET", "/api/v1/placements"},
				{"POST", "/api/v1/carers"},
				{"GET", "/readyz"},
			} {
				var body any
				if call.method == "POST" {
					body = carerBody("GONE-2")
				}
				r := e.do(call.method, call.path, body)
				wantProblem(t, r, 503, "")
				if r.Header.Get("Retry-After") == "" {
					t.Fatalf("%s %s: 503 without Retry-After", call.method, call.path)
				}
			}
		})
	}
}
