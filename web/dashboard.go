package web

import (
	"bytes"
	"fmt"
	"math"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"placematch"
	"placematch/auth"
)

// The commissioners' dashboard: the sufficiency report (placing.Sufficiency, the
// report the API answers at GET /api/v1/reports/sufficiency, read from the same
// parameters) shown as headline figures, its tables, a map of the districts and
// the trend over the nightly snapshots, with the report's downloads. The page
// renders the report's tables by their column names: it holds no figures of its
// own beyond adding up a district's rows for the map (mapOf) and, per kind of
// home, the snapshots' vacancies for the chart; totals are the report's TOTAL
// rows. The report counts providers and placements only: no child's record
// reaches these pages.

// reportParams are the sufficiency report's parameters, as the API names them.
var reportParams = []string{"as_of", "from", "to", "group_by", "suppress", "format"}

// trendDays is how far back the trend reaches when the form names no period.
const trendDays = 90

// commissioners lets commissioners (and admins) in: anyone else signed in is
// refused, and a visitor not signed in is sent to sign in.
func (s *Server) commissioners(h func(w http.ResponseWriter, r *http.Request, p *Person)) http.Handler {
	return s.allow(h, "You cannot use the commissioners’ dashboard", "These pages are for commissioners.", auth.Commissioner, auth.Admin)
}

// mapReaders may fetch the council's districts: the people whose pages draw them.
func (s *Server) mapReaders(h func(w http.ResponseWriter, r *http.Request, p *Person)) http.Handler {
	return s.allow(h, "You cannot use these pages", "The map is for placement officers and commissioners.",
		auth.PlacementOfficer, auth.Commissioner, auth.Admin)
}

// allow lets in the roles named, refuses anyone else signed in with a 403 page
// that says why, and sends a visitor not signed in to sign in.
func (s *Server) allow(h func(w http.ResponseWriter, r *http.Request, p *Person), heading, why string, roles ...auth.Role) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		p := personOf(r)
		if p == nil {
			http.Redirect(w, r, "/sign-in", http.StatusSeeOther)
			return
		}
		for _, role := range roles {
			if p.Role == role {
				h(w, r, p)
				return
			}
		}
		s.renderError(w, r, http.StatusForbidden, heading, why+" You are signed in as "+p.Name+" ("+roleLabel(p.Role)+").")
	})
}

// dashboardForm is the dashboard's form as sent.
type dashboardForm struct {
	AsOf, From, To, GroupBy, Shade string
	Suppress                       bool
}

type option struct{ Value, Label string }

// groupings are the report's groupings the form offers (the API's group_by).
var groupings = []option{
	{"district,provider_kind", "District and kind of home"},
	{"district,provider_kind,placement_type", "District, kind of home and placement type"},
	{"district,provider_kind,age_band", "District, kind of home and age band"},
	{"district,provider_kind,placement_type,age_band", "District, kind of home, placement type and age band"},
}

// Map shadings.
const (
	shadeShortfall = "shortfall"
	shadeVacancy   = "vacancy_rate"
)

var shadings = []option{{shadeShortfall, "Shortfall"}, {shadeVacancy, "Vacancy rate"}}

// dashboardFieldIDs are the inputs the report's field errors link to.
var dashboardFieldIDs = map[string]string{"": "dashboard-form", "format": "downloads"}

type dashboardData struct {
	Form      dashboardForm
	Dates     struct{ AsOf, From, To dateField }
	Groupings []option
	Shadings  []option
	// Shown is false when the form has errors: no figures are shown then.
	Shown       bool
	AsOf        placematch.Date
	GeneratedAt time.Time
	Headline    []figure
	Table       tableView
	Map         districtMap
	Trend       trendView
	Comparison  *tableView
	// Council is this council's share of placements more than 20 miles from
	// home, beside the DfE's figures ("" when it cannot be shown).
	Council   string
	Notes     []string
	Downloads []option // format → link
	// Boundaries says the map has the council's districts to draw.
	Boundaries    bool
	Script, Style string
}

type figure struct{ Label, Value string }

// dateField is one of the form's date inputs, with its error.
type dateField struct{ Name, Label, Hint, Value, Error, Example string }

