package web_test

import (
	"context"
	_ "embed"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/cdproto/emulation"
	cdppage "github.com/chromedp/cdproto/page"
	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"

	"placematch"
	"placematch/store"
	"placematch/store/storetest"
	"placematch/web"
)

// axeSource is axe-core, vendored for the tests by scripts/vendor-frontend.sh.
//
//go:embed testdata/vendor/axe-core/axe.min.js
var axeSource string

// wcag22 are the axe-core rule tags of WCAG 2.0, 2.1 and 2.2 at levels A and AA.
var wcag22 = []string{"wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22a", "wcag22aa"}

// screenshots is where the journey's screenshots go when PLACEMATCH_SCREENSHOTS=1.
const screenshots = "../docs/screenshots"

// newBrowser starts Debian's chromium headless for one test, with JavaScript on or
// off. A machine without chromium fails the test: scripts/test.sh installs it.
func newBrowser(t *testing.T, js bool) context.Context {
	t.Helper()
	path, err := exec.LookPath("chromium")
	if err != nil {
		t.Fatalf("chromium is not installed (scripts/test.sh installs it with apt): %v", err)
	}
	opts := append(chromedp.DefaultExecAllocatorOptions[:], chromedp.ExecPath(path), chromedp.WindowSize(1280, 900))
	if os.Geteuid() == 0 {
		opts = append(opts, chromedp.NoSandbox)
	}
	actx, cancel := chromedp.NewExecAllocator(context.Background(), opts...)
	t.Cleanup(cancel)
	bctx, cancel := chromedp.NewContext(actx)
	t.Cleanup(cancel)
	tctx, cancel := context.WithTimeout(bctx, 90*time.Second)
	t.Cleanup(cancel)
	if err := chromedp.Do(tctx); err != nil {
		t.Fatalf("chromium did not start: %v", err)
	}
	if _, err := chromedp.Call(tctx, cdppage.AddScriptToEvaluateOnNewDocument, cdppage.AddScriptToEvaluateOnNewDocumentParams{Source: cspRecorder}); err != nil {
		t.Fatalf("recording CSP violations: %v", err)
	}
	if !js {
		if _, err := chromedp.Call(tctx, emulation.SetScriptExecutionDisabled, emulation.SetScriptExecutionDisabledParams{Value: true}); err != nil {
			t.Fatalf("turning JavaScript off: %v", err)
		}
	}
	return tctx
}

// cspRecorder runs before any script of every document and records each
// Content-Security-Policy violation the page causes, as "directive blocked-URI".
const cspRecorder = `window.__pmCSP = []; document.addEventListener("securitypolicyviolation",
	e => window.__pmCSP.push(e.violatedDirective + " " + e.blockedURI + " " + e.sourceFile + ":" + e.lineNumber));`

// cspViolations returns the violations recorded on the page shown; ok is false when
// the recorder did not run on it (scripts off when the document was made).
func cspViolations(t *testing.T, ctx context.Context) (found []string, ok bool) {
	t.Helper()
	got, err := chromedp.Run(ctx, chromedp.Evaluate[*[]string](`window.__pmCSP === undefined ? null : window.__pmCSP`))
	if err != nil {
		t.Fatalf("reading CSP violations: %v", err)
	}
	if got == nil {
		return nil, false
	}
	return *got, true
}

// journey drives one browser through the officer's pages.
type journey struct {
	t     *testing.T
	ctx   context.Context
	site  *site
	js    bool
	shots bool
	pages []string // every page checked, for the report
	// axeExclude is a CSS selector of third-party markup axe-core leaves out
	// (the API reference's renderer); "" checks the whole page.
	axeExclude string
}

// axeViolation is one failed accessibility rule on a page.
type axeViolation struct {
	ID     string   `json:"id"`
	Impact string   `json:"impact"`
	Help   string   `json:"help"`
	Nodes  []string `json:"nodes"`
}

