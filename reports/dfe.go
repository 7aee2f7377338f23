package reports

import (
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strconv"
	"strings"
)

// Comparison holds the DfE's published figures for children looked after placed more
// than 20 miles from home, for England and each region, in the latest year of the
// file it was read from, and, when read for a council, that council's figures.
type Comparison struct {
	// Source is the file's base name, shown with the figures.
	Source string
	Year   int
	Areas  []ComparisonArea
	// Council is the council's own published figures, every year of the file, when
	// the file was read for one (LoadComparisonFor); nil otherwise.
	Council *CouncilFigures
}

// ComparisonArea is one area's published figures. A figure the DfE suppressed or
// did not publish (c, k, x, z, u) is nil.
type ComparisonArea struct {
	Area string
	// Level is "National" or "Regional", as published, or "Local authority" for
	// the council's own row (CouncilYear.area).
	Level                 string
	PlacedOver20Miles     *int
	PctOver20Miles        *float64
	ChildrenLookedAfter   *int
	PlacedWithin20Miles   *int
	PlacedDistanceUnknown *int
	// PctDistanceUnknown is the share whose distance is not known or not recorded.
	PctDistanceUnknown *float64
}

// The DfE "children looked after at 31 March" file's characteristics we read.
const (
	dfeWithin  = "Placed 20 miles or less from home"
	dfeOver    = "Placed more than 20 miles from home"
	dfeUnknown = "Distance not known or not recorded"
	dfeTotal   = "Total"
	dfeGroup   = "Distance between home and placement"
)

// ErrUnknownLA is the error of a local authority the DfE file has no rows for.
var ErrUnknownLA = errors.New("reports: DfE figures: no local authority")

// LoadComparisonFile reads a DfE CSV (see LoadComparison) from path.
func LoadComparisonFile(path string) (*Comparison, error) { return LoadComparisonFileFor(path, "") }

// LoadComparisonFileFor reads a DfE CSV from path, with the figures of the local
// authority la (see LoadComparisonFor).
func LoadComparisonFileFor(path, la string) (*Comparison, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("reports: DfE figures: %w", err)
	}
	defer f.Close()
	c, err := LoadComparisonFor(f, la)
	if err != nil {
		return nil, err
	}
	c.Source = filepath.Base(path)
	return c, nil
}

// LoadComparison reads the DfE's "children looked after in England" CSV by placement
// type and distance (columns time_period, geographic_level, area_name, cla_group,
// characteristic, number, percentage, in any order) and keeps the National (shown as
// England) and Regional rows of the latest year. A file without those columns or
// rows is an error, so a wrong file is found at start-up rather than in a report.
func LoadComparison(r io.Reader) (*Comparison, error) { return LoadComparisonFor(r, "") }

