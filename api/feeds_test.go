package api_test

import (
	"net/http/httptest"
	"net/netip"
	"testing"
	"time"

	"placematch"
	"placematch/api"
	"placematch/jobs"
	"placematch/placing"
)

// allowFeedNetworks restarts e's server with an operator's allowed feed networks.
func allowFeedNetworks(e *env, cidrs ...string) {
	var policy jobs.NetPolicy
	for _, c := range cidrs {
		policy.Allowed = append(policy.Allowed, netip.MustParsePrefix(c))
	}
	s := &api.Server{Store: e.db, OpenAPI: placematch.OpenAPI, Version: "test",
		Placing: &placing.Service{Store: e.db, Now: func() time.Time { return e.clock }}, Verifier: e.keys, FeedNetwork: policy}
	e.srv.Close()
	e.srv = httptest.NewServer(s.Handler())
	e.t.Cleanup(e.srv.Close)
}

// A feed URL naming an internal host is refused at registration (422 naming url)
// and stores nothing; a change of URL to one is refused and changes nothing. An
// operator's allowed network is accepted.
func TestFeedURLToInternalHostIsRefused(t *testing.T) {
	eachDialect(t, func(t *testing.T, e *env) {
		unit := e.do("POST", "/api/v1/units", unitBody("U1"))
		wantStatus(t, unit, 201)
		body := map[string]any{"name": "wensum", "url": "https://feeds.example.org/wensum.csv", "format": "csv",
			"unit_ids": []string{unit.JSON(t)["id"].(string)}}
		for _, u := range []string{"http://169.254.169.254/latest/meta-data/iam/", "http://[::ffff:169.254.169.254]/",
			"http://0x7f000001:5432/", "http://localhost:22/", "http://2130706433/", "http://0177.0.0.1/",
			"http://127.0.0.1:8080/feed.csv", "http://10.0.0.8/", "http://[fd00::1]/", "http://[::1]/"} {
			wantProblem(t, e.do("POST", "/api/v1/feeds", with(body, "url", u)), 422, "url")
		}
		list := e.do("GET", "/api/v1/feeds", nil)
		wantStatus(t, list, 200)
		if n := len(list.JSON(t)["items"].([]any)); n != 0 {
			t.Fatalf("%d refused feeds stored", n)
		}
		created := e.do("POST", "/api/v1/feeds", body)
		wantStatus(t, created, 201)
		path := "/api/v1/feeds/" + created.JSON(t)["id"].(string)
		wantProblem(t, e.do("PATCH", path, map[string]any{"url": "http://169.254.169.254/"}), 422, "url")
		got := e.do("GET", path, nil)
		wantStatus(t, got, 200)
		if g := got.JSON(t); g["url"] != body["url"] || g["version"] != float64(1) {
			t.Fatalf("refused change stored: %s", got.Body)
		}

		allowFeedNetworks(e, "127.0.0.1/32")
		wantStatus(t, e.do("POST", "/api/v1/feeds", with(body, "name", "internal", "url", "http://127.0.0.1:8080/feed.csv")), 201)
		wantProblem(t, e.do("POST", "/api/v1/feeds", with(body, "name", "other", "url", "http://127.0.0.2:8080/")), 422, "url")
	})
}

// A feed secret goes to the host it was first registered for: another feed naming
// another host with it is refused, naming secret_name.
func TestFeedSecretCannotMoveToAnotherHost(t *testing.T) {
	eachDialect(t, func(t *testing.T, e *env) {
		unit := e.do("POST", "/api/v1/units", unitBody("U1"))
		wantStatus(t, unit, 201)
		body := map[string]any{"name": "wensum", "url": "https://feeds.example.org/wensum.csv", "format": "csv",
			"auth_header": "Authorization", "secret_name": "WENSUM", "unit_ids": []string{unit.JSON(t)["id"].(string)}}
		created := e.do("POST", "/api/v1/feeds", body)
		wantStatus(t, created, 201)
		wantProblem(t, e.do("POST", "/api/v1/feeds", with(body, "name", "thief", "url", "https://attacker.example.net/")), 422, "secret_name")
		path := "/api/v1/feeds/" + created.JSON(t)["id"].(string)
		wantProblem(t, e.do("PATCH", path, map[string]any{"url": "https://attacker.example.net/"}), 422, "secret_name")
		if g := e.do("GET", path, nil).JSON(t); g["url"] != body["url"] {
			t.Fatalf("secret moved: %v", g)
		}
	})
}
