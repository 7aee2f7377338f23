package web_test

import (
	"encoding/json"
	"html/template"
	"net"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"regexp"
	"strings"
	"testing"
	"time"

	"placematch"
	"placematch/store"
	"placematch/store/storetest"
	"placematch/web"
)

// The demo sign-in exists only when demo people are configured (serve --demo):
// without them its pages are not found, and signing in that way is impossible.
func TestDemoSignInExistsOnlyWithDemo(t *testing.T) {
	for _, d := range storetest.Dialects() {
		t.Run(d, func(t *testing.T) {
			t.Parallel()
			plain := newSite(t, d, withoutDemo)
			c := plain.client(t)
			if p := plain.get(t, c, "/sign-in/demo"); p.StatusCode != http.StatusNotFound {
				t.Fatalf("GET /sign-in/demo without --demo: %d", p.StatusCode)
			}
			if p := plain.post(t, c, "/sign-in/demo", url.Values{"person": {"officer"}}, nil); p.StatusCode != http.StatusNotFound ||
				len(p.Cookies()) != 0 {
				t.Fatalf("POST /sign-in/demo without --demo: %d, cookies %v", p.StatusCode, p.Cookies())
			}
			if p := plain.get(t, c, "/sign-in"); p.StatusCode != http.StatusOK || strings.Contains(p.Body, "/sign-in/demo") ||
				!strings.Contains(p.Body, "not set up") {
				t.Fatalf("sign-in page without --demo or OIDC: %d\n%s", p.StatusCode, p.Body)
			}
			if p := plain.get(t, c, "/queue"); p.StatusCode != http.StatusSeeOther {
				t.Fatalf("queue without a session: %d", p.StatusCode)
			}

			withDemo := newSite(t, d)
			c = withDemo.client(t)
			if p := withDemo.get(t, c, "/sign-in/demo"); p.StatusCode != http.StatusOK || !strings.Contains(p.Body, "Sam Okafor") {
				t.Fatalf("GET /sign-in/demo with --demo: %d", p.StatusCode)
			}
			withDemo.signIn(t, c, "officer")
			if p := withDemo.get(t, c, "/queue"); p.StatusCode != http.StatusOK {
				t.Fatalf("queue after demo sign-in: %d", p.StatusCode)
			}
		})
	}
}

