package reports

import "strconv"

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
	"providers", "places", "filled", "vacant", "unavailable", "occupancy_rate", "children_awaiting", "shortfall",
	"placements_within_20_miles", "placements_over_20_miles", "placements_distance_unknown",
	"pct_within_20_miles", "mean_distance_miles", "placements_in_area", "placements_out_of_area",
	"placements_splitting_siblings",
}

// hiding records which counts of one row are hidden. Suppressing a small count alone
// is not enough: the columns add up (places = filled + vacant + unavailable; the
// placements split by distance and again by area; shortfall = awaiting − vacant), so a
// hidden count could be worked back from its neighbours, or from the total row.
// Secondary suppression hides whole groups and total cells so that it cannot.
type hiding struct {
	places, filled, vacant, unavailable, awaiting, shortfall bool
	within, over, unknown, inArea, outArea                   bool
	providers, splits                                        bool
}

func (c cells) hideRow(r Row) hiding {
	h := hiding{providers: c.small(r.Providers), places: c.small(r.Places), splits: c.small(r.SiblingSplits)}
	if c.small(r.Filled) || c.small(r.Vacant) || c.small(r.Unavailable) {
		h.filled, h.vacant, h.unavailable = true, true, true
	}
	if c.small(r.ChildrenAwaiting) || c.small(r.Shortfall()) || (h.vacant && r.Shortfall() > 0) {
		h.awaiting, h.shortfall = true, true
	}
	if h.vacant {
		h.shortfall = true
	}
	if c.small(r.Within) || c.small(r.Over) || c.small(r.Unknown) || c.small(r.InArea) || c.small(r.OutOfArea) {
		h.within, h.over, h.unknown, h.inArea, h.outArea = true, true, true, true, true
	}
	return h
}

// hideAcross extends row hiding across rows: a total cell is hidden when any row
// of its column is (else the hidden value is the total less the others), and in a
// district whose awaiting count is hidden in one row it is hidden in every row (the
// rows of one district share its children awaiting).
func hideAcross(rows []Row, hs []hiding) {
	n := len(hs) - 1 // the last is the total
	byDistrict := map[string]bool{}
	for i := range n {
		if hs[i].awaiting {
			byDistrict[rows[i].District] = true
		}
	}
	for i := range n {
		if byDistrict[rows[i].District] {
			hs[i].awaiting, hs[i].shortfall = true, true
		}
	}
	t := &hs[n]
	for _, h := range hs[:n] {
		t.providers = t.providers || h.providers
		t.splits = t.splits || h.splits
		t.places = t.places || h.places
		t.filled, t.vacant, t.unavailable = t.filled || h.filled, t.vacant || h.vacant, t.unavailable || h.unavailable
		t.awaiting, t.shortfall = t.awaiting || h.awaiting, t.shortfall || h.shortfall
		t.within, t.over, t.unknown = t.within || h.within, t.over || h.over, t.unknown || h.unknown
		t.inArea, t.outArea = t.inArea || h.inArea, t.outArea || h.outArea
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

// sufficiencyTable lays out the rows and the total row under the report's columns.
func sufficiencyTable(rows []Row, total Row, o Options) Table {
	t := Table{Name: "Sufficiency", Columns: append(o.GroupBy(), measureColumns...)}
	c := cells{suppress: o.Suppress}
	all := append(append([]Row{}, rows...), total)
	hs := make([]hiding, len(all))
	for i, r := range all {
		hs[i] = c.hideRow(r)
	}
	if o.Suppress {
		hideAcross(all, hs)
	}
	for i, r := range all {
		h := hs[i]
		line := []Cell{text(r.District), text(string(r.Kind))}
		if o.PlacementType {
			line = append(line, text(string(r.PlacementType)))
		}
		if o.AgeBand {
			line = append(line, text(r.AgeBand))
		}
		occ, occOK := r.OccupancyRate()
		pct, pctOK := r.PctWithin20Miles()
		mean, meanOK := r.MeanDistanceMiles()
		line = append(line,
			show(r.Providers, h.providers), show(r.Places, h.places), show(r.Filled, h.filled),
			show(r.Vacant, h.vacant), show(r.Unavailable, h.unavailable),
			showRate(occ, occOK, h.filled, h.places), show(r.ChildrenAwaiting, h.awaiting),
			show(r.Shortfall(), h.shortfall),
			show(r.Within, h.within), show(r.Over, h.over), show(r.Unknown, h.unknown),
			showRate(pct, pctOK, h.within, h.over, h.unknown), showRate(mean, meanOK, h.within, h.over),
			show(r.InArea, h.inArea), show(r.OutOfArea, h.outArea), show(r.SiblingSplits, h.splits))
		t.Rows = append(t.Rows, line)
	}
	return t
}
