package web

import (
	"net/http"
	"regexp"
	"slices"

	"placematch"
)

// The API reference: GET /docs renders openapi.yaml (the document the API serves
// at /openapi.yaml and the tests validate its answers against) with Swagger UI,
// vendored and served from /static like the other front-end files, so the page
// needs no internet and keeps the pages' Content-Security-Policy. It is public, as
// the document is: it describes the API, not anyone's records. Without
// JavaScript the page still links the document and every problem type's page.

// problemType is a problem type URI written in openapi.yaml ("/problems/conflict").
var problemType = regexp.MustCompile(`/problems/[a-z][a-z0-9-]*[a-z0-9]`)

// problemTypes are the problem types the API documents, each a page the API serves
// (GET /problems/{type}), in alphabetical order.
var problemTypes = func() []string {
	var out []string
	for _, m := range problemType.FindAll(placematch.OpenAPI, -1) {
		if s := string(m); !slices.Contains(out, s) {
			out = append(out, s)
		}
	}
	slices.Sort(out)
	return out
}()

type docsData struct {
	Spec     string
	Problems []string
}

// docs is the API reference page.
func (s *Server) docs(w http.ResponseWriter, r *http.Request) {
	s.render(w, r, http.StatusOK, "docs", view{Title: "API reference", Section: "docs", Docs: true,
		Data: docsData{Spec: "/docs/openapi.yaml", Problems: problemTypes}})
}

// openAPI serves the document the reference renders.
func (s *Server) openAPI(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Content-Type", "application/yaml")
	w.Header().Set("Cache-Control", "no-cache")
	_, _ = w.Write(placematch.OpenAPI)
}

// docsAssets adds Swagger UI's stylesheet and script, and the service's own script
// that starts it, to a page.
func (s *Server) docsAssets(v *view) error {
	css, err := s.assets.URL("vendor/swagger-ui/swagger-ui.css")
	if err != nil {
		return err
	}
	bundle, err := s.assets.URL("vendor/swagger-ui/swagger-ui-bundle.js")
	if err != nil {
		return err
	}
	start, err := s.assets.URL("app/docs.js")
	if err != nil {
		return err
	}
	v.CSS = append([]string{css}, v.CSS...)
	v.JS.Extra = append(v.JS.Extra, bundle, start)
	return nil
}