// check runs axe-core's WCAG 2.2 A and AA rules on the page shown and fails the
// test on any violation; it saves a screenshot of the window as name when asked
// to, scrolled to at (a CSS selector) when one is given.
func (j *journey) check(name string, at ...string) {
	j.t.Helper()
	loc := j.location()
	if err := chromedp.Do(j.ctx, chromedp.WaitReady(chromedp.CSS("footer"))); err != nil {
		j.t.Fatalf("%s (%s): page not ready: %v", name, loc, err)
	}
	if !j.js {
		// The page was loaded and drawn with scripts off; axe-core needs them on to
		// run. Turning them on does not run the page's own scripts after the fact,
		// as the body's class shows: GOV.UK Frontend's script marks it
		// js-enabled when it runs.
		j.scripts(true)
		defer j.scripts(false)
		if cls := j.attr("body", "class"); strings.Contains(cls, "js-enabled") {
			j.t.Fatalf("%s: the page ran its scripts with JavaScript off (body class %q)", name, cls)
		}
	}
	if cls := j.attr("body", "class"); j.js && !strings.Contains(cls, "govuk-frontend-supported") {
		j.t.Fatalf("%s: the page's scripts did not run (body class %q): blocked by the CSP?", name, cls)
	}
	if v, ok := cspViolations(j.t, j.ctx); len(v) > 0 || (j.js && !ok) {
		j.t.Errorf("%s (%s, JavaScript %v): Content-Security-Policy violations %v (recorded: %v)", name, loc, j.js, v, ok)
	}
	for _, v := range axeRun(j.t, j.ctx, j.axeExclude) {
		j.t.Errorf("%s (%s, JavaScript %v): axe %s (%s): %s at %v", name, loc, j.js, v.ID, v.Impact, v.Help, v.Nodes)
	}
	j.pages = append(j.pages, name)
	if j.shots {
		if len(at) > 0 {
			if err := chromedp.Do(j.ctx, chromedp.ScrollIntoView(chromedp.CSS(at[0]))); err != nil {
				j.t.Fatalf("%s: scroll to %s: %v", name, at[0], err)
			}
		}
		png, err := chromedp.Run(j.ctx, chromedp.CaptureScreenshot())
		if err != nil {
			j.t.Fatalf("%s: screenshot: %v", name, err)
		}
		must(j.t, os.WriteFile(filepath.Join(screenshots, name+".png"), png, 0o644))
	}
}

// axeRun injects axe-core into the page shown and returns the WCAG 2.2 A and AA
// rules it breaks.
func axeRun(t *testing.T, ctx context.Context, exclude ...string) []axeViolation {
	t.Helper()
	if err := chromedp.Do(ctx, chromedp.Evaluate[chromedp.Void](axeSource)); err != nil {
		t.Fatalf("injecting axe-core: %v", err)
	}
	tags := `["` + strings.Join(wcag22, `","`) + `"]`
	subject := "document"
	if len(exclude) > 0 && exclude[0] != "" {
		subject = fmt.Sprintf(`{include: [["html"]], exclude: [[%q]]}`, exclude[0])
	}
	found, err := chromedp.Run(ctx, chromedp.Evaluate[[]axeViolation](`axe.run(`+subject+`, {runOnly: {type: "tag", values: `+tags+`},
		resultTypes: ["violations"]}).then(r => r.violations.map(v => ({id: v.id, impact: v.impact, help: v.help,
		nodes: v.nodes.map(n => n.target.join(" "))})))`, chromedp.EvalAwaitPromise))
	if err != nil {
		t.Fatalf("running axe-core: %v", err)
	}
	return found
}

