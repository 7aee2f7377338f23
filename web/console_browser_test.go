package web_test

import (
	"os"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"placematch"
	"placematch/jobs"
	"placematch/store"
	"placematch/store/storetest"
)

// The admin's journey through the console in a real browser, with JavaScript on
// and off, on both engines: sign in as the demo admin, open the console from the
// navigation, see the jobs (the feed import never run), run the feed import now
// and see its new last run with its counts and the rejected row, see the provider
// feeds (one applied with a row rejected, one failed as a whole), search the audit
// trail for the run (and give it a time it cannot read: the error summary, linked
// to the field), and see the people signed in. axe-core checks every page for
// WCAG 2.2 A and AA and no page breaks the Content-Security-Policy;
// PLACEMATCH_SCREENSHOTS=1 saves each page under docs/screenshots (SQLite,
// JavaScript on).
func TestAdminConsoleInChromium(t *testing.T) {
	for _, d := range storetest.Dialects() {
		for _, js := range []bool{true, false} {
			name := d + "/javascript-on"
			if !js {
				name = d + "/javascript-off"
			}
			t.Run(name, func(t *testing.T) {
				shots := os.Getenv("PLACEMATCH_SCREENSHOTS") == "1" && d == store.SQLite && js
				if shots {
					must(t, os.MkdirAll(screenshots, 0o755))
				}
				s := newSite(t, d, withAdmin, withJobs(t))
				good, broken := s.withFeeds(t)
				j := &journey{t: t, ctx: newBrowser(t, js), site: s, js: js, shots: shots}
				j.console(good, broken)
			})
		}
	}
}

func (j *journey) console(good, broken *placematch.Feed) {
	t := j.t
	j.open("/sign-in/demo")
	j.click("#person-admin")
	j.follow(`form[action="/sign-in/demo"] button[type=submit]`, 200)
	j.follow(`.govuk-service-navigation a[href="/console/jobs"]`, 200)
	j.wantText("h1", "Jobs")
	feeds := "#job-" + jobs.NameFeeds
	j.wantText(feeds+" [data-last-run]", "Never run")
	j.wantText(feeds, "30 5 * * *")
	j.check("console-01-jobs")

	j.follow("#run-"+jobs.NameFeeds, 200)
	j.wantText("#run-started", "A run of "+jobs.NameFeeds+" was started")
	last, err := j.site.DB.LastJobRun(ctx, jobs.NameFeeds)
	must(t, err)
	run := j.site.waitRun(t, last.ID)
	if run.Trigger != placematch.TriggerManual || run.Status != placematch.RunFailed || run.Counts["rows_applied"] != 1 ||
		run.Counts["rows_rejected"] != 1 || run.Counts["feeds_failed"] != 1 {
		t.Fatalf("the run started from the console: %+v", run)
	}
	j.open("/console/jobs?started=" + run.ID)
	j.wantText(feeds+` [data-last-run="`+run.ID+`"]`, "Manual")
	j.wantText(feeds+" [data-outcome]", "Failed")
	j.wantText(feeds, "Rows applied: 1")
	j.wantText(feeds, "Rows rejected: 1")
	j.wantText(feeds, good.Name+", row 2, unit FEED-U1")
	j.wantText(feeds, broken.Name+": fetch failed")
	j.check("console-02-job-run", feeds)

	j.follow(`.pm-console-nav a[href="/console/feeds"]`, 200)
	j.wantText(`[data-feed="`+good.Name+`"] [data-result]`, "Applied, some rows rejected")
	j.wantText(`[data-feed="`+good.Name+`"] [data-applied]`, "1")
	j.wantText(`[data-feed="`+good.Name+`"] [data-rejected]`, "1")
	j.wantText(`[data-feed="`+good.Name+`"]`, "vacancies \"lots\" is not a whole number")
	j.wantText(`[data-feed="`+broken.Name+`"] [data-applied]`, "0")
	j.wantText(`[data-feed="`+broken.Name+`"] [data-result]`, "Failed: nothing applied")
	j.wantText(`[data-feed="`+broken.Name+`"]`, "HTTP status 500")
	j.wantText("#feed-run-counts", "Rows applied:")
	j.check("console-03-feeds")

	j.follow(`.pm-console-nav a[href="/console/audit"]`, 200)
	j.check("console-04-audit")
	j.typeInto("#resource", run.ID)
	j.follow(`form[action="/console/audit"] button[type=submit]`, 200)
	if n := j.count("#audit-events tbody tr"); n != 1 {
		t.Fatalf("the audit trail of run %s: %d events", run.ID, n)
	}
	j.wantText("#audit-events tbody", "web.job.run")
	j.wantText("#audit-events tbody", "demo-admin")
	j.check("console-05-audit-found")
	j.typeInto("#from", "last Tuesday")
	j.follow(`form[action="/console/audit"] button[type=submit]`, 422)
	j.wantText(".govuk-error-summary", "Enter the start as a date")
	j.wantText("#from-error", "Enter the start as a date")
	j.check("console-06-audit-error")
	must(t, chromedp.Do(j.ctx, chromedp.Click(chromedp.CSS(`.govuk-error-summary a[href="#from"]`))))
	if j.js {
		focused, err := chromedp.Run(j.ctx, chromedp.Evaluate[string](`document.activeElement.id`))
		must(t, err)
		if focused != "from" {
			t.Fatalf("the error summary's link focused %q, want the start's field", focused)
		}
	} else if loc := j.location(); !strings.HasSuffix(loc, "#from") {
		t.Fatalf("the error summary's link led to %s", loc)
	}

	j.open("/console/people")
	j.wantText(`[data-subject="demo-admin"] [data-role]`, "administrator")
	j.wantText(".govuk-inset-text", "keeps no list of users of its own")
	j.check("console-07-people")
	if len(j.pages) != 7 {
		t.Fatalf("pages checked: %v", j.pages)
	}
}

