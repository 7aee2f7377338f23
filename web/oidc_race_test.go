package web_test

import (
	"net/http"
	"sync"
	"testing"

	"placematch/store"
	"placematch/web"
)

// Sign-ins started at once while the identity provider cannot be reached each get
// the 503 page, and discovery is retried without a data race (go test -race).
func TestOIDCDiscoveryRetriesConcurrently(t *testing.T) {
	s := newSite(t, store.SQLite, withoutDemo, func(p *web.Server) {
		p.OIDC = &web.OIDC{Issuer: "http://127.0.0.1:1", ClientID: "x", ClientSecret: "y", RedirectURL: "http://127.0.0.1/sign-in/callback"}
	})
	var wg sync.WaitGroup
	codes := make([]int, 8)
	for i := range codes {
		wg.Add(1)
		go func() {
			defer wg.Done()
			res, err := http.Get(s.URL + "/sign-in/oidc")
			if err != nil {
				return
			}
			res.Body.Close()
			codes[i] = res.StatusCode
		}()
	}
	wg.Wait()
	for i, c := range codes {
		if c != http.StatusServiceUnavailable {
			t.Errorf("sign-in %d: %d, want 503", i, c)
		}
	}
}