// The accessibility check can fail: on a page with an image without alternative
// text, no language and a field without a label, axe-core names each.
func TestAxeFindsViolations(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		fmt.Fprint(w, `<!DOCTYPE html><html><head><title>Bad</title></head><body><main><img src="/x.png"><input type="text"></main></body></html>`)
	}))
	defer srv.Close()
	bctx := newBrowser(t, true)
	must(t, chromedp.Do(bctx, chromedp.Navigate(srv.URL)))
	var ids []string
	for _, v := range axeRun(t, bctx) {
		ids = append(ids, v.ID)
	}
	for _, want := range []string{"html-has-lang", "image-alt", "label"} {
		if !slices.Contains(ids, want) {
			t.Errorf("axe-core found %v on a bad page, not %s", ids, want)
		}
	}
}

// The CSP check can fail: an inline script and an inline style refused by the
// policy are recorded.
func TestCSPViolationsAreRecorded(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		w.Header().Set("Content-Security-Policy", "default-src 'self'")
		fmt.Fprint(w, `<!DOCTYPE html><html lang="en"><head><title>Inline</title><script>document.title = "ran"</script></head><body style="color: red"><p>x</p></body></html>`)
	}))
	defer srv.Close()
	bctx := newBrowser(t, true)
	must(t, chromedp.Do(bctx, chromedp.Navigate(srv.URL)))
	got, ok := cspViolations(t, bctx)
	if !ok || len(got) < 2 || !strings.HasPrefix(got[0], "script-src") && !strings.HasPrefix(got[1], "script-src") {
		t.Fatalf("recorded %v (recorder ran: %v), want the inline script and style", got, ok)
	}
}

func (j *journey) scripts(on bool) {
	j.t.Helper()
	if _, err := chromedp.Call(j.ctx, emulation.SetScriptExecutionDisabled, emulation.SetScriptExecutionDisabledParams{Value: !on}); err != nil {
		j.t.Fatalf("scripts on %v: %v", on, err)
	}
}

func (j *journey) attr(sel, name string) string {
	j.t.Helper()
	v, err := chromedp.Run(j.ctx, chromedp.AttributeValue(chromedp.CSS(sel), name))
	must(j.t, err)
	return v.Value
}

func (j *journey) location() string {
	j.t.Helper()
	loc, err := chromedp.Run(j.ctx, chromedp.Location())
	must(j.t, err)
	return strings.TrimPrefix(loc, j.site.URL)
}

// open navigates and wants a 200.
func (j *journey) open(path string) {
	j.t.Helper()
	res, err := chromedp.Run(j.ctx, chromedp.NavigateResponse(j.site.URL+path))
	if err != nil {
		j.t.Fatalf("open %s: %v", path, err)
	}
	if res.Status != 200 {
		j.t.Fatalf("open %s: status %d", path, res.Status)
	}
}

// follow clicks what leads to another page (a link, a form's button) and wants the
// page it leads to answered with status.
func (j *journey) follow(sel string, status int64) {
	j.t.Helper()
	res, err := chromedp.RunResponse(j.ctx, chromedp.Click(chromedp.CSS(sel), chromedp.NodeVisible))
	if err != nil {
		j.t.Fatalf("click %s on %s: %v", sel, j.location(), err)
	}
	if res.Status != status {
		j.t.Fatalf("click %s: now at %s with status %d, want %d", sel, j.location(), res.Status, status)
	}
}

// click clicks what leads nowhere (a radio).
func (j *journey) click(sel string) {
	j.t.Helper()
	if err := chromedp.Do(j.ctx, chromedp.Click(chromedp.CSS(sel), chromedp.NodeVisible)); err != nil {
		j.t.Fatalf("click %s: %v", sel, err)
	}
}

func (j *journey) typeInto(sel, text string) {
	j.t.Helper()
	if err := chromedp.Do(j.ctx, chromedp.SendKeys(chromedp.CSS(sel), text, chromedp.NodeVisible)); err != nil {
		j.t.Fatalf("type into %s: %v", sel, err)
	}
}

