package web_test

import (
	"net/http"
	"strings"
	"testing"
	"time"

	"placematch/store"
	"placematch/store/storetest"
)

// Past the searches the service queues, the officer asking for one more is told
// the service is busy (503, Retry-After) on the service's own page, and the
// searches queued are answered once the one searching is let go. On PostgreSQL
// only: on SQLite the search held at its write holds the store's one connection,
// so the next page waits for it to read the session, before it could queue for a
// turn (the API's test, whose tokens need no read, runs on both).
func TestSearchPageWhenTheQueueIsFull(t *testing.T) {
	for _, d := range []string{store.Postgres} {
		t.Run(d, func(t *testing.T) {
			s := newSite(t, d)
			s.Uses.Searches, s.Uses.SearchQueue = 1, 1 // before any search
			c := s.client(t)
			s.signIn(t, c, "officer")
			child, _ := s.rankedChild(t)
			path := "/children/" + child.ID + "/matches"
			if p := s.post(t, c, path, nil, nil); p.StatusCode != http.StatusSeeOther { // builds the index
				t.Fatalf("first search: %d", p.StatusCode)
			}
			// A provider written since, whose manifest write is held: the next
			// search holds its turn until it is let go.
			must(t, s.DB.CreateProvider(ctx, storetest.Carer("BUSY-PAGE")))
			release := storetest.HoldWrites(t, s.Cfg, "provider_states")
			statuses := make(chan int, 2)
			for range 2 {
				go func() {
					req, _ := http.NewRequest(http.MethodPost, s.URL+path, nil)
					req.Header.Set("Sec-Fetch-Site", "same-origin")
					res, err := c.Do(req)
					if err != nil {
						statuses <- 0
						return
					}
					res.Body.Close()
					statuses <- res.StatusCode
				}()
			}
			deadline := time.Now().Add(5 * time.Second)
			for s.Uses.SearchesWaiting() != 1 { // one searching, one waiting
				if time.Now().After(deadline) {
					t.Fatalf("%d searches waiting, want 1", s.Uses.SearchesWaiting())
				}
				time.Sleep(time.Millisecond)
			}
			p := s.post(t, c, path, nil, nil)
			if p.StatusCode != http.StatusServiceUnavailable || p.Header.Get("Retry-After") != "1" ||
				!strings.Contains(p.Body, "Sorry, the service is busy") || !strings.Contains(p.Body, "Try again in a few seconds") {
				t.Fatalf("refused search: %d, Retry-After %q\n%s", p.StatusCode, p.Header.Get("Retry-After"), p.Body)
			}
			release()
			for range 2 {
				if st := <-statuses; st != http.StatusSeeOther {
					t.Fatalf("a queued search answered %d", st)
				}
			}
		})
	}
}
