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

func (c cells) count(n int) Cell {
	if c.small(n) {
		return text(Suppressed)
	}
	return Cell{Kind: Int, I: n}
}

// rate is a measure derived from the counts from: hidden when any of them is.
func (c cells) rate(v float64, ok bool, from ...int) Cell {
	if !ok {
		return Cell{}
	}
	for _, n := range from {
		if c.small(n) {
			return text(Suppressed)
		}
	}
	return Cell{Kind: Float, F: v}
}

// Measure columns of the sufficiency table, after the grouping columns.
var measureColumns = []string{
	"providers", "places", "filled", "vacant", "unavailable", "occupancy_rate", "children_awaiting", "shortfall",
	"placements_within_20_miles", "placements_over_20_miles", "placements_distance_unknown",
	"pct_within_20_miles", "mean_distance_miles", "placements_in_area", "placements_out_of_area",
}

// sufficiencyTable lays out the rows and the total row under the report's columns.
func sufficiencyTable(rows []Row, total Row, o Options) Table {
	t := Table{Name: "Sufficiency", Columns: append(o.GroupBy(), measureColumns...)}
	c := cells{suppress: o.Suppress}
	for _, r := range append(rows, total) {
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
			c.count(r.Providers), c.count(r.Places), c.count(r.Filled), c.count(r.Vacant), c.count(r.Unavailable),
			c.rate(occ, occOK, r.Filled, r.Places), c.count(r.ChildrenAwaiting), c.count(r.Shortfall()),
			c.count(r.Within), c.count(r.Over), c.count(r.Unknown),
			c.rate(pct, pctOK, r.Within, r.Placements()), c.rate(mean, meanOK, r.Within+r.Over),
			c.count(r.InArea), c.count(r.OutOfArea))
		t.Rows = append(t.Rows, line)
	}
	return t
}