func (j *journey) text(sel string) string {
	j.t.Helper()
	s, err := chromedp.Run(j.ctx, chromedp.Text(chromedp.CSS(sel)))
	if err != nil {
		j.t.Fatalf("read %s on %s: %v", sel, j.location(), err)
	}
	return s
}

func (j *journey) wantText(sel, want string) {
	j.t.Helper()
	if got := j.text(sel); !strings.Contains(got, want) {
		j.t.Fatalf("%s on %s says %q, want %q", sel, j.location(), got, want)
	}
}

func (j *journey) count(sel string) int {
	j.t.Helper()
	n, err := chromedp.Run(j.ctx, chromedp.Evaluate[int](fmt.Sprintf(`document.querySelectorAll(%q).length`, sel)))
	must(j.t, err)
	return n
}

// The officer's whole journey in a real browser, with JavaScript on and off, on
// both engines: sign in as the demo officer, find a child in the queue by case
// reference, open the child, find matches, look up why an expected home is
// missing, book rank 2 (refused without a reason, then with one), see the
// placement, end it with an SSDA903 reason (with the keyboard alone), and sign
// out; the first Tab on a page reaches the skip link. axe-core checks every
// page for WCAG 2.2 A and AA; PLACEMATCH_SCREENSHOTS=1 saves each page's
// screenshot under docs/screenshots (SQLite, JavaScript on).
func TestOfficerJourneyInChromium(t *testing.T) {
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
				s := newSite(t, d)
				child, expected := s.rankedChild(t)
				j := &journey{t: t, ctx: newBrowser(t, js), site: s, js: js, shots: shots}
				j.walk(child, expected)
			})
		}
	}
}

