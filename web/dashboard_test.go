package web_test

import (
	"bytes"
	"encoding/csv"
	"encoding/json"
	"html"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"

	"placematch"
	"placematch/geo"
	"placematch/placing"
	"placematch/reports"
	"placematch/store"
	"placematch/store/storetest"
	"placematch/web"
)

// The hand-built area of the dashboard's tests, on the Norfolk districts:
//
//	Norwich:   carer A (3 places, K1 placed from Norwich, 0 miles),
//	           carer B (1 place, K2 placed from King's Lynn, about 38 miles),
//	           unit U (4 beds, said unavailable);
//	           K3, K4, K5, K7 and K8 (10, short term) and K9 (16, short term)
//	           awaiting from Norwich.
//	Breckland: carer C (2 places, at Dereham); K6 (10) awaiting from Dereham.
//
// Carers are approved for emergency and short-term placements, ages 0–17. Demand
// counts a child against each kind of home that could lawfully take it: the
// 10-year-olds foster care only; K9 foster care, supported accommodation (16 and
// over) and a hub's bed (12–17, the default when the area has no hub). So, by
// hand, grouped by district and kind:
//
//	Breckland foster:   providers 1, places 2, filled 0, vacant 2, awaiting 1 (K6),       shortfall max(1−2, 0) = 0
//	Norwich foster:     providers 2, places 3+1 = 4, filled 2, vacant 2, awaiting 6 (K3–5, K7–9), shortfall 6−2 = 4
//	Norwich supported:  providers 1, places 4 (all unavailable), vacant 0, awaiting 1 (K9), shortfall 1
//	Norwich hub:        providers 0, places 0, awaiting 1 (K9),                          shortfall 1
//	TOTAL:              providers 4, places 10, filled 2, vacant 4, unavailable 4, children awaiting 7
//	                    (each child once: K3–K9), groups 7, shortfall the rows' sum 0+4+1+1 = 6
//	                    (not 7 − 4 = 3: K9 is short in each of three kinds); of 2 placements 1
//	                    within 20 miles (50%), 1 over, both in the area.
//
// By district: Norwich places 4+4+0 = 8, vacant 2+0+0 = 2, vacancy rate 2/8 = 25%,
// awaiting per kind 6 foster, 1 supported, 1 hub, shortfall 4+1+1 = 6; Breckland
// places 2, vacant 2, 100%, awaiting 1 foster, shortfall 0; 6 + 0 = the TOTAL's 6.
//
// Three snapshots: three days ago before any booking and without a TOTAL row (as
// snapshots were stored before totals were), carers' vacancies 3+1+2 = 6 under each
// of their two types; two days ago with K1 placed (TOTAL awaiting 8: K2–K9; vacant
// 2+1+2 = 5, under each type too); yesterday as today (awaiting 7, vacant 4).
var (
	dereham   = placematch.Point{Lat: 52.6814, Lon: 0.9390}
	kingsLynn = placematch.Point{Lat: 52.7517, Lon: 0.3953}
)

// dashboardChildren are the case references of the hand-built children.
var dashboardChildren = []string{"K1", "K2", "K3", "K4", "K5", "K6", "K7", "K8", "K9"}

// newReportSite serves the pages on the hand-built area, with the Norfolk
// districts as boundaries and locator, and the DfE's published figures.
func newReportSite(t testing.TB, d string) *site {
	t.Helper()
	boundaries, err := os.ReadFile("../../shared/data/boundaries/norfolk_districts.geojson")
	must(t, err)
	districts, err := geo.LoadDistrictsFile("../../shared/data/boundaries/norfolk_districts.geojson")
	must(t, err)
	cmp, err := reports.LoadComparisonFile("../../shared/data/dfe/dfe_cla_31march_placement_type_and_distance_by_la_2021_2025.csv")
	must(t, err)
	db := storetest.Open(t, d)
	clk := &clock{t: storetest.Clock}
	db.Now = clk.Now
	db.Locator = districts
	uses := &placing.Service{Store: db, Now: db.Now, AreaConfigured: true,
		Reports: &reports.Service{Store: db, Now: db.Now, Comparison: cmp, Districts: districts.Names()}}
	pages := &web.Server{Placing: uses, Store: db, Boundaries: boundaries}
	withEveryRole(pages)
	srv := httptest.NewServer(pages.Handler())
	t.Cleanup(srv.Close)
	s := &site{Server: srv, DB: db, Uses: uses, Clock: clk, Pages: pages}
	seedDashboard(t, s)
	return s
}

