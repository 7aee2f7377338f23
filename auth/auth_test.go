package auth

import (
	"context"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/rsa"
	"encoding/base64"
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

var (
	ctx    = context.Background()
	now    = time.Date(2026, 11, 23, 10, 0, 0, 0, time.UTC)
	secret = []byte("0123456789abcdef0123456789abcdef")
)

func fixedNow() time.Time { return now }

func officerClaims() claims {
	return claims{RegisteredClaims: jwt.RegisteredClaims{Subject: "officer-1", Issuer: "placematch",
		Audience: jwt.ClaimStrings{"placematch-api"}, IssuedAt: jwt.NewNumericDate(now.Add(-time.Minute)),
		NotBefore: jwt.NewNumericDate(now.Add(-time.Minute)), ExpiresAt: jwt.NewNumericDate(now.Add(time.Hour))},
		IdentityClaims: IdentityClaims{Role: PlacementOfficer}}
}

func sign(t *testing.T, m jwt.SigningMethod, key any, c claims, kid string) string {
	t.Helper()
	tok := jwt.NewWithClaims(m, c)
	if kid != "" {
		tok.Header["kid"] = kid
	}
	s, err := tok.SignedString(key)
	if err != nil {
		t.Fatal(err)
	}
	return s
}

func TestHMACMintAndVerify(t *testing.T) {
	h := &HMAC{Secret: secret, Issuer: "placematch", Audience: "placematch-api", Now: fixedNow}
	tok, err := h.Mint(Principal{Subject: "c-1", Role: Carer, CarerID: "abc"}, time.Hour)
	if err != nil {
		t.Fatal(err)
	}
	p, err := h.Verify(ctx, tok)
	if err != nil || p.Role != Carer || p.CarerID != "abc" || p.Subject != "c-1" {
		t.Fatalf("verify minted: %+v %v", p, err)
	}
	if _, err := NewHMAC([]byte("short"), "i", "a"); err == nil {
		t.Fatal("short secret accepted")
	}
}

// Every way a token can be wrong is refused.
func TestBadTokensAreRejected(t *testing.T) {
	h := &HMAC{Secret: secret, Issuer: "placematch", Audience: "placematch-api", Now: fixedNow}
	mod := func(f func(*claims)) claims { c := officerClaims(); f(&c); return c }
	none, _ := jwt.NewWithClaims(jwt.SigningMethodNone, officerClaims()).SignedString(jwt.UnsafeAllowNoneSignatureType)
	cases := map[string]string{
		"forged (other secret)":  sign(t, jwt.SigningMethodHS256, []byte("another-secret-another-secret-xx"), officerClaims(), ""),
		"expired":                sign(t, jwt.SigningMethodHS256, secret, mod(func(c *claims) { c.ExpiresAt = jwt.NewNumericDate(now.Add(-time.Hour)) }), ""),
		"no expiry":              sign(t, jwt.SigningMethodHS256, secret, mod(func(c *claims) { c.ExpiresAt = nil }), ""),
		"not yet valid":          sign(t, jwt.SigningMethodHS256, secret, mod(func(c *claims) { c.NotBefore = jwt.NewNumericDate(now.Add(time.Hour)) }), ""),
		"wrong audience":         sign(t, jwt.SigningMethodHS256, secret, mod(func(c *claims) { c.Audience = jwt.ClaimStrings{"other-api"} }), ""),
		"wrong issuer":           sign(t, jwt.SigningMethodHS256, secret, mod(func(c *claims) { c.Issuer = "someone-else" }), ""),
		"unknown role":           sign(t, jwt.SigningMethodHS256, secret, mod(func(c *claims) { c.Role = "superuser" }), ""),
		"carer without carer_id": sign(t, jwt.SigningMethodHS256, secret, mod(func(c *claims) { c.Role = Carer }), ""),
		"alg none":               none,
		"HS512":                  sign(t, jwt.SigningMethodHS512, secret, officerClaims(), ""),
		"garbage":                "not.a.token",
	}
	good := sign(t, jwt.SigningMethodHS256, secret, officerClaims(), "")
	if _, err := h.Verify(ctx, good); err != nil {
		t.Fatalf("good token refused: %v", err)
	}
	for name, tok := range cases {
		if p, err := h.Verify(ctx, tok); !errors.Is(err, ErrUnauthenticated) {
			t.Errorf("%s: accepted as %+v (%v)", name, p, err)
		}
	}
}

func b64(b []byte) string { return base64.RawURLEncoding.EncodeToString(b) }

func TestJWKSVerifiesRotatesAndRefusesAlgorithmConfusion(t *testing.T) {
	rsaKey, _ := rsa.GenerateKey(rand.Reader, 2048)
	ecKey, _ := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	var fetches atomic.Int32
	var withEC atomic.Bool
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		fetches.Add(1)
		keys := []map[string]string{{"kty": "RSA", "kid": "rsa-1", "n": b64(rsaKey.N.Bytes()),
			"e": b64(big.NewInt(int64(rsaKey.E)).Bytes())}}
		if withEC.Load() {
			pub, _ := ecKey.PublicKey.Bytes() // 0x04 || X || Y
			keys = append(keys, map[string]string{"kty": "EC", "kid": "ec-2", "crv": "P-256", "x": b64(pub[1:33]), "y": b64(pub[33:])})
		}
		_ = json.NewEncoder(w).Encode(map[string]any{"keys": keys})
	}))
	defer srv.Close()
	j := &JWKS{URL: srv.URL, Issuer: "placematch", Audience: "placematch-api", Now: fixedNow, MinRefresh: time.Nanosecond}

	if p, err := j.Verify(ctx, sign(t, jwt.SigningMethodRS256, rsaKey, officerClaims(), "rsa-1")); err != nil || p.Role != PlacementOfficer {
		t.Fatalf("RS256: %+v %v", p, err)
	}
	// Rotation: a new key id is fetched when first seen.
	withEC.Store(true)
	if _, err := j.Verify(ctx, sign(t, jwt.SigningMethodES256, ecKey, officerClaims(), "ec-2")); err != nil {
		t.Fatalf("ES256 after rotation: %v", err)
	}
	if fetches.Load() != 2 {
		t.Fatalf("%d JWKS fetches, want 2", fetches.Load())
	}
	// Algorithm confusion: an HS256 token signed with the RSA public key as secret.
	pubPEMish := rsaKey.N.Bytes()
	confused := sign(t, jwt.SigningMethodHS256, pubPEMish, officerClaims(), "rsa-1")
	if _, err := j.Verify(ctx, confused); !errors.Is(err, ErrUnauthenticated) {
		t.Fatalf("HS256 token accepted by a JWKS configuration: %v", err)
	}
	other, _ := rsa.GenerateKey(rand.Reader, 2048)
	if _, err := j.Verify(ctx, sign(t, jwt.SigningMethodRS256, other, officerClaims(), "rsa-1")); err == nil {
		t.Fatal("token signed by an unknown key accepted")
	}
	if _, err := j.Verify(ctx, sign(t, jwt.SigningMethodRS256, rsaKey, officerClaims(), "nope")); err == nil || !strings.Contains(err.Error(), "unknown key") {
		t.Fatalf("unknown kid: %v", err)
	}
}
