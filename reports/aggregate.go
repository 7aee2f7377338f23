package reports

import (
	"cmp"
	"math"
	"slices"
	"time"

	"placematch"
	"placematch/geo"
	"placematch/store"
)

// District labels for rows whose place is not a district of the council's area.
const (
	// OutsideArea labels providers, and children's homes, outside every district of
	// the council's area: the place is known, and it is not in the area.
	OutsideArea = "outside area"
	// HomeNotKnown labels children awaiting whose home is not recorded: where they
	// are from is not known, which is not the same as outside the area.
	HomeNotKnown = "home not known"
	// TotalLabel is the district of the total row.
	TotalLabel = "TOTAL"
)

// Key identifies one row: a district and provider kind, and the placement type and
// age band when the report is grouped by them (empty otherwise).
type Key struct {
	District      string
	Kind          placematch.ProviderKind
	PlacementType placematch.PlacementType
	AgeBand       string
}

// Row holds the measures of one group. Places = Filled + Vacant + Unavailable for
// each provider, so for each row too. The placement counts are of active placements
// with the group's providers; Within + Over + Unknown = InArea + OutOfArea.
//
// ChildrenAwaiting are the places needed by the groups awaiting (a child alone, or a
// sibling group to be placed together) that a home of the row's kind could lawfully
// take, and GroupsAwaiting those groups: a group of N siblings is one group needing N
// places, in the row of its eldest member's placement type and age band.
type Row struct {
	Key
	Providers, Places, Filled, Vacant, Unavailable int
	ChildrenAwaiting                               int
	GroupsAwaiting                                 int
	// NoLawfulKind (TOTAL row only) counts the children awaiting whose group no kind
	// of home could lawfully take: they are in the TOTAL's ChildrenAwaiting and in no
	// other row.
	NoLawfulKind          int
	Within, Over, Unknown int
	InArea, OutOfArea     int
	// SiblingSplits counts the placements whose booking split a sibling group.
	SiblingSplits int
	// milesSum adds the DfE-rounded miles of the placements with a known distance.
	milesSum float64
	// summed marks a TOTAL row, whose shortfall is the sum of its rows' (shortfallSum).
	summed       bool
	shortfallSum int
}

// Placements returns the active placements counted in the row.
func (r *Row) Placements() int { return r.Within + r.Over + r.Unknown }

// Shortfall is the places a row's homes cannot meet: children awaiting less vacant
// places, never below zero. On a TOTAL row it is the sum of the shortfalls of the
// rows it totals (the places short kind by kind, at the report's grouping), so that
// the column adds up; see Report.Notes.
func (r *Row) Shortfall() int {
	if r.summed {
		return r.shortfallSum
	}
	return max(r.ChildrenAwaiting-r.Vacant, 0)
}

// sumShortfalls makes total's shortfall the sum of the rows'.
func sumShortfalls(total *Row, rows []Row) {
	total.summed, total.shortfallSum = true, 0
	for i := range rows {
		total.shortfallSum += rows[i].Shortfall()
	}
}

// OccupancyRate is filled / places as a percentage to one decimal; ok is false when
// there are no places.
func (r *Row) OccupancyRate() (pct float64, ok bool) { return percent(r.Filled, r.Places) }

// PctWithin20Miles is the share of active placements within 20 miles of home, as a
// percentage to one decimal of all of them (distance not known included, as the DfE
// publishes it); ok is false when there are none.
func (r *Row) PctWithin20Miles() (pct float64, ok bool) { return percent(r.Within, r.Placements()) }

// MeanDistanceMiles is the mean placement distance in miles (one decimal) over the
// placements whose distance is known; ok is false when there are none.
func (r *Row) MeanDistanceMiles() (miles float64, ok bool) {
	n := r.Within + r.Over
	if n == 0 {
		return 0, false
	}
	return math.Round(r.milesSum/float64(n)*10) / 10, true
}

