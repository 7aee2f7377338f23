package reports

import (
	"slices"
	"strconv"
)

// CellKind says what a cell holds.
type CellKind uint8

// The cell kinds. Empty is a measure with nothing to measure (a rate over no
// places); it is null in JSON and blank in CSV and XLSX.
const (
	Empty CellKind = iota
	Text
	Int
	Float
)

// Suppressed is the DfE's mark for a count too small to publish.
const Suppressed = "c"

// Cell is one value of a table, kept typed so that XLSX gets numbers and JSON gets
// numbers, strings or null.
type Cell struct {
	Kind CellKind
	S    string
	I    int
	F    float64
}

// String formats the cell for CSV.
func (c Cell) String() string {
	switch c.Kind {
	case Text:
		return c.S
	case Int:
		return strconv.Itoa(c.I)
	case Float:
		return strconv.FormatFloat(c.F, 'f', -1, 64)
	}
	return ""
}

// Table is a named table of cells under a header row.
type Table struct {
	Name    string
	Columns []string
	Rows    [][]Cell
}

func text(s string) Cell { return Cell{Kind: Text, S: s} }

// cells turns counts and rates into cells, applying small-number suppression.
type cells struct{ suppress bool }

// small reports whether n must be hidden: 1 to 4 (zero is safe to show).
func (c cells) small(n int) bool { return c.suppress && n >= 1 && n <= 4 }

// Measure columns of the sufficiency table, after the grouping columns.
var measureColumns = []string{
	"providers", "places", "filled", "vacant", "unavailable", "occupancy_rate", "children_awaiting", "groups_awaiting",
	"shortfall", "placements_within_20_miles", "placements_over_20_miles", "placements_distance_unknown",
	"pct_within_20_miles", "mean_distance_miles", "placements_in_area", "placements_out_of_area",
	"placements_splitting_siblings",
}

// The counts of a row, as the suppression grid holds them.
const (
	cProviders = iota
	cPlaces
	cFilled
	cVacant
	cUnavailable
	cAwaiting
	cGroups
	cShortfall
	cWithin
	cOver
	cUnknown
	cInArea
	cOutArea
	cSplits
	nCounts
)

func countsOf(r Row) []int {
	return []int{cProviders: r.Providers, cPlaces: r.Places, cFilled: r.Filled, cVacant: r.Vacant,
		cUnavailable: r.Unavailable, cAwaiting: r.ChildrenAwaiting, cGroups: r.GroupsAwaiting,
		cShortfall: r.Shortfall(), cWithin: r.Within, cOver: r.Over, cUnknown: r.Unknown, cInArea: r.InArea,
		cOutArea: r.OutOfArea, cSplits: r.SiblingSplits}
}

// hiddenCounts decides which counts of rows (the last a TOTAL when withTotal) are
// shown as c: none without suppression; otherwise see suppress.go.
func hiddenCounts(rows []Row, withTotal, suppress bool) [][]bool {
	g := grid{total: withTotal}
	for _, r := range rows {
		g.vals = append(g.vals, countsOf(r))
	}
	if !suppress {
		g.hidden = make([][]bool, len(rows))
		for i := range g.hidden {
			g.hidden[i] = make([]bool, nCounts)
		}
		return g.hidden
	}
	g.primary()
	placed := []int{cWithin, cOver, cUnknown}
	for i := range rows {
		g.addRowSum(i, cPlaces, cFilled, cVacant, cUnavailable)
		g.addSplit(i, placed, []int{cInArea, cOutArea})
		g.addSplit(i, []int{cFilled}, placed)
		g.addSplit(i, []int{cFilled}, []int{cInArea, cOutArea})
		g.addSplit(i, []int{cAwaiting}, []int{cGroups})
		if g.vals[i][cShortfall] > 0 {
			g.addSplit(i, []int{cShortfall, cVacant}, []int{cAwaiting})
		}
	}
	g.addColumnSums(nCounts)
	g.pairUp()
	g.protect()
	return g.hidden
}

// The counts of a row hidden together: a hidden one among them is hidden with the
// rest, so that the row's own sums (places = filled + vacant + unavailable; the
// placements by distance and by area; shortfall = awaiting − vacant) have more than
// one unknown.
var (
	placesGroup    = []int{cFilled, cVacant, cUnavailable}
	placementGroup = []int{cWithin, cOver, cUnknown, cInArea, cOutArea}
	demandGroup    = []int{cAwaiting, cGroups, cShortfall}
)

