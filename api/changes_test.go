package api_test

import (
	"net/url"
	"testing"
	"time"
)

// A client keeps its copy in step by polling each list with updated_since and
// include_archived=true: it sees what changed, in the order it changed, and what
// was archived; bad input is refused naming the parameter.
func TestPollingForChanges(t *testing.T) {
	eachDialect(t, func(t *testing.T, e *env) {
		t0 := e.clock
		a := e.do("POST", "/api/v1/children", childBody("A")).JSON(t)["id"].(string)
		b := e.do("POST", "/api/v1/children", childBody("B")).JSON(t)["id"].(string)
		e.db.Now = func() time.Time { return t0.Add(90 * time.Second) }
		wantStatus(t, e.do("PATCH", "/api/v1/children/"+a, map[string]any{"needs": []string{"autism"}}), 200)
		e.db.Now = func() time.Time { return t0.Add(2 * time.Minute) }
		wantStatus(t, e.do("DELETE", "/api/v1/children/"+b, nil), 204)

		since := url.QueryEscape(t0.Add(time.Minute).Format(time.RFC3339))
		ids := func(path string) []string {
			t.Helper()
			r := e.do("GET", path, nil)
			wantStatus(t, r, 200)
			var out []string
			for _, it := range r.JSON(t)["items"].([]any) {
				out = append(out, it.(map[string]any)["id"].(string))
			}
			return out
		}
		if got := ids("/api/v1/children?updated_since=" + since); len(got) != 1 || got[0] != a {
			t.Fatalf("live children changed since: %v, want [%s]", got, a)
		}
		if got := ids("/api/v1/children?include_archived=true&updated_since=" + since); len(got) != 2 || got[0] != a || got[1] != b {
			t.Fatalf("children changed or archived since: %v, want [%s %s]", got, a, b)
		}
		if got := ids("/api/v1/children?include_archived=true"); len(got) != 2 {
			t.Fatalf("every child, archived too: %v", got)
		}
		if got := ids("/api/v1/children?updated_since=" + url.QueryEscape(t0.Add(3*time.Minute).Format(time.RFC3339Nano))); len(got) != 0 {
			t.Fatalf("nothing changed after the last change, yet: %v", got)
		}
		for _, path := range []string{"/api/v1/carers", "/api/v1/units", "/api/v1/hubs", "/api/v1/placements", "/api/v1/feeds",
			"/api/v1/audit"} {
			wantStatus(t, e.do("GET", path+"?updated_since="+since, nil), 200)
			wantProblem(t, e.do("GET", path+"?updated_since=yesterday", nil), 422, "updated_since")
		}
		wantProblem(t, e.do("GET", "/api/v1/children?include_archived=maybe", nil), 422, "include_archived")
		wantProblem(t, e.do("GET", "/api/v1/placements?child_id=not-a-uuid", nil), 422, "child_id")
		wantProblem(t, e.do("GET", "/api/v1/placements?provider_id=12", nil), 422, "provider_id")
		wantProblem(t, e.do("GET", "/api/v1/audit?include_archived=true", nil), 400, "include_archived")
	})
}
