package web_test

import (
	"net/http"
	"sync"
	"testing"
	"time"

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

// Sign-ins started from one address are capped: past the budget the start is
// refused with 429 and Retry-After before anything is stored or the identity
// provider is asked; the address the cap sees is the client's.
func TestOIDCStartsAreCappedPerAddress(t *testing.T) {
	var mu sync.Mutex
	seen := map[string]int{}
	s := newSite(t, store.SQLite, withoutDemo, func(p *web.Server) {
		p.OIDC = &web.OIDC{Issuer: "http://127.0.0.1:1", ClientID: "x", ClientSecret: "y", RedirectURL: "http://127.0.0.1/sign-in/callback"}
		p.AllowSignIn = func(addr string, _ time.Time) (bool, time.Duration) {
			mu.Lock()
			defer mu.Unlock()
			seen[addr]++
			return seen[addr] <= 2, 30 * time.Second
		}
	})
	for i, want := range []int{http.StatusServiceUnavailable, http.StatusServiceUnavailable, http.StatusTooManyRequests} {
		res, err := http.Get(s.URL + "/sign-in/oidc")
		must(t, err)
		res.Body.Close()
		if res.StatusCode != want {
			t.Fatalf("start %d: %d, want %d", i, res.StatusCode, want)
		}
		if want == http.StatusTooManyRequests && res.Header.Get("Retry-After") != "30" {
			t.Fatalf("Retry-After %q", res.Header.Get("Retry-After"))
		}
	}
	if seen["127.0.0.1"] != 3 || len(seen) != 1 {
		t.Fatalf("the cap saw %v", seen)
	}
}
