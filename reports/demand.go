package reports

import (
	"cmp"
	"slices"
	"strconv"
	"time"

	"placematch"
	"placematch/matching"
	"placematch/store"
)

// A group awaiting is one child awaiting, or a sibling group awaiting together (the
// children linked as siblings, directly or through one another, who are all still
// awaiting: placematch.AwaitingGroup's rule, as matching and booking form it). It is
// demand for one home with a place for each of its members.
type awaitingGroup struct {
	// Members are in matching's canonical order: eldest first (date of birth, then id).
	Members []*placematch.Child
	// District is the row label of the group's home: the home district of the first
	// member with a home recorded, HomeNotKnown when none has one.
	District string
}

// groupsAwaiting forms the groups of the children awaiting. A child whose record
// could not be read whole (AwaitingChild.Child nil) is a group of its own, judged on
// its date of birth, placement type and home.
func groupsAwaiting(aw []store.AwaitingChild) []awaitingGroup {
	children := make([]*placematch.Child, len(aw))
	index := map[string]int{}
	for i, a := range aw {
		c := a.Child
		if c == nil {
			// Judged on the fields the report has; the id is only for the rules'
			// bookkeeping (connected-person carers, staying put) and is nobody's.
			c = &placematch.Child{Record: placematch.Record{ID: "awaiting-" + strconv.Itoa(i)},
				DateOfBirth: a.DateOfBirth, PlacementType: a.PlacementType, District: a.District,
				Status: placematch.ChildAwaiting}
			if a.HomeKnown {
				c.Location = &placematch.Point{}
			}
		} else {
			index[c.ID] = i
		}
		children[i] = c
	}
	// Union-find over the sibling links between children awaiting.
	parent := make([]int, len(aw))
	for i := range parent {
		parent[i] = i
	}
	find := func(i int) int {
		for parent[i] != i {
			parent[i] = parent[parent[i]]
			i = parent[i]
		}
		return i
	}
	for i, a := range aw {
		if a.Child == nil {
			continue
		}
		for _, s := range a.Child.Siblings {
			if j, ok := index[s]; ok {
				if ri, rj := find(i), find(j); ri != rj {
					parent[max(ri, rj)] = min(ri, rj)
				}
			}
		}
	}
	byRoot := map[int]int{}
	var out []awaitingGroup
	for i, c := range children {
		r := find(i)
		g, ok := byRoot[r]
		if !ok {
			g = len(out)
			byRoot[r] = g
			out = append(out, awaitingGroup{})
		}
		out[g].Members = append(out[g].Members, c)
	}
	for i := range out {
		g := &out[i]
		slices.SortFunc(g.Members, func(a, b *placematch.Child) int {
			return cmp.Or(a.DateOfBirth.Time().Compare(b.DateOfBirth.Time()), cmp.Compare(a.ID, b.ID))
		})
		g.District = HomeNotKnown
		for _, m := range g.Members {
			if m.Location != nil {
				g.District = label(m.District)
				break
			}
		}
	}
	return out
}

// kindCodes are the hard rules that say a kind of home can never take a group, as
// opposed to one home's state today (its vacancies, availability, approval status,
// registration, Ofsted rating, household, distance): those are the supply side of the
// report, and a group is demand whatever they are.
var kindCodes = []string{
	matching.CodeAgeOutOfRange, matching.CodeUnder16Supported, matching.CodePlacementType,
	matching.CodeNotConnected, matching.CodeCareLeaverHub, matching.CodeNotStayingPut,
	matching.CodeNotWheelchair,
}

// lawfulHomes judges which kinds of home could lawfully take a group. For each kind
// it keeps the most open home of that kind: one that meets every rule about a home's
// state (approved, registered, rated, available now, accessible where the kind can
// be, no one else living there, room for the whole group at the group's home), and
// that takes the ages and placement types a home of that kind may take: a carer any
// type of approval and any age under 18 (a young person of 18 or over only staying
// put, so never as demand); a unit 16–25 and a hub's beds 12–17, or the ages and the
// placement types the report's units and hubs declare between them, when any do.
// matching.Check then applies the rules themselves; a kind breaks one of kindCodes
// or none.
type lawfulHomes struct {
	homes [3]placematch.Provider // in placematch.ProviderKinds order
	today placematch.Date
	at    time.Time
}

