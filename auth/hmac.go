package auth

import (
	"context"
	"crypto/rand"
	"errors"
	"fmt"
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
	// MaxLifetime bounds exp − iat of tokens verified and minted; zero means
	// DefaultMaxLifetime.
	MaxLifetime time.Duration
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
	r := rules{methods: []string{jwt.SigningMethodHS256.Alg()}, issuer: h.Issuer, audience: h.Audience, now: h.Now,
		maxLifetime: h.MaxLifetime}
	return parse(token, r, func(*jwt.Token) (any, error) { return h.Secret, nil })
}

// Mint signs a token for p valid for ttl. A ttl beyond the maximum lifetime is
// refused: Verify would refuse the token anyway.
func (h *HMAC) Mint(p Principal, ttl time.Duration) (string, error) {
	if max := lifetimeLimit(h.MaxLifetime); ttl > max {
		return "", fmt.Errorf("auth: a token may live at most %s", max)
	}
	now := time.Now()
	if h.Now != nil {
		now = h.Now()
	}
	c := claims{
		RegisteredClaims: jwt.RegisteredClaims{Subject: p.Subject, Issuer: h.Issuer, Audience: jwt.ClaimStrings{h.Audience},
			IssuedAt: jwt.NewNumericDate(now), NotBefore: jwt.NewNumericDate(now), ExpiresAt: jwt.NewNumericDate(now.Add(ttl))},
		IdentityClaims: IdentityClaims{Role: p.Role, CarerID: p.CarerID, UnitIDs: p.UnitIDs},
	}
	return jwt.NewWithClaims(jwt.SigningMethodHS256, c).SignedString(h.Secret)
}