func seedDashboard(t testing.TB, s *site) {
	t.Helper()
	today := placematch.DateOf(storetest.Clock)
	a := storetest.Carer("A")
	b := storetest.Carer("B", func(p *placematch.Provider) { p.Carer.MaxChildren = 1 })
	u := storetest.Unit("U", func(p *placematch.Provider) { p.Availability.Status = placematch.Unavailable })
	c := storetest.Carer("C", func(p *placematch.Provider) { p.Carer.MaxChildren = 2; p.Location = dereham })
	for _, p := range []*placematch.Provider{a, b, u, c} {
		must(t, s.DB.CreateProvider(ctx, p))
	}
	children := map[string]*placematch.Child{}
	for _, ref := range dashboardChildren {
		ch := storetest.Child(ref)
		switch ref {
		case "K2":
			ch.Location = &kingsLynn
		case "K6":
			ch.Location = &dereham
		case "K9":
			ch.DateOfBirth = today.AddDays(-16*365 - 30)
		}
		must(t, s.DB.CreateChild(ctx, ch))
		children[ref] = ch
	}
	snapshot := func(date placematch.Date, withTotal bool) {
		rows, err := s.Uses.Report().SnapshotRows(ctx, today)
		must(t, err)
		if !withTotal { // as snapshots were stored before they had a TOTAL row
			rows = slices.DeleteFunc(rows, func(r store.Snapshot) bool { return r.District == reports.TotalLabel && r.Kind == "" })
		}
		_, err = s.DB.ReplaceSnapshot(ctx, date, rows)
		must(t, err)
	}
	book := func(ref string, p *placematch.Provider) {
		_, err := s.DB.Book(ctx, store.BookRequest{ChildID: children[ref].ID, Provider: p.Ref(), StartDate: today})
		must(t, err)
	}
	snapshot(today.AddDays(-3), false)
	book("K1", a)
	snapshot(today.AddDays(-2), true)
	book("K2", b)
	snapshot(today.AddDays(-1), true)
}

// tableRows reads the rows of the page's table with the id given, each as its
// cells' text.
func tableRows(t testing.TB, body, id string) [][]string {
	t.Helper()
	i := strings.Index(body, `id="`+id+`"`)
	if i < 0 {
		t.Fatalf("no table %s on the page", id)
	}
	end := strings.Index(body[i:], "</table>")
	var out [][]string
	for _, tr := range strings.Split(body[i:i+end], "<tr")[1:] {
		var row []string
		for _, m := range cellRE.FindAllStringSubmatch(tr, -1) {
			row = append(row, strings.TrimSpace(html.UnescapeString(tagRE.ReplaceAllString(m[1], ""))))
		}
		out = append(out, row)
	}
	return out
}

var (
	cellRE = regexp.MustCompile(`(?s)<t[hd][^>]*>(.*?)</t[hd]>`)
	tagRE  = regexp.MustCompile(`<[^>]*>`)
)

// rowNamed is the row of rows whose first cell is name.
func rowNamed(t testing.TB, rows [][]string, name string) []string {
	t.Helper()
	for _, r := range rows {
		if len(r) > 0 && r[0] == name {
			return r
		}
	}
	t.Fatalf("no row %q in %v", name, rows)
	return nil
}

