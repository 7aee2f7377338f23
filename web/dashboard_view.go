package web

import (
	"fmt"
	"math"
	"slices"
	"strconv"
	"strings"

	"placematch"
)

// suppressedMark is the report's mark for a small number not shown (the DfE's
// "c"), as the report writes it.
const suppressedMark = "c"

// totalLabel is the district cell of the report's total row.
const totalLabel = "TOTAL"

// tableView is one of the report's tables as the page shows it: its columns
// labelled, its cells as the report writes them (CSV's text).
type tableView struct {
	Name string
	// Caption and ID name the table on the page.
	Caption, ID string
	Columns     []columnView
	Rows        [][]cellView
	raw         [][]string
	keys        []string
}

type columnView struct {
	Label   string
	Numeric bool
}

type cellView struct {
	Text    string
	Numeric bool
	// Header marks the row's first cell, which names the row.
	Header bool
}

// columnLabels are the report's column names in words; a column not listed is
// shown by its name made readable.
var columnLabels = map[string]string{
	"district": "District", "provider_kind": "Kind of home", "placement_type": "Placement type", "age_band": "Age band",
	"providers": "Providers", "places": "Places", "filled": "Filled", "vacant": "Vacant", "unavailable": "Unavailable",
	"occupancy_rate": "Occupancy (%)", "children_awaiting": "Children awaiting", "shortfall": "Shortfall",
	"placements_within_20_miles": "Placed within 20 miles", "placements_over_20_miles": "Placed over 20 miles",
	"placements_distance_unknown": "Distance not known", "pct_within_20_miles": "Within 20 miles (%)",
	"mean_distance_miles": "Mean distance (miles)", "placements_in_area": "Placed in area",
	"placements_out_of_area": "Placed out of area", "placements_splitting_siblings": "Placements splitting siblings",
	"snapshot_date": "Snapshot date", "area": "Area", "geographic_level": "Level", "year": "Year",
	"placed_over_20_miles": "Placed over 20 miles", "pct_over_20_miles": "Over 20 miles (%)",
	"placed_within_20_miles": "Placed within 20 miles", "placed_distance_unknown": "Distance not known",
	"children_looked_after": "Children looked after",
}

func columnLabel(name string) string {
	if l, ok := columnLabels[name]; ok {
		return l
	}
	return humanise(name)
}

// isNumber says whether a cell holds a number.
func isNumber(s string) bool {
	_, err := strconv.ParseFloat(s, 64)
	return err == nil
}

// cellLabel is a cell in words: codes ("foster_carer") made readable, the total
// row named, numbers and names as they are, and nothing to measure as a dash.
func cellLabel(s string) string {
	switch {
	case s == "":
		return "–"
	case s == totalLabel:
		return "Total"
	case s == suppressedMark || isNumber(s) || s != strings.ToLower(s):
		return s
	}
	return humanise(s)
}

// tableOf lays out a table of the report: a column is numeric when any of its
// cells is a number.
func tableOf(name string, columns []string, rows [][]string) tableView {
	t := tableView{Name: name, raw: rows, keys: columns}
	for i, c := range columns {
		numeric := false
		for _, row := range rows {
			if i < len(row) && isNumber(row[i]) {
				numeric = true
				break
			}
		}
		t.Columns = append(t.Columns, columnView{Label: columnLabel(c), Numeric: numeric})
	}
	for _, row := range rows {
		line := make([]cellView, len(row))
		for i, c := range row {
			line[i] = cellView{Text: cellLabel(c), Numeric: i < len(t.Columns) && t.Columns[i].Numeric, Header: i == 0}
		}
		t.Rows = append(t.Rows, line)
	}
	return t
}

// col is the index of a column by its report name, or -1.
func (t tableView) col(name string) int { return slices.Index(t.keys, name) }

// value is a cell as the report wrote it, by row and column name.
func (t tableView) value(row int, col string) (string, bool) {
	i := t.col(col)
	if i < 0 || row < 0 || row >= len(t.raw) || i >= len(t.raw[row]) {
		return "", false
	}
	return t.raw[row][i], true
}

// total is the index of the total row, or -1.
func (t tableView) total() int {
	for i := range t.raw {
		if v, _ := t.value(i, "district"); v == totalLabel {
			return i
		}
	}
	return -1
}

// count reads a count the report wrote: hidden when suppressed; ok is false
// when the cell is neither.
func count(s string) (n int, hidden, ok bool) {
	if s == suppressedMark {
		return 0, true, true
	}
	n, err := strconv.Atoi(s)
	return n, false, err == nil
}

// districtMap is the districts shaded on the map, with the table that says the
// same.
type districtMap struct {
	// Label names the shading ("Shortfall"); Words is it within a sentence.
	Shade, Label, Words string
	// Kinds are the kinds of home of the report's rows, in its order, and
	// KindLabels the headers of their children awaiting.
	Kinds, KindLabels []string
	Rows              []districtRow
	Legend            []band
}