// Every answer carries the security headers: a CSP with no inline script and no
// eval, framing refused, no referrer, no sniffing. Static files have hashed names
// and a year's caching; a name with another hash is not found.
func TestSecurityHeadersOnEveryPage(t *testing.T) {
	s := newSite(t, store.SQLite)
	c := s.client(t)
	s.signIn(t, c, "officer")
	child, _ := s.rankedChild(t)
	paths := []string{"/sign-in/demo", "/queue", "/children/" + child.ID, "/placements", "/accessibility", "/no-such-page", "/docs"}
	for _, path := range paths {
		p := s.get(t, c, path)
		csp := p.Header.Get("Content-Security-Policy")
		for _, want := range []string{"script-src 'self'", "frame-ancestors 'none'", "default-src 'none'", "style-src 'self'"} {
			if !strings.Contains(csp, want) {
				t.Errorf("%s: CSP %q lacks %q", path, csp, want)
			}
		}
		for _, bad := range []string{"unsafe-inline", "unsafe-eval", "*"} {
			if strings.Contains(csp, bad) {
				t.Errorf("%s: CSP %q allows %s", path, csp, bad)
			}
		}
		if p.Header.Get("X-Content-Type-Options") != "nosniff" || p.Header.Get("Referrer-Policy") != "no-referrer" ||
			p.Header.Get("Cache-Control") != "no-store" {
			t.Errorf("%s: headers %v", path, p.Header)
		}
		if regexp.MustCompile(`<script>|<script [^>]*>[^<]`).MatchString(p.Body) || strings.Contains(p.Body, " style=") {
			t.Errorf("%s: the page has an inline script or style", path)
		}
	}
	q := s.get(t, c, "/queue")
	css := regexp.MustCompile(`href="(/static/vendor/govuk-frontend/govuk-frontend\.min\.[0-9a-f]{12}\.css)"`).FindStringSubmatch(q.Body)
	js := regexp.MustCompile(`src="(/static/app/app\.[0-9a-f]{12}\.js)"`).FindStringSubmatch(q.Body)
	if css == nil || js == nil {
		t.Fatalf("no hashed stylesheet or script on the queue page")
	}
	for _, u := range []string{css[1], js[1]} {
		a := s.get(t, c, u)
		if a.StatusCode != http.StatusOK || a.Header.Get("Cache-Control") != "public, max-age=31536000, immutable" {
			t.Errorf("%s: %d, Cache-Control %q", u, a.StatusCode, a.Header.Get("Cache-Control"))
		}
	}
	sheet := s.get(t, c, css[1]).Body
	// The GDS Transport fonts and the crest are GOV.UK's alone: neither named nor
	// served, and the service's own stylesheet sets Arial.
	if strings.Contains(sheet, "@font-face") || strings.Contains(sheet, "GDS Transport;") || strings.Contains(sheet, "url(/assets/") ||
		strings.Contains(sheet, "govuk-crest") || strings.Contains(sheet, "fonts/") {
		t.Fatal("the stylesheet still names GOV.UK's fonts or crest")
	}
	for _, f := range []string{"/static/vendor/govuk-frontend/assets/fonts/bold-b542beb274-v2.woff2", "/assets/fonts/bold-b542beb274-v2.woff2",
		"/static/vendor/govuk-frontend/assets/images/govuk-crest.svg"} {
		if p := s.get(t, c, f); p.StatusCode != http.StatusNotFound {
			t.Errorf("%s: %d, want 404", f, p.StatusCode)
		}
	}
	own := regexp.MustCompile(`href="(/static/app/app\.[0-9a-f]{12}\.css)"`).FindStringSubmatch(q.Body)
	if own == nil || !strings.Contains(s.get(t, c, own[1]).Body, "font-family: arial, sans-serif !important") {
		t.Error("the service's stylesheet does not set Arial")
	}
	stale := regexp.MustCompile(`\.[0-9a-f]{12}\.css$`).ReplaceAllString(css[1], ".000000000000.css")
	if p := s.get(t, c, stale); p.StatusCode != http.StatusNotFound {
		t.Errorf("a stylesheet under another hash: %d", p.StatusCode)
	}
}

// A form sent from another site is refused before it changes anything: a sign-in
// (login CSRF) and the ending of a placement.
func TestCrossSiteFormsAreRefused(t *testing.T) {
	for _, d := range storetest.Dialects() {
		t.Run(d, func(t *testing.T) {
			t.Parallel()
			s := newSite(t, d)
			c := s.client(t)
			p := s.post(t, c, "/sign-in/demo", url.Values{"person": {"officer"}}, http.Header{"Sec-Fetch-Site": {"cross-site"}})
			if p.StatusCode != http.StatusForbidden || len(p.Cookies()) != 0 {
				t.Fatalf("cross-site sign-in: %d, cookies %v", p.StatusCode, p.Cookies())
			}
			s.signIn(t, c, "officer")
			child, _ := s.rankedChild(t)
			pls, err := s.Uses.Book(ctx, store.BookRequest{ChildID: child.ID, Provider: mustRanked(t, s, child.ID), StartDate: placematch.DateOf(s.Clock.Now())})
			must(t, err)
			for name, hdr := range map[string]http.Header{
				"another site's origin":  {"Sec-Fetch-Site": nil, "Origin": {"https://attacker.example"}},
				"sec-fetch-site says so": {"Sec-Fetch-Site": {"cross-site"}},
			} {
				p := s.post(t, c, "/placements/"+pls[0].ID+"/end", url.Values{"end_reason": {"CARPL"}}, hdr)
				if p.StatusCode != http.StatusForbidden {
					t.Errorf("%s: %d", name, p.StatusCode)
				}
			}
			got, err := s.DB.GetPlacement(ctx, pls[0].ID)
			must(t, err)
			if got.Status != placematch.PlacementActive {
				t.Fatalf("a refused cross-site form ended the placement: %s", got.Status)
			}
		})
	}
}

