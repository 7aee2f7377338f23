package web_test

import (
	"bytes"
	"io"
	"net/http"
	"os"
	"slices"
	"strings"
	"testing"

	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/chromedp"
	"github.com/xuri/excelize/v2"

	"placematch/auth"
	"placematch/store"
	"placematch/store/storetest"
	"placematch/web"
)

// The commissioner's journey in a real browser, with JavaScript on and off, on
// both engines: sign in as the demo commissioner and land on the dashboard,
// group the table by placement type and shade the map by vacancy rate (with
// JavaScript, Leaflet draws the seven districts with no tile server, each
// district of the report filled and labelled as its table row says; without,
// the map stays hidden and the table says the same), read the trend, hide small
// numbers and download the XLSX the page links to with the browser's session
// (a workbook with the page's grouping and suppression), then send a bad date
// and get the error summary linked to the field. axe-core checks every page for WCAG 2.2 A and AA;
// PLACEMATCH_SCREENSHOTS=1 saves each page's screenshot under docs/screenshots
// (SQLite, JavaScript on).
func TestCommissionerJourneyInChromium(t *testing.T) {
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
				s := newReportSite(t, d)
				j := &journey{t: t, ctx: newBrowser(t, js), site: s, js: js, shots: shots}
				j.commission()
			})
		}
	}
}

func (j *journey) commission() {
	t := j.t
	j.open("/")
	j.click("#person-commissioner")
	j.follow(`form[action="/sign-in/demo"] button[type=submit]`, http.StatusOK)
	if loc := j.location(); loc != "/dashboard" {
		t.Fatalf("a commissioner starts at %s", loc)
	}
	j.wantText("h1", "Sufficiency of homes")
	j.wantText(`[data-figure="Children awaiting"]`, "7")
	j.wantText(".govuk-service-navigation", "Sufficiency")
	if n := j.count(`.govuk-service-navigation a[href="/queue"]`); n != 0 {
		t.Fatal("a commissioner's menu offers the queue")
	}
	if n := j.count("details.govuk-details#report-notes summary"); n != 1 || j.count("#report-notes li") < 3 {
		t.Fatalf("the report's definitions are not in a details component (%d)", n)
	}
	j.check("16-dashboard")

	// Filter: grouped by placement type too, the map shaded by vacancy rate.
	must(t, chromedp.Do(j.ctx, chromedp.SetAttributeValue(chromedp.CSS(`#group_by option[value="district,provider_kind,placement_type"]`), "selected", "selected")))
	must(t, chromedp.Do(j.ctx, chromedp.SetAttributeValue(chromedp.CSS(`#shade option[value="vacancy_rate"]`), "selected", "selected")))
	j.follow(`#dashboard-form button[type=submit]`, http.StatusOK)
	loc := j.location()
	for _, want := range []string{"group_by=district%2Cprovider_kind%2Cplacement_type", "shade=vacancy_rate"} {
		if !strings.Contains(loc, want) {
			t.Fatalf("the form led to %s, without %s", loc, want)
		}
	}
	j.wantText("#sufficiency-table thead", "Placement type")
	j.wantText(`[data-figure="Providers"]`, "4")
	j.check("17-dashboard-filtered", "#sufficiency")

	// The map.
	j.wantText("#districts", "Vacancy rate by district")
	if j.js {
		if err := chromedp.Do(j.ctx, chromedp.WaitVisible(chromedp.CSS(`#pm-dashboard-map[data-drawn] .pm-map-label`))); err != nil {
			t.Fatalf("the map drew no districts: %v", err)
		}
		if n := j.count(`#pm-dashboard-map path`); n != 7 {
			t.Fatalf("the map draws %d districts, not Norfolk's 7", n)
		}
		if n, rows := j.count(`#pm-dashboard-map .pm-map-label`), j.count(`#district-table tbody tr`); n != rows {
			t.Fatalf("the map labels %d districts, the table lists %d", n, rows)
		}
		j.wantText("#pm-dashboard-map", "Norwich: 25.0%")
		fills, err := chromedp.Run(j.ctx, chromedp.Evaluate[[]string](`[...document.querySelectorAll("#pm-dashboard-map path")].map(p => p.getAttribute("fill"))`))
		must(t, err)
		if !slices.Contains(fills, j.attr(`#district-table tr[data-district="Norwich"]`, "data-fill")) {
			t.Fatalf("no district is filled with Norwich's colour: %v", fills)
		}
		if n := j.count(`#pm-dashboard-map img.leaflet-tile`); n != 0 {
			t.Fatalf("the map asked for %d tiles", n)
		}
	} else if j.count("#pm-dashboard-map[hidden]") != 1 {
		t.Fatal("without JavaScript the empty map is shown")
	}
	j.wantText(`#district-table tr[data-district="Norwich"]`, "20% or more")
	at := "#districts"
	if j.js {
		at = "#pm-dashboard-map"
	}
	j.check("18-dashboard-map", at)

	// The trend's chart has its title and its table.
	if a, b := j.count(`.pm-chart svg[role="img"] > title#trend-title`), j.count("#trend-table tbody tr"); a != 1 || b < 2 {
		t.Fatalf("the trend has %d accessible charts and %d series in its table", a, b)
	}
	j.check("19-dashboard-trend", "#trend")

	// Small numbers hidden, for the page and its downloads.
	j.click("#suppress")
	j.follow(`#dashboard-form button[type=submit]`, http.StatusOK)
	if loc := j.location(); !strings.Contains(loc, "suppress=true") || !strings.Contains(loc, "placement_type") {
		t.Fatalf("the form led to %s", loc)
	}
	j.wantText(`[data-figure="Providers"]`, "c")
	j.check("20-dashboard-suppressed", "#headline")

	// Download the XLSX the page links to, with the browser's session.
	href := j.attr(`#download-links a[data-format="xlsx"]`, "href")
	cookies, err := chromedp.Call(j.ctx, network.GetCookies, network.GetCookiesParams{URLs: []string{j.site.URL}})
	must(t, err)
	req, err := http.NewRequest(http.MethodGet, j.site.URL+href, nil)
	must(t, err)
	for _, c := range cookies.Cookies {
		req.AddCookie(&http.Cookie{Name: c.Name, Value: c.Value})
	}
	res, err := http.DefaultClient.Do(req)
	must(t, err)
	body, err := io.ReadAll(res.Body)
	res.Body.Close()
	must(t, err)
	if res.StatusCode != http.StatusOK || res.Header.Get("Content-Type") != "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet" ||
		!strings.HasPrefix(res.Header.Get("Content-Disposition"), `attachment; filename="sufficiency-`) {
		t.Fatalf("the XLSX download: %d %q %q", res.StatusCode, res.Header.Get("Content-Type"), res.Header.Get("Content-Disposition"))
	}
	wb, err := excelize.OpenReader(bytes.NewReader(body))
	must(t, err)
	rows, err := wb.GetRows("Sufficiency")
	must(t, err)
	if len(rows) < 2 || !slices.Contains(rows[0], "placement_type") || !slices.Contains(rows[len(rows)-1], "c") {
		t.Fatalf("the workbook's sufficiency sheet is not the page's (grouped by placement type, suppressed): %v", rows)
	}

	// A bad date: the error summary links to the field.
	must(t, chromedp.Do(j.ctx, chromedp.SetAttributeValue(chromedp.CSS("#as_of"), "value", "")))
	j.typeInto("#as_of", "2026-02-30")
	j.follow(`#dashboard-form button[type=submit]`, http.StatusUnprocessableEntity)
	if href := j.attr(`.govuk-error-summary a[href="#as_of"]`, "href"); href != "#as_of" {
		t.Fatalf("the date's error links to %q", href)
	}
	j.wantText(".govuk-error-summary", "As of must be a date in the form YYYY-MM-DD")
	j.wantText("#as_of-error", "As of must be a date")
	j.wantText(`label[for="as_of"]`, "As of")
	if j.count("#sufficiency-table") != 0 {
		t.Fatal("figures shown beside the error")
	}
	j.check("21-dashboard-error")

	j.follow(`form[action="/sign-out"] button`, http.StatusOK)
	if len(j.pages) != 6 {
		t.Fatalf("pages checked: %v", j.pages)
	}
}

