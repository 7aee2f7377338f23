package api_test

import (
	"context"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/prometheus/client_golang/prometheus"

	"placematch"
	"placematch/api"
	"placematch/placing"
	"placematch/store"
	"placematch/store/storetest"
)

// newEnvWith is newEnv on a store opened from cfg (so a test can reach the same
// database behind the service's back), with a metrics registry, and with the server
// changed by opts before it starts.
func newEnvWith(t *testing.T, dialect string, cfg store.Config, opts ...func(*api.Server)) *env {
	t.Helper()
	e, h := newHandlerEnv(t, dialect, cfg, opts...)
	e.srv = httptest.NewServer(h)
	t.Cleanup(e.srv.Close)
	return e
}

// newHandlerEnv is newEnvWith without the server: the caller serves the handler.
func newHandlerEnv(t *testing.T, dialect string, cfg store.Config, opts ...func(*api.Server)) (*env, http.Handler) {
	t.Helper()
	db, err := store.Open(context.Background(), cfg)
	if err != nil {
		t.Fatalf("open %s: %v", dialect, err)
	}
	t.Cleanup(func() { db.Close() })
	db.Now = func() time.Time { return storetest.Clock }
	if err := db.Migrate(context.Background()); err != nil {
		t.Fatal(err)
	}
	e := &env{t: t, db: db, clock: storetest.Clock}
	e.keys = testKeys(e)
	s := &api.Server{Store: db, OpenAPI: placematch.OpenAPI, Version: "test",
		Placing: &placing.Service{Store: db, Now: func() time.Time { return e.clock }}, Verifier: e.keys,
		Metrics: prometheus.NewRegistry()}
	for _, o := range opts {
		o(s)
	}
	return e, s.Handler()
}

// containsAll reports whether s holds every part.
func containsAll(s string, parts ...string) bool {
	for _, p := range parts {
		if !strings.Contains(s, p) {
			return false
		}
	}
	return true
}