func percent(num, den int) (float64, bool) {
	if den == 0 {
		return 0, false
	}
	return math.Round(float64(num)/float64(den)*1000) / 10, true
}

// Input is everything one report is made from.
type Input struct {
	AsOf placematch.Date
	// At is the moment vacancies are judged at (a feed's reported beds stay fresh
	// for a week from it).
	At         time.Time
	Providers  []*placematch.Provider
	Placements []store.ReportPlacement
	Awaiting   []store.AwaitingChild
	// PlacementType and AgeBand split the rows as Options says.
	PlacementType, AgeBand bool
}

// Aggregate builds the rows, sorted, and the total row. A provider counts once in
// every row its approval covers: a carer approved for two placement types, or a
// provider whose age range spans two bands, adds its places to both. The total row
// counts each provider, placement and child once, so it reconciles with the records
// rather than with the column sums; its shortfall is the sum of the rows'. Archived providers are not supply: they add no
// providers, places, filled or vacancies, while the placements they still hold count. Filled and vacancies are
// counted on in.AsOf on copies of the providers; in.Providers is left unchanged.
func Aggregate(in Input) (rows []Row, total Row) {
	total.District = TotalLabel
	// Aggregate works on copies: the caller's providers keep their stored counts.
	byID := make(map[string]*placematch.Provider, len(in.Providers))
	own := make([]placematch.Provider, len(in.Providers))
	for i, p := range in.Providers {
		own[i] = *p
		own[i].Filled = 0
		byID[p.ID] = &own[i]
	}
	groups := map[Key]*Row{}
	get := func(k Key) *Row {
		r := groups[k]
		if r == nil {
			r = &Row{Key: k}
			groups[k] = r
		}
		return r
	}
	for _, pl := range in.Placements {
		p := byID[pl.ProviderID]
		if p == nil {
			continue // its provider did not exist on AsOf: a record error, not a placement
		}
		p.Filled++
		k := Key{District: label(p.District), Kind: p.Kind}
		if in.PlacementType && p.Kind == placematch.KindCarer {
			k.PlacementType = pl.PlacementType
		}
		if in.AgeBand {
			k.AgeBand = AgeBandOf(pl.DateOfBirth.YearsOn(in.AsOf))
		}
		countPlacement(get(k), p, pl.Home)
		countPlacement(&total, p, pl.Home)
		if pl.SiblingsSplit {
			get(k).SiblingSplits++
			total.SiblingSplits++
		}
	}
	for i := range own {
		p := &own[i]
		if p.ArchivedAt != nil {
			// Archived: its placements are counted above, but it offers no places.
			continue
		}
		if p.Carer != nil && p.Carer.Status == placematch.CarerInAssessment {
			// In assessment: not yet approved, so it has no approved places to count.
			continue
		}
		p.Vacancies = p.ComputeVacancies(in.At)
		for _, k := range providerKeys(p, in.PlacementType, in.AgeBand) {
			countProvider(get(k), p)
		}
		countProvider(&total, p)
	}
	// Demand: each group awaiting counts against every kind of home that could
	// lawfully take it (matching's hard rules, see lawfulHomes), in the row of its
	// home district and its eldest member's placement type and age band.
	lawful := newLawfulHomes(own, in.AsOf, in.At)
	for _, g := range groupsAwaiting(in.Awaiting) {
		eldest, n := g.Members[0], len(g.Members)
		kinds := lawful.kinds(g)
		for _, kind := range kinds {
			k := Key{District: g.District, Kind: kind}
			if in.PlacementType && kind == placematch.KindCarer {
				k.PlacementType = eldest.PlacementType
			}
			if in.AgeBand {
				k.AgeBand = AgeBandOf(eldest.DateOfBirth.YearsOn(in.AsOf))
			}
			r := get(k)
			r.ChildrenAwaiting += n
			r.GroupsAwaiting++
		}
		if len(kinds) == 0 {
			total.NoLawfulKind += n
		}
		total.ChildrenAwaiting += n
		total.GroupsAwaiting++
	}
	rows = make([]Row, 0, len(groups))
	for _, r := range groups {
		rows = append(rows, *r)
	}
	slices.SortFunc(rows, compareKeys)
	sumShortfalls(&total, rows)
	return rows, total
}

