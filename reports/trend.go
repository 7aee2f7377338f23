package reports

import (
	"placematch"
	"placematch/store"
)

// trendColumns are the measures the nightly snapshots keep, with the two derived
// from them. Placement distances are not snapshotted, so the trend has none.
var trendColumns = []string{
	"snapshot_date", "district", "provider_kind", "placement_type", "providers", "places", "filled", "vacant",
	"unavailable", "occupancy_rate", "children_awaiting", "shortfall",
}

// trendTable lays out the snapshots at the grain they are stored in (district,
// provider kind and, for carers, placement type), one block of rows per date. The
// rows are not summed into totals: a carer approved for several placement types is
// in several of them, and children awaiting are in every kind's row.
func trendTable(snaps []store.Snapshot, suppress bool) Table {
	t := Table{Name: "Trend", Columns: trendColumns}
	c := cells{suppress: suppress}
	rows := make([]Row, len(snaps))
	hs := make([]hiding, len(snaps))
	hiddenAwaiting := map[string]bool{} // date|district whose awaiting count is hidden somewhere
	for i, s := range snaps {
		rows[i] = Row{Key: Key{District: label(s.District), Kind: s.Kind, PlacementType: s.PlacementType},
			Providers: s.Providers, Places: s.Places, Filled: s.Filled, Vacant: s.Vacant,
			Unavailable: s.Unavailable, ChildrenAwaiting: s.ChildrenAwaiting}
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
		t.Rows = append(t.Rows, []Cell{
			text(s.Date.String()), text(r.District), text(string(r.Kind)), text(string(r.PlacementType)),
			show(r.Providers, h.providers), show(r.Places, h.places), show(r.Filled, h.filled),
			show(r.Vacant, h.vacant), show(r.Unavailable, h.unavailable), showRate(occ, ok, h.filled, h.places),
			show(r.ChildrenAwaiting, h.awaiting), show(r.Shortfall(), h.shortfall),
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