type districtRow struct {
	District, Label                       string
	Places, Vacant, Shortfall, VacancyPct string
	VacancyShown                          string
	// Awaiting are the district's children awaiting for each of Kinds.
	Awaiting []string
	Band     band
}

// band is a class of the map's shading: its words and its fill colour.
type band struct{ Label, Fill string }

// The bands of each shading, lightest first, and the band of a figure not
// shown. The fills are a light-to-dark sequence; each district is also labelled
// on the map with its figure, so colour is never the only way to read it.
var (
	shortfallBands = []band{{"No shortfall", "#cce2d8"}, {"1 to 4", "#fcd6c3"}, {"5 to 9", "#f47738"}, {"10 or more", "#942514"}}
	vacancyBands   = []band{{"Under 5%", "#d2e2f1"}, {"5% to under 10%", "#8eb8dc"}, {"10% to under 20%", "#1d70b8"}, {"20% or more", "#003078"}}
	hiddenBand     = band{"Not shown (small numbers)", "#b1b4b6"}
	// A district of the map with no row in the report (no homes, no child
	// awaiting) is drawn white, as dashboard.js draws it.
	nothingBand  = band{"Nothing recorded", "#ffffff"}
	noPlacesBand = band{"No places recorded", "#ffffff"}
)

// mapOf adds up each district's rows for the map. Places and vacancies are added
// over the district's rows of flat, the report grouped by district and kind of
// home alone, where each provider is in one row (its district's, its kind's); the
// vacancy rate is the district's vacant places out of its places. The shortfall
// is the sum of the district's rows' shortfalls in shown, the table at the
// grouping asked for, as the report's TOTAL shortfall is the sum of its rows', so
// that the districts' shortfalls add up to the total's. Children awaiting are
// given per kind of home (flat's row of that district and kind), never added
// across kinds: a child that two kinds could lawfully take is in both rows. A
// figure made from a suppressed count is not shown.
func mapOf(flat, shown tableView, shade string) districtMap {
	m := districtMap{Shade: shade, Label: "Shortfall", Words: "shortfall", Legend: append(slices.Clone(shortfallBands), hiddenBand, nothingBand)}
	if shade == shadeVacancy {
		m.Label, m.Words, m.Legend = "Vacancy rate", "vacancy rate", append(slices.Clone(vacancyBands), noPlacesBand, hiddenBand)
	}
	type sum struct {
		n      int
		hidden bool
	}
	add := func(s *sum, v string) {
		n, hidden, ok := count(v)
		s.n, s.hidden = s.n+n, s.hidden || hidden || !ok
	}
	type sums struct {
		places, vacant, shortfall sum
		awaiting                  map[string]*sum // kind → children awaiting
	}
	var order []string
	by := map[string]*sums{}
	district := func(d string) *sums {
		s := by[d]
		if s == nil {
			s = &sums{awaiting: map[string]*sum{}}
			by[d] = s
			order = append(order, d)
		}
		return s
	}
	for i := range flat.raw {
		d, _ := flat.value(i, "district")
		if d == totalLabel || d == "" {
			continue
		}
		s := district(d)
		v, _ := flat.value(i, "places")
		add(&s.places, v)
		v, _ = flat.value(i, "vacant")
		add(&s.vacant, v)
		k, _ := flat.value(i, "provider_kind")
		if !slices.Contains(m.Kinds, k) {
			m.Kinds = append(m.Kinds, k)
		}
		if s.awaiting[k] == nil {
			s.awaiting[k] = &sum{}
		}
		v, _ = flat.value(i, "children_awaiting")
		add(s.awaiting[k], v)
	}
	for i := range shown.raw {
		d, _ := shown.value(i, "district")
		if d == totalLabel || d == "" {
			continue
		}
		v, _ := shown.value(i, "shortfall")
		add(&district(d).shortfall, v)
	}
	for _, k := range m.Kinds {
		m.KindLabels = append(m.KindLabels, "Awaiting: "+lowerFirst(cellLabel(k)))
	}
	write := func(s sum) string {
		if s.hidden {
			return suppressedMark
		}
		return strconv.Itoa(s.n)
	}
	for _, d := range order {
		s := by[d]
		row := districtRow{District: d, Label: cellLabel(d), Places: write(s.places), Vacant: write(s.vacant),
			Shortfall: write(s.shortfall)}
		for _, k := range m.Kinds {
			if a := s.awaiting[k]; a != nil {
				row.Awaiting = append(row.Awaiting, write(*a))
			} else {
				row.Awaiting = append(row.Awaiting, "0") // no row: no home of the kind, no child for it
			}
		}
		var pct float64
		switch {
		case s.places.hidden || s.vacant.hidden:
			row.VacancyPct = suppressedMark
		case s.places.n == 0:
			row.VacancyPct = ""
		default:
			pct = math.Round(float64(s.vacant.n)/float64(s.places.n)*1000) / 10
			row.VacancyPct = strconv.FormatFloat(pct, 'f', 1, 64)
		}
		row.VacancyShown = cellLabel(row.VacancyPct)
		if shade == shadeVacancy {
			switch {
			case row.VacancyPct == suppressedMark:
				row.Band = hiddenBand
			case row.VacancyPct == "":
				row.Band = noPlacesBand
			default:
				row.Band = vacancyBands[bandIndex(pct, 5, 10, 20)]
			}
		} else if row.Shortfall == suppressedMark {
			row.Band = hiddenBand
		} else {
			row.Band = shortfallBands[bandIndex(float64(s.shortfall.n), 1, 5, 10)]
		}
		m.Rows = append(m.Rows, row)
	}
	return m
}