// The dashboard shows the report's figures for the hand-built area on both
// engines: the headline from the total row, the districts shaded by shortfall
// and by vacancy rate, the trend of the two snapshots, the DfE comparison beside
// this council's share over 20 miles, and the sufficiency table as the API's
// report has it (the same rows and cells).
func TestDashboardFigures(t *testing.T) {
	for _, d := range storetest.Dialects() {
		t.Run(d, func(t *testing.T) {
			s := newReportSite(t, d)
			c := s.client(t)
			s.signIn(t, c, "commissioner")
			p := s.get(t, c, "/dashboard")
			if p.StatusCode != http.StatusOK {
				t.Fatalf("dashboard: %d %s", p.StatusCode, p.Body)
			}
			headline := map[string]string{}
			for _, m := range regexp.MustCompile(`data-figure="([^"]+)">([^<]*)<`).FindAllStringSubmatch(p.Body, -1) {
				headline[html.UnescapeString(m[1])] = m[2]
			}
			want := map[string]string{"Providers": "4", "Places": "10", "Filled": "2", "Vacant": "4", "Children awaiting": "7",
				"Groups awaiting": "7", "Shortfall": "6", "Placements within 20 miles of home": "50%",
				"Placements in the council’s area": "2", "Placements outside the area": "0"}
			for k, v := range want {
				if headline[k] != v {
					t.Errorf("headline %s = %q, want %q (all: %v)", k, headline[k], v, headline)
				}
			}

			districts := tableRows(t, p.Body, "district-table")
			// District, places, vacant, vacancy rate, awaiting per kind (foster,
			// supported, hub), shortfall, shade.
			if !slices.Equal(districts[0][4:7], []string{"Awaiting: foster carer", "Awaiting: supported accommodation", "Awaiting: hub"}) {
				t.Errorf("district table's columns: %v", districts[0])
			}
			if r := rowNamed(t, districts, "Norwich"); !slices.Equal(r, []string{"Norwich", "8", "2", "25.0", "6", "1", "1", "6", "5 to 9"}) {
				t.Errorf("Norwich: %v", r)
			}
			if r := rowNamed(t, districts, "Breckland"); !slices.Equal(r, []string{"Breckland", "2", "2", "100.0", "1", "0", "0", "0", "No shortfall"}) {
				t.Errorf("Breckland: %v", r)
			}
			if !strings.Contains(p.Body, `data-label="Norwich: 6"`) {
				t.Error("the map's label for Norwich is not its shortfall")
			}
			v := s.get(t, c, "/dashboard?shade=vacancy_rate")
			if r := rowNamed(t, tableRows(t, v.Body, "district-table"), "Norwich"); r[8] != "20% or more" ||
				!strings.Contains(v.Body, `data-label="Norwich: 25.0%"`) {
				t.Errorf("shaded by vacancy rate, Norwich is %v", r)
			}

			// The districts' shortfalls add up to the headline's, as the report's
			// rows add up to its TOTAL.
			sum := 0
			for _, r := range districts[1:] {
				n, err := strconv.Atoi(r[7])
				must(t, err)
				sum += n
			}
			if strconv.Itoa(sum) != headline["Shortfall"] {
				t.Errorf("the districts' shortfalls add up to %d, the headline's is %s", sum, headline["Shortfall"])
			}

			trend := tableRows(t, p.Body, "trend-table")
			today := placematch.DateOf(storetest.Clock)
			if !slices.Equal(trend[0], []string{"Series", today.AddDays(-3).String(), today.AddDays(-2).String(), today.AddDays(-1).String()}) {
				t.Errorf("trend dates: %v", trend[0])
			}
			// The totals are each date's TOTAL row, a gap (–) on the date stored
			// without one; the kinds' vacancies are their districts' rows added.
			for name, values := range map[string][]string{"Children awaiting, in all": {"–", "8", "7"},
				"Vacant places, in all":                  {"–", "5", "4"},
				"Vacant places, foster carer: emergency": {"6", "5", "4"}, "Vacant places, foster carer: short term": {"6", "5", "4"},
				"Vacant places, supported accommodation": {"0", "0", "0"}} {
				if r := rowNamed(t, trend, name); !slices.Equal(r[1:], values) {
					t.Errorf("trend %s: %v, want %v", name, r[1:], values)
				}
			}
			if !strings.Contains(p.Body, "The snapshot of "+today.AddDays(-3).String()+" was taken before totals were stored, so it has no total") {
				t.Error("the page does not say which snapshot has no total")
			}
			if n := strings.Count(p.Body, "<polyline"); n != len(trend)-1 {
				t.Errorf("the chart draws %d lines for %d series", n, len(trend)-1)
			}

			if !strings.Contains(p.Body, "Here, 50.0% of the placements") {
				t.Error("the council's share over 20 miles is not beside the DfE's figures")
			}
			if r := rowNamed(t, tableRows(t, p.Body, "comparison-table"), "England"); len(r) < 5 || r[1] != "National" {
				t.Errorf("DfE comparison, England: %v", r)
			}

			// The page's table is the API's report: the same rows, the same cells.
			rep, err := s.Uses.SufficiencyFor(ctx, nil)
			must(t, err)
			page := tableRows(t, p.Body, "sufficiency-table")
			api := rep.Tables()[0]
			if len(page) != len(api.Rows)+1 || len(page[0]) != len(api.Columns) {
				t.Fatalf("the page's table has %d rows of %d, the report's %d of %d", len(page)-1, len(page[0]), len(api.Rows), len(api.Columns))
			}
			for i, row := range api.Rows {
				for j, cell := range row {
					if got := page[i+1][j]; isNum(cell.String()) && got != cell.String() {
						t.Errorf("row %d, %s: page %q, report %q", i, api.Columns[j], got, cell.String())
					}
				}
			}
		})
	}
}