func (j *journey) walk(child *placematch.Child, expected placematch.ProviderRef) {
	t := j.t
	j.open("/")
	if loc := j.location(); loc != "/sign-in/demo" {
		t.Fatalf("the desk's address led to %s, want the demo sign-in", loc)
	}
	j.check("01-sign-in")
	j.click(`#person`)
	j.follow(`form[action="/sign-in/demo"] button[type=submit]`, 200)
	j.wantText("h1", "Children awaiting a placement")
	if n := j.count("tbody .govuk-table__row"); n < 10 {
		t.Fatalf("the queue lists %d children", n)
	}
	must(t, chromedp.Do(j.ctx, chromedp.KeyEvent(kb.Tab)))
	if cls, err := chromedp.Run(j.ctx, chromedp.Evaluate[string](`document.activeElement.className`)); err != nil ||
		!strings.Contains(cls, "govuk-skip-link") {
		t.Fatalf("the first Tab on a page reached %q, not the skip link (%v)", cls, err)
	}
	j.check("02-queue")

	j.typeInto("#reference", child.Reference)
	j.follow(`form[action="/queue"] button[type=submit]`, 200)
	if n := j.count("tbody .govuk-table__row"); n != 1 {
		t.Fatalf("searching the queue for %s lists %d children", child.Reference, n)
	}
	j.follow(`a[href="/children/`+child.ID+`"]`, 200)
	j.wantText("h1", child.Reference)
	j.check("03-child")

	j.follow(`#find-matches button`, 200)
	j.wantText("h1", "Matches for "+child.Reference)
	if j.count(".pm-match") < 2 {
		t.Fatal("fewer than two ranked homes on the matches page")
	}
	runPath := j.location()
	if j.js { // the map draws the home and the numbered homes, with no tile server
		if err := chromedp.Do(j.ctx, chromedp.WaitVisible(chromedp.CSS(`#pm-map .pm-map-rank`))); err != nil {
			t.Fatalf("the map drew no homes: %v", err)
		}
		if n := j.count(`#pm-map .pm-map-rank`); n != j.count(".pm-match") {
			t.Fatalf("the map numbers %d homes, the page ranks %d", n, j.count(".pm-match"))
		}
		if n := j.count(`#pm-map img.leaflet-tile`); n != 0 {
			t.Fatalf("the map asked for %d tiles", n)
		}
	} else if hidden := j.attr("#pm-map", "hidden"); j.count("#pm-map[hidden]") != 1 {
		t.Fatalf("without JavaScript the empty map is shown (hidden=%q)", hidden)
	}
	j.check("04-matches", "#places")

	j.click("#compare-1")
	j.click("#compare-2")
	j.follow(`form[action$="/compare"] button[type=submit]`, 200)
	j.wantText("h1", "Compare 2 homes")
	j.check("04-compare")
	j.open(runPath)

	j.typeInto("#q", expected.Name)
	if j.js { // the list filters itself as the officer types
		if err := chromedp.Do(j.ctx, chromedp.WaitVisible(chromedp.CSS(`details[open] [data-provider-name="`+expected.Name+`"]`))); err != nil {
			t.Fatalf("typing %q did not open its group: %v", expected.Name, err)
		}
	}
	j.follow(`form[role="search"][action^="/matches/"] button[type=submit]`, 200)
	j.wantText("#why-not-status", "“"+expected.Name+"”")
	if j.count(`details[open] [data-provider-name="`+expected.Name+`"]`) == 0 {
		t.Fatalf("the search for %q does not show it under an open reason", expected.Name)
	}
	j.check("05-why-not", "#why-not")

	j.follow(`a[href$="/book?rank=2"]`, 200)
	j.wantText("h1", "Book ")
	j.check("06-book")
	j.follow(`#book-form button[type=submit]`, 422)
	j.wantText(".govuk-error-summary", "Decision reason is required when the chosen match is not rank 1")
	j.wantText("#decision_reason-error", "Decision reason is required")
	j.check("07-book-error")
	if err := chromedp.Do(j.ctx, chromedp.Click(chromedp.CSS(`.govuk-error-summary a[href="#decision_reason"]`))); err != nil {
		t.Fatal(err)
	}
	if j.js {
		focused, err := chromedp.Run(j.ctx, chromedp.Evaluate[string](`document.activeElement.id`))
		must(t, err)
		if focused != "decision_reason" {
			t.Fatalf("the error summary's link focused %q, want the reason's field", focused)
		}
	} else if loc := j.location(); !strings.HasSuffix(loc, "#decision_reason") {
		t.Fatalf("the error summary's link led to %s", loc)
	}
	reason := "Nearer her school; the carer at rank 1 is not confirmed"
	j.typeInto("#decision_reason", reason)
	// The demo's rank 2 is more than 20 miles from the child's home or outside the
	// area, so the booking says why.
	if j.count(`input[name="distance_reason"]`) != len(placematch.DistanceReasons) {
		t.Fatal("the booking of a far home offers no distance reasons")
	}
	j.click(`#distance_reason-continuity`)
	j.follow(`#book-form button[type=submit]`, 200)
	j.wantText(".govuk-panel__title", "Placement booked")
	j.check("08-booked")
	bookedAt := j.location()

	j.open(runPath + "/print")
	j.wantText("h1", "Match run for "+child.Reference)
	j.check("09-print")

	j.open("/placements")
	j.typeInto("#reference", child.Reference)
	j.follow(`form[action="/placements"] button[type=submit]`, 200)
	if n := j.count("tbody .govuk-table__row"); n != 1 {
		t.Fatalf("the placements of %s: %d rows", child.Reference, n)
	}
	j.wantText("tbody", child.Reference)
	j.check("10-placements")
	j.open(strings.TrimSuffix(bookedAt, "?booked=1"))
	j.follow(`a[href$="/end"]`, 200)
	j.wantText("h1", "Why is the placement ending?")
	j.check("11-end")
	j.follow(`#end-form button[type=submit]`, 422)
	j.wantText(".govuk-error-summary", "Select why the placement ended")
	j.check("12-end-error")
	// With the keyboard alone: choose the first reason with the space bar, send
	// the form with Enter.
	must(t, chromedp.Do(j.ctx, chromedp.Focus(chromedp.CSS(`#end_reason`)), chromedp.KeyEvent(" ")))
	if checked, err := chromedp.Run(j.ctx, chromedp.Evaluate[bool](`document.getElementById("end_reason").checked`)); err != nil || !checked {
		t.Fatalf("the space bar did not choose the reason (%v)", err)
	}
	must(t, chromedp.Do(j.ctx, chromedp.Focus(chromedp.CSS(`#end-form button[type=submit]`))))
	if res, err := chromedp.RunResponse(j.ctx, chromedp.KeyEvent(kb.Enter)); err != nil || res.Status != 200 {
		t.Fatalf("Enter on the button: %v", err)
	}
	j.wantText(".govuk-notification-banner", "The placement has ended")
	j.check("13-ended")

	j.open("/accessibility")
	j.check("14-accessibility")
	j.follow(`form[action="/sign-out"] button`, 200)
	j.wantText("h1", "You have signed out")
	j.check("15-signed-out")

	pls, err := j.site.DB.ListPlacements(ctx, store.PlacementFilter{ChildID: child.ID})
	must(t, err)
	if len(pls.Items) != 1 {
		t.Fatalf("%d placements of %s, want the one booked", len(pls.Items), child.Reference)
	}
	pl := pls.Items[0]
	if pl.MatchRank != 2 || pl.DecisionReason != reason || pl.DistanceReason != placematch.DistanceContinuity ||
		pl.Status != placematch.PlacementEnded || pl.EndReason != "CARPL" ||
		pl.MatchID != strings.TrimPrefix(runPath, "/matches/") {
		t.Fatalf("the placement as stored: %+v", pl)
	}
	if !slices.Contains(j.pages, "05-why-not") || len(j.pages) != 16 {
		t.Fatalf("pages checked: %v", j.pages)
	}
}

