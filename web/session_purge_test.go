package web_test

import (
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"net/http"
	"net/url"
	"testing"
	"time"

	"placematch"
	"placematch/store"
	"placematch/store/storetest"
)

// A session row that decodes but names no role or no subject (a sign-in under
// way, or a record written by another version) signs nobody in: the page answers
// as to a visitor, the row is deleted and the cookie cleared, on both engines.
func TestSessionWithoutARoleSignsNobodyIn(t *testing.T) {
	for _, d := range storetest.Dialects() {
		t.Run(d, func(t *testing.T) {
			s := newSite(t, d)
			for i, data := range []string{`{"subject":"someone"}`, `{"role":"placement_officer"}`, `{"kind":"oidc-login","state":"x"}`, `not json`} {
				token := "token-" + string(rune('a'+i))
				sum := sha256.Sum256([]byte(token))
				id := hex.EncodeToString(sum[:])
				now := s.Clock.Now()
				must(t, s.DB.CreateSession(ctx, &store.Session{ID: id, Data: []byte(data), CreatedAt: now, SeenAt: now, ExpiresAt: now.Add(time.Hour)}))
				c := s.client(t)
				u, _ := url.Parse(s.URL)
				c.Jar.SetCookies(u, []*http.Cookie{{Name: "placematch_session", Value: token, Path: "/"}})
				p := s.get(t, c, "/queue")
				if p.StatusCode != http.StatusSeeOther {
					t.Fatalf("%s: /queue answered %d, want the way to sign in", data, p.StatusCode)
				}
				if _, err := s.DB.GetSession(ctx, id, now); !errors.Is(err, placematch.ErrNotFound) {
					t.Fatalf("%s: the row is kept: %v", data, err)
				}
			}
		})
	}
}
