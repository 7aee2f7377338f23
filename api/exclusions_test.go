package api_test

import (
	"net/url"
	"slices"
	"strings"
	"testing"

	"placematch/auth"
	"placematch/demo"
	"placematch/store/storetest"
)

// A search answers, by default, the summary of why providers were excluded and no
// list; the run keeps every exclusion, served a page at a time, by reason and by
// name or reference ("why not this carer?"), on the demo on both engines. The
// counts add up: considered = eligible + excluded_count.
func TestExclusionsAreKeptWithTheRunAndServedPaged(t *testing.T) {
	eachDialect(t, func(t *testing.T, e *env) {
		if _, err := demo.Seed(ctx, e.db, 1, storetest.Clock); err != nil {
			t.Fatal(err)
		}
		child := childWithoutMaxDistance(t, e)
		m := e.do("GET", "/api/v1/children/"+child+"/matches", nil).JSON(t)
		count := int(m["excluded_count"].(float64))
		if ex := m["excluded"].([]any); len(ex) != 0 {
			t.Fatalf("the default answer lists %d exclusions, want none", len(ex))
		}
		summary := m["excluded_summary"].(map[string]any)
		if count == 0 || len(summary) == 0 {
			t.Fatalf("the demo child's run excludes nobody (%d, %v)", count, summary)
		}
		if c, el := int(m["considered"].(float64)), int(m["eligible"].(float64)); c != el+count {
			t.Fatalf("considered %d is not eligible %d + excluded_count %d", c, el, count)
		}
		id := m["match_id"].(string)
		path := "/api/v1/matches/" + id + "/excluded"

		all := pageAll(t, e, path, url.Values{"limit": {"7"}})
		if len(all) != count {
			t.Fatalf("paging gives %d exclusions, the run counts %d", len(all), count)
		}
		seen := map[string]bool{}
		perReason := map[string]int{}
		for i, x := range all {
			pid := x.provider()
			if seen[pid] {
				t.Fatalf("provider %s is listed twice", pid)
			}
			seen[pid] = true
			if i > 0 && all[i-1].provider() >= pid {
				t.Fatalf("not in provider id order at %d", i)
			}
			for _, r := range x.reasons() {
				perReason[r]++
			}
		}
		for code, n := range summary {
			if perReason[code] != int(n.(float64)) {
				t.Errorf("%s: %d listed, the summary counts %v", code, perReason[code], n)
			}
		}

		// The same search with the list in the answer lists the same providers with
		// the same reasons as the run keeps.
		listed := e.do("GET", "/api/v1/children/"+child+"/matches?include_excluded=true", nil).JSON(t)["excluded"].([]any)
		if len(listed) != len(all) {
			t.Fatalf("include_excluded=true lists %d, the kept list %d", len(listed), len(all))
		}
		for i, l := range listed {
			x := exclusion(l.(map[string]any))
			if x.provider() != all[i].provider() || !slices.Equal(x.reasons(), all[i].reasons()) {
				t.Fatalf("exclusion %d differs: answered %v, kept %v", i, l, all[i])
			}
		}

		// By reason: exactly those that broke it.
		for code, n := range summary {
			got := pageAll(t, e, path, url.Values{"reason": {code}, "limit": {"500"}})
			if len(got) != int(n.(float64)) {
				t.Errorf("reason %s: %d, the summary counts %v", code, len(got), n)
			}
			for _, x := range got {
				if !slices.Contains(x.reasons(), code) {
					t.Errorf("reason %s lists %v", code, x)
				}
			}
		}

		// "Why not this carer?": the one home of that name, by name in other case,
		// and by its reference.
		var target exclusion
		for _, x := range all {
			kind := x["provider"].(map[string]any)["kind"]
			if n := x.name(); kind == "foster_carer" && n != "" && countContaining(all, n) == 1 {
				target = x
				break
			}
		}
		if target == nil {
			t.Fatal("no excluded carer has a name no other home shares")
		}
		t.Logf("%d exclusions kept, %d reasons; asking for %q (%v)", count, len(summary), target.name(), target["reference"])
		got := pageAll(t, e, path, url.Values{"q": {strings.ToUpper(target.name())}})
		if len(got) != 1 || got[0].provider() != target.provider() {
			t.Fatalf("searching for %q finds %v", target.name(), got)
		}
		ref, _ := target["reference"].(string)
		if ref == "" {
			t.Fatalf("the kept exclusion has no reference: %v", target)
		}
		got = pageAll(t, e, path, url.Values{"q": {strings.ToLower(ref)}})
		if !slices.ContainsFunc(got, func(x exclusion) bool { return x.provider() == target.provider() }) {
			t.Fatalf("searching for reference %q finds %v", ref, got)
		}
		if none := pageAll(t, e, path, url.Values{"q": {"no home is called this"}}); len(none) != 0 {
			t.Fatalf("a name nobody has finds %v", none)
		}

		// A run never changes: polled after it was stored, it has nothing new.
		if later := pageAll(t, e, path, url.Values{"updated_since": {"2099-01-01T00:00:00Z"}}); len(later) != 0 {
			t.Fatalf("updated_since after the run finds %d", len(later))
		}
		if earlier := pageAll(t, e, path, url.Values{"updated_since": {"2000-01-01T00:00:00Z"}, "limit": {"500"}}); len(earlier) != count {
			t.Fatalf("updated_since before the run finds %d of %d", len(earlier), count)
		}
		wantProblem(t, e.do("GET", path+"?updated_since=yesterday", nil), 422, "updated_since")

		// Bad input names the parameter; the run's readers alone may ask.
		wantProblem(t, e.do("GET", path+"?reason=castle", nil), 422, "reason")
		wantProblem(t, e.do("GET", path+"?limit=0", nil), 422, "limit")
		wantProblem(t, e.do("GET", path+"?cursor=nonsense", nil), 422, "cursor")
		wantProblem(t, e.do("GET", path+"?q=", nil), 422, "q")
		wantProblem(t, e.do("GET", path+"?q="+strings.Repeat("x", 201), nil), 422, "q")
		wantStatus(t, e.do("GET", path+"?colour=red", nil), 400)
		wantStatus(t, e.do("GET", "/api/v1/matches/01a234c8-fe58-7ee2-bf6d-528ae2f62381/excluded", nil), 404)
		comm := e.bearer(auth.Principal{Subject: "commissioner-3", Role: auth.Commissioner})
		wantStatus(t, e.do("GET", path, nil, "Authorization", comm), 403)
		officer := e.bearer(auth.Principal{Subject: "officer-9", Role: auth.PlacementOfficer})
		wantStatus(t, e.do("GET", path, nil, "Authorization", officer), 200)
	})
}

