package main

import (
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"placematch"
	"placematch/api"
	"placematch/store"
	"placematch/store/storetest"
)

// The shipped defaults: 600 quick unauthenticated requests meet 429, while a page's
// worth of them (and a signed-in user's) do not; bad values are refused at start.
func TestDefaultRateLimits(t *testing.T) {
	for _, s := range envSpecs {
		if strings.HasPrefix(s.name, "PLACEMATCH_RATE_LIMIT") {
			t.Setenv(s.name, "")
		}
	}
	cfg, err := loadConfig()
	if err != nil {
		t.Fatal(err)
	}
	if cfg.RateLimitAnon.Requests < 100 || cfg.RateLimit.Requests < cfg.RateLimitAnon.Requests {
		t.Fatalf("defaults too strict for people on a web page: %v, %v", cfg.RateLimit, cfg.RateLimitAnon)
	}
	srv := httptest.NewServer((&api.Server{Store: storetest.Open(t, store.SQLite), OpenAPI: placematch.OpenAPI,
		RateLimit: cfg.RateLimit, RateLimitAnon: cfg.RateLimitAnon}).Handler())
	defer srv.Close()
	first429 := 0
	for i := 1; i <= 600 && first429 == 0; i++ {
		res, err := http.Get(srv.URL + "/api/v1/children")
		if err != nil {
			t.Fatal(err)
		}
		res.Body.Close()
		if res.StatusCode == http.StatusTooManyRequests {
			first429 = i
		}
	}
	if first429 == 0 || first429 <= 100 {
		t.Fatalf("first 429 at request %d of 600", first429)
	}
	for _, bad := range []string{"lots", "0/1m", "10/1ms"} {
		t.Setenv("PLACEMATCH_RATE_LIMIT_ANON", bad)
		if _, err := loadConfig(); err == nil || !strings.Contains(err.Error(), "PLACEMATCH_RATE_LIMIT_ANON") {
			t.Fatalf("%q accepted: %v", bad, err)
		}
	}
	t.Setenv("PLACEMATCH_RATE_LIMIT_ANON", "off")
	if cfg, err := loadConfig(); err != nil || !cfg.RateLimitAnon.Off() {
		t.Fatalf("off: %v %v", cfg.RateLimitAnon, err)
	}
}