// closeRow hides, in row r, the rest of every group with a hidden count, and the
// groups a hidden group is tied to by an identity that holds (filled = the
// placements; shortfall = awaiting − vacant when there is a shortfall).
func (g *grid) closeRow(r int) {
	v, h := g.vals[r], g.hidden[r]
	for changed := true; changed; {
		changed = false
		hideAll := func(cols []int) {
			for _, c := range cols {
				if !h[c] {
					h[c], changed = true, true
				}
			}
		}
		anyOf := func(cols []int) bool { return slices.ContainsFunc(cols, func(c int) bool { return h[c] }) }
		if h[cPlaces] || anyOf(placesGroup) {
			hideAll(placesGroup)
		}
		if anyOf(placementGroup) {
			hideAll(placementGroup)
		}
		if anyOf(demandGroup) {
			hideAll(demandGroup)
		}
		if h[cVacant] && v[cShortfall] > 0 {
			hideAll(demandGroup)
		}
		if v[cFilled] == v[cWithin]+v[cOver]+v[cUnknown] && (h[cFilled] || anyOf(placementGroup)) {
			hideAll(placesGroup)
			hideAll(placementGroup)
		}
	}
}

// pairUp is the usual secondary suppression, before the exact check: each row's
// groups are closed, and a column whose TOTAL is its sum and which has one hidden
// row gets a second: in the row with the most counts hidden already (so that hidden
// counts form rectangles, whose row and column sums each hold two of them), the
// smallest count above zero. The TOTAL is hidden only when the column has no other
// row.
func (g *grid) pairUp() {
	n := len(g.vals)
	if g.total {
		n--
	}
	for r := range g.vals {
		g.closeRow(r)
	}
	colSum := make([]bool, nCounts)
	for _, id := range g.ids {
		if len(id) > 1 && id[0].row != id[1].row {
			colSum[id[0].col] = true
		}
	}
	for changed := true; changed; {
		changed = false
		for c := range nCounts {
			if !colSum[c] {
				continue
			}
			var hid []int
			for r := range n {
				if g.hidden[r][c] {
					hid = append(hid, r)
				}
			}
			if len(hid) != 1 || g.hidden[n][c] {
				continue
			}
			best := -1
			score := func(r int) []int {
				k := 0
				for _, x := range g.hidden[r] {
					if x {
						k++
					}
				}
				return []int{-k, b2i(g.vals[r][c] == 0), g.vals[r][c]}
			}
			for r := range n {
				if r != hid[0] && (best < 0 || slices.Compare(score(r), score(best)) < 0) {
					best = r
				}
			}
			if best < 0 {
				best = n // the column has one row: its TOTAL would give it away
			}
			g.hidden[best][c] = true
			g.closeRow(best)
			changed = true
		}
	}
}

// show is a count, or the suppression mark when hidden.
func show(n int, hidden bool) Cell {
	if hidden {
		return text(Suppressed)
	}
	return Cell{Kind: Int, I: n}
}

// showRate is a derived measure, hidden when any count it is made from is.
func showRate(v float64, ok bool, hidden ...bool) Cell {
	if !ok {
		return Cell{}
	}
	for _, h := range hidden {
		if h {
			return text(Suppressed)
		}
	}
	return Cell{Kind: Float, F: v}
}

// measureCells lays out a row's measures under measureColumns (without the sibling
// splits when splits is false, as the trend has none).
func measureCells(r Row, h []bool, splits bool) []Cell {
	occ, occOK := r.OccupancyRate()
	pct, pctOK := r.PctWithin20Miles()
	mean, meanOK := r.MeanDistanceMiles()
	out := []Cell{
		show(r.Providers, h[cProviders]), show(r.Places, h[cPlaces]), show(r.Filled, h[cFilled]),
		show(r.Vacant, h[cVacant]), show(r.Unavailable, h[cUnavailable]),
		showRate(occ, occOK, h[cFilled], h[cPlaces]), show(r.ChildrenAwaiting, h[cAwaiting]),
		show(r.GroupsAwaiting, h[cGroups]), show(r.Shortfall(), h[cShortfall]),
		show(r.Within, h[cWithin]), show(r.Over, h[cOver]), show(r.Unknown, h[cUnknown]),
		showRate(pct, pctOK, h[cWithin], h[cOver], h[cUnknown]), showRate(mean, meanOK, h[cWithin], h[cOver]),
		show(r.InArea, h[cInArea]), show(r.OutOfArea, h[cOutArea]),
	}
	if splits {
		out = append(out, show(r.SiblingSplits, h[cSplits]))
	}
	return out
}

// sufficiencyTable lays out the rows and the total row under the report's columns.
func sufficiencyTable(rows []Row, total Row, o Options) Table {
	t := Table{Name: "Sufficiency", Columns: append(o.GroupBy(), measureColumns...)}
	all := append(append([]Row{}, rows...), total)
	hs := hiddenCounts(all, true, o.Suppress)
	for i, r := range all {
		line := []Cell{text(r.District), text(string(r.Kind))}
		if o.PlacementType {
			line = append(line, text(string(r.PlacementType)))
		}
		if o.AgeBand {
			line = append(line, text(r.AgeBand))
		}
		t.Rows = append(t.Rows, append(line, measureCells(r, hs[i], true)...))
	}
	return t
}
