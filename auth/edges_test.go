package auth

import (
	"context"
	"crypto/rand"
	"crypto/rsa"
	"encoding/json"
	"errors"
	"math/big"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/golang-jwt/jwt/v5"
)

// rsaSet serves one RSA key as a JWKS document.
func rsaSet(w http.ResponseWriter, key *rsa.PrivateKey, kid string) {
	_ = json.NewEncoder(w).Encode(map[string]any{"keys": []map[string]string{{"kty": "RSA", "kid": kid,
		"n": b64(key.N.Bytes()), "e": b64(big.NewInt(int64(key.E)).Bytes())}}})
}

// An identity provider that is down is asked once per FailureBackoff, not once per
// request; after the backoff it is asked again and its keys are used when it is back.
func TestJWKSCachesFailures(t *testing.T) {
	key, _ := rsa.GenerateKey(rand.Reader, 2048)
	var fetches atomic.Int32
	var up atomic.Bool
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		fetches.Add(1)
		if !up.Load() {
			http.Error(w, "down", http.StatusBadGateway)
			return
		}
		rsaSet(w, key, "rsa-1")
	}))
	defer srv.Close()
	j := &JWKS{URL: srv.URL, Issuer: "placematch", Audience: "placematch-api", Now: fixedNow,
		MinRefresh: time.Nanosecond, FailureBackoff: 300 * time.Millisecond}
	tok := sign(t, jwt.SigningMethodRS256, key, officerClaims(), "rsa-1")
	for i := range 10 {
		if _, err := j.Verify(ctx, tok); !errors.Is(err, ErrUnauthenticated) || !strings.Contains(err.Error(), "status 502") {
			t.Fatalf("request %d while the JWKS is down: %v", i, err)
		}
	}
	if n := fetches.Load(); n != 1 {
		t.Fatalf("%d JWKS fetches for 10 requests while it was down, want 1", n)
	}
	up.Store(true)
	time.Sleep(350 * time.Millisecond)
	if _, err := j.Verify(ctx, tok); err != nil {
		t.Fatalf("after the backoff, with the JWKS back: %v", err)
	}
	if n := fetches.Load(); n != 2 {
		t.Fatalf("%d JWKS fetches, want 2", n)
	}
}

// While a refresh for an unknown kid hangs, a token whose key is cached is verified
// at once, and concurrent unknown kids share the one refresh.
func TestJWKSRefreshNeverBlocksCachedKeys(t *testing.T) {
	key, _ := rsa.GenerateKey(rand.Reader, 2048)
	var fetches atomic.Int32
	var hang atomic.Bool
	release := make(chan struct{})
	hanging := make(chan struct{}, 10)
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		fetches.Add(1)
		if hang.Load() {
			hanging <- struct{}{}
			select {
			case <-release:
			case <-r.Context().Done():
			}
		}
		rsaSet(w, key, "rsa-1")
	}))
	defer srv.Close()
	defer close(release)
	j := &JWKS{URL: srv.URL, Issuer: "placematch", Audience: "placematch-api", Now: fixedNow, MinRefresh: time.Nanosecond}
	good := sign(t, jwt.SigningMethodRS256, key, officerClaims(), "rsa-1")
	if _, err := j.Verify(ctx, good); err != nil {
		t.Fatal(err)
	}
	hang.Store(true)
	unknown := sign(t, jwt.SigningMethodRS256, key, officerClaims(), "rotated-2")
	errs := make(chan error, 3)
	for range 3 {
		go func() { _, err := j.Verify(ctx, unknown); errs <- err }()
	}
	select {
	case <-hanging:
	case <-time.After(5 * time.Second):
		t.Fatal("the unknown kid did not trigger a refresh")
	}
	verified := make(chan error, 1)
	start := time.Now()
	go func() { _, err := j.Verify(ctx, good); verified <- err }()
	select {
	case err := <-verified:
		if err != nil {
			t.Fatalf("cached key refused during a refresh: %v", err)
		}
		if d := time.Since(start); d > 200*time.Millisecond {
			t.Fatalf("a cached key waited %s for the refresh", d)
		}
	case <-time.After(2 * time.Second):
		t.Fatal("a token with a cached key waited for a hanging JWKS refresh")
	}
	time.Sleep(50 * time.Millisecond) // let the other unknown-kid callers arrive
	if n := fetches.Load(); n != 2 {
		t.Fatalf("%d fetches: concurrent unknown kids must share one refresh", n)
	}
	hang.Store(false)
	release <- struct{}{}
	for range 3 {
		if err := <-errs; err == nil || !strings.Contains(err.Error(), "unknown key") {
			t.Fatalf("unknown kid after the refresh: %v", err)
		}
	}
}

