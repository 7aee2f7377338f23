package web_test

import (
	"context"
	"io"
	"log/slog"
	"net/http"
	"net/http/cookiejar"
	"net/http/httptest"
	"net/url"
	"os"
	"strings"
	"sync"
	"testing"
	"time"

	"placematch"
	"placematch/auth"
	"placematch/demo"
	"placematch/matching"
	"placematch/placing"
	"placematch/store"
	"placematch/store/storetest"
	"placematch/web"
)

var ctx = context.Background()

// TestMain keeps the migration and request logs out of test output.
func TestMain(m *testing.M) {
	slog.SetDefault(slog.New(slog.NewTextHandler(io.Discard, nil)))
	os.Exit(m.Run())
}

func must(t testing.TB, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}

// clock is a settable clock shared by the store, the use cases and the pages.
type clock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *clock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.t
}

func (c *clock) Add(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.t = c.t.Add(d)
}

// site is the pages served on a real listener over a real database.
type site struct {
	*httptest.Server
	DB    *store.DB
	Uses  *placing.Service
	Clock *clock
	Pages *web.Server
	// Cfg opens DB, for a test that reaches it behind the service's back.
	Cfg store.Config
}

// demoPeople are an officer and a commissioner, as serve --demo offers them.
var demoPeople = []web.DemoPerson{
	{Key: "officer", Label: "Sam Okafor", Hint: "Finds and books homes.",
		Principal: auth.Principal{Subject: "demo-officer", Role: auth.PlacementOfficer}},
	{Key: "commissioner", Label: "Priya Shah", Hint: "Reads the reports.",
		Principal: auth.Principal{Subject: "demo-commissioner", Role: auth.Commissioner}},
}

type siteOption func(*web.Server)

func withoutDemo(s *web.Server) { s.Demo = nil }

// newSite serves the pages on the Norfolk demo data, on dialect d.
func newSite(t testing.TB, d string, opts ...siteOption) *site {
	t.Helper()
	db, cfg := storetest.OpenConfig(t, d)
	clk := &clock{t: storetest.Clock}
	db.Now = clk.Now
	db.Locator = demo.Locator()
	if _, err := demo.Seed(ctx, db, 1, storetest.Clock); err != nil {
		t.Fatal(err)
	}
	uses := &placing.Service{Store: db, Now: db.Now, AreaConfigured: true}
	pages := &web.Server{Placing: uses, Store: db, Demo: demoPeople}
	for _, o := range opts {
		o(pages)
	}
	srv := httptest.NewServer(pages.Handler())
	t.Cleanup(srv.Close)
	t.Cleanup(func() { replayEveryRun(t, db) })
	return &site{Server: srv, DB: db, Uses: uses, Clock: clk, Pages: pages, Cfg: cfg}
}

// replayEveryRun replays every match run the pages stored, with a service of its
// own, and fails when one does not replay identically.
func replayEveryRun(t testing.TB, db *store.DB) {
	ids, err := db.MatchRunIDs(ctx)
	if err != nil {
		t.Errorf("replay: %v", err)
		return
	}
	svc := &placing.Service{Store: db, Now: db.Now}
	for _, id := range ids {
		if r, err := svc.Replay(ctx, id); err != nil || !r.Identical {
			t.Errorf("run %s does not replay identically: %+v, %v", id, r, err)
		}
	}
}

// client is a browser-like HTTP client with its own cookies that does not follow
// redirects, so that each answer can be checked.
func (s *site) client(t testing.TB) *http.Client {
	jar, err := cookiejar.New(nil)
	must(t, err)
	return &http.Client{Jar: jar, CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
}

// signIn signs c in as the demo person key: a commissioner starts on the
// dashboard, anyone else on the queue.
func (s *site) signIn(t testing.TB, c *http.Client, key string) {
	t.Helper()
	res := s.post(t, c, "/sign-in/demo", url.Values{"person": {key}}, nil)
	if loc := res.Header.Get("Location"); res.StatusCode != http.StatusSeeOther ||
		loc != "/queue" && loc != "/dashboard" && loc != "/units" && !strings.HasPrefix(loc, "/carers/") { // each role's own start
		t.Fatalf("demo sign-in: %d to %q", res.StatusCode, res.Header.Get("Location"))
	}
}

type page struct {
	*http.Response
	Body string
}

func (s *site) get(t testing.TB, c *http.Client, path string) page {
	t.Helper()
	res, err := c.Get(s.URL + path)
	must(t, err)
	defer res.Body.Close()
	b, err := io.ReadAll(res.Body)
	must(t, err)
	return page{res, string(b)}
}

// post sends a form as a browser on the same site would (Sec-Fetch-Site), with
// any headers given added.
func (s *site) post(t testing.TB, c *http.Client, path string, form url.Values, hdr http.Header) page {
	t.Helper()
	req, err := http.NewRequest(http.MethodPost, s.URL+path, strings.NewReader(form.Encode()))
	must(t, err)
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("Sec-Fetch-Site", "same-origin")
	for k, v := range hdr {
		req.Header[k] = v
	}
	res, err := c.Do(req)
	must(t, err)
	defer res.Body.Close()
	b, err := io.ReadAll(res.Body)
	must(t, err)
	return page{res, string(b)}
}

// rankedChild finds a child awaiting, alone (no sibling group), with at least
// two ranked homes and at least one excluded home of a name, through the use
// cases, as the test's way to choose whom the journey is for.
func (s *site) rankedChild(t testing.TB) (child *placematch.Child, excluded placematch.ProviderRef) {
	t.Helper()
	q, err := s.Uses.Queue(ctx, placing.QueueFilter{})
	must(t, err)
	for _, c := range q {
		if len(c.Siblings) > 0 {
			continue
		}
		run, err := s.Uses.Match(ctx, placing.MatchRequest{ChildID: c.ID,
			Options: matching.Options{Limit: matching.DefaultLimit, IncludeExcluded: true}})
		must(t, err)
		if len(run.Matches) >= 2 && len(run.Excluded) > 0 && run.Excluded[0].Provider.Name != "" {
			return c, run.Excluded[0].Provider
		}
	}
	t.Fatal("the demo has no child alone with two ranked homes")
	return nil, placematch.ProviderRef{}
}

func matchAll(childID string) placing.MatchRequest {
	return placing.MatchRequest{ChildID: childID, Options: matching.Options{Limit: matching.DefaultLimit, IncludeExcluded: true}}
}