// The API reference in a real browser, not signed in: with JavaScript, Swagger UI
// (vendored) renders every operation of openapi.yaml, an operation's summary is
// visible and opens on a click, nothing breaks the Content-Security-Policy and
// nothing is asked of another site; without it, the page links the document and
// shows no renderer. Every problem type page is linked. axe-core checks the
// page's own markup for WCAG 2.2 A and AA; the operations Swagger UI draws
// (#swagger-ui) are third-party markup and left out of that check (README,
// "Accessibility").
func TestAPIReferenceInChromium(t *testing.T) {
	for _, js := range []bool{true, false} {
		name := "javascript-on"
		if !js {
			name = "javascript-off"
		}
		t.Run(name, func(t *testing.T) {
			shots := os.Getenv("PLACEMATCH_SCREENSHOTS") == "1" && js
			s := newSite(t, store.SQLite)
			j := &journey{t: t, ctx: newBrowser(t, js), site: s, js: js, shots: shots, axeExclude: "#swagger-ui"}
			j.open("/docs")
			j.wantText("h1", "API reference")
			if n := j.count(`#problem-types a[href^="/problems/"]`); n < 10 {
				t.Fatalf("%d problem types linked", n)
			}
			if !j.js {
				j.wantText("#docs-no-js", "openapi.yaml")
				if n := j.count("#swagger-ui *"); n != 0 {
					t.Fatalf("without JavaScript the renderer drew %d elements", n)
				}
				j.check("docs-api-reference-no-js")
				return
			}
			op := `.opblock-summary-description`
			if err := chromedp.Do(j.ctx, chromedp.WaitVisible(chromedp.CSS(`#swagger-ui `+op))); err != nil {
				t.Fatalf("Swagger UI drew no operation: %v", err)
			}
			if n := j.count(`#swagger-ui .opblock`); n < 50 {
				t.Fatalf("Swagger UI drew %d operations", n)
			}
			found, err := chromedp.Run(j.ctx, chromedp.Evaluate[bool](`[...document.querySelectorAll("`+op+`")].some(e => e.textContent === "List live foster carers" && e.offsetParent !== null)`))
			must(t, err)
			if !found {
				t.Fatal("the summary of GET /api/v1/carers is not visible")
			}
			if n := j.count("#docs-no-js:not([hidden])"); n != 0 {
				t.Fatal("the no-JavaScript note is shown with JavaScript on")
			}
			time.Sleep(200 * time.Millisecond) // let the renderer settle before the checks
			elsewhere, err := chromedp.Run(j.ctx, chromedp.Evaluate[[]string](`performance.getEntriesByType("resource").map(e => e.name).filter(u => !u.startsWith(location.origin))`))
			must(t, err)
			if len(elsewhere) > 0 {
				t.Fatalf("the reference asked other sites for %v", elsewhere)
			}
			j.check("docs-api-reference")
		})
	}
}
