package reports

import (
	"context"
	"slices"

	"placematch"
)

// The need groups of the gaps-by-need section, in display order. A group of
// children awaiting (a child alone, or a sibling group placed together) is in every
// need group it meets; NeedAll holds every group, so the rows overlap and are not
// summed.
const (
	NeedAll               = "all_awaiting"
	NeedSiblings2         = "sibling_group_of_2"
	NeedSiblings3         = "sibling_group_of_3"
	NeedSiblings4Plus     = "sibling_group_of_4_or_more"
	NeedTeenagerHighRisk  = "aged_16_17_with_high_risk"
	NeedWheelchair        = "wheelchair_user"
	NeedParentAndChild    = "parent_and_child"
	NeedEmergency         = "emergency"
	highRisk              = "high"
	olderTeenMin, teenMax = 16, 17
)

// Needs lists the need groups in display order.
var Needs = []string{NeedAll, NeedSiblings2, NeedSiblings3, NeedSiblings4Plus, NeedTeenagerHighRisk,
	NeedWheelchair, NeedParentAndChild, NeedEmergency}

// AwaitingGroup is one group of children awaiting now, as one search would take
// it, with every home matching's hard rules let take it today.
type AwaitingGroup struct {
	Members []*placematch.Child
	// HomeKnown says the group's home (matching's: the first member in canonical
	// order with a location) is recorded, so that Homes carry distances.
	HomeKnown bool
	Homes     []EligibleHome
}

// EligibleHome is a home that passes every hard rule for a group today (vacancy
// included), and its straight-line distance from the group's home in DfE miles
// (0 when the home is not known).
type EligibleHome struct {
	ProviderID string
	Miles      float64
}

// HomesFor returns every group awaiting on today with its eligible homes. The use
// case that holds the candidate index and the hard rules supplies it; reports
// never judges eligibility itself.
type HomesFor func(ctx context.Context, today placematch.Date) ([]AwaitingGroup, error)

// NeedRow is the gap for one need group.
type NeedRow struct {
	Need             string
	Groups, Children int
	// Homes counts the distinct homes eligible today for at least one group of the
	// need.
	Homes int
	// MedianBestMiles is the median, over the groups with a known home and at
	// least one eligible home, of the distance to the nearest one; ok is false
	// when there are none.
	MedianBestMiles float64
	MedianOK        bool
	// measured counts the groups the median is taken over.
	measured int
	// NoHome counts the children of groups with no eligible home at all;
	// NoneWithin20 the children of groups with a known home and no eligible home
	// within 20 miles (no home at all included); HomeUnknown the children of groups
	// whose home is not recorded, for whom distance cannot be judged.
	NoHome, NoneWithin20, HomeUnknown int
}

// needsOf names the need groups a group awaiting is in on today.
func needsOf(g AwaitingGroup, today placematch.Date) []string {
	out := []string{NeedAll}
	switch n := len(g.Members); {
	case n == 2:
		out = append(out, NeedSiblings2)
	case n == 3:
		out = append(out, NeedSiblings3)
	case n >= 4:
		out = append(out, NeedSiblings4Plus)
	}
	var teen, wheel, pac, emergency bool
	for _, c := range g.Members {
		if age := c.AgeOn(today); age >= olderTeenMin && age <= teenMax &&
			slices.ContainsFunc(c.Risks, func(r placematch.Risk) bool { return r.Level == highRisk }) {
			teen = true
		}
		wheel = wheel || c.WheelchairUser
		pac = pac || c.PlacementType == placematch.PlacementParentAndChild
		emergency = emergency || c.Urgency == "emergency" || c.PlacementType == placematch.PlacementEmergency
	}
	for _, x := range []struct {
		in   bool
		need string
	}{{teen, NeedTeenagerHighRisk}, {wheel, NeedWheelchair}, {pac, NeedParentAndChild}, {emergency, NeedEmergency}} {
		if x.in {
			out = append(out, x.need)
		}
	}
	return out
}

// Gaps counts, for each need group, the groups and children awaiting on today,
// the homes eligible for them, the median distance of each group's nearest
// eligible home, and the children with no eligible home (at all, or within 20
// miles). Every need group has a row, in Needs order.
func Gaps(groups []AwaitingGroup, today placematch.Date) []NeedRow {
	rows := make([]NeedRow, len(Needs))
	homes := make([]map[string]bool, len(Needs))
	best := make([][]float64, len(Needs))
	for i, n := range Needs {
		rows[i].Need, homes[i] = n, map[string]bool{}
	}
	for _, g := range groups {
		size := len(g.Members)
		nearest, near := 0.0, false
		for _, h := range g.Homes {
			if !near || h.Miles < nearest {
				nearest, near = h.Miles, true
			}
		}
		for _, need := range needsOf(g, today) {
			i := slices.Index(Needs, need)
			r := &rows[i]
			r.Groups++
			r.Children += size
			for _, h := range g.Homes {
				homes[i][h.ProviderID] = true
			}
			if len(g.Homes) == 0 {
				r.NoHome += size
			}
			switch {
			case !g.HomeKnown:
				r.HomeUnknown += size
			case !near:
				r.NoneWithin20 += size
			default:
				best[i] = append(best[i], nearest)
				if nearest > placematch.NearMiles {
					r.NoneWithin20 += size
				}
			}
		}
	}
	for i := range rows {
		rows[i].Homes = len(homes[i])
		rows[i].measured = len(best[i])
		rows[i].MedianBestMiles, rows[i].MedianOK = median(best[i])
	}
	return rows
}

// Columns of the gaps-by-need table.
var needColumns = []string{"need", "groups_awaiting", "children_awaiting", "eligible_homes_with_vacancies",
	"median_miles_to_nearest_eligible_home", "children_with_no_eligible_home", "children_with_none_within_20_miles",
	"children_home_not_known"}

// needsTable lays out the gaps. With suppression, counts of 1 to 4 are c, and the
// median is c when it is taken over 1 to 4 groups, as the sufficiency table hides
// small provider counts; the rows overlap and have no
// total, so no hidden count is the difference of shown ones.
func needsTable(rows []NeedRow, suppress bool) Table {
	t := Table{Name: gapsSheet, Columns: needColumns}
	c := cells{suppress: suppress}
	for _, r := range rows {
		t.Rows = append(t.Rows, []Cell{text(r.Need),
			show(r.Groups, c.small(r.Groups)), show(r.Children, c.small(r.Children)), show(r.Homes, c.small(r.Homes)),
			showRate(r.MedianBestMiles, r.MedianOK, c.small(r.measured)),
			show(r.NoHome, c.small(r.NoHome)), show(r.NoneWithin20, c.small(r.NoneWithin20)),
			show(r.HomeUnknown, c.small(r.HomeUnknown))})
	}
	return t
}

// gapsSheet names the gaps-by-need table and its XLSX sheet.
const gapsSheet = "Gaps by need"