// exclusion is one kept exclusion as the API answers it.
type exclusion map[string]any

func (x exclusion) provider() string { return x["provider"].(map[string]any)["id"].(string) }
func (x exclusion) name() string {
	n, _ := x["provider"].(map[string]any)["name"].(string)
	return n
}
func (x exclusion) reasons() []string {
	var out []string
	for _, r := range x["reasons"].([]any) {
		out = append(out, r.(string))
	}
	return out
}

func countContaining(all []exclusion, name string) int {
	n := 0
	for _, x := range all {
		ref, _ := x["reference"].(string)
		if strings.Contains(strings.ToLower(x.name()), strings.ToLower(name)) ||
			strings.Contains(strings.ToLower(ref), strings.ToLower(name)) {
			n++
		}
	}
	return n
}

// pageAll follows next_cursor from the first page to the last.
func pageAll(t *testing.T, e *env, path string, q url.Values) []exclusion {
	t.Helper()
	var out []exclusion
	for range 10_000 {
		page := e.do("GET", path+"?"+q.Encode(), nil)
		wantStatus(t, page, 200)
		body := page.JSON(t)
		for _, it := range body["items"].([]any) {
			out = append(out, exclusion(it.(map[string]any)))
		}
		next, _ := body["next_cursor"].(string)
		if next == "" {
			return out
		}
		q.Set("cursor", next)
	}
	t.Fatal("the pages never end")
	return nil
}

// childWithoutMaxDistance is a demo child awaiting with no maximum distance, whose
// runs list every provider they exclude.
func childWithoutMaxDistance(t *testing.T, e *env) string {
	t.Helper()
	q := url.Values{"limit": {"500"}}
	for range 100 {
		body := e.do("GET", "/api/v1/children?"+q.Encode(), nil).JSON(t)
		for _, it := range body["items"].([]any) {
			c := it.(map[string]any)
			if c["status"] == "awaiting" && c["max_distance_km"] == nil {
				return c["id"].(string)
			}
		}
		next, _ := body["next_cursor"].(string)
		if next == "" {
			break
		}
		q.Set("cursor", next)
	}
	t.Fatal("the demo has no child awaiting without a maximum distance")
	return ""
}