func newLawfulHomes(providers []placematch.Provider, today placematch.Date, at time.Time) *lawfulHomes {
	l := &lawfulHomes{today: today, at: at}
	open := placematch.Availability{Status: placematch.Available, ConfirmedAt: &at, Source: placematch.SourceOfficer}
	l.homes[0] = placematch.Provider{Kind: placematch.KindCarer, AgeMin: 0, AgeMax: placematch.AdultAge - 1,
		Availability: open, Carer: &placematch.CarerDetails{Status: placematch.CarerApproved,
			PlacementTypes: slices.Clone(placematch.PlacementTypes), Household: placematch.Household{WheelchairAccessible: true}}}
	unitTypes, hubTypes := map[placematch.PlacementType]bool{}, map[placematch.PlacementType]bool{}
	unitLo, unitHi, hubLo, hubHi, units, hubs := 0, 0, 0, 0, 0, 0
	for i := range providers {
		p := &providers[i]
		if p.ArchivedAt != nil {
			continue
		}
		switch {
		case p.Unit != nil:
			for _, t := range p.OfferedTypes() {
				unitTypes[t] = true
			}
			unitLo, unitHi = minIf(units > 0, unitLo, p.AgeMin), maxIf(units > 0, unitHi, p.AgeMax)
			units++
		case p.Hub != nil:
			for _, t := range p.OfferedTypes() {
				hubTypes[t] = true
			}
			lo, hi := p.Hub.BedAges()
			hubLo, hubHi = minIf(hubs > 0, hubLo, lo), maxIf(hubs > 0, hubHi, hi)
			hubs++
		}
	}
	if units == 0 {
		unitLo, unitHi = 16, 25
		for _, t := range placematch.DefaultUnitPlacementTypes {
			unitTypes[t] = true
		}
	}
	if hubs == 0 {
		hubLo, hubHi = placematch.HubBedAgeMin, placematch.HubBedAgeMax
		for _, t := range placematch.DefaultHubPlacementTypes {
			hubTypes[t] = true
		}
	}
	l.homes[1] = placematch.Provider{Kind: placematch.KindUnit, AgeMin: unitLo, AgeMax: unitHi, Availability: open,
		Unit: &placematch.UnitDetails{RegistrationStatus: placematch.Registered, PlacementTypes: typesOf(unitTypes),
			Features: []string{placematch.FeatureWheelchairAccessible}}}
	l.homes[2] = placematch.Provider{Kind: placematch.KindHub, AgeMin: hubLo, AgeMax: hubHi, Availability: open,
		Hub: &placematch.HubDetails{PlacementTypes: typesOf(hubTypes), BedAgeMin: hubLo, BedAgeMax: hubHi}}
	return l
}

func typesOf(set map[placematch.PlacementType]bool) []placematch.PlacementType {
	var out []placematch.PlacementType
	for _, t := range placematch.PlacementTypes {
		if set[t] {
			out = append(out, t)
		}
	}
	return out
}

func minIf(has bool, old, v int) int {
	if has {
		return min(old, v)
	}
	return v
}

func maxIf(has bool, old, v int) int {
	if has {
		return max(old, v)
	}
	return v
}

// kinds returns the kinds of home that could lawfully take g, in display order.
func (l *lawfulHomes) kinds(g awaitingGroup) []placematch.ProviderKind {
	n := len(g.Members)
	var ids []placematch.Connection
	var home placematch.Point
	for _, m := range g.Members {
		ids = append(ids, placematch.Connection{ChildID: m.ID})
	}
	for _, m := range g.Members {
		if m.Location != nil {
			home = *m.Location
			break
		}
	}
	req := matching.Request{Child: g.Members[0], Group: g.Members, Today: l.today, Now: l.at}
	var out []placematch.ProviderKind
	for i := range l.homes {
		p := l.homes[i] // a copy, sized for this group
		p.Location, p.Places, p.Vacancies = home, n, n
		switch {
		case p.Carer != nil:
			d := *p.Carer
			d.MaxChildren, d.ConnectedTo = n, ids
			p.Carer = &d
		case p.Unit != nil:
			d := *p.Unit
			d.Beds = n
			p.Unit = &d
		case p.Hub != nil:
			d := *p.Hub
			d.Beds, d.EmergencyBeds = n, n
			p.Hub = &d
		}
		codes := matching.Check(req, &p, matching.Options{})
		if !slices.ContainsFunc(codes, func(c string) bool { return slices.Contains(kindCodes, c) }) {
			out = append(out, p.Kind)
		}
	}
	return out
}