func mustRanked(t testing.TB, s *site, childID string) placematch.ProviderRef {
	t.Helper()
	run, err := s.Uses.Match(ctx, matchAll(childID))
	must(t, err)
	return run.Matches[0].Provider
}

// The session cookie is HttpOnly and SameSite=Lax, and not Secure only because the
// test server answers plain HTTP on loopback. The session ends after the idle
// timeout, after the absolute timeout however busy, and at sign-out, when the
// token it held is worthless even if copied.
func TestSessionCookieTimeoutsAndSignOut(t *testing.T) {
	for _, d := range storetest.Dialects() {
		t.Run(d, func(t *testing.T) {
			t.Parallel()
			s := newSite(t, d)
			c := s.client(t)
			p := s.post(t, c, "/sign-in/demo", url.Values{"person": {"officer"}}, nil)
			var sess *http.Cookie
			for _, ck := range p.Cookies() {
				if ck.Name == "placematch_session" {
					sess = ck
				}
			}
			if sess == nil || !sess.HttpOnly || sess.SameSite != http.SameSiteLaxMode || sess.Secure || len(sess.Value) < 40 {
				t.Fatalf("session cookie %+v", sess)
			}
			signedIn := func() bool {
				t.Helper()
				return s.get(t, c, "/queue").StatusCode == http.StatusOK
			}
			if !signedIn() {
				t.Fatal("not signed in after sign-in")
			}
			s.Clock.Add(29 * time.Minute)
			if !signedIn() {
				t.Fatal("signed out before the idle timeout")
			}
			s.Clock.Add(31 * time.Minute)
			if signedIn() {
				t.Fatal("still signed in after 31 minutes idle")
			}

			s.signIn(t, c, "officer")
			for i := 0; i < 10*3-1; i++ { // busy every 20 minutes for 9 h 40 min
				s.Clock.Add(20 * time.Minute)
				if !signedIn() {
					t.Fatalf("signed out after %d busy periods", i+1)
				}
			}
			s.Clock.Add(21 * time.Minute)
			if signedIn() {
				t.Fatal("still signed in past the absolute timeout")
			}

			s.signIn(t, c, "officer")
			u, _ := url.Parse(s.URL)
			token := c.Jar.Cookies(u)[0].Value
			if p := s.post(t, c, "/sign-out", nil, nil); p.StatusCode != http.StatusSeeOther || p.Header.Get("Location") != "/signed-out" {
				t.Fatalf("sign-out: %d %q", p.StatusCode, p.Header.Get("Location"))
			}
			copied := s.client(t)
			copied.Jar.SetCookies(u, []*http.Cookie{{Name: "placematch_session", Value: token}})
			if p := s.get(t, copied, "/queue"); p.StatusCode != http.StatusSeeOther {
				t.Fatalf("the token of a signed-out session still works: %d", p.StatusCode)
			}
		})
	}
}

// Only placement officers (and admins) use the desk: a commissioner signed in is
// refused with a page saying so.
func TestDeskIsForOfficers(t *testing.T) {
	s := newSite(t, store.SQLite)
	c := s.client(t)
	s.signIn(t, c, "commissioner")
	if p := s.get(t, c, "/queue"); p.StatusCode != http.StatusForbidden || !strings.Contains(p.Body, "for placement officers") {
		t.Fatalf("commissioner on the queue: %d", p.StatusCode)
	}
}

