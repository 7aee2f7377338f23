package api_test

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/getkin/kin-openapi/openapi3"
	"github.com/getkin/kin-openapi/openapi3filter"
	"github.com/getkin/kin-openapi/routers"
	"github.com/getkin/kin-openapi/routers/gorillamux"

	"placematch"
	"placematch/api"
	"placematch/auth"
	"placematch/placing"
	"placematch/store"
	"placematch/store/storetest"
)

var ctx = context.Background()

var (
	contractOnce   sync.Once
	contractRouter routers.Router
	contractErr    error
)

// contract loads openapi.yaml once; every response a test receives is validated
// against it, so the document cannot drift from the code.
func contract(t testing.TB) routers.Router {
	t.Helper()
	contractOnce.Do(func() {
		loader := openapi3.NewLoader()
		doc, err := loader.LoadFromData(placematch.OpenAPI)
		if err != nil {
			contractErr = err
			return
		}
		if err := doc.Validate(context.Background()); err != nil {
			contractErr = err
			return
		}
		doc.Servers = nil // match any host: tests run on loopback ports
		contractRouter, contractErr = gorillamux.NewRouter(doc)
	})
	if contractErr != nil {
		t.Fatalf("openapi.yaml: %v", contractErr)
	}
	return contractRouter
}

// env is one test's running service: a real store, the real router on a loopback
// port, and a client that checks every response against the contract.
type env struct {
	t   *testing.T
	db  *store.DB
	srv *httptest.Server
	// base, when set, is where requests go instead of srv: a validating proxy in
	// front of it (the Prism journey).
	base  string
	calls int // requests sent by do
	// inspect, when set, is called with every response do receives.
	inspect func(resp)
	clock   time.Time
	keys    *auth.HMAC
	placing *placing.Service // the server's use cases
}

func newEnv(t *testing.T, dialect string) *env {
	t.Helper()
	return newEnvOn(t, storetest.Open(t, dialect))
}

// newEnvOn is newEnv on a store the test opened itself.
func newEnvOn(t *testing.T, db *store.DB) *env {
	t.Helper()
	e := &env{t: t, db: db, clock: storetest.Clock}
	e.keys = testKeys(e)
	e.placing = &placing.Service{Store: db, Now: func() time.Time { return e.clock }}
	s := &api.Server{Store: db, OpenAPI: placematch.OpenAPI, Version: "test", Placing: e.placing, Verifier: e.keys}
	e.srv = httptest.NewServer(s.Handler())
	t.Cleanup(e.srv.Close)
	t.Cleanup(e.replayEveryRun)
	return e
}

// replayEveryRun replays, through the API, every match run the test stored, and
// fails when one does not replay identically. It runs when the test ends, before
// the server closes.
func (e *env) replayEveryRun() {
	e.t.Helper()
	ids, err := e.db.MatchRunIDs(ctx)
	if errors.Is(err, placematch.ErrUnavailable) {
		return // the test took the database away
	}
	if err != nil {
		e.t.Errorf("replay: list runs: %v", err)
		return
	}
	for _, id := range ids {
		r := e.do(http.MethodPost, "/api/v1/matches/"+id+"/replay", nil)
		if r.Status == http.StatusConflict {
			if m, err := e.db.GetMatchRun(ctx, id); err == nil && m.Replay == nil {
				continue // stored by the test itself, without a replay record
			}
		}
		if r.Status != http.StatusOK {
			e.t.Errorf("replay run %s: %d %s", id, r.Status, truncate(r.Body))
			continue
		}
		var got struct {
			Identical       bool `json:"identical"`
			RankedIdentical bool `json:"ranked_identical"`
		}
		if err := json.Unmarshal(r.Body, &got); err != nil || !got.Identical || !got.RankedIdentical {
			e.t.Errorf("run %s does not replay identically: %s", id, truncate(r.Body))
		}
	}
}

// testKeys signs and verifies the env's tokens, on the env's clock. Every test
// server needs them as its Verifier: every route but health needs a token.
func testKeys(e *env) *auth.HMAC {
	return &auth.HMAC{Secret: []byte("test-secret-test-secret-test-secret!"), Issuer: "placematch",
		Audience: "placematch-api", Now: func() time.Time { return e.clock }}
}

// bearer returns an Authorization header value for p.
func (e *env) bearer(p auth.Principal) string {
	e.t.Helper()
	tok, err := e.keys.Mint(p, time.Hour)
	if err != nil {
		e.t.Fatal(err)
	}
	return "Bearer " + tok
}