// A caller with an unknown kid gives up with its context; the refresh goes on for others.
func TestJWKSUnknownKidHonoursContext(t *testing.T) {
	release := make(chan struct{})
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		select {
		case <-release:
		case <-r.Context().Done():
		}
	}))
	defer srv.Close()
	defer close(release)
	key, _ := rsa.GenerateKey(rand.Reader, 2048)
	j := &JWKS{URL: srv.URL, Issuer: "placematch", Audience: "placematch-api", Now: fixedNow}
	c, cancel := context.WithTimeout(ctx, 100*time.Millisecond)
	defer cancel()
	if _, err := j.Verify(c, sign(t, jwt.SigningMethodRS256, key, officerClaims(), "k")); !errors.Is(err, ErrUnauthenticated) {
		t.Fatalf("hanging JWKS: %v", err)
	}
}

// A token carrying a crit header is refused (no extension is understood here), for
// HS256 and JWKS alike, and never makes the JWKS be fetched.
func TestCritHeaderIsRefused(t *testing.T) {
	h := &HMAC{Secret: secret, Issuer: "placematch", Audience: "placematch-api", Now: fixedNow}
	tok := jwt.NewWithClaims(jwt.SigningMethodHS256, officerClaims())
	tok.Header["crit"] = []string{"exp"}
	s, err := tok.SignedString(secret)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := h.Verify(ctx, s); !errors.Is(err, ErrUnauthenticated) || !strings.Contains(err.Error(), "crit") {
		t.Fatalf("HS256 with crit: %v", err)
	}
	key, _ := rsa.GenerateKey(rand.Reader, 2048)
	var fetches atomic.Int32
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		fetches.Add(1)
		rsaSet(w, key, "rsa-1")
	}))
	defer srv.Close()
	j := &JWKS{URL: srv.URL, Issuer: "placematch", Audience: "placematch-api", Now: fixedNow}
	rt := jwt.NewWithClaims(jwt.SigningMethodRS256, officerClaims())
	rt.Header["kid"], rt.Header["crit"] = "rsa-1", []string{"b64"}
	rs, err := rt.SignedString(key)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := j.Verify(ctx, rs); !errors.Is(err, ErrUnauthenticated) || !strings.Contains(err.Error(), "crit") {
		t.Fatalf("RS256 with crit: %v", err)
	}
	if fetches.Load() != 0 {
		t.Fatal("a crit token made the JWKS be fetched")
	}
}

// A token living longer than the maximum (exp − iat), or without iat, is refused
// even though it is within its validity window now.
func TestTokenLifetimeIsBounded(t *testing.T) {
	mod := func(f func(*claims)) claims { c := officerClaims(); f(&c); return c }
	long := mod(func(c *claims) { c.ExpiresAt = jwt.NewNumericDate(c.IssuedAt.Add(13 * time.Hour)) })
	justRight := mod(func(c *claims) { c.ExpiresAt = jwt.NewNumericDate(c.IssuedAt.Add(12 * time.Hour)) })
	noIat := mod(func(c *claims) { c.IssuedAt = nil })
	h := &HMAC{Secret: secret, Issuer: "placematch", Audience: "placematch-api", Now: fixedNow}
	if _, err := h.Verify(ctx, sign(t, jwt.SigningMethodHS256, secret, justRight, "")); err != nil {
		t.Fatalf("12 h token under the 12 h default: %v", err)
	}
	for name, c := range map[string]claims{"13 h": long, "no iat": noIat} {
		if _, err := h.Verify(ctx, sign(t, jwt.SigningMethodHS256, secret, c, "")); !errors.Is(err, ErrUnauthenticated) {
			t.Errorf("%s token accepted: %v", name, err)
		}
	}
	h.MaxLifetime = 30 * time.Minute
	if _, err := h.Verify(ctx, sign(t, jwt.SigningMethodHS256, secret, officerClaims(), "")); err == nil ||
		!strings.Contains(err.Error(), "lifetime") {
		t.Fatalf("61 min token under a 30 min maximum: %v", err)
	}
	if _, err := h.Mint(Principal{Subject: "s", Role: Admin}, time.Hour); err == nil {
		t.Fatal("minted a token longer than the maximum")
	}
	key, _ := rsa.GenerateKey(rand.Reader, 2048)
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) { rsaSet(w, key, "rsa-1") }))
	defer srv.Close()
	j := &JWKS{URL: srv.URL, Issuer: "placematch", Audience: "placematch-api", Now: fixedNow}
	if _, err := j.Verify(ctx, sign(t, jwt.SigningMethodRS256, key, long, "rsa-1")); !errors.Is(err, ErrUnauthenticated) {
		t.Fatalf("JWKS accepted a 13 h token: %v", err)
	}
}