// A booking refused by the use case shows the GOV.UK error summary linked to the
// field, from the same field errors the API answers as problem details, and
// books nothing; the split reason is asked for when siblings would be left.
func TestBookingErrorsAreLinkedToTheFields(t *testing.T) {
	for _, d := range storetest.Dialects() {
		t.Run(d, func(t *testing.T) {
			t.Parallel()
			s := newSite(t, d)
			c := s.client(t)
			s.signIn(t, c, "officer")
			child, _ := s.rankedChild(t)
			run, err := s.Uses.Match(ctx, matchAll(child.ID))
			must(t, err)
			book := "/matches/" + run.MatchID + "/book"
			today := placematch.DateOf(s.Clock.Now()).String()
			for _, tc := range []struct {
				name  string
				form  url.Values
				field string
				text  string
			}{
				{"rank 2 without a reason", url.Values{"rank": {"2"}, "start_date": {today}}, "decision_reason",
					"Decision reason is required when the chosen match is not rank 1."},
				{"no start date", url.Values{"rank": {"1"}}, "start_date", "Enter the start date"},
				{"not a date", url.Values{"rank": {"1"}, "start_date": {"2026-02-30"}}, "start_date", "must be a real date"},
				{"years ago", url.Values{"rank": {"1"}, "start_date": {"2020-01-01"}}, "start_date", "must not be more than 1 year before today"},
			} {
				p := s.post(t, c, book, tc.form, nil)
				if p.StatusCode != http.StatusUnprocessableEntity {
					t.Errorf("%s: %d", tc.name, p.StatusCode)
					continue
				}
				if !strings.Contains(p.Body, `<a href="#`+tc.field+`">`) || !strings.Contains(p.Body, `id="`+tc.field+`-error"`) ||
					!strings.Contains(p.Body, `id="`+tc.field+`"`) || !strings.Contains(p.Body, tc.text) ||
					!strings.Contains(p.Body, "<title>Error: ") {
					t.Errorf("%s: no summary linked to %s saying %q", tc.name, tc.field, tc.text)
				}
			}
			got, err := s.DB.GetChild(ctx, child.ID)
			must(t, err)
			if got.Status != placematch.ChildAwaiting {
				t.Fatalf("a refused booking placed the child: %s", got.Status)
			}
			if p := s.post(t, c, book, url.Values{"rank": {"9999"}, "start_date": {today}}, nil); p.StatusCode != http.StatusNotFound {
				t.Errorf("a rank the run does not have: %d", p.StatusCode)
			}
		})
	}
}

// The map's data: the run's places as GeoJSON (the child's home and every ranked
// home, numbered), and the council's districts when a boundary file is
// configured; without one there is no base layer to fetch.
func TestMapData(t *testing.T) {
	districts, err := os.ReadFile("../../shared/data/boundaries/norfolk_districts.geojson")
	must(t, err)
	s := newSite(t, store.SQLite, func(p *web.Server) { p.Boundaries = districts })
	c := s.client(t)
	s.signIn(t, c, "officer")
	child, _ := s.rankedChild(t)
	run, err := s.Uses.Match(ctx, matchAll(child.ID))
	must(t, err)
	p := s.get(t, c, "/matches/"+run.MatchID+"/map.geojson")
	var fc struct {
		Features []struct {
			Geometry struct {
				Type        string          `json:"type"`
				Coordinates json.RawMessage `json:"coordinates"`
			} `json:"geometry"`
			Properties struct {
				Kind string `json:"kind"`
				Rank int    `json:"rank"`
			} `json:"properties"`
		} `json:"features"`
	}
	must(t, json.Unmarshal([]byte(p.Body), &fc))
	var ranks []int
	homes := 0
	for _, f := range fc.Features {
		switch f.Properties.Kind {
		case "match":
			ranks = append(ranks, f.Properties.Rank)
		case "home":
			homes++
			var at []float64
			must(t, json.Unmarshal(f.Geometry.Coordinates, &at))
			if len(at) != 2 || at[0] != child.Location.Lon || at[1] != child.Location.Lat {
				t.Errorf("the home is drawn at %v", at)
			}
		}
	}
	if homes != 1 || len(ranks) != len(run.Matches) || ranks[0] != 1 {
		t.Fatalf("map of the run: %d homes, ranks %v for %d matches", homes, ranks, len(run.Matches))
	}
	if b := s.get(t, c, "/map/boundaries.geojson"); b.StatusCode != http.StatusOK || b.Body != string(districts) {
		t.Fatalf("boundaries: %d", b.StatusCode)
	}
	if !strings.Contains(s.get(t, c, "/matches/"+run.MatchID).Body, `data-boundaries="/map/boundaries.geojson"`) {
		t.Error("the matches page does not name the base layer")
	}
	plain := newSite(t, store.SQLite)
	pc := plain.client(t)
	plain.signIn(t, pc, "officer")
	if b := plain.get(t, pc, "/map/boundaries.geojson"); b.StatusCode != http.StatusNotFound {
		t.Fatalf("boundaries with none configured: %d", b.StatusCode)
	}
}

