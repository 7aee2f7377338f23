package reports

import (
	"fmt"
	"slices"
	"strconv"
	"strings"

	"placematch"
	"placematch/geo"
	"placematch/store"
)

// The DfE file's labels for local authority rows and their placement-type group.
const (
	dfeLocal          = "Local authority"
	dfePlacementGroup = "Placement"
)

// CouncilFigures are one local authority's published figures for every year of the
// DfE file: children looked after at 31 March by placement type and by distance
// between home and placement.
type CouncilFigures struct {
	// Name is the area_name published (Norfolk); Code and OldCode its new and old LA
	// codes (E10000020, 926), empty when the file has no such column.
	Name, Code, OldCode string
	// Years are oldest first.
	Years []CouncilYear
}

// CouncilYear is one year's published figures, each characteristic as the file
// names it within its group.
type CouncilYear struct {
	Year      int
	Distance  map[string]PublishedFigure
	Placement map[string]PublishedFigure
}

// PublishedFigure is a published number and percentage; a figure the DfE
// suppressed or did not publish (c, k, x, z, u) is nil.
type PublishedFigure struct {
	Number *int
	Pct    *float64
}

func isLA(rec []string, col map[string]int, la string) bool {
	return strings.EqualFold(field(rec, col, "area_name"), la) || strings.EqualFold(field(rec, col, "new_la_code"), la) ||
		field(rec, col, "old_la_code") == la
}

// field is the record's value of a column, empty when the file has no such column.
func field(rec []string, col map[string]int, name string) string {
	if i, ok := col[name]; ok && i < len(rec) {
		return strings.TrimSpace(rec[i])
	}
	return ""
}

func (c *CouncilFigures) add(rec []string, col map[string]int) error {
	year, err := strconv.Atoi(rec[col["time_period"]])
	if err != nil {
		return fmt.Errorf("reports: DfE figures: time_period %q is not a year", rec[col["time_period"]])
	}
	i := slices.IndexFunc(c.Years, func(y CouncilYear) bool { return y.Year == year })
	if i < 0 {
		c.Years = append(c.Years, CouncilYear{Year: year, Distance: map[string]PublishedFigure{},
			Placement: map[string]PublishedFigure{}})
		i = len(c.Years) - 1
	}
	f := PublishedFigure{Number: published(rec[col["number"]])}
	if p, err := strconv.ParseFloat(strings.TrimSpace(rec[col["percentage"]]), 64); err == nil {
		f.Pct = &p
	}
	switch rec[col["cla_group"]] {
	case dfeGroup:
		c.Years[i].Distance[rec[col["characteristic"]]] = f
	case dfePlacementGroup:
		c.Years[i].Placement[rec[col["characteristic"]]] = f
	}
	return nil
}

func (c *CouncilFigures) sort() {
	slices.SortFunc(c.Years, func(a, b CouncilYear) int { return a.Year - b.Year })
}

// year returns the figures of year y, or nil (also for a nil c).
func (c *CouncilFigures) year(y int) *CouncilYear {
	if c == nil {
		return nil
	}
	for i := range c.Years {
		if c.Years[i].Year == y {
			return &c.Years[i]
		}
	}
	return nil
}

// area is the year's distance figures as a row of the comparison.
func (y *CouncilYear) area(name string) ComparisonArea {
	return ComparisonArea{Area: name, Level: dfeLocal,
		PlacedOver20Miles: y.Distance[dfeOver].Number, PctOver20Miles: y.Distance[dfeOver].Pct,
		PctDistanceUnknown:  y.Distance[dfeUnknown].Pct,
		ChildrenLookedAfter: y.Distance[dfeTotal].Number, PlacedWithin20Miles: y.Distance[dfeWithin].Number,
		PlacedDistanceUnknown: y.Distance[dfeUnknown].Number}
}

// councilPlacements are the DfE's placement types, as the council table's columns,
// and the kind of home in this service that is one (none for the rest).
var councilPlacements = []struct {
	column, characteristic string
	kind                   placematch.ProviderKind
}{
	{"foster_placements", "Foster placements", placematch.KindCarer},
	{"supported_accommodation", "Independent and semi-independent living arrangements/supported accommodation", placematch.KindUnit},
	{"secure_and_childrens_homes", "Secure homes and children's homes", placematch.KindHub},
	{"other_residential_settings", "Other residential settings", ""},
	{"residential_schools", "Residential schools", ""},
	{"placed_for_adoption", "Placed for adoption", ""},
	{"placed_with_parents", "Placed with parents or other person with parental responsibility", ""},
	{"other_placements", "Other placements", ""},
}

// councilDistances are the DfE's distance characteristics, as columns.
var councilDistances = []struct{ column, characteristic string }{
	{"placed_within_20_miles", dfeWithin}, {"placed_over_20_miles", dfeOver}, {"placed_distance_unknown", dfeUnknown},
}

// CouncilColumns are the council table's columns.
var CouncilColumns = func() []string {
	cols := []string{"area", "la_code", "source", "as_of", "children_looked_after"}
	for _, p := range councilPlacements {
		cols = append(cols, p.column, "pct_"+p.column)
	}
	for _, d := range councilDistances {
		cols = append(cols, d.column, "pct_"+strings.TrimPrefix(d.column, "placed_"))
	}
	return cols
}()