// eachDialect runs fn against a fresh service on SQLite and on PostgreSQL.
func eachDialect(t *testing.T, fn func(t *testing.T, e *env)) {
	t.Helper()
	for _, d := range storetest.Dialects() {
		t.Run(d, func(t *testing.T) {
			t.Parallel()
			fn(t, newEnv(t, d))
		})
	}
}

// resp is a response read whole.
type resp struct {
	Status int
	Header http.Header
	Body   []byte
}

// JSON decodes the body into a generic map.
func (r resp) JSON(t *testing.T) map[string]any {
	t.Helper()
	var m map[string]any
	if err := json.Unmarshal(r.Body, &m); err != nil {
		t.Fatalf("body is not a JSON object: %v\n%s", err, r.Body)
	}
	return m
}

// do sends a request and validates the response against openapi.yaml. It calls as
// an admin unless the headers carry an Authorization of their own ("" sends none).
func (e *env) do(method, path string, body any, headers ...string) resp {
	e.t.Helper()
	var raw []byte
	switch b := body.(type) {
	case nil:
	case string:
		raw = []byte(b)
	case []byte:
		raw = b
	default:
		var err error
		if raw, err = json.Marshal(b); err != nil {
			e.t.Fatal(err)
		}
	}
	base := e.srv.URL
	if e.base != "" {
		base = e.base
	}
	req, err := http.NewRequest(method, base+path, bytes.NewReader(raw))
	if err != nil {
		e.t.Fatal(err)
	}
	if raw != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	req.Header.Set("Authorization", e.bearer(auth.Principal{Subject: "admin-1", Role: auth.Admin}))
	for i := 0; i+1 < len(headers); i += 2 {
		req.Header.Set(headers[i], headers[i+1])
	}
	if req.Header.Get("Authorization") == "" {
		req.Header.Del("Authorization")
	}
	e.calls++
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		e.t.Fatal(err)
	}
	defer res.Body.Close()
	out, err := io.ReadAll(res.Body)
	if err != nil {
		e.t.Fatal(err)
	}
	r := resp{Status: res.StatusCode, Header: res.Header, Body: out}
	e.validate(req, r)
	if e.inspect != nil {
		e.inspect(r)
	}
	return r
}

func (e *env) validate(req *http.Request, r resp) {
	e.t.Helper()
	if err := checkContract(e.t, req, r); err != nil {
		e.t.Fatalf("%s %s → %d does not match openapi.yaml: %v\nbody: %s", req.Method, req.URL.Path, r.Status, err,
			truncate(r.Body))
	}
}

// checkContract validates one response against openapi.yaml. A route the contract
// does not know fails, except 404 and 405 answers for routes that do not exist.
func checkContract(t testing.TB, req *http.Request, r resp) error {
	router := contract(t)
	vreq := req.Clone(ctx)
	route, params, err := router.FindRoute(vreq)
	if err != nil {
		if r.Status == http.StatusNotFound || r.Status == http.StatusMethodNotAllowed {
			return nil
		}
		return fmt.Errorf("route not in openapi.yaml: %w", err)
	}
	in := &openapi3filter.ResponseValidationInput{
		RequestValidationInput: &openapi3filter.RequestValidationInput{Request: vreq, PathParams: params, Route: route},
		Status:                 r.Status,
		Header:                 r.Header,
		Options:                &openapi3filter.Options{IncludeResponseStatus: true, MultiError: true},
	}
	in.SetBodyBytes(r.Body)
	return openapi3filter.ValidateResponse(ctx, in)
}

func truncate(b []byte) string {
	if len(b) > 2000 {
		return string(b[:2000]) + "…"
	}
	return string(b)
}

// wantProblem asserts a problem+json response with the status and, when field is
// not empty, a field error naming it.
func wantProblem(t *testing.T, r resp, status int, field string) {
	t.Helper()
	if r.Status != status {
		t.Fatalf("status %d, want %d: %s", r.Status, status, r.Body)
	}
	if ct := r.Header.Get("Content-Type"); !strings.HasPrefix(ct, "application/problem+json") {
		t.Fatalf("content type %q", ct)
	}
	var p api.Problem
	if err := json.Unmarshal(r.Body, &p); err != nil {
		t.Fatal(err)
	}
	if p.Status != status || p.Type == "" || p.Title == "" {
		t.Fatalf("problem %+v", p)
	}
	if field == "" {
		return
	}
	for _, fe := range p.Errors {
		if fe.Field == field {
			return
		}
	}
	t.Fatalf("no error names %q: %s", field, r.Body)
}

func wantStatus(t *testing.T, r resp, status int) {
	t.Helper()
	if r.Status != status {
		t.Fatalf("status %d, want %d: %s", r.Status, status, truncate(r.Body))
	}
}