// PLACEMATCH_MAP_TILES is a URL template and an attribution; anything else is
// refused at start.
func TestParseTiles(t *testing.T) {
	good, err := web.ParseTiles("https://tiles.example.org/{z}/{x}/{y}.png| © Example ")
	if err != nil || good.URL != "https://tiles.example.org/{z}/{x}/{y}.png" || good.Attribution != "© Example" {
		t.Fatalf("a good value: %+v, %v", good, err)
	}
	for _, bad := range []string{"https://tiles.example.org/{z}/{x}/{y}.png", "https://tiles.example.org/{z}/{x}.png|© Example",
		"ftp://tiles.example.org/{z}/{x}/{y}.png|© Example", "/{z}/{x}/{y}.png|© Example", "https://t/{z}/{x}/{y}.png|  "} {
		if _, err := web.ParseTiles(bad); err == nil {
			t.Errorf("%q was accepted", bad)
		}
	}
}

// What an officer does through the pages is on the same audit trail as the API's:
// who ran a search, booked and ended, with the records.
func TestPagesWriteTheAuditTrail(t *testing.T) {
	s := newSite(t, store.SQLite)
	c := s.client(t)
	s.signIn(t, c, "officer")
	child, _ := s.rankedChild(t)
	p := s.post(t, c, "/children/"+child.ID+"/matches", nil, nil)
	runPath := p.Header.Get("Location")
	today := placematch.DateOf(s.Clock.Now()).String()
	p = s.post(t, c, runPath+"/book", url.Values{"rank": {"1"}, "start_date": {today}}, nil)
	if p.StatusCode != http.StatusSeeOther {
		t.Fatalf("booking: %d", p.StatusCode)
	}
	placement := strings.TrimSuffix(strings.TrimPrefix(p.Header.Get("Location"), "/placements/"), "?booked=1")
	if p := s.post(t, c, "/placements/"+placement+"/end", url.Values{"end_reason": {"CHILD"}, "version": {"1"}}, nil); p.StatusCode != http.StatusSeeOther {
		t.Fatalf("ending: %d", p.StatusCode)
	}
	page, err := s.DB.ListAudit(ctx, store.AuditFilter{Subject: "demo-officer", Limit: 100})
	must(t, err)
	got := map[string]store.AuditEvent{}
	for _, e := range page.Items {
		got[e.Action] = e
	}
	for action, id := range map[string]string{"web.match.run": child.ID, "web.placement.create": placement, "web.placement.update": placement} {
		e, ok := got[action]
		if !ok || e.ResourceID != id || e.Role != "placement_officer" || e.Outcome != "success" {
			t.Errorf("audit %s: %+v (found %v)", action, e, ok)
		}
	}
}