func isNum(s string) bool {
	return s != "" && strings.Trim(s, "0123456789.") == ""
}

// Grouped by placement type and age band, the table has those columns, the map
// still adds up places and vacancies as grouped by kind alone, and the districts'
// shortfalls are their rows' at the grouping shown, adding up to the headline's;
// with small numbers hidden, the headline is the report's TOTAL row as suppressed,
// and a total no cell can be worked back from stays shown.
func TestDashboardGroupingAndSuppression(t *testing.T) {
	s := newReportSite(t, store.SQLite)
	c := s.client(t)
	s.signIn(t, c, "commissioner")
	p := s.get(t, c, "/dashboard?group_by=district,provider_kind,placement_type,age_band")
	if p.StatusCode != http.StatusOK {
		t.Fatalf("grouped: %d", p.StatusCode)
	}
	head := tableRows(t, p.Body, "sufficiency-table")[0]
	if !slices.Contains(head, "Placement type") || !slices.Contains(head, "Age band") {
		t.Errorf("grouped table's columns: %v", head)
	}
	// Norwich by type and band: foster short term 10–15 awaiting 5 (K3–5, K7, K8)
	// against vacant 2, short 3; foster short term 16–17 K9 against 2, short 0;
	// supported 16–17 K9 against 0, short 1; hub 16–17 K9, short 1; the other rows
	// 0: 3+0+1+1 = 5. Breckland's K6 against 2 vacant: 0. The TOTAL: 5 + 0 = 5.
	// Places and vacancies stay as grouped by kind: 8 and 2.
	if r := rowNamed(t, tableRows(t, p.Body, "district-table"), "Norwich"); !slices.Equal(r[1:8], []string{"8", "2", "25.0", "6", "1", "1", "5"}) {
		t.Errorf("grouped, the map's Norwich: %v", r)
	}
	if r := rowNamed(t, tableRows(t, p.Body, "district-table"), "Breckland"); r[7] != "0" {
		t.Errorf("grouped, the map's Breckland: %v", r)
	}
	if !strings.Contains(p.Body, `data-figure="Shortfall">5<`) {
		t.Errorf("grouped headline: %s", regexp.MustCompile(`data-figure="[^"]+">[^<]*`).FindAllString(p.Body, -1))
	}

	p = s.get(t, c, "/dashboard?suppress=true")
	// The headline is the TOTAL row as the report suppresses it: places (10) stay
	// shown, since no hidden cell can be worked back from them, while providers
	// (4) are a small number.
	rep, err := s.Uses.SufficiencyFor(ctx, url.Values{"suppress": {"true"}})
	must(t, err)
	sheet := rep.Tables()[0]
	total := sheet.Rows[len(sheet.Rows)-1]
	for col, label := range map[string]string{"providers": "Providers", "places": "Places", "vacant": "Vacant",
		"children_awaiting": "Children awaiting", "shortfall": "Shortfall"} {
		want := total[slices.Index(sheet.Columns, col)].String()
		if want == "c" {
			want = "c (not shown, to protect small numbers)"
		}
		if !strings.Contains(p.Body, `data-figure="`+label+`">`+want+`<`) {
			t.Errorf("suppressed headline %s is not the report's %q: %s", label, want, regexp.MustCompile(`data-figure="[^"]+">[^<]*`).FindAllString(p.Body, -1))
		}
	}
	if !strings.Contains(p.Body, `data-figure="Places">10<`) || !strings.Contains(p.Body, `data-figure="Providers">c (not shown, to protect small numbers)<`) {
		t.Errorf("suppressed headline: %s", regexp.MustCompile(`data-figure="[^"]+">[^<]*`).FindAllString(p.Body, -1))
	}
	if r := rowNamed(t, tableRows(t, p.Body, "district-table"), "Breckland"); r[7] != "c" || r[8] != "Not shown (small numbers)" {
		t.Errorf("suppressed, Breckland: %v", r)
	}
	p = s.get(t, c, "/dashboard?suppress=true&as_of=2026-11-20&group_by=district,provider_kind,age_band")
	links := regexp.MustCompile(`href="(/dashboard/download\?[^"]*)" data-format="([a-z]+)"`).FindAllStringSubmatch(p.Body, -1)
	if len(links) != 3 {
		t.Fatalf("download links: %v", links)
	}
	for _, l := range links {
		q, err := url.ParseQuery(strings.TrimPrefix(html.UnescapeString(l[1]), "/dashboard/download?"))
		must(t, err)
		if q.Get("format") != l[2] || q.Get("suppress") != "true" || q.Get("as_of") != "2026-11-20" ||
			q.Get("group_by") != "district,provider_kind,age_band" || q.Get("to") != "2026-11-20" {
			t.Errorf("the %s download does not carry the page's choices: %v", l[2], q)
		}
	}
}