// bandIndex is the class of v among the classes starting at each bound: 0 below
// the first, len(bounds) from the last.
func bandIndex(v float64, bounds ...float64) int {
	i := 0
	for i < len(bounds) && v >= bounds[i] {
		i++
	}
	return i
}

// The trend chart's size and margins, in SVG user units.
const (
	chartW, chartH                               = 720.0, 340.0
	chartLeft, chartRight, chartTop, chartBottom = 56.0, 24.0, 16.0, 44.0
)

// seriesStyles are the chart's lines after the totals' (black and thick, vacant
// places dashed): colours with at least 3:1 contrast on white, with dashes so that
// neighbours differ by more than colour.
var seriesStyles = []struct{ Colour, Dash string }{
	{"#1d70b8", ""}, {"#d4351c", "8 4"}, {"#00703c", "3 3"}, {"#4c2c92", ""}, {"#912b88", "8 4"},
	{"#505a5f", "3 3"}, {"#8a4c00", ""}, {"#003078", "8 4"}, {"#b1006b", "3 3"},
}

// trendView is the trend over the nightly snapshots: a chart of each date's
// totals (children awaiting, vacant places) and of vacant places per kind of home
// (and placement type for carers), and the table of the same figures.
type trendView struct {
	From, To placematch.Date
	Dates    []string
	Series   []series
	// Empty says there were no snapshots in the period.
	Empty bool
	// Untotalled are the dates whose snapshot has no TOTAL row (taken before
	// totals were stored): the totals' series have a gap there.
	Untotalled []string
	Chart      chart
}

type series struct {
	Label, Colour, Dash string
	Width               float64
	// Values are the series' figures per date: "" where it has none, "c" where
	// one is suppressed; Shown are the same in words.
	Values, Shown []string
	// Lines are the polylines' points, broken where a figure is not shown.
	Lines []string
	Dots  []dot
}

type dot struct {
	X, Y  float64
	Title string
}

type chart struct {
	W, H, Left, Right, Top, Bottom float64
	XTicks, YTicks                 []tick
}

type tick struct {
	At    float64
	Label string
}

