package auth

import (
	"context"
	"crypto/rand"
	"errors"
	"time"

	"github.com/golang-jwt/jwt/v5"
)

// MinSecretBytes is the shortest HS256 secret accepted.
const MinSecretBytes = 32

// HMAC verifies and mints HS256 tokens with a shared secret: for development, tests
// and the demo.
type HMAC struct {
	Secret   []byte
	Issuer   string
	Audience string
	// Now is the clock; nil means time.Now.
	Now func() time.Time
}

// NewHMAC checks the secret is long enough.
func NewHMAC(secret []byte, issuer, audience string) (*HMAC, error) {
	if len(secret) < MinSecretBytes {
		return nil, errors.New("auth: the JWT secret must be at least 32 bytes")
	}
	return &HMAC{Secret: secret, Issuer: issuer, Audience: audience}, nil
}

// RandomSecret returns a fresh secret, for --demo.
func RandomSecret() []byte {
	b := make([]byte, 32)
	_, _ = rand.Read(b) // crypto/rand never fails on supported platforms
	return b
}

// Verify implements Verifier.
func (h *HMAC) Verify(_ context.Context, token string) (Principal, error) {
	return parse(token, []string{jwt.SigningMethodHS256.Alg()}, h.Issuer, h.Audience, h.Now,
		func(*jwt.Token) (any, error) { return h.Secret, nil })
}

// Mint signs a token for p valid for ttl.
func (h *HMAC) Mint(p Principal, ttl time.Duration) (string, error) {
	now := time.Now()
	if h.Now != nil {
		now = h.Now()
	}
	c := claims{
		RegisteredClaims: jwt.RegisteredClaims{Subject: p.Subject, Issuer: h.Issuer, Audience: jwt.ClaimStrings{h.Audience},
			IssuedAt: jwt.NewNumericDate(now), NotBefore: jwt.NewNumericDate(now), ExpiresAt: jwt.NewNumericDate(now.Add(ttl))},
		Role: p.Role, CarerID: p.CarerID, UnitIDs: p.UnitIDs,
	}
	return jwt.NewWithClaims(jwt.SigningMethodHS256, c).SignedString(h.Secret)
}