// newDashboardData is the page's form, before any figures.
func (s *Server) newDashboardData(form dashboardForm) (dashboardData, error) {
	d := dashboardData{Form: form, Groupings: groupings, Shadings: shadings, Boundaries: s.Boundaries != nil}
	// Labelled by the report's parameters, as the error messages name them.
	today := s.today().String()
	d.Dates.AsOf = dateField{Name: "as_of", Label: "As of", Hint: "The date of the figures. ", Value: form.AsOf, Example: today}
	d.Dates.From = dateField{Name: "from", Label: "From", Value: form.From, Example: today}
	d.Dates.To = dateField{Name: "to", Label: "To", Value: form.To, Example: today}
	var err error
	if d.Script, err = s.assets.URL("app/dashboard.js"); err == nil {
		d.Style, err = s.assets.URL("app/dashboard.css")
	}
	return d, err
}

// dashboard shows the sufficiency report for the date and grouping chosen.
func (s *Server) dashboard(w http.ResponseWriter, r *http.Request, p *Person) {
	q, form := s.dashboardQuery(r.URL.Query())
	d, err := s.newDashboardData(form)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	rep, err := s.Placing.SufficiencyFor(r.Context(), q)
	if err != nil {
		s.dashboardErrors(w, r, p, err, d)
		return
	}
	tables := rep.Tables()
	d.Shown, d.AsOf, d.GeneratedAt, d.Notes = true, rep.Options.AsOf, rep.GeneratedAt, rep.Notes()
	for _, t := range tables {
		tv := tableOf(t.Name, t.Columns, cellTexts(t.Rows))
		switch t.Name {
		case "Sufficiency":
			tv.Caption, tv.ID = "Sufficiency by "+lowerFirst(groupingLabel(form.GroupBy)), "sufficiency-table"
			d.Table = tv
		case "Trend":
			d.Trend = trendOf(tv, rep.Options.From, rep.Options.To)
		case "Comparison":
			tv.Caption, tv.ID = "Children looked after placed more than 20 miles from home (DfE, 31 March)", "comparison-table"
			d.Comparison = &tv
		}
	}
	d.Headline, d.Council = headline(d.Table), councilOver20(d.Table)
	byDistrict := d.Table
	if rep.Options.PlacementType || rep.Options.AgeBand {
		// A provider counts in every row its approval covers, so a district's rows
		// add up only when grouped by district and kind alone.
		plain := cloneValues(q)
		plain.Del("group_by")
		plain.Del("from")
		plain.Del("to")
		flat, err := s.Placing.SufficiencyFor(r.Context(), plain)
		if err != nil {
			s.fail(w, r, err)
			return
		}
		t := flat.Tables()[0]
		byDistrict = tableOf(t.Name, t.Columns, cellTexts(t.Rows))
	}
	d.Map = mapOf(byDistrict, d.Table, form.Shade)
	for _, f := range []string{"csv", "xlsx", "json"} {
		dq := cloneValues(q)
		dq.Set("format", f)
		d.Downloads = append(d.Downloads, option{f, "/dashboard/download?" + dq.Encode()})
	}
	s.audit(r, p, "report.sufficiency", "report", "", nil, http.StatusOK)
	s.render(w, r, http.StatusOK, "dashboard", view{Title: "Sufficiency of homes", Section: "dashboard", Data: d, Map: d.Boundaries})
}

// dashboardErrors shows the form with the report's field errors, or fails.
func (s *Server) dashboardErrors(w http.ResponseWriter, r *http.Request, p *Person, err error, d dashboardData) {
	errs, status, ok := formErrors(err, dashboardFieldIDs)
	if !ok {
		s.fail(w, r, err)
		return
	}
	for _, f := range []*dateField{&d.Dates.AsOf, &d.Dates.From, &d.Dates.To} {
		for _, e := range errs {
			if e.Field == f.Name {
				f.Error = e.Message
			}
		}
	}
	s.audit(r, p, "report.sufficiency", "report", "", nil, status)
	s.render(w, r, status, "dashboard", view{Title: "Sufficiency of homes", Section: "dashboard", Errors: errs, Data: d})
}

// dashboardDownload answers the report as a file, as the API does: the same
// parameters, the same writers, the same names.
func (s *Server) dashboardDownload(w http.ResponseWriter, r *http.Request, p *Person) {
	q, form := s.dashboardQuery(r.URL.Query())
	if q.Get("format") == "" {
		q.Set("format", "json")
	}
	rep, err := s.Placing.SufficiencyFor(r.Context(), q)
	if err != nil {
		d, aerr := s.newDashboardData(form)
		if aerr != nil {
			s.fail(w, r, aerr)
			return
		}
		s.dashboardErrors(w, r, p, err, d)
		return
	}
	var buf bytes.Buffer
	if err := rep.Write(&buf); err != nil {
		s.fail(w, r, err)
		return
	}
	disposition := "attachment"
	if q.Get("format") == "json" {
		disposition = "inline"
	}
	s.audit(r, p, "report.sufficiency", "report", "", nil, http.StatusOK)
	w.Header().Set("Content-Type", rep.Options.Format.ContentType())
	w.Header().Set("Content-Disposition", fmt.Sprintf("%s; filename=%q", disposition, rep.FileName()))
	_, _ = buf.WriteTo(w)
}