// PlacementsByKey counts the placements active on a day by the row they belong to at
// the trend's grain (district, provider kind and, for carers, the placement type the
// child was referred for), with the same measures as the report's rows.
func PlacementsByKey(providers []*placematch.Provider, placements []store.ReportPlacement) map[Key]Row {
	byID := make(map[string]*placematch.Provider, len(providers))
	for _, p := range providers {
		byID[p.ID] = p
	}
	out := map[Key]Row{}
	for _, pl := range placements {
		p := byID[pl.ProviderID]
		if p == nil {
			continue
		}
		k := Key{District: label(p.District), Kind: p.Kind}
		if p.Kind == placematch.KindCarer {
			k.PlacementType = pl.PlacementType
		}
		r := out[k]
		r.Key = k
		countPlacement(&r, p, pl.Home)
		out[k] = r
	}
	return out
}

func countPlacement(r *Row, p *placematch.Provider, home *placematch.Point) {
	if p.District != "" {
		r.InArea++
	} else {
		r.OutOfArea++
	}
	if home == nil {
		r.Unknown++
		return
	}
	miles := geo.Miles(geo.DistanceKM(*home, p.Location))
	r.milesSum += miles
	if miles <= placematch.NearMiles {
		r.Within++
	} else {
		r.Over++
	}
}

func countProvider(r *Row, p *placematch.Provider) {
	r.Providers++
	r.Places += p.Places
	r.Filled += p.Filled
	r.Vacant += p.Vacancies
	r.Unavailable += max(p.Places-p.Filled-p.Vacancies, 0)
}

// providerKeys lists the rows a provider counts in.
func providerKeys(p *placematch.Provider, byType, byBand bool) []Key {
	base := Key{District: label(p.District), Kind: p.Kind}
	keys := []Key{base}
	if byType && p.Carer != nil && len(p.Carer.PlacementTypes) > 0 {
		keys = keys[:0]
		for _, t := range p.Carer.PlacementTypes {
			k := base
			k.PlacementType = t
			keys = append(keys, k)
		}
	}
	if !byBand {
		return keys
	}
	lo, hi := p.AgeMin, p.AgeMax
	if p.Hub != nil {
		// A hub's beds take their own ages (children's-home beds, under 18); its
		// AgeMin and AgeMax are its outreach team's.
		lo, hi = p.Hub.BedAges()
	}
	var out []Key
	for _, k := range keys {
		for _, b := range AgeBands {
			if b.Min <= hi && lo <= b.Max {
				k.AgeBand = b.Name
				out = append(out, k)
			}
		}
	}
	return out
}

func label(district string) string {
	if district == "" {
		return OutsideArea
	}
	return district
}

// compareKeys orders rows by district (named districts first), then kind, placement
// type and age band in their display orders.
func compareKeys(a, b Row) int {
	return cmp.Or(
		cmp.Compare(districtRank(a.District), districtRank(b.District)),
		cmp.Compare(a.District, b.District),
		cmp.Compare(slices.Index(placematch.ProviderKinds, a.Kind), slices.Index(placematch.ProviderKinds, b.Kind)),
		cmp.Compare(slices.Index(placematch.PlacementTypes, a.PlacementType), slices.Index(placematch.PlacementTypes, b.PlacementType)),
		cmp.Compare(bandIndex(a.AgeBand), bandIndex(b.AgeBand)),
	)
}

func districtRank(d string) int {
	switch d {
	case OutsideArea:
		return 1
	case HomeNotKnown:
		return 2
	}
	return 0
}
