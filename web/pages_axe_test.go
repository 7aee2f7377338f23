package web_test

import (
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"placematch/placing"
	"placematch/store"
	"placematch/web"
)

// openStatus navigates and wants status.
func (j *journey) openStatus(path string, status int64) {
	j.t.Helper()
	res, err := chromedp.Run(j.ctx, chromedp.NavigateResponse(j.site.URL+path))
	if err != nil {
		j.t.Fatalf("open %s: %v", path, err)
	}
	if res.Status != status {
		j.t.Fatalf("open %s: status %d, want %d", path, res.Status, status)
	}
}

// The pages the journey does not pass through pass axe-core's WCAG 2.2 A and AA
// rules and cause no Content-Security-Policy violation too: the error pages (403,
// 404, 503, a form from another site), every variant of the sign-in page, the demo
// sign-in's error, the queue's, the placements' and the comparison's errors, and
// booking for a sibling group with and without the split reason's error (which is
// linked to #split_reason).
func TestEveryOtherPagePassesAxe(t *testing.T) {
	s := newSite(t, store.SQLite, withEveryRole, func(p *web.Server) {
		p.OIDC = &web.OIDC{Issuer: "http://127.0.0.1:1", ClientID: "x", ClientSecret: "y", RedirectURL: "http://127.0.0.1/sign-in/callback"}
	})
	j := &journey{t: t, ctx: newBrowser(t, true), site: s, js: true}

	j.open("/sign-in")
	j.check("sign-in-oidc-and-demo")
	j.openStatus("/sign-in/oidc", http.StatusServiceUnavailable)
	j.wantText("h1", "Sign-in is unavailable")
	j.check("error-503")
	j.open("/sign-in/demo")
	if _, err := chromedp.Run(j.ctx, chromedp.Evaluate[bool](`(() => { document.querySelectorAll("input[name=person]").forEach(i => i.checked = false); return true })()`)); err != nil {
		t.Fatal(err)
	}
	j.follow(`form[action="/sign-in/demo"] button[type=submit]`, http.StatusUnprocessableEntity)
	j.wantText(".govuk-error-summary", "Select who to sign in as")
	j.check("demo-sign-in-error")

	j.click("#person-commissioner")
	j.follow(`form[action="/sign-in/demo"] button[type=submit]`, http.StatusOK)
	j.wantText("h1", "Sufficiency of homes")
	j.openStatus("/queue", http.StatusForbidden)
	j.check("error-403")
	j.follow(`form[action="/sign-out"] button`, 200)

	j.open("/sign-in/demo")
	j.follow(`form[action="/sign-in/demo"] button[type=submit]`, 200)
	j.openStatus("/no-such-page", http.StatusNotFound)
	j.check("error-404")
	j.openStatus("/queue?urgency=whenever", http.StatusUnprocessableEntity)
	j.check("queue-error")
	j.openStatus("/placements?status=lost", http.StatusUnprocessableEntity)
	j.check("placements-error")

	q, err := s.Uses.Queue(ctx, placing.QueueFilter{})
	must(t, err)
	var runID string
	for _, c := range q {
		if len(c.Siblings) == 0 {
			continue
		}
		run, err := s.Uses.Match(ctx, matchAll(c.ID))
		must(t, err)
		if len(run.Group) > 1 && len(run.Matches) > 1 {
			runID = run.MatchID
			break
		}
	}
	if runID == "" {
		t.Fatal("the demo has no sibling group with two ranked homes")
	}
	j.openStatus("/matches/"+runID+"/compare?rank=1", http.StatusUnprocessableEntity)
	j.check("compare-error")
	before, err := s.DB.ListPlacements(ctx, store.PlacementFilter{Limit: 500})
	must(t, err)
	j.open("/matches/" + runID + "/book?rank=1")
	j.check("book-sibling-group")
	j.click("#include_siblings-no")
	j.follow(`#book-form button[type=submit]`, http.StatusUnprocessableEntity)
	if href := j.attr(`.govuk-error-summary a[href="#split_reason"]`, "href"); href != "#split_reason" {
		t.Fatalf("the split reason's error links to %q", href)
	}
	j.wantText("#split_reason-error", "")
	j.check("book-sibling-group-split-error")
	pls, err := s.DB.ListPlacements(ctx, store.PlacementFilter{Limit: 500})
	must(t, err)
	if len(pls.Items) != len(before.Items) {
		t.Fatalf("a refused booking stored %d placements", len(pls.Items)-len(before.Items))
	}

	// A form sent from another site is refused with its own page.
	other := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		fmt.Fprintf(w, `<!DOCTYPE html><html lang="en"><head><title>Other</title></head><body><main><form method="post" action="%s/sign-out"><button id="go">Go</button></form></main></body></html>`, s.URL)
	}))
	defer other.Close()
	must(t, chromedp.Do(j.ctx, chromedp.Navigate(strings.Replace(other.URL, "127.0.0.1", "localhost", 1))))
	j.follow("#go", http.StatusForbidden)
	j.wantText("h1", "This form was sent from another site")
	j.check("error-cross-site")

	plain := newSite(t, store.SQLite, withoutDemo)
	pj := &journey{t: t, ctx: newBrowser(t, true), site: plain, js: true}
	pj.open("/sign-in")
	pj.check("sign-in-unconfigured")
	if len(j.pages)+len(pj.pages) != 12 {
		t.Fatalf("pages checked: %v %v", j.pages, pj.pages)
	}
}