// dashboardQuery keeps the report's parameters of a page's query, with the trend
// of the trendDays before the date shown when no period is named, and the form
// as sent.
func (s *Server) dashboardQuery(in url.Values) (url.Values, dashboardForm) {
	q := url.Values{}
	for _, k := range reportParams {
		if v := strings.TrimSpace(in.Get(k)); v != "" {
			q.Set(k, v)
		}
	}
	if q.Get("suppress") == "on" { // the form's checkbox
		q.Set("suppress", "true")
	}
	if q.Get("from") == "" && q.Get("to") == "" {
		end := s.today()
		if d, err := placematch.ParseDate(q.Get("as_of")); err == nil && !d.After(end) {
			end = d
		}
		q.Set("from", end.AddDays(-trendDays).String())
		q.Set("to", end.String())
	}
	f := dashboardForm{AsOf: q.Get("as_of"), From: q.Get("from"), To: q.Get("to"), GroupBy: q.Get("group_by"),
		Shade: in.Get("shade"), Suppress: q.Get("suppress") == "true"}
	if f.AsOf == "" {
		f.AsOf = s.today().String()
	}
	if f.GroupBy == "" {
		f.GroupBy = groupings[0].Value
	}
	if f.Shade != shadeVacancy {
		f.Shade = shadeShortfall
	}
	return q, f
}

// groupingLabel names a grouping the form offers, or the API's list as sent.
func groupingLabel(g string) string {
	for _, o := range groupings {
		if o.Value == g {
			return o.Label
		}
	}
	return strings.ReplaceAll(humanise(g), ",", ", ")
}

func cloneValues(v url.Values) url.Values {
	out := url.Values{}
	for k, vs := range v {
		out[k] = append([]string(nil), vs...)
	}
	return out
}

// cellTexts turns a report's cells into their written form (as in CSV).
func cellTexts[C fmt.Stringer](rows [][]C) [][]string {
	out := make([][]string, len(rows))
	for i, row := range rows {
		out[i] = make([]string, len(row))
		for j, c := range row {
			out[i][j] = c.String()
		}
	}
	return out
}

// headlineColumns are the total row's figures shown first, by the report's
// column names; a column the report does not have is left out.
var headlineColumns = []option{
	{"providers", "Providers"}, {"places", "Places"}, {"filled", "Filled"}, {"vacant", "Vacant"},
	{"children_awaiting", "Children awaiting"}, {"groups_awaiting", "Groups awaiting"}, {"shortfall", "Shortfall"},
	{"pct_within_20_miles", "Placements within 20 miles of home"},
	{"placements_in_area", "Placements in the council’s area"}, {"placements_out_of_area", "Placements outside the area"},
}

// headline reads the figures of the report's total row.
func headline(t tableView) []figure {
	total := t.total()
	if total < 0 {
		return nil
	}
	var out []figure
	for _, h := range headlineColumns {
		v, ok := t.value(total, h.Value)
		if !ok {
			continue
		}
		switch {
		case v == suppressedMark:
			v = "c (not shown, to protect small numbers)"
		case v == "":
			v = "None to measure"
		case strings.HasPrefix(h.Value, "pct_"):
			v += "%"
		}
		out = append(out, figure{h.Label, v})
	}
	return out
}

// councilOver20 is the total row's placements more than 20 miles from home as a
// share of all its placements, as the DfE publishes it; "" when a count is
// suppressed or there are no placements.
func councilOver20(t tableView) string {
	total := t.total()
	if total < 0 {
		return ""
	}
	var n [3]int
	for i, col := range []string{"placements_over_20_miles", "placements_within_20_miles", "placements_distance_unknown"} {
		v, ok := t.value(total, col)
		x, err := strconv.Atoi(v)
		if !ok || err != nil {
			return ""
		}
		n[i] = x
	}
	all := n[0] + n[1] + n[2]
	if all == 0 {
		return ""
	}
	return strconv.FormatFloat(math.Round(float64(n[0])/float64(all)*1000)/10, 'f', 1, 64) + "%"
}