// The downloads are the API's report: CSV, XLSX and JSON with the same content
// types and names, suppression as chosen, and the XLSX a workbook with its sheets.
func TestDashboardDownloads(t *testing.T) {
	s := newReportSite(t, store.SQLite)
	c := s.client(t)
	s.signIn(t, c, "commissioner")
	today := placematch.DateOf(storetest.Clock).String()

	x := s.get(t, c, "/dashboard/download?format=xlsx")
	if x.StatusCode != http.StatusOK || x.Header.Get("Content-Type") != "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet" ||
		x.Header.Get("Content-Disposition") != `attachment; filename="sufficiency-`+today+`.xlsx"` {
		t.Fatalf("XLSX: %d %q %q", x.StatusCode, x.Header.Get("Content-Type"), x.Header.Get("Content-Disposition"))
	}
	wb, err := excelize.OpenReader(strings.NewReader(x.Body))
	must(t, err)
	// A sheet per table of the report asked for (the page's trend of the 90 days
	// to today included), then the notes: the sufficiency table, the trend, the
	// DfE's comparison, the split by sector, and whatever sections the report has
	// after them.
	from := placematch.DateOf(storetest.Clock).AddDays(-90).String()
	rep, err := s.Uses.SufficiencyFor(ctx, url.Values{"format": {"xlsx"}, "from": {from}, "to": {today}})
	must(t, err)
	var want []string
	for _, tb := range rep.Tables() {
		want = append(want, tb.Name)
	}
	want = append(want, "Notes")
	if sheets := wb.GetSheetList(); !slices.Equal(sheets, want) || len(sheets) < 5 ||
		!slices.Equal(sheets[:4], []string{"Sufficiency", "Trend", "Comparison", "Sectors"}) {
		t.Errorf("sheets %v, want %v", sheets, want)
	}
	rows, err := wb.GetRows("Sufficiency")
	must(t, err)
	total := rowNamed(t, rows, "TOTAL")
	if i := slices.Index(rows[0], "vacant"); total[i] != "4" {
		t.Errorf("XLSX total row: %v", total)
	}

	cs := s.get(t, c, "/dashboard/download?format=csv&suppress=true")
	if cs.Header.Get("Content-Type") != "text/csv; charset=utf-8" {
		t.Fatalf("CSV: %q", cs.Header.Get("Content-Type"))
	}
	recs, err := csv.NewReader(bytes.NewReader([]byte(cs.Body))).ReadAll()
	must(t, err)
	if total := rowNamed(t, recs, "TOTAL"); total[slices.Index(recs[0], "providers")] != "c" {
		t.Errorf("suppressed CSV total: %v", total)
	}

	j := s.get(t, c, "/dashboard/download?format=json&group_by=district,provider_kind,age_band")
	var doc struct {
		GroupBy []string `json:"group_by"`
		Rows    []map[string]any
	}
	must(t, json.Unmarshal([]byte(j.Body), &doc))
	if !slices.Equal(doc.GroupBy, []string{"district", "provider_kind", "age_band"}) || len(doc.Rows) == 0 ||
		j.Header.Get("Content-Disposition") != `inline; filename="sufficiency-`+today+`.json"` {
		t.Errorf("JSON: %v, %d rows, %q", doc.GroupBy, len(doc.Rows), j.Header.Get("Content-Disposition"))
	}
}