// The session cookie is Secure whenever the service is not answering plain HTTP on
// a loopback address: here, plain HTTP on the machine's own network address.
func TestSessionCookieIsSecureOffLoopback(t *testing.T) {
	ip := nonLoopbackIP(t)
	s := newSite(t, store.SQLite)
	ln, err := net.Listen("tcp", net.JoinHostPort(ip, "0"))
	must(t, err)
	srv := httptest.NewUnstartedServer(s.Config.Handler)
	srv.Listener = ln
	srv.Start()
	defer srv.Close()
	req, _ := http.NewRequest(http.MethodPost, srv.URL+"/sign-in/demo", strings.NewReader("person=officer"))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	res, err := s.client(t).Do(req)
	must(t, err)
	res.Body.Close()
	cookies := res.Cookies()
	if res.StatusCode != http.StatusSeeOther || len(cookies) == 0 || !cookies[0].Secure || !cookies[0].HttpOnly {
		t.Fatalf("sign-in on %s: %d, cookies %+v", ip, res.StatusCode, cookies)
	}
}

// nonLoopbackIP is an address of this machine that is not loopback; a machine
// with none fails the test rather than skip it.
func nonLoopbackIP(t *testing.T) string {
	addrs, err := net.InterfaceAddrs()
	must(t, err)
	for _, a := range addrs {
		if n, ok := a.(*net.IPNet); ok && !n.IP.IsLoopback() && n.IP.To4() != nil {
			return n.IP.String()
		}
	}
	t.Fatal("this machine has no IPv4 address but loopback")
	return ""
}

// The matches page shows what the officer needs to act on each ranked home, as
// the run recorded it: how to reach the household, the supervising social worker,
// the cost, and the reasons.
func TestMatchesPageShowsWhatTheOfficerActsOn(t *testing.T) {
	s := newSite(t, store.SQLite)
	c := s.client(t)
	s.signIn(t, c, "officer")
	child, _ := s.rankedChild(t)
	run, err := s.Uses.Match(ctx, matchAll(child.ID))
	must(t, err)
	body := s.get(t, c, "/matches/"+run.MatchID).Body
	shown := 0
	for _, m := range run.Matches {
		want := []string{m.Provider.Name}
		if m.Band != "" {
			want = append(want, ">"+strings.ToUpper(m.Band[:1])+m.Band[1:]+" match<")
		}
		if m.Act.Contact.Phone != "" {
			want = append(want, m.Act.Contact.Phone)
		}
		if w := m.Act.SupervisingSocialWorker; w != nil {
			want = append(want, w.Name)
		}
		if len(m.Reasons) > 0 {
			want = append(want, template.HTMLEscapeString(m.Reasons[0]))
		}
		for _, w := range want {
			if !strings.Contains(body, w) {
				t.Errorf("rank %d: the page does not show %q", m.Rank, w)
			}
		}
		shown += len(want)
	}
	if shown < 3*len(run.Matches) {
		t.Fatalf("only %d facts checked for %d matches: the demo records no contacts?", shown, len(run.Matches))
	}
}

// The officer's page of a run shows the child's wishes and feelings beside the
// ranking, as recorded when the run was made, and its near misses.
func TestMatchPageShowsWishesAndNearMisses(t *testing.T) {
	s := newSite(t, store.SQLite)
	c := s.client(t)
	s.signIn(t, c, "officer")
	child, _ := s.rankedChild(t)
	said := "Wants to stay at her school & near her nan."
	_, err := s.DB.UpdateChild(ctx, child.ID, 0, func(ch *placematch.Child) error {
		ch.Wishes = &placematch.Wishes{Text: said, RecordedBy: "social worker SW-1", RecordedAt: storetest.Clock.Add(-time.Hour)}
		return nil
	})
	must(t, err)
	run, err := s.Uses.Match(ctx, matchAll(child.ID))
	must(t, err)
	p := s.get(t, c, "/matches/"+run.MatchID)
	if !strings.Contains(p.Body, "Wants to stay at her school &amp; near her nan.") || !strings.Contains(p.Body, "recorded by social worker SW-1") {
		t.Fatalf("wishes not shown:\n%s", p.Body)
	}
	if len(run.NearMisses) == 0 || !strings.Contains(p.Body, template.HTMLEscapeString(run.NearMisses[0].Change)) {
		t.Fatalf("near misses %+v not shown", run.NearMisses)
	}
}