// trendOf reads the report's trend table (at the snapshots' grain: district, kind
// of home and placement type, each date ended by its TOTAL row when the snapshot
// stored one). The totals' series, children awaiting and vacant places, are each
// date's TOTAL row as the report gives it (each provider, child and group once);
// a date without one has a gap there, since its rows overlap (a child that two
// kinds could take is in both rows, a carer approved for two types in both) and
// are never added up for a total. Vacant places are also shown for each kind of
// home and placement type, added across districts (each provider lies in one
// district); a carer approved for two types is in both of those series, so they
// are not added to each other.
func trendOf(t tableView, from, to placematch.Date) trendView {
	v := trendView{From: from, To: to}
	date, district, kind, ptype := t.col("snapshot_date"), t.col("district"), t.col("provider_kind"), t.col("placement_type")
	if len(t.raw) == 0 {
		v.Empty = true
		return v
	}
	if date < 0 || district < 0 || kind < 0 || ptype < 0 || t.col("vacant") < 0 || t.col("children_awaiting") < 0 {
		return v
	}
	type point struct {
		n      int
		hidden bool
	}
	totals := map[string]map[string]point{} // column → date → the TOTAL row's figure
	vacant := map[string]map[string]point{} // series → date → vacant
	var names []string
	for i, row := range t.raw {
		d := row[date]
		if len(v.Dates) == 0 || v.Dates[len(v.Dates)-1] != d {
			v.Dates = append(v.Dates, d)
		}
		if row[district] == totalLabel && row[kind] == "" {
			for _, col := range []string{"children_awaiting", "vacant"} {
				x, _ := t.value(i, col)
				if n, hidden, ok := count(x); ok {
					if totals[col] == nil {
						totals[col] = map[string]point{}
					}
					totals[col][d] = point{n, hidden}
				}
			}
			continue
		}
		name := cellLabel(row[kind])
		if row[ptype] != "" {
			name += ": " + lowerFirst(cellLabel(row[ptype]))
		}
		if vacant[name] == nil {
			vacant[name] = map[string]point{}
			names = append(names, name)
		}
		x, _ := t.value(i, "vacant")
		n, hidden, _ := count(x)
		p := vacant[name][d]
		vacant[name][d] = point{p.n + n, p.hidden || hidden}
	}
	for _, d := range v.Dates {
		if _, ok := totals["children_awaiting"][d]; !ok {
			v.Untotalled = append(v.Untotalled, d)
		}
	}
	write := func(p point, ok bool) string {
		switch {
		case !ok:
			return ""
		case p.hidden:
			return suppressedMark
		}
		return strconv.Itoa(p.n)
	}
	for _, s := range []struct{ col, label, colour, dash string }{
		{"children_awaiting", "Children awaiting, in all", "#0b0c0c", ""},
		{"vacant", "Vacant places, in all", "#0b0c0c", "8 4"},
	} {
		tot := series{Label: s.label, Colour: s.colour, Dash: s.dash, Width: 4}
		for _, d := range v.Dates {
			p, ok := totals[s.col][d]
			tot.Values = append(tot.Values, write(p, ok))
		}
		v.Series = append(v.Series, tot)
	}
	for i, name := range names {
		st := seriesStyles[i%len(seriesStyles)]
		s := series{Label: "Vacant places, " + lowerFirst(name), Colour: st.Colour, Dash: st.Dash, Width: 2.5}
		for _, d := range v.Dates {
			p, ok := vacant[name][d]
			s.Values = append(s.Values, write(p, ok))
		}
		v.Series = append(v.Series, s)
	}
	for i := range v.Series {
		for _, val := range v.Series[i].Values {
			v.Series[i].Shown = append(v.Series[i].Shown, cellLabel(val))
		}
	}
	v.draw()
	return v
}

// draw places the series on the chart: dates along the bottom at their true
// spacing, figures up the side from 0 to a round maximum.
func (v *trendView) draw() {
	c := chart{W: chartW, H: chartH, Left: chartLeft, Right: chartW - chartRight, Top: chartTop, Bottom: chartH - chartBottom}
	days := make([]int, len(v.Dates))
	first, _ := placematch.ParseDate(v.Dates[0])
	for i, s := range v.Dates {
		d, _ := placematch.ParseDate(s)
		days[i] = int(d.Time().Sub(first.Time()).Hours() / 24)
	}
	span := days[len(days)-1]
	x := func(i int) float64 {
		if span == 0 {
			return (c.Left + c.Right) / 2
		}
		return c.Left + (c.Right-c.Left)*float64(days[i])/float64(span)
	}
	top := 0
	for _, s := range v.Series {
		for _, val := range s.Values {
			if n, err := strconv.Atoi(val); err == nil {
				top = max(top, n)
			}
		}
	}
	top = roundUp(top)
	y := func(n int) float64 { return c.Bottom - (c.Bottom-c.Top)*float64(n)/float64(top) }
	for k := 0; k <= 4; k++ {
		n := top * k / 4
		c.YTicks = append(c.YTicks, tick{At: y(n), Label: strconv.Itoa(n)})
	}
	step := max(1, (len(v.Dates)+5)/6) // at most about six dates named
	for i := 0; i < len(v.Dates); i += step {
		d, _ := placematch.ParseDate(v.Dates[i])
		c.XTicks = append(c.XTicks, tick{At: x(i), Label: d.Time().Format("2 Jan")})
	}
	for si := range v.Series {
		s := &v.Series[si]
		var line []string
		for i, val := range s.Values {
			n, err := strconv.Atoi(val)
			if err != nil { // not shown: the line breaks
				if len(line) > 1 {
					s.Lines = append(s.Lines, strings.Join(line, " "))
				}
				line = nil
				continue
			}
			px, py := x(i), y(n)
			line = append(line, fmt.Sprintf("%.1f,%.1f", px, py))
			s.Dots = append(s.Dots, dot{X: px, Y: py, Title: fmt.Sprintf("%s on %s: %d", s.Label, v.Dates[i], n)})
		}
		if len(line) > 1 {
			s.Lines = append(s.Lines, strings.Join(line, " "))
		}
	}
	v.Chart = c
}

// roundUp is the least of 4, 8, 20, 40, 80, 200 … (1, 2 or 5 times a power of
// ten, times 4, so that the chart's four steps are whole numbers) not below n.
func roundUp(n int) int {
	for p := 1; ; p *= 10 {
		for _, m := range []int{1, 2, 5} {
			if m*p*4 >= n {
				return m * p * 4
			}
		}
	}
}