// A bad date or an unknown grouping is the GOV.UK error summary linked to its
// field, with the API's messages; nothing is shown from the report.
func TestDashboardFormErrors(t *testing.T) {
	s := newReportSite(t, store.SQLite)
	c := s.client(t)
	s.signIn(t, c, "commissioner")
	for _, tc := range []struct{ query, field, message string }{
		{"as_of=2026-13-45", "as_of", "As of must be a date in the form YYYY-MM-DD."},
		{"group_by=district,provider_kind,shoe_size", "group_by", "Group by \"shoe_size\" is not one of district, provider_kind, placement_type, age_band."},
		{"from=2026-11-20&to=2026-11-01", "to", "To must not be before from."},
		{"as_of=2099-01-01", "as_of", "As of must not be after today"},
	} {
		for _, path := range []string{"/dashboard?", "/dashboard/download?format=xlsx&"} {
			p := s.get(t, c, path+tc.query)
			if p.StatusCode != http.StatusUnprocessableEntity {
				t.Errorf("%s%s: %d", path, tc.query, p.StatusCode)
				continue
			}
			if !strings.Contains(p.Body, `<a href="#`+tc.field+`">`+html.EscapeString(tc.message)) {
				t.Errorf("%s%s: the summary does not link %s with %q", path, tc.query, tc.field, tc.message)
			}
			if !strings.Contains(p.Body, `id="`+tc.field+`-error"`) && tc.field != "group_by" || !strings.Contains(p.Body, `id="`+tc.field+`"`) {
				t.Errorf("%s%s: no inline error at #%s", path, tc.query, tc.field)
			}
			if strings.Contains(p.Body, `id="sufficiency-table"`) || strings.Contains(p.Body, "data-figure=") {
				t.Errorf("%s%s: figures shown beside the errors", path, tc.query)
			}
		}
	}
}