// CouncilMeasure is what the service measures on the DfE's definitions on one day:
// the children under 18 whose placement booked in the service was active that day,
// by the kind of home (as the DfE's placement types) and by the straight-line
// distance from the child's recorded home to the placement.
type CouncilMeasure struct {
	AsOf                  placematch.Date
	ChildrenLookedAfter   int
	ByKind                map[placematch.ProviderKind]int
	Within, Over, Unknown int
}

// MeasureCouncil counts the placements active on asOf as the DfE counts children
// looked after: one per child under 18 on that day (a young person of 18 or over is
// a care leaver, not looked after), by the kind of home, and within 20 miles, over
// 20 miles or distance not known (home not recorded), the miles measured as the
// sufficiency rows measure them.
func MeasureCouncil(asOf placematch.Date, providers []*placematch.Provider, placements []store.ReportPlacement) CouncilMeasure {
	byID := make(map[string]*placematch.Provider, len(providers))
	for _, p := range providers {
		byID[p.ID] = p
	}
	m := CouncilMeasure{AsOf: asOf, ByKind: map[placematch.ProviderKind]int{}}
	for _, pl := range placements {
		p := byID[pl.ProviderID]
		if p == nil || pl.DateOfBirth.YearsOn(asOf) >= placematch.AdultAge {
			continue
		}
		m.ChildrenLookedAfter++
		m.ByKind[p.Kind]++
		switch {
		case pl.Home == nil:
			m.Unknown++
		case geo.Miles(geo.DistanceKM(*pl.Home, p.Location)) <= placematch.NearMiles:
			m.Within++
		default:
			m.Over++
		}
	}
	return m
}

// councilTable lays out the council's published figures, a row a year, then the
// service's own measure on the same definitions. Published figures are as the DfE
// published them (its own suppression kept as empty); with suppress, the service's
// counts of 1 to 4 are hidden with the other counts they add up with (the placement
// types, or the distances, which each add up to children looked after).
func councilTable(c *CouncilFigures, m *CouncilMeasure, suppress bool) Table {
	t := Table{Name: "Council", Columns: CouncilColumns}
	pct := func(p *float64) Cell {
		if p == nil {
			return Cell{}
		}
		return Cell{Kind: Float, F: *p}
	}
	for _, y := range c.Years {
		line := []Cell{text(c.Name), text(c.Code), text("DfE"), text(fmt.Sprintf("%d-03-31", y.Year)),
			num(y.Placement[dfeTotal].Number)}
		for _, p := range councilPlacements {
			f := y.Placement[p.characteristic]
			line = append(line, num(f.Number), pct(f.Pct))
		}
		for _, d := range councilDistances {
			f := y.Distance[d.characteristic]
			line = append(line, num(f.Number), pct(f.Pct))
		}
		t.Rows = append(t.Rows, line)
	}
	if m == nil {
		return t
	}
	cs := cells{suppress: suppress}
	hideTypes, hideDistance := cs.small(m.ChildrenLookedAfter), cs.small(m.ChildrenLookedAfter)
	for _, p := range councilPlacements {
		hideTypes = hideTypes || (p.kind != "" && cs.small(m.ByKind[p.kind]))
	}
	hideDistance = hideDistance || cs.small(m.Within) || cs.small(m.Over) || cs.small(m.Unknown)
	line := []Cell{text(c.Name), text(c.Code), text("service"), text(m.AsOf.String()),
		show(m.ChildrenLookedAfter, cs.small(m.ChildrenLookedAfter))}
	for _, p := range councilPlacements {
		if p.kind == "" {
			line = append(line, Cell{}, Cell{})
			continue
		}
		n := m.ByKind[p.kind]
		share, ok := percent(n, m.ChildrenLookedAfter)
		line = append(line, show(n, hideTypes), showRate(share, ok, hideTypes))
	}
	for _, n := range []int{m.Within, m.Over, m.Unknown} {
		share, ok := percent(n, m.ChildrenLookedAfter)
		line = append(line, show(n, hideDistance), showRate(share, ok, hideDistance))
	}
	t.Rows = append(t.Rows, line)
	return t
}

// councilNotes explain the council table: the source and the definitions.
func councilNotes(c *Comparison, m *CouncilMeasure) []string {
	n := []string{fmt.Sprintf("Council: %s's own published figures (%s), Department for Education, Children looked after in England, children looked after at 31 March of each year, by placement type and by distance between home and placement (%s), Open Government Licence v3.0; a figure the DfE suppressed or did not publish is empty. The comparison's first row is the council's latest year.",
		c.Council.Name, c.Council.Code, c.Source)}
	if m != nil {
		n = append(n, "Council, source service: measured by this service on the DfE's definitions on the report's date: children looked after are the children under 18 whose placement booked in the service was active that day (18 and over are care leavers, not looked after); foster placements are those with foster carers, supported accommodation those with supported-accommodation units, secure and children's homes those with hubs (children's homes); distance is the straight line from the child's recorded home to the placement in miles (km / 1.6093), 20 miles or less, more than 20 miles, or not known when the home is not recorded. Percentages are of those children, to one decimal (the DfE publishes whole percentages). The service records no adoption, parental, residential-school or other placements, so those columns are empty for it, and children placed before the service was used are not in its figures.")
	}
	return n
}
