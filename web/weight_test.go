package web_test

import (
	"bytes"
	"compress/gzip"
	"io"
	"net/http"
	"regexp"
	"testing"

	"placematch/store"
)

var (
	pageAssets    = regexp.MustCompile(`(?:href|src)="(/static/[^"]+\.(?:css|js))"`)
	moduleImports = regexp.MustCompile(`(?:from|import)\s*['"](/static/[^'"]+\.js)['"]`)
)

// The first load of the queue and of a matches page (with its map) is at most
// 300 KB of CSS and JavaScript as transferred gzip-compressed, counting every
// stylesheet and script the page names and every module they import; each
// compressed file decodes to the file served uncompressed. The uncompressed size
// is logged, not bounded: Leaflet and GOV.UK Frontend are larger than 300 KB raw.
func TestFirstLoadIsUnder300KBCompressedTransfer(t *testing.T) {
	s := newSite(t, store.SQLite)
	c := s.client(t)
	s.signIn(t, c, "officer")
	child, _ := s.rankedChild(t)
	run, err := s.Uses.Match(ctx, matchAll(child.ID))
	must(t, err)
	raw := &http.Client{Jar: c.Jar, Transport: &http.Transport{DisableCompression: true}}
	fetch := func(u string, gz bool) (body []byte, encoding string) {
		req, err := http.NewRequest(http.MethodGet, s.URL+u, nil)
		must(t, err)
		if gz {
			req.Header.Set("Accept-Encoding", "gzip, deflate, br")
		}
		res, err := raw.Do(req)
		must(t, err)
		defer res.Body.Close()
		b, err := io.ReadAll(res.Body)
		must(t, err)
		if res.StatusCode != http.StatusOK {
			t.Fatalf("%s: %d", u, res.StatusCode)
		}
		return b, res.Header.Get("Content-Encoding")
	}
	for _, path := range []string{"/queue", "/matches/" + run.MatchID} {
		todo := []string{}
		for _, m := range pageAssets.FindAllStringSubmatch(s.get(t, c, path).Body, -1) {
			todo = append(todo, m[1])
		}
		seen := map[string]bool{}
		compressed, uncompressed, modules := 0, 0, 0
		for len(todo) > 0 {
			u := todo[0]
			todo = todo[1:]
			if seen[u] {
				continue
			}
			seen[u] = true
			plain, _ := fetch(u, false)
			packed, enc := fetch(u, true)
			if enc != "gzip" {
				t.Fatalf("%s: Content-Encoding %q, want gzip", u, enc)
			}
			zr, err := gzip.NewReader(bytes.NewReader(packed))
			must(t, err)
			decoded, err := io.ReadAll(zr)
			must(t, err)
			if !bytes.Equal(decoded, plain) {
				t.Fatalf("%s: the compressed file is not the file", u)
			}
			compressed += len(packed)
			uncompressed += len(plain)
			for _, m := range moduleImports.FindAllStringSubmatch(string(plain), -1) {
				todo = append(todo, m[1])
				modules++
			}
		}
		if modules == 0 {
			t.Fatalf("%s: no module import counted (govuk-frontend.min.js)", path)
		}
		if path != "/queue" && !hasLeaflet(seen) {
			t.Fatalf("%s: Leaflet not counted: %v", path, seen)
		}
		t.Logf("%s: %d files, %d bytes compressed, %d uncompressed", path, len(seen), compressed, uncompressed)
		if compressed > 300<<10 {
			t.Errorf("%s: first load of CSS and JavaScript is %d bytes compressed, want at most 300 KB", path, compressed)
		}
	}
}

func hasLeaflet(seen map[string]bool) bool {
	for u := range seen {
		if regexp.MustCompile(`/leaflet\.[0-9a-f]{12}\.js$`).MatchString(u) {
			return true
		}
	}
	return false
}
