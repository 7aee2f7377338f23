package web

import (
	"bytes"
	"compress/gzip"
	"crypto/sha256"
	"embed"
	"encoding/hex"
	"fmt"
	"io/fs"
	"mime"
	"net/http"
	"path"
	"regexp"
	"sort"
	"strings"
	"time"
)

// static holds the vendored GOV.UK Frontend and Leaflet files and the service's own
// stylesheet and script. They are served under content-hashed names, so that a
// browser may keep each for a year: a changed file has a new name.
//
//go:embed static
var static embed.FS

// asset is one static file as served.
type asset struct {
	body        []byte
	contentType string
	// gz is body gzip-compressed once at start, for the text files (stylesheets,
	// scripts, SVG, JSON); nil for the others, which compress no further.
	gz []byte
}

// assets maps the files' logical paths ("vendor/govuk-frontend/govuk-frontend.min.css")
// to their hashed URLs and the hashed URLs to their bodies.
type assets struct {
	url    map[string]string // logical path → /static/… hashed URL
	served map[string]asset  // hashed URL → body
}

// assetURL is where a file is served: its name with the first 12 hex digits of
// the SHA-256 of its body before the extension.
func assetURL(name string, body []byte) string {
	sum := sha256.Sum256(body)
	ext := path.Ext(name)
	return "/static/" + strings.TrimSuffix(name, ext) + "." + hex.EncodeToString(sum[:6]) + ext
}

// loadAssets reads the embedded files. Files that name others (the stylesheets'
// fonts and images, the script's module imports) are rewritten to the hashed names
// first, and hashed after, so a change to a font renames the stylesheet too.
func loadAssets() (*assets, error) {
	a := &assets{url: map[string]string{}, served: map[string]asset{}}
	raw := map[string][]byte{}
	err := fs.WalkDir(static, "static", func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		name := strings.TrimPrefix(p, "static/")
		if base := path.Base(name); base == "LICENCE" || base == "VERSIONS" {
			return nil // kept beside the files they cover, not served
		}
		b, err := static.ReadFile(p)
		raw[name] = b
		return err
	})
	if err != nil {
		return nil, err
	}
	// Leaves first (fonts, images), then what refers to them.
	names := make([]string, 0, len(raw))
	for n := range raw {
		names = append(names, n)
	}
	sort.Slice(names, func(i, j int) bool {
		ri, rj := refers(names[i]), refers(names[j])
		if ri != rj {
			return !ri
		}
		return names[i] < names[j]
	})
	for _, n := range names {
		body := raw[n]
		if refers(n) {
			body = a.rewrite(n, body)
		}
		u := assetURL(n, body)
		ct := mime.TypeByExtension(path.Ext(n))
		if path.Ext(n) == ".js" || path.Ext(n) == ".mjs" {
			ct = "text/javascript; charset=utf-8"
		}
		if ct == "" {
			ct = "application/octet-stream"
		}
		a.url[n] = u
		f := asset{body: body, contentType: ct}
		if compressible(n) {
			if f.gz, err = gzipped(body); err != nil {
				return nil, err
			}
		}
		a.served[u] = f
	}
	return a, nil
}

// fontFace is an @font-face rule of a minified stylesheet.
var fontFace = regexp.MustCompile(`@font-face\{[^}]*\}`)

// refers says whether a file names other static files.
func refers(name string) bool {
	return strings.HasSuffix(name, ".css") || strings.HasPrefix(name, "app/")
}

// rewrite replaces the references a file makes to other files with their hashed
// URLs: GOV.UK Frontend's stylesheet names its fonts and images as /assets/…,
// Leaflet's its images as images/…, and the service's own files name the others by their logical path after "static:".
func (a *assets) rewrite(name string, body []byte) []byte {
	if strings.HasPrefix(name, "vendor/govuk-frontend/") {
		// The GDS Transport fonts and the crest are for GOV.UK services only: they
		// are not vendored, so the stylesheet loses the rules naming them (app.css
		// sets Arial; the pages show no crest).
		body = fontFace.ReplaceAll(body, nil)
		body = bytes.ReplaceAll(body, []byte("url(/assets/images/govuk-crest.svg)"), []byte("none"))
		for logical, u := range a.url {
			if rest, ok := strings.CutPrefix(logical, "vendor/govuk-frontend/"); ok && strings.HasPrefix(rest, "assets/") {
				body = bytes.ReplaceAll(body, []byte("url(/"+rest+")"), []byte("url("+u+")"))
			}
		}
	}
	if strings.HasPrefix(name, "vendor/leaflet/") {
		for logical, u := range a.url {
			if rest, ok := strings.CutPrefix(logical, "vendor/leaflet/"); ok && strings.HasPrefix(rest, "images/") {
				body = bytes.ReplaceAll(body, []byte("url("+rest+")"), []byte("url("+u+")"))
			}
		}
	}
	for logical, u := range a.url {
		body = bytes.ReplaceAll(body, []byte("static:"+logical), []byte(u))
	}
	return body
}

// URL returns a static file's hashed URL; a name that is not embedded is a
// programming error, caught by the tests that render every page.
func (a *assets) URL(name string) (string, error) {
	u, ok := a.url[name]
	if !ok {
		return "", fmt.Errorf("web: no static file %q", name)
	}
	return u, nil
}

// serve answers a hashed URL with a year's caching: the name changes with the body.
func (a *assets) serve(w http.ResponseWriter, r *http.Request) {
	f, ok := a.served[r.URL.Path]
	if !ok {
		http.NotFound(w, r)
		return
	}
	h := w.Header()
	h.Set("Content-Type", f.contentType)
	h.Set("Cache-Control", "public, max-age=31536000, immutable")
	h.Set("X-Content-Type-Options", "nosniff")
	body := f.body
	if f.gz != nil {
		h.Set("Vary", "Accept-Encoding")
		if acceptsGzip(r) {
			h.Set("Content-Encoding", "gzip")
			body = f.gz
		}
	}
	http.ServeContent(w, r, "", time.Time{}, bytes.NewReader(body))
}

// compressible says whether a static file is text that gzip makes smaller.
func compressible(name string) bool {
	switch path.Ext(name) {
	case ".css", ".js", ".mjs", ".svg", ".json":
		return true
	}
	return false
}

func gzipped(b []byte) ([]byte, error) {
	var buf bytes.Buffer
	zw, err := gzip.NewWriterLevel(&buf, gzip.BestCompression)
	if err != nil {
		return nil, err
	}
	if _, err := zw.Write(b); err != nil {
		return nil, err
	}
	if err := zw.Close(); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}

// acceptsGzip says whether the request's Accept-Encoding takes gzip (and does not
// refuse it with q=0).
func acceptsGzip(r *http.Request) bool {
	for _, part := range strings.Split(r.Header.Get("Accept-Encoding"), ",") {
		coding, params, _ := strings.Cut(strings.TrimSpace(part), ";")
		if strings.EqualFold(strings.TrimSpace(coding), "gzip") || strings.TrimSpace(coding) == "*" {
			q := strings.ReplaceAll(strings.TrimSpace(params), " ", "")
			return q != "q=0" && q != "q=0.0" && q != "q=0.00" && q != "q=0.000"
		}
	}
	return false
}
