package api_test

import (
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/getkin/kin-openapi/openapi3filter"
)

// The problem pages are HTML; the contract check reads them as text.
func init() { openapi3filter.RegisterBodyDecoder("text/html", openapi3filter.FileBodyDecoder) }

// emittedProblemTypes lists every problem type URI written in the module's code
// (tests aside), so that a new type without a page fails the test below.
func emittedProblemTypes(t *testing.T) []string {
	t.Helper()
	re := regexp.MustCompile(`"(/problems/[a-z0-9-]+)"`)
	seen := map[string]bool{}
	err := filepath.WalkDir("..", func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() && strings.HasPrefix(d.Name(), ".") && path != ".." {
			return filepath.SkipDir
		}
		if d.IsDir() || !strings.HasSuffix(path, ".go") || strings.HasSuffix(path, "_test.go") {
			return nil
		}
		b, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		for _, m := range re.FindAllSubmatch(b, -1) {
			seen[string(m[1])] = true
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for u := range seen {
		out = append(out, u)
	}
	if len(out) < 10 {
		t.Fatalf("found only %d problem types in the code: %v", len(out), out)
	}
	return out
}

// TestProblemTypesResolve: every problem type the service can emit is a page it
// serves, without a token; an unknown type is a 404 problem.
func TestProblemTypesResolve(t *testing.T) {
	eachDialect(t, func(t *testing.T, e *env) {
		for _, u := range emittedProblemTypes(t) {
			r := e.do("GET", u, nil, "Authorization", "")
			wantStatus(t, r, 200)
			if ct := r.Header.Get("Content-Type"); !strings.HasPrefix(ct, "text/html") {
				t.Fatalf("%s: content type %q", u, ct)
			}
			if body := string(r.Body); !strings.Contains(body, "<h1>") || !strings.Contains(body, u) {
				t.Fatalf("%s: page does not name the type:\n%s", u, body)
			}
		}
		wantProblem(t, e.do("GET", "/problems/no-such-type", nil, "Authorization", ""), 404, "")
	})
}
