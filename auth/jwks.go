package auth

import (
	"context"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rsa"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"io"
	"math/big"
	"net/http"
	"sync"
	"time"

	"github.com/golang-jwt/jwt/v5"
)

// JWKS verifies RS256 and ES256 tokens against the identity provider's published
// keys. Keys are cached; a token naming an unknown kid triggers one refresh (at most
// every MinRefresh), so a key rotation is picked up without a restart.
type JWKS struct {
	URL        string
	Issuer     string
	Audience   string
	Client     *http.Client
	MinRefresh time.Duration
	Now        func() time.Time

	mu      sync.Mutex
	keys    map[string]any
	fetched time.Time
}

// jwksMethods are the only algorithms a JWKS configuration accepts.
var jwksMethods = []string{jwt.SigningMethodRS256.Alg(), jwt.SigningMethodES256.Alg()}

// Verify implements Verifier.
func (j *JWKS) Verify(ctx context.Context, token string) (Principal, error) {
	return parse(token, jwksMethods, j.Issuer, j.Audience, j.Now, func(t *jwt.Token) (any, error) {
		kid, _ := t.Header["kid"].(string)
		return j.key(ctx, kid)
	})
}

func (j *JWKS) key(ctx context.Context, kid string) (any, error) {
	j.mu.Lock()
	defer j.mu.Unlock()
	if k, ok := j.keys[kid]; ok {
		return k, nil
	}
	minRefresh := j.MinRefresh
	if minRefresh == 0 {
		minRefresh = 30 * time.Second
	}
	if j.keys != nil && time.Since(j.fetched) < minRefresh {
		return nil, fmt.Errorf("unknown key id %q", kid)
	}
	keys, err := j.fetch(ctx)
	if err != nil {
		return nil, err
	}
	j.keys, j.fetched = keys, time.Now()
	if k, ok := keys[kid]; ok {
		return k, nil
	}
	return nil, fmt.Errorf("unknown key id %q", kid)
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
