// Package auth says who is calling and what their role lets them do. Callers present
// bearer JWTs: in production RS256 or ES256 tokens from the council's identity
// provider, verified against its JWKS; in development HS256 tokens signed with a
// shared secret (placematch token mints them). Either way the issuer, audience,
// expiry and not-before are checked, and a token signed with any other algorithm than
// the configuration expects is refused, so an HS256 token can never pass where RS256
// is expected (algorithm confusion) and "alg: none" never passes at all.
//
// It imports no other package of this module: it knows tokens and roles, not records,
// use cases or HTTP routes.
package auth

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"time"

	"github.com/golang-jwt/jwt/v5"
)

// Role is what a caller may do; the claim "role" carries it.
type Role string

// The roles.
const (
	Admin            Role = "admin"
	PlacementOfficer Role = "placement_officer"
	Carer            Role = "carer"
	Provider         Role = "provider"
	Commissioner     Role = "commissioner"
)

// Roles lists every role.
var Roles = []Role{Admin, PlacementOfficer, Carer, Provider, Commissioner}

// Principal is an authenticated caller.
type Principal struct {
	Subject string
	Role    Role
	// CarerID is the carer record a carer may read and update (role carer).
	CarerID string
	// UnitIDs are the units a provider may read and update (role provider).
	UnitIDs []string
}

// OwnsUnit reports whether a provider principal may act on unit id.
func (p Principal) OwnsUnit(id string) bool { return slices.Contains(p.UnitIDs, id) }

// ErrUnauthenticated: no usable token. Its message says why, for the log; the API
// answers 401 without detail beyond it.
var ErrUnauthenticated = errors.New("unauthenticated")

// Verifier checks a token and returns who presented it.
type Verifier interface {
	Verify(ctx context.Context, token string) (Principal, error)
}

// claims are the token's claims.
type claims struct {
	jwt.RegisteredClaims
	IdentityClaims
}

// IdentityClaims are the claims that say what someone may do: a role, and for a
// carer or a provider the records they may act on. Bearer tokens carry them, and so
// do the ID tokens of the council's identity provider when people sign in to the
// web pages, mapped to a Principal the same way.
type IdentityClaims struct {
	Role    Role     `json:"role"`
	CarerID string   `json:"carer_id,omitempty"`
	UnitIDs []string `json:"unit_ids,omitempty"`
}

// Principal returns the principal these claims make for subject, or an
// ErrUnauthenticated error when they make none: an unknown role, no subject, or a
// carer without carer_id.
func (c IdentityClaims) Principal(subject string) (Principal, error) {
	if !slices.Contains(Roles, c.Role) {
		return Principal{}, fmt.Errorf("%w: unknown role %q", ErrUnauthenticated, c.Role)
	}
	if subject == "" {
		return Principal{}, fmt.Errorf("%w: no subject", ErrUnauthenticated)
	}
	if c.Role == Carer && c.CarerID == "" {
		return Principal{}, fmt.Errorf("%w: a carer token needs carer_id", ErrUnauthenticated)
	}
	return Principal{Subject: subject, Role: c.Role, CarerID: c.CarerID, UnitIDs: c.UnitIDs}, nil
}

// Leeway allows for clocks a little apart between the identity provider and us.
const Leeway = 30 * time.Second

// DefaultMaxLifetime bounds exp − iat when a verifier sets no MaxLifetime: a stolen
// token must not stay useful for longer than a working day, whatever the issuer chose.
const DefaultMaxLifetime = 12 * time.Hour

// rules are what every token must satisfy, whoever signed it.
type rules struct {
	methods          []string
	issuer, audience string
	now              func() time.Time
	// maxLifetime bounds exp − iat; zero means DefaultMaxLifetime.
	maxLifetime time.Duration
}

// parse verifies a token with key lookup keyFor under r.
func parse(token string, r rules, keyFor jwt.Keyfunc) (Principal, error) {
	var c claims
	opts := []jwt.ParserOption{jwt.WithValidMethods(r.methods), jwt.WithExpirationRequired(), jwt.WithLeeway(Leeway),
		jwt.WithIssuer(r.issuer), jwt.WithAudience(r.audience), jwt.WithIssuedAt()}
	if r.now != nil {
		opts = append(opts, jwt.WithTimeFunc(r.now))
	}
	// RFC 7515 §4.1.11: a header naming critical extensions must be refused by a
	// recipient that does not implement them, and this one implements none. The
	// check runs before the key lookup, so such a token never triggers a JWKS fetch.
	checked := func(t *jwt.Token) (any, error) {
		if _, ok := t.Header["crit"]; ok {
			return nil, errors.New("the crit header is not supported")
		}
		return keyFor(t)
	}
	if _, err := jwt.ParseWithClaims(token, &c, checked, opts...); err != nil {
		return Principal{}, fmt.Errorf("%w: %v", ErrUnauthenticated, err)
	}
	if err := checkLifetime(c.RegisteredClaims, r.maxLifetime); err != nil {
		return Principal{}, fmt.Errorf("%w: %v", ErrUnauthenticated, err)
	}
	return c.Principal(c.Subject)
}

// checkLifetime refuses a token whose issuer let it live longer than max (zero means
// DefaultMaxLifetime). Without iat the lifetime cannot be known, so it is refused too.
func checkLifetime(c jwt.RegisteredClaims, max time.Duration) error {
	max = lifetimeLimit(max)
	if c.IssuedAt == nil {
		return errors.New("no iat: the token's lifetime cannot be checked")
	}
	if life := c.ExpiresAt.Sub(c.IssuedAt.Time); life > max {
		return fmt.Errorf("lifetime %s exceeds the maximum %s", life, max)
	}
	return nil
}

// lifetimeLimit is the maximum lifetime a verifier configured with d applies.
func lifetimeLimit(d time.Duration) time.Duration {
	if d <= 0 {
		return DefaultMaxLifetime
	}
	return d
}
