package reports

import (
	"maps"
	"slices"
	"strings"

	"placematch"
	"placematch/store"
)

// trendColumns are the measures of the sufficiency table, per snapshot date: supply
// and demand from the nightly snapshots, the placement measures from the placements
// active on that date.
var trendColumns = []string{
	"snapshot_date", "district", "provider_kind", "placement_type", "providers", "places", "filled", "vacant",
	"unavailable", "occupancy_rate", "children_awaiting", "shortfall", "placements_within_20_miles",
	"placements_over_20_miles", "placements_distance_unknown", "pct_within_20_miles", "mean_distance_miles",
	"placements_in_area", "placements_out_of_area",
}

// trendTable lays out the snapshots at the grain they are stored in (district,
// provider kind and, for carers, placement type), one block of rows per date. The
// rows are not summed into totals: a carer approved for several placement types is
// in several of them, and children awaiting are in every kind's row.
func trendTable(snaps []store.Snapshot, placed map[placematch.Date]map[Key]Row, suppress bool) Table {
	t := Table{Name: "Trend", Columns: trendColumns}
	c := cells{suppress: suppress}
	// Placements whose row has no snapshot row (a carer placed under a type outside
	// its approval, as an emergency may be) get a row of their own.
	seen := map[placematch.Date]map[Key]bool{}
	for _, s := range snaps {
		if seen[s.Date] == nil {
			seen[s.Date] = map[Key]bool{}
		}
		seen[s.Date][Key{District: label(s.District), Kind: s.Kind, PlacementType: s.PlacementType}] = true
	}
	snaps = slices.Clone(snaps)
	for _, d := range slices.SortedFunc(maps.Keys(placed), func(a, b placematch.Date) int {
		return strings.Compare(a.String(), b.String())
	}) {
		for _, k := range slices.SortedFunc(maps.Keys(placed[d]), compareKey) {
			if !seen[d][k] {
				snaps = append(snaps, store.Snapshot{Date: d, District: districtOf(k), Kind: k.Kind, PlacementType: k.PlacementType})
			}
		}
	}
	slices.SortStableFunc(snaps, func(a, b store.Snapshot) int { return strings.Compare(a.Date.String(), b.Date.String()) })
	rows := make([]Row, len(snaps))
	hs := make([]hiding, len(snaps))
	hiddenAwaiting := map[string]bool{} // date|district whose awaiting count is hidden somewhere
	for i, s := range snaps {
		k := Key{District: label(s.District), Kind: s.Kind, PlacementType: s.PlacementType}
		pr := placed[s.Date][k]
		rows[i] = Row{Key: k, Providers: s.Providers, Places: s.Places, Filled: s.Filled, Vacant: s.Vacant,
			Unavailable: s.Unavailable, ChildrenAwaiting: s.ChildrenAwaiting, Within: pr.Within, Over: pr.Over,
			Unknown: pr.Unknown, InArea: pr.InArea, OutOfArea: pr.OutOfArea, milesSum: pr.milesSum}
		hs[i] = c.hideRow(rows[i])
		if hs[i].awaiting {
			hiddenAwaiting[s.Date.String()+"|"+s.District] = true
		}
	}
	for i, s := range snaps {
		// The rows of one district and day share its children awaiting.
		if hiddenAwaiting[s.Date.String()+"|"+s.District] {
			hs[i].awaiting, hs[i].shortfall = true, true
		}
		r, h := rows[i], hs[i]
		occ, ok := r.OccupancyRate()
		pct, pctOK := r.PctWithin20Miles()
		mean, meanOK := r.MeanDistanceMiles()
		t.Rows = append(t.Rows, []Cell{
			text(s.Date.String()), text(r.District), text(string(r.Kind)), text(string(r.PlacementType)),
			show(r.Providers, h.providers), show(r.Places, h.places), show(r.Filled, h.filled),
			show(r.Vacant, h.vacant), show(r.Unavailable, h.unavailable), showRate(occ, ok, h.filled, h.places),
			show(r.ChildrenAwaiting, h.awaiting), show(r.Shortfall(), h.shortfall),
			show(r.Within, h.within), show(r.Over, h.over), show(r.Unknown, h.unknown),
			showRate(pct, pctOK, h.within, h.over, h.unknown), showRate(mean, meanOK, h.within, h.over),
			show(r.InArea, h.inArea), show(r.OutOfArea, h.outArea),
		})
	}
	return t
}

// trendDates lists the distinct snapshot dates, in order.
func trendDates(snaps []store.Snapshot) []placematch.Date {
	var out []placematch.Date
	for _, s := range snaps {
		if len(out) == 0 || out[len(out)-1] != s.Date {
			out = append(out, s.Date)
		}
	}
	return out
}

// compareKey orders trend keys as the report orders its rows.
func compareKey(a, b Key) int { return compareKeys(Row{Key: a}, Row{Key: b}) }

// districtOf turns a row's district label back into the stored district, so that a
// row added for placements reads like the snapshot rows beside it.
func districtOf(k Key) string {
	if k.District == OutsideArea {
		return ""
	}
	return k.District
}
