package web_test

import (
	"crypto/rand"
	"crypto/rsa"
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"math/big"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/golang-jwt/jwt/v5"

	"placematch/store/storetest"
	"placematch/web"
)

// testIdP is a small OpenID Connect provider for the tests: discovery, an
// authorisation endpoint that signs the person in at once, a token endpoint that
// takes each code once and checks its PKCE verifier and the client's secret, and
// its keys.
type testIdP struct {
	*httptest.Server
	key *rsa.PrivateKey
	now func() time.Time

	mu       sync.Mutex
	codes    map[string]*grant
	audience string         // the ID token's aud; the client id unless set
	claims   map[string]any // added to the ID token
}

type grant struct {
	challenge, nonce, clientID string
	used                       bool
}

const (
	clientID     = "placematch-web"
	clientSecret = "test-client-secret"
)

func newIdP(t *testing.T, now func() time.Time) *testIdP {
	key, err := rsa.GenerateKey(rand.Reader, 2048)
	must(t, err)
	idp := &testIdP{key: key, now: now, codes: map[string]*grant{},
		claims: map[string]any{"role": "placement_officer", "name": "Jo Bloggs"}}
	mux := http.NewServeMux()
	mux.HandleFunc("GET /.well-known/openid-configuration", func(w http.ResponseWriter, r *http.Request) {
		writeJSON(w, map[string]any{"issuer": idp.URL, "authorization_endpoint": idp.URL + "/authorize",
			"token_endpoint": idp.URL + "/token", "jwks_uri": idp.URL + "/jwks", "response_types_supported": []string{"code"},
			"subject_types_supported": []string{"public"}, "id_token_signing_alg_values_supported": []string{"RS256"},
			"code_challenge_methods_supported": []string{"S256"}})
	})
	mux.HandleFunc("GET /jwks", func(w http.ResponseWriter, r *http.Request) {
		pub := key.PublicKey
		writeJSON(w, map[string]any{"keys": []map[string]any{{"kty": "RSA", "kid": "k1", "use": "sig", "alg": "RS256",
			"n": base64.RawURLEncoding.EncodeToString(pub.N.Bytes()),
			"e": base64.RawURLEncoding.EncodeToString(big.NewInt(int64(pub.E)).Bytes())}}})
	})
	mux.HandleFunc("GET /authorize", func(w http.ResponseWriter, r *http.Request) {
		q := r.URL.Query()
		if q.Get("response_type") != "code" || q.Get("code_challenge_method") != "S256" || q.Get("code_challenge") == "" ||
			q.Get("nonce") == "" || q.Get("state") == "" || q.Get("client_id") != clientID {
			http.Error(w, "bad authorisation request", http.StatusBadRequest)
			return
		}
		code := randomString(t)
		idp.mu.Lock()
		idp.codes[code] = &grant{challenge: q.Get("code_challenge"), nonce: q.Get("nonce"), clientID: q.Get("client_id")}
		idp.mu.Unlock()
		back, _ := url.Parse(q.Get("redirect_uri"))
		back.RawQuery = url.Values{"code": {code}, "state": {q.Get("state")}}.Encode()
		http.Redirect(w, r, back.String(), http.StatusFound)
	})
	mux.HandleFunc("POST /token", func(w http.ResponseWriter, r *http.Request) {
		id, secret, ok := r.BasicAuth()
		if !ok {
			id, secret = r.PostFormValue("client_id"), r.PostFormValue("client_secret")
		}
		idp.mu.Lock()
		defer idp.mu.Unlock()
		g := idp.codes[r.PostFormValue("code")]
		sum := sha256.Sum256([]byte(r.PostFormValue("code_verifier")))
		switch {
		case id != clientID || secret != clientSecret:
			tokenError(w, "invalid_client")
			return
		case g == nil || g.used || g.clientID != id:
			tokenError(w, "invalid_grant")
			return
		case base64.RawURLEncoding.EncodeToString(sum[:]) != g.challenge:
			tokenError(w, "invalid_grant") // PKCE: the verifier does not make the challenge
			return
		}
		g.used = true
		aud := idp.audience
		if aud == "" {
			aud = clientID
		}
		now := idp.now()
		c := jwt.MapClaims{"iss": idp.URL, "sub": "officer-7", "aud": aud, "iat": now.Unix(), "exp": now.Add(5 * time.Minute).Unix(),
			"nonce": g.nonce}
		for k, v := range idp.claims {
			c[k] = v
		}
		tok := jwt.NewWithClaims(jwt.SigningMethodRS256, c)
		tok.Header["kid"] = "k1"
		signed, err := tok.SignedString(key)
		must(t, err)
		writeJSON(w, map[string]any{"access_token": randomString(t), "token_type": "Bearer", "expires_in": 300, "id_token": signed})
	})
	idp.Server = httptest.NewServer(mux)
	t.Cleanup(idp.Close)
	return idp
}

func writeJSON(w http.ResponseWriter, v any) {
	w.Header().Set("Content-Type", "application/json")
	_ = json.NewEncoder(w).Encode(v)
}

func tokenError(w http.ResponseWriter, code string) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(http.StatusBadRequest)
	_ = json.NewEncoder(w).Encode(map[string]string{"error": code})
}

