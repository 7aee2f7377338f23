package web_test

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/netip"
	"testing"
	"time"

	"placematch"
	"placematch/auth"
	"placematch/jobs"
	"placematch/store/storetest"
	"placematch/web"
)

// withAdmin offers an administrator to the demo sign-in beside the officer and the
// commissioner, as serve --demo does.
func withAdmin(s *web.Server) {
	s.Demo = append(append([]web.DemoPerson(nil), s.Demo...), web.DemoPerson{Key: "admin", Label: "Alex Reed",
		Hint: "Manages records, jobs and feeds.", Principal: auth.Principal{Subject: "demo-admin", Role: auth.Admin}})
}

// withJobs gives the pages a real scheduler over their store, as cmd does: the
// provider feeds' import (allowed to reach the tests' loopback feed servers, as
// an operator allows an internal network) and the flag for stale availability,
// on their default schedules. The cron is not started: runs start from the
// console.
func withJobs(t testing.TB, extra ...jobs.Job) func(*web.Server) {
	return func(p *web.Server) {
		london, err := time.LoadLocation("Europe/London")
		must(t, err)
		sched, err := jobs.New(jobs.Config{Store: p.Store, Location: london, Now: p.Store.Now, Jobs: append([]jobs.Job{
			jobs.ImportFeeds{Store: p.Store, Now: p.Store.Now, Timeout: 5 * time.Second, Attempts: 1,
				Network: jobs.NetPolicy{Allowed: []netip.Prefix{netip.MustParsePrefix("127.0.0.1/32")}}},
			jobs.FlagStale{Store: p.Store, Now: p.Store.Now, After: 30 * 24 * time.Hour},
		}, extra...), Specs: map[string]string{jobs.NameFeeds: "30 5 * * *", jobs.NameStale: "0 6 * * *"}})
		must(t, err)
		p.Jobs = sched
		t.Cleanup(func() {
			c, cancel := context.WithTimeout(context.Background(), 10*time.Second)
			defer cancel()
			_ = sched.Stop(c)
		})
	}
}

// feedRows is a provider's vacancy feed of two rows: one the import applies
// (row 1) and one it rejects (row 2: vacancies not a number).
const feedRows = "unit_reference,ofsted_urn,vacancies,as_of\nFEED-U1,,2,2026-11-22T08:00:00Z\nFEED-U1,,lots,2026-11-22T08:00:00Z\n"

// withFeed registers a unit and a feed for it served by a test server, and a
// second feed whose server answers 500 (it fails as a whole).
func (s *site) withFeeds(t testing.TB) (good, broken *placematch.Feed) {
	t.Helper()
	u := storetest.Unit("FEED-U1", func(p *placematch.Provider) { p.Unit.OfstedURN = "2999001" })
	must(t, s.DB.CreateProvider(ctx, u))
	ok := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) { fmt.Fprint(w, feedRows) }))
	t.Cleanup(ok.Close)
	bad := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) { w.WriteHeader(http.StatusInternalServerError) }))
	t.Cleanup(bad.Close)
	good = &placematch.Feed{Name: "acme-beds", URL: ok.URL + "/beds.csv", Format: placematch.FeedCSV, UnitIDs: []string{u.ID}}
	must(t, s.DB.CreateFeed(ctx, good))
	broken = &placematch.Feed{Name: "down-ltd", URL: bad.URL + "/beds.csv", Format: placematch.FeedCSV, UnitIDs: []string{u.ID}}
	must(t, s.DB.CreateFeed(ctx, broken))
	return good, broken
}

// waitRun waits for the run to end and returns it as recorded.
func (s *site) waitRun(t testing.TB, id string) *placematch.JobRun {
	t.Helper()
	deadline := time.Now().Add(20 * time.Second)
	for {
		run, err := s.DB.GetJobRun(ctx, id)
		must(t, err)
		if run.Status != placematch.RunRunning {
			return run
		}
		if time.Now().After(deadline) {
			t.Fatalf("run %s still running", id)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// set moves the clock to t.
func (c *clock) set(t time.Time) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.t = t
}