// No dashboard response holds a child's record: no case reference nor id of any
// child appears in the page (in any shading, grouping or suppression) or in any
// download.
func TestDashboardShowsNoChild(t *testing.T) {
	s := newReportSite(t, store.SQLite)
	c := s.client(t)
	s.signIn(t, c, "commissioner")
	children, err := s.DB.ListChildren(ctx, store.ChildFilter{Limit: 100})
	must(t, err)
	if len(children.Items) != len(dashboardChildren) {
		t.Fatalf("%d children", len(children.Items))
	}
	for _, path := range []string{"/dashboard", "/dashboard?shade=vacancy_rate&suppress=true",
		"/dashboard?group_by=district,provider_kind,placement_type,age_band", "/dashboard/download?format=json",
		"/dashboard/download?format=csv", "/dashboard/download?format=xlsx", "/dashboard?as_of=bad"} {
		p := s.get(t, c, path)
		body := p.Body
		if strings.HasSuffix(path, "xlsx") {
			wb, err := excelize.OpenReader(strings.NewReader(p.Body))
			must(t, err)
			var all []string
			for _, sh := range wb.GetSheetList() {
				rows, err := wb.GetRows(sh)
				must(t, err)
				for _, r := range rows {
					all = append(all, r...)
				}
			}
			body = strings.Join(all, "\n")
		}
		for _, ch := range children.Items {
			if regexp.MustCompile(`\b`+ch.Reference+`\b`).MatchString(body) || strings.Contains(body, ch.ID) {
				t.Errorf("%s shows child %s", path, ch.Reference)
			}
		}
	}
}

// Only commissioners (and admins) use the dashboard: an officer, a carer and a
// provider get the 403 page on it and its downloads; a commissioner starts on
// it, and gets the 403 page on the queue and a child's page.
func TestDashboardRoles(t *testing.T) {
	s := newReportSite(t, store.SQLite)
	children, err := s.DB.ListChildren(ctx, store.ChildFilter{Limit: 1})
	must(t, err)
	for _, role := range []string{"officer", "carer", "provider"} {
		c := s.client(t)
		s.signIn(t, c, role)
		for _, path := range []string{"/dashboard", "/dashboard/download?format=xlsx"} {
			if p := s.get(t, c, path); p.StatusCode != http.StatusForbidden || !strings.Contains(p.Body, "for commissioners") {
				t.Errorf("%s on %s: %d", role, path, p.StatusCode)
			}
		}
	}
	c := s.client(t)
	s.signIn(t, c, "commissioner")
	if p := s.get(t, c, "/"); p.StatusCode != http.StatusSeeOther || p.Header.Get("Location") != "/dashboard" {
		t.Errorf("a commissioner's start: %d to %q", p.StatusCode, p.Header.Get("Location"))
	}
	for _, path := range []string{"/queue", "/children/" + children.Items[0].ID, "/placements"} {
		if p := s.get(t, c, path); p.StatusCode != http.StatusForbidden || !strings.Contains(p.Body, "for placement officers") {
			t.Errorf("commissioner on %s: %d", path, p.StatusCode)
		}
	}
	if p := s.get(t, c, "/map/boundaries.geojson"); p.StatusCode != http.StatusOK {
		t.Errorf("a commissioner's map boundaries: %d", p.StatusCode)
	}
	anon := s.client(t)
	if p := s.get(t, anon, "/dashboard"); p.StatusCode != http.StatusSeeOther || p.Header.Get("Location") != "/sign-in" {
		t.Errorf("not signed in: %d to %q", p.StatusCode, p.Header.Get("Location"))
	}
}