func randomString(t *testing.T) string {
	b := make([]byte, 16)
	_, err := rand.Read(b)
	must(t, err)
	return base64.RawURLEncoding.EncodeToString(b)
}

// oidcSite serves the pages with sign-in through a test identity provider.
func oidcSite(t *testing.T, d string) (*site, *testIdP) {
	t.Helper()
	o := &web.OIDC{ClientID: clientID, ClientSecret: clientSecret}
	s := newSite(t, d, withoutDemo, func(p *web.Server) { p.OIDC = o })
	idp := newIdP(t, s.Clock.Now)
	o.Issuer, o.RedirectURL = idp.URL, s.URL+"/sign-in/callback"
	return s, idp
}

// startOIDC begins a sign-in in c and follows it to the identity provider, which
// answers with the callback URL carrying code and state.
func (s *site) startOIDC(t *testing.T, c *http.Client) *url.URL {
	t.Helper()
	p := s.get(t, c, "/sign-in/oidc")
	if p.StatusCode != http.StatusSeeOther {
		t.Fatalf("starting the sign-in: %d\n%s", p.StatusCode, p.Body)
	}
	res, err := c.Get(p.Header.Get("Location"))
	must(t, err)
	res.Body.Close()
	if res.StatusCode != http.StatusFound {
		t.Fatalf("the identity provider refused the request: %d", res.StatusCode)
	}
	back, err := url.Parse(res.Header.Get("Location"))
	must(t, err)
	return back
}

func (s *site) callback(t *testing.T, c *http.Client, back *url.URL) page {
	t.Helper()
	return s.get(t, c, back.Path+"?"+back.RawQuery)
}

// Sign-in through the council's identity provider: the authorisation-code flow
// with PKCE signs an officer in with the name and role of the ID token's claims;
// a forged state, a code replayed, an ID token for another audience, a role the
// service does not know, and a callback in a browser that started no sign-in are
// each refused, and none signs anyone in.
func TestOIDCSignIn(t *testing.T) {
	for _, d := range storetest.Dialects() {
		t.Run(d, func(t *testing.T) {
			t.Parallel()
			s, idp := oidcSite(t, d)
			signedIn := func(c *http.Client) bool {
				t.Helper()
				return s.get(t, c, "/queue").StatusCode == http.StatusOK
			}

			c := s.client(t)
			if p := s.get(t, c, "/sign-in"); !strings.Contains(p.Body, `href="/sign-in/oidc"`) || strings.Contains(p.Body, "/sign-in/demo") {
				t.Fatalf("sign-in page with OIDC and no demo:\n%s", p.Body)
			}
			back := s.startOIDC(t, c)
			if p := s.callback(t, c, back); p.StatusCode != http.StatusSeeOther || p.Header.Get("Location") != "/queue" {
				t.Fatalf("callback: %d %q\n%s", p.StatusCode, p.Header.Get("Location"), p.Body)
			}
			if q := s.get(t, c, "/queue"); q.StatusCode != http.StatusOK || !strings.Contains(q.Body, "Signed in as Jo Bloggs (placement officer)") {
				t.Fatalf("after the callback the queue answers %d", q.StatusCode)
			}
			usedCode := back.Query().Get("code")

			refused := func(name string, c *http.Client, back *url.URL) {
				t.Helper()
				if p := s.callback(t, c, back); p.StatusCode != http.StatusUnauthorized {
					t.Errorf("%s: callback answered %d", name, p.StatusCode)
				}
				if signedIn(c) {
					t.Errorf("%s: signed in", name)
				}
			}

			forged := s.client(t)
			back = s.startOIDC(t, forged)
			q := back.Query()
			q.Set("state", "forged-"+q.Get("state"))
			back.RawQuery = q.Encode()
			refused("forged state", forged, back)

			replay := s.client(t)
			back = s.startOIDC(t, replay) // a fresh sign-in, answered with a code already used
			q = back.Query()
			q.Set("code", usedCode)
			back.RawQuery = q.Encode()
			refused("replayed code", replay, back)

			other := s.client(t)
			back = s.startOIDC(t, other)
			refused("callback in a browser that started no sign-in", s.client(t), back)
			if p := s.callback(t, other, back); p.StatusCode != http.StatusSeeOther {
				t.Fatalf("the callback in the browser that started it: %d", p.StatusCode)
			}
			if p := s.callback(t, other, back); p.StatusCode != http.StatusUnauthorized {
				t.Errorf("the same callback twice: %d", p.StatusCode)
			}

			idp.mu.Lock()
			idp.audience = "another-service"
			idp.mu.Unlock()
			aud := s.client(t)
			refused("wrong audience", aud, s.startOIDC(t, aud))

			idp.mu.Lock()
			idp.audience, idp.claims["role"] = "", "superuser"
			idp.mu.Unlock()
			role := s.client(t)
			refused("unknown role", role, s.startOIDC(t, role))

			n, err := s.DB.DeleteExpiredSessions(ctx, s.Clock.Now().Add(11*time.Hour))
			must(t, err)
			if n != 2 {
				t.Fatalf("%d sessions and sign-ins were left, want only the two signed-in sessions", n)
			}
		})
	}
}
