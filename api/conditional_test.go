package api_test

import (
	"testing"
)

// TestIfMatchAnyOtherTagIsPreconditionFailed: an If-Match entity tag that is not the
// record's current one is 412 whatever is inside the quotes (RFC 9110 §13.1.1), and
// nothing is written.
func TestIfMatchAnyOtherTagIsPreconditionFailed(t *testing.T) {
	eachDialect(t, func(t *testing.T, e *env) {
		r := e.do("POST", "/api/v1/carers", carerBody("IFM"))
		wantStatus(t, r, 201)
		id := r.JSON(t)["id"].(string)
		before := e.snapshot(t)
		for _, tag := range []string{`"stale-0"`, `W/"x"`, `"0"`, `"2"`, `""`} {
			wantProblem(t, e.do("PATCH", "/api/v1/carers/"+id, map[string]any{"name": "Changed"}, "If-Match", tag), 412, "")
			wantProblem(t, e.do("DELETE", "/api/v1/carers/"+id, nil, "If-Match", tag), 412, "")
		}
		if after := e.snapshot(t); after != before {
			t.Fatal("a failed precondition changed stored data")
		}
		wantStatus(t, e.do("PATCH", "/api/v1/carers/"+id, map[string]any{"name": "Changed"}, "If-Match", `"1"`), 200)
	})
}

// TestIfNoneMatchAnswersNotModified: a GET whose If-None-Match names the current
// entity tag is 304 with the tag and no body; a stale tag gets the record.
func TestIfNoneMatchAnswersNotModified(t *testing.T) {
	eachDialect(t, func(t *testing.T, e *env) {
		r := e.do("POST", "/api/v1/carers", carerBody("INM"))
		wantStatus(t, r, 201)
		path := "/api/v1/carers/" + r.JSON(t)["id"].(string)
		etag := r.Header.Get("ETag")
		for _, h := range []string{etag, "W/" + etag, `"9", ` + etag, "*"} {
			got := e.do("GET", path, nil, "If-None-Match", h)
			wantStatus(t, got, 304)
			if len(got.Body) != 0 || got.Header.Get("ETag") != etag {
				t.Fatalf("If-None-Match %s: body %q, ETag %q", h, got.Body, got.Header.Get("ETag"))
			}
		}
		wantStatus(t, e.do("GET", path, nil, "If-None-Match", `"9"`), 200)
		wantStatus(t, e.do("PATCH", path, map[string]any{"name": "Changed"}), 200)
		if got := e.do("GET", path, nil, "If-None-Match", etag); got.Status != 200 || got.Header.Get("ETag") != `"2"` {
			t.Fatalf("after a change: %d ETag %s", got.Status, got.Header.Get("ETag"))
		}
	})
}
