package api_test

import (
	"bytes"
	"encoding/json"
	"fmt"
	"net"
	"os"
	"os/exec"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"placematch/auth"
	"placematch/store"
)

// officerJourney is what a placement officer's day asks of the API, call by call:
// a referral is made, matched, booked from the match, read back, ended with a
// reason, archived; and what an integrator polls for meanwhile. Every response is
// validated against openapi.yaml (kin-openapi); TestJourneyThroughPrism runs the
// same calls through Prism's validating proxy.
func officerJourney(t *testing.T, e *env) {
	e.inspect = func(r resp) { noEmptyStrings(t, r) }
	defer func() { e.inspect = nil }()
	officer := e.bearer(auth.Principal{Subject: "officer-1", Role: auth.PlacementOfficer})
	as := func(method, path string, body any, headers ...string) resp {
		t.Helper()
		return e.do(method, path, body, append([]string{"Authorization", officer}, headers...)...)
	}
	wantStatus(t, e.do("GET", "/healthz", nil, "Authorization", ""), 200)

	// An admin registers the homes; officers read them.
	carer := e.do("POST", "/api/v1/carers", carerBody("JC1"))
	wantStatus(t, carer, 201)
	carerID := carer.JSON(t)["id"].(string)
	wantStatus(t, e.do("POST", "/api/v1/units", unitBody("JU1")), 201)
	wantStatus(t, e.do("POST", "/api/v1/hubs", hubBody("JH1")), 201)
	wantStatus(t, as("GET", "/api/v1/carers?limit=10", nil), 200)
	wantStatus(t, as("GET", "/api/v1/carers/"+carerID, nil), 200)
	wantStatus(t, as("GET", "/api/v1/units", nil), 200)
	wantStatus(t, as("GET", "/api/v1/hubs", nil), 200)

	// The referral: created, listed, read, changed by a merge patch.
	child := as("POST", "/api/v1/children", with(childBody("JCH1"), "school_location", nil))
	wantStatus(t, child, 201)
	childID := child.JSON(t)["id"].(string)
	wantStatus(t, as("GET", "/api/v1/children?status=awaiting", nil), 200)
	r := as("PATCH", "/api/v1/children/"+childID, map[string]any{"needs": []string{"trauma", "education_support"}},
		"Content-Type", "application/merge-patch+json", "If-Match", `"1"`)
	wantStatus(t, r, 200)

	// Matched, the run read back, and the best match booked from it.
	r = as("GET", "/api/v1/children/"+childID+"/matches?limit=3", nil)
	wantStatus(t, r, 200)
	run := r.JSON(t)
	matches := run["matches"].([]any)
	if len(matches) == 0 {
		t.Fatalf("no match for the journey's child: %s", truncate(r.Body))
	}
	best := matches[0].(map[string]any)["provider"].(map[string]any)
	wantStatus(t, as("GET", "/api/v1/matches/"+run["match_id"].(string), nil), 200)
	r = as("POST", "/api/v1/placements", map[string]any{"child_id": childID, "provider": map[string]any{
		"kind": best["kind"], "id": best["id"]}, "start_date": "2026-11-23", "match_id": run["match_id"], "match_rank": 1})
	wantStatus(t, r, 201)
	placement := r.JSON(t)["placements"].([]any)[0].(map[string]any)
	placementID := placement["id"].(string)
	wantProblem(t, as("POST", "/api/v1/placements", map[string]any{"child_id": childID, "provider": map[string]any{
		"kind": best["kind"], "id": best["id"]}, "start_date": "2026-11-23"}), 409, "")
	wantStatus(t, as("GET", "/api/v1/placements/"+placementID, nil), 200)
	wantStatus(t, as("GET", "/api/v1/placements?child_id="+childID, nil), 200)
	wantStatus(t, as("GET", "/api/v1/children/"+childID, nil), 200)

	// Ended with an SSDA903 reason, then archived; the child awaits again.
	wantProblem(t, as("DELETE", "/api/v1/placements/"+placementID, nil), 409, "")
	r = as("PATCH", "/api/v1/placements/"+placementID, map[string]any{"status": "ended", "end_reason": "CARPL"},
		"Content-Type", "application/merge-patch+json")
	wantStatus(t, r, 200)
	wantStatus(t, as("DELETE", "/api/v1/placements/"+placementID, nil), 204)
	if got := as("GET", "/api/v1/children/"+childID, nil).JSON(t)["status"]; got != "awaiting" {
		t.Fatalf("child after the placement ended: %v", got)
	}
	wantStatus(t, as("GET", "/api/v1/placements/"+placementID, nil), 200)

	// The case-management system polls for what changed, archived records too.
	since := "2026-11-23T00:00:00Z"
	r = as("GET", "/api/v1/placements?include_archived=true&updated_since="+since, nil)
	wantStatus(t, r, 200)
	if items := r.JSON(t)["items"].([]any); len(items) != 1 || items[0].(map[string]any)["archived_at"] == nil {
		t.Fatalf("the archived placement is not among the changes: %s", truncate(r.Body))
	}
	wantStatus(t, as("GET", "/api/v1/children?updated_since="+since+"&limit=5", nil), 200)
	wantStatus(t, as("GET", "/api/v1/carers?updated_since="+since+"&include_archived=true", nil), 200)

	// An admin's view: a feed, and the audit trail of the journey.
	unitID := e.do("GET", "/api/v1/units", nil).JSON(t)["items"].([]any)[0].(map[string]any)["id"]
	wantStatus(t, e.do("POST", "/api/v1/feeds", map[string]any{"name": "journey", "url": "https://feeds.example.org/journey.csv",
		"format": "csv", "unit_ids": []any{unitID}}), 201)
	wantStatus(t, e.do("GET", "/api/v1/feeds?updated_since="+since, nil), 200)
	wantStatus(t, e.do("GET", "/api/v1/audit?limit=100", nil), 200)

	// The commissioner's reports.
	commissioner := e.bearer(auth.Principal{Subject: "comm-1", Role: auth.Commissioner})
	wantStatus(t, e.do("GET", "/api/v1/reports/sufficiency", nil, "Authorization", commissioner), 200)
	wantStatus(t, e.do("GET", "/api/v1/reports/providers.geojson?kinds=foster_carer,hub", nil, "Authorization", commissioner), 200)
}

