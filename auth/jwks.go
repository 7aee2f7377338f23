package auth

import (
	"cmp"
	"context"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rsa"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"math/big"
	"net/http"
	"sync"
	"time"

	"github.com/golang-jwt/jwt/v5"
)

// JWKS verifies RS256 and ES256 tokens against the identity provider's published
// keys. Keys are cached; a token naming an unknown kid asks for one refresh (at most
// every MinRefresh), so a key rotation is picked up without a restart.
//
// Refreshes are single-flight and run in the background: the lock guards only the
// cache, never a fetch, so tokens whose key is cached are verified at once while a
// refresh is slow or hanging; callers with an unknown kid wait for the one refresh
// in flight (bounded by their context). A failed fetch is remembered for
// FailureBackoff, so an identity provider that is down is not asked again by every
// request.
type JWKS struct {
	URL      string
	Issuer   string
	Audience string
	Client   *http.Client
	// MinRefresh is the shortest time between two successful fetches; zero means 30s.
	MinRefresh time.Duration
	// FailureBackoff is how long a failed fetch is answered from memory; zero means 5s.
	FailureBackoff time.Duration
	// FetchTimeout bounds one fetch, whoever waits for it; zero means 10s.
	FetchTimeout time.Duration
	// MaxLifetime bounds exp − iat; zero means DefaultMaxLifetime.
	MaxLifetime time.Duration
	Now         func() time.Time

	mu         sync.Mutex
	keys       map[string]any
	fetched    time.Time     // last successful fetch
	failed     time.Time     // last failed fetch
	failErr    error         // its error, answered until FailureBackoff has passed
	refreshing chan struct{} // non-nil while a fetch runs; closed when it ends
}

// jwksMethods are the only algorithms a JWKS configuration accepts.
var jwksMethods = []string{jwt.SigningMethodRS256.Alg(), jwt.SigningMethodES256.Alg()}

// Verify implements Verifier.
func (j *JWKS) Verify(ctx context.Context, token string) (Principal, error) {
	r := rules{methods: jwksMethods, issuer: j.Issuer, audience: j.Audience, now: j.Now, maxLifetime: j.MaxLifetime}
	return parse(token, r, func(t *jwt.Token) (any, error) {
		kid, _ := t.Header["kid"].(string)
		return j.key(ctx, kid)
	})
}

// key returns the key named kid, refreshing the set once if it is unknown.
func (j *JWKS) key(ctx context.Context, kid string) (any, error) {
	j.mu.Lock()
	if k, ok := j.keys[kid]; ok {
		j.mu.Unlock()
		return k, nil
	}
	done, err := j.refreshLocked()
	j.mu.Unlock()
	if errors.Is(err, errUnknownKid) {
		return nil, fmt.Errorf("%w %q", err, kid)
	}
	if err != nil {
		return nil, err
	}
	select {
	case <-done:
	case <-ctx.Done():
		return nil, fmt.Errorf("waiting for the JWKS: %w", ctx.Err())
	}
	j.mu.Lock()
	defer j.mu.Unlock()
	if k, ok := j.keys[kid]; ok {
		return k, nil
	}
	if j.failErr != nil && !j.failed.Before(j.fetched) {
		return nil, j.failErr
	}
	return nil, fmt.Errorf("unknown key id %q", kid)
}

// refreshLocked starts a fetch unless one runs already or the last one is too
// recent, and returns a channel closed when the fetch in flight ends. j.mu is held.
func (j *JWKS) refreshLocked() (<-chan struct{}, error) {
	if j.refreshing != nil {
		return j.refreshing, nil
	}
	if j.failErr != nil && time.Since(j.failed) < cmp.Or(j.FailureBackoff, 5*time.Second) {
		return nil, j.failErr
	}
	if j.keys != nil && time.Since(j.fetched) < cmp.Or(j.MinRefresh, 30*time.Second) {
		return nil, errUnknownKid
	}
	done := make(chan struct{})
	j.refreshing = done
	go j.refresh(done)
	return done, nil
}

// errUnknownKid answers an unknown kid between refreshes.
var errUnknownKid = errors.New("unknown key id")

// refresh fetches the set on its own context, so a caller that gives up does not
// cancel the fetch others wait for, and records the outcome.
func (j *JWKS) refresh(done chan struct{}) {
	ctx, cancel := context.WithTimeout(context.Background(), cmp.Or(j.FetchTimeout, 10*time.Second))
	defer cancel()
	keys, err := j.fetch(ctx)
	j.mu.Lock()
	defer j.mu.Unlock()
	if err != nil {
		j.failed, j.failErr = time.Now(), err
		slog.Warn("JWKS refresh failed", "url", j.URL, "error", err.Error())
	} else {
		j.keys, j.fetched, j.failErr = keys, time.Now(), nil
	}
	j.refreshing = nil
	close(done)
}

type jwk struct {
	Kty string `json:"kty"`
	Kid string `json:"kid"`
	N   string `json:"n"`
	E   string `json:"e"`
	Crv string `json:"crv"`
	X   string `json:"x"`
	Y   string `json:"y"`
}

func (j *JWKS) fetch(ctx context.Context) (map[string]any, error) {
	client := j.Client
	if client == nil {
		client = &http.Client{Timeout: 5 * time.Second}
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, j.URL, nil)
	if err != nil {
		return nil, err
	}
	res, err := client.Do(req)
	if err != nil {
		return nil, fmt.Errorf("fetch JWKS: %w", err)
	}
	defer res.Body.Close()
	if res.StatusCode != http.StatusOK {
		return nil, fmt.Errorf("fetch JWKS: status %d", res.StatusCode)
	}
	var set struct {
		Keys []jwk `json:"keys"`
	}
	if err := json.NewDecoder(io.LimitReader(res.Body, 1<<20)).Decode(&set); err != nil {
		return nil, fmt.Errorf("fetch JWKS: %w", err)
	}
	keys := map[string]any{}
	for _, k := range set.Keys {
		if pub, err := k.public(); err == nil {
			keys[k.Kid] = pub
		}
	}
	return keys, nil
}

func (k jwk) public() (any, error) {
	b := func(s string) ([]byte, error) { return base64.RawURLEncoding.DecodeString(s) }
	switch k.Kty {
	case "RSA":
		n, err1 := b(k.N)
		e, err2 := b(k.E)
		if err1 != nil || err2 != nil {
			return nil, fmt.Errorf("bad RSA key %q", k.Kid)
		}
		return &rsa.PublicKey{N: new(big.Int).SetBytes(n), E: int(new(big.Int).SetBytes(e).Int64())}, nil
	case "EC":
		if k.Crv != "P-256" {
			return nil, fmt.Errorf("unsupported curve %q", k.Crv)
		}
		x, err1 := b(k.X)
		y, err2 := b(k.Y)
		if err1 != nil || err2 != nil {
			return nil, fmt.Errorf("bad EC key %q", k.Kid)
		}
		if len(x) != 32 || len(y) != 32 {
			return nil, fmt.Errorf("bad EC key %q", k.Kid)
		}
		return ecdsa.ParseUncompressedPublicKey(elliptic.P256(), append(append([]byte{4}, x...), y...))
	}
	return nil, fmt.Errorf("unsupported key type %q", k.Kty)
}