// With a tile server configured, the map asks it for tiles, which the
// Content-Security-Policy lets in, and shows the attribution; the policy names
// that server and no other.
func TestMapTilesInChromium(t *testing.T) {
	png, err := os.ReadFile("static/vendor/leaflet/images/layers.png") // any PNG will do as a tile
	must(t, err)
	var mu sync.Mutex
	asked := 0
	tiles := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		asked++
		mu.Unlock()
		w.Header().Set("Content-Type", "image/png")
		_, _ = w.Write(png)
	}))
	defer tiles.Close()
	s := newSite(t, store.SQLite, func(p *web.Server) {
		p.Tiles = web.Tiles{URL: tiles.URL + "/{z}/{x}/{y}.png", Attribution: "Test tiles"}
	})
	child, _ := s.rankedChild(t)
	run, err := s.Uses.Match(ctx, matchAll(child.ID))
	must(t, err)
	j := &journey{t: t, ctx: newBrowser(t, true), site: s, js: true}
	j.open("/sign-in/demo")
	j.follow(`form[action="/sign-in/demo"] button[type=submit]`, 200)
	res, err := chromedp.Run(j.ctx, chromedp.NavigateResponse(s.URL+"/matches/"+run.MatchID))
	must(t, err)
	if csp, _ := res.Headers["Content-Security-Policy"].(string); !strings.Contains(csp, "img-src 'self' data: "+tiles.URL+";") {
		t.Fatalf("CSP %q does not let the tiles in", csp)
	}
	if err := chromedp.Do(j.ctx, chromedp.WaitVisible(chromedp.CSS(`#pm-map img.leaflet-tile-loaded`))); err != nil {
		t.Fatalf("no tile loaded: %v", err)
	}
	j.wantText("#pm-map .leaflet-control-attribution", "Test tiles")
	mu.Lock()
	defer mu.Unlock()
	if asked == 0 {
		t.Fatal("the tile server was never asked")
	}
}