func TestOfficerJourney(t *testing.T) {
	eachDialect(t, officerJourney)
}

// TestJourneyThroughPrism runs the officer's journey through Prism's validating
// proxy (prism proxy openapi.yaml <server> --errors): Prism checks every request and
// every response against the document as the OpenAPI 3.0 specification reads it
// (stricter than kin-openapi about nullable beside allOf) and answers an error in
// place of any response that breaks it. PLACEMATCH_PRISM names the prism command;
// scripts/contract.sh installs the pinned version and sets it.
func TestJourneyThroughPrism(t *testing.T) {
	prism := os.Getenv("PLACEMATCH_PRISM")
	if prism == "" {
		t.Skip("PLACEMATCH_PRISM is not set (scripts/contract.sh sets it)")
	}
	e := newEnv(t, store.SQLite)
	port := freePort(t)
	var out lockedBuffer
	cmd := exec.Command(prism, "proxy", "../openapi.yaml", e.srv.URL, "--errors", "-h", "127.0.0.1", "-p", strconv.Itoa(port))
	cmd.Stdout, cmd.Stderr = &out, &out
	if err := cmd.Start(); err != nil {
		t.Fatalf("start prism: %v", err)
	}
	t.Cleanup(func() {
		_ = cmd.Process.Kill()
		_ = cmd.Wait()
	})
	addr := "127.0.0.1:" + strconv.Itoa(port)
	deadline := time.Now().Add(90 * time.Second)
	for !strings.Contains(out.String(), "Prism is listening") {
		if time.Now().After(deadline) {
			t.Fatalf("prism did not start:\n%s", out.String())
		}
		time.Sleep(200 * time.Millisecond)
	}
	e.base = "http://" + addr
	t.Cleanup(func() { e.base = "" }) // what runs after the test (replaying its runs) goes to the server itself
	officerJourney(t, e)
	log := out.String()
	for _, bad := range []string{"VIOLATIONS", "Violation", "violation"} {
		if strings.Contains(log, bad) {
			t.Fatalf("prism saw violations:\n%s", log)
		}
	}
	if n := strings.Count(log, "Request received"); n != e.calls || n < 25 {
		t.Fatalf("prism saw %d requests of the journey's %d:\n%s", n, e.calls, log)
	}
}

func freePort(t *testing.T) int {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	return l.Addr().(*net.TCPAddr).Port
}

// lockedBuffer collects a subprocess's output while the test reads it.
type lockedBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *lockedBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *lockedBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}

// noEmptyStrings fails when a JSON response holds an empty string anywhere: the API
// says null, or leaves a member out, for none.
func noEmptyStrings(t *testing.T, r resp) {
	t.Helper()
	if !strings.Contains(r.Header.Get("Content-Type"), "json") || len(r.Body) == 0 {
		return
	}
	var doc any
	if err := json.Unmarshal(r.Body, &doc); err != nil {
		t.Fatalf("not JSON: %v", err)
	}
	var walk func(path string, v any)
	walk = func(path string, v any) {
		switch x := v.(type) {
		case string:
			if x == "" {
				t.Errorf("%s is an empty string in %s", path, truncate(r.Body))
			}
		case []any:
			for i, it := range x {
				walk(fmt.Sprintf("%s[%d]", path, i), it)
			}
		case map[string]any:
			for k, it := range x {
				walk(path+"."+k, it)
			}
		}
	}
	walk("$", doc)
}
