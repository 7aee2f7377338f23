package api_test

import (
	"encoding/json"
	"testing"
)

// A body that does not say it is JSON is refused with 415 before it is read, and
// changes nothing; PATCH takes JSON merge patches too.
func TestBodiesMustBeJSONByMediaType(t *testing.T) {
	eachDialect(t, func(t *testing.T, e *env) {
		carerID := e.do("POST", "/api/v1/carers", carerBody("KEEP")).JSON(t)["id"].(string)
		childID := e.do("POST", "/api/v1/children", childBody("KEEP")).JSON(t)["id"].(string)
		carer, _ := json.Marshal(carerBody("NEW"))
		cases := []struct {
			name, method, path, contentType string
			body                            any
		}{
			{"text/plain", "POST", "/api/v1/carers", "text/plain", string(carer)},
			{"form", "POST", "/api/v1/children", "application/x-www-form-urlencoded", "reference=NEW&sex=female"},
			{"no content type", "POST", "/api/v1/carers", "", string(carer)},
			{"charset other than UTF-8", "POST", "/api/v1/carers", "application/json; charset=iso-8859-1", string(carer)},
			{"merge patch on a create", "POST", "/api/v1/carers", "application/merge-patch+json", string(carer)},
			{"text/plain by PATCH", "PATCH", "/api/v1/children/" + childID, "text/plain", `{"urgency":"emergency"}`},
			{"form by PUT", "PUT", "/api/v1/carers/" + carerID + "/availability", "multipart/form-data; boundary=x", `{"status":"unavailable"}`},
			{"text/plain placement", "POST", "/api/v1/placements", "text/plain", `{}`},
			{"text/plain feed", "POST", "/api/v1/feeds", "text/plain", `{"name":"f","url":"https://example.org","format":"json"}`},
		}
		before := e.snapshot(t)
		for _, tc := range cases {
			t.Run(tc.name, func(t *testing.T) {
				wantProblem(t, e.do(tc.method, tc.path, tc.body, "Content-Type", tc.contentType), 415, "Content-Type")
				if e.snapshot(t) != before {
					t.Fatal("stored data changed")
				}
			})
		}
		wantStatus(t, e.do("POST", "/api/v1/carers", string(carer), "Content-Type", "application/json; charset=UTF-8"), 201)
		wantStatus(t, e.do("PATCH", "/api/v1/children/"+childID, `{"urgency":"emergency"}`,
			"Content-Type", "application/merge-patch+json"), 200)
	})
}