// On the Norfolk demo data with neither boundaries nor the DfE's figures
// configured, the dashboard says so instead of the map and the comparison, keeps
// the district table, and passes axe-core; an admin may open it too.
func TestDashboardUnconfiguredInChromium(t *testing.T) {
	s := newSite(t, store.SQLite, withEveryRole, func(p *web.Server) {
		p.Demo = append(p.Demo, web.DemoPerson{Key: "admin", Label: "Alex Reed", Hint: "Runs the service.",
			Principal: auth.Principal{Subject: "demo-admin", Role: auth.Admin}})
	})
	j := &journey{t: t, ctx: newBrowser(t, true), site: s, js: true}
	j.open("/sign-in/demo")
	j.click("#person-commissioner")
	j.follow(`form[action="/sign-in/demo"] button[type=submit]`, http.StatusOK)
	j.wantText("#map-none", "district boundaries are not configured")
	j.wantText("#comparison-none", "not configured")
	if j.count("#pm-dashboard-map") != 0 || j.count("#district-table tbody tr") < 7 {
		t.Fatalf("without boundaries: %d maps, %d districts in the table", j.count("#pm-dashboard-map"), j.count("#district-table tbody tr"))
	}
	j.check("dashboard-unconfigured")
	j.follow(`form[action="/sign-out"] button`, http.StatusOK)

	j.open("/sign-in/demo")
	j.click("#person-admin")
	j.follow(`form[action="/sign-in/demo"] button[type=submit]`, http.StatusOK)
	j.open("/dashboard")
	j.wantText("h1", "Sufficiency of homes")
	j.wantText(".govuk-service-navigation", "Children awaiting")
	j.check("dashboard-admin")
}
