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
	for _, s := range snaps {
		r := Row{Key: Key{District: label(s.District), Kind: s.Kind, PlacementType: s.PlacementType},
			Providers: s.Providers, Places: s.Places, Filled: s.Filled, Vacant: s.Vacant,
			Unavailable: s.Unavailable, ChildrenAwaiting: s.ChildrenAwaiting}
		occ, ok := r.OccupancyRate()
		t.Rows = append(t.Rows, []Cell{
			text(s.Date.String()), text(r.District), text(string(r.Kind)), text(string(r.PlacementType)),
			c.count(r.Providers), c.count(r.Places), c.count(r.Filled), c.count(r.Vacant), c.count(r.Unavailable),
			c.rate(occ, ok, r.Filled, r.Places), c.count(r.ChildrenAwaiting), c.count(r.Shortfall()),
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