// LoadComparisonFor reads the file as LoadComparison does and, when la is not empty,
// keeps every year's figures of that local authority too (Comparison.Council): la is
// its new or old LA code (E10000020, 926) or its name (Norfolk, any case). An la the
// file has no rows for is an error naming it, so a misspelt council stops start-up.
func LoadComparisonFor(r io.Reader, la string) (*Comparison, error) {
	la = strings.TrimSpace(la)
	var council *CouncilFigures
	cr := csv.NewReader(r)
	cr.ReuseRecord = true
	header, err := cr.Read()
	if err != nil {
		return nil, fmt.Errorf("reports: DfE figures: %w", err)
	}
	col := map[string]int{}
	for i, h := range header {
		col[strings.TrimPrefix(strings.TrimSpace(h), "\ufeff")] = i
	}
	need := []string{"time_period", "geographic_level", "area_name", "cla_group", "characteristic", "number", "percentage"}
	for _, n := range need {
		if _, ok := col[n]; !ok {
			return nil, fmt.Errorf("reports: DfE figures: no %s column", n)
		}
	}
	byYear := map[int]map[string]*ComparisonArea{}
	var order []string
	for {
		rec, err := cr.Read()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return nil, fmt.Errorf("reports: DfE figures: %w", err)
		}
		level := rec[col["geographic_level"]]
		if la != "" && level == dfeLocal && isLA(rec, col, la) {
			if council == nil {
				council = &CouncilFigures{Name: rec[col["area_name"]], Code: field(rec, col, "new_la_code"),
					OldCode: field(rec, col, "old_la_code")}
			}
			if err := council.add(rec, col); err != nil {
				return nil, err
			}
			continue
		}
		if (level != "National" && level != "Regional") || rec[col["cla_group"]] != dfeGroup {
			continue
		}
		year, err := strconv.Atoi(rec[col["time_period"]])
		if err != nil {
			return nil, fmt.Errorf("reports: DfE figures: time_period %q is not a year", rec[col["time_period"]])
		}
		name := rec[col["area_name"]]
		if level == "National" {
			name = "England"
		}
		if byYear[year] == nil {
			byYear[year] = map[string]*ComparisonArea{}
		}
		a := byYear[year][name]
		if a == nil {
			a = &ComparisonArea{Area: name, Level: level}
			byYear[year][name] = a
			order = append(order, name)
		}
		n := published(rec[col["number"]])
		switch rec[col["characteristic"]] {
		case dfeOver:
			a.PlacedOver20Miles = n
			if f, err := strconv.ParseFloat(strings.TrimSpace(rec[col["percentage"]]), 64); err == nil {
				a.PctOver20Miles = &f
			}
		case dfeWithin:
			a.PlacedWithin20Miles = n
		case dfeUnknown:
			a.PlacedDistanceUnknown = n
			if f, err := strconv.ParseFloat(strings.TrimSpace(rec[col["percentage"]]), 64); err == nil {
				a.PctDistanceUnknown = &f
			}
		case dfeTotal:
			a.ChildrenLookedAfter = n
		}
	}
	latest := 0
	for y := range byYear {
		latest = max(latest, y)
	}
	if latest == 0 {
		return nil, errors.New("reports: DfE figures: no National or Regional distance rows")
	}
	if la != "" && council == nil {
		return nil, fmt.Errorf("%w %q in the file (give its LA code, such as E10000020 or 926, or its name, such as Norfolk)", ErrUnknownLA, la)
	}
	if council != nil {
		council.sort()
	}
	c := &Comparison{Year: latest, Council: council}
	seen := map[string]bool{}
	for _, name := range order {
		if a := byYear[latest][name]; a != nil && !seen[name] {
			seen[name] = true
			c.Areas = append(c.Areas, *a)
		}
	}
	return c, nil
}

func pctCell(p *float64) Cell {
	if p == nil {
		return Cell{}
	}
	return Cell{Kind: Float, F: *p}
}

func num(p *int) Cell {
	if p == nil {
		return Cell{}
	}
	return Cell{Kind: Int, I: *p}
}

// published reads a published whole number; DfE symbols (c, k, x, z, u) and blanks
// are nil.
func published(s string) *int {
	n, err := strconv.Atoi(strings.ReplaceAll(strings.TrimSpace(s), ",", ""))
	if err != nil {
		return nil
	}
	return &n
}

var comparisonColumns = []string{
	"area", "geographic_level", "year", "placed_over_20_miles", "pct_over_20_miles",
	"placed_within_20_miles", "placed_distance_unknown", "children_looked_after", "pct_distance_unknown",
}

func (c *Comparison) table() Table {
	t := Table{Name: "Comparison", Columns: comparisonColumns}
	areas := c.Areas
	if y := c.Council.year(c.Year); y != nil {
		// The council's own row first, beside England and the regions.
		areas = append([]ComparisonArea{y.area(c.Council.Name)}, areas...)
	}
	for _, a := range areas {
		pct := Cell{}
		if a.PctOver20Miles != nil {
			pct = Cell{Kind: Float, F: *a.PctOver20Miles}
		}
		t.Rows = append(t.Rows, []Cell{text(a.Area), text(a.Level), {Kind: Int, I: c.Year},
			num(a.PlacedOver20Miles), pct, num(a.PlacedWithin20Miles), num(a.PlacedDistanceUnknown),
			num(a.ChildrenLookedAfter), pctCell(a.PctDistanceUnknown)})
	}
	return t
}
