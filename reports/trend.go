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
var trendColumns = append([]string{"snapshot_date", "district", "provider_kind", "placement_type"},
	measureColumns[:len(measureColumns)-1]...)

// legacyHomeNotKnown is the label snapshots stored for children whose home is not
// recorded before it was named HomeNotKnown.
const legacyHomeNotKnown = "not known"

// trendLabel is the report's label of a stored snapshot district.
func trendLabel(d string) string {
	if d == legacyHomeNotKnown {
		return HomeNotKnown
	}
	return label(d)
}

// isTotal reports whether a snapshot row is its date's total.
func isTotal(s store.Snapshot) bool { return s.Kind == "" && s.District == TotalLabel }

// trendTable lays out the snapshots at the grain they are stored in (district,
// provider kind and, for carers, placement type), one block of rows per date, each
// block ended by the date's TOTAL row when its snapshot has one (those taken since
// the total was stored): each provider, child and group once, the placements active
// that day, and the sum of the rows' shortfalls. Suppression is applied block by
// block, as to the sufficiency table.
func trendTable(snaps []store.Snapshot, placed map[placematch.Date]map[Key]Row, suppress bool) Table {
	t := Table{Name: "Trend", Columns: trendColumns}
	type block struct {
		rows  []Row
		total *store.Snapshot
	}
	blocks := map[placematch.Date]*block{}
	blockOf := func(d placematch.Date) *block {
		b := blocks[d]
		if b == nil {
			b = &block{}
			blocks[d] = b
		}
		return b
	}
	seen := map[placematch.Date]map[Key]bool{}
	for i, s := range snaps {
		b := blockOf(s.Date)
		if isTotal(s) {
			b.total = &snaps[i]
			continue
		}
		k := Key{District: trendLabel(s.District), Kind: s.Kind, PlacementType: s.PlacementType}
		if seen[s.Date] == nil {
			seen[s.Date] = map[Key]bool{}
		}
		seen[s.Date][k] = true
		pr := placed[s.Date][k]
		b.rows = append(b.rows, Row{Key: k, Providers: s.Providers, Places: s.Places, Filled: s.Filled, Vacant: s.Vacant,
			Unavailable: s.Unavailable, ChildrenAwaiting: s.ChildrenAwaiting, GroupsAwaiting: s.GroupsAwaiting,
			Within: pr.Within, Over: pr.Over, Unknown: pr.Unknown, InArea: pr.InArea, OutOfArea: pr.OutOfArea,
			milesSum: pr.milesSum})
	}
	// Placements whose row has no snapshot row (a carer placed under a type outside
	// its approval, as an emergency may be) get a row of their own.
	for d, byKey := range placed {
		for k, pr := range byKey {
			if !seen[d][k] {
				b := blockOf(d)
				b.rows = append(b.rows, Row{Key: k, Within: pr.Within, Over: pr.Over, Unknown: pr.Unknown,
					InArea: pr.InArea, OutOfArea: pr.OutOfArea, milesSum: pr.milesSum})
			}
		}
	}
	dates := slices.SortedFunc(maps.Keys(blocks), func(a, b placematch.Date) int {
		return strings.Compare(a.String(), b.String())
	})
	for _, d := range dates {
		b := blocks[d]
		slices.SortFunc(b.rows, compareKeys)
		all := b.rows
		if s := b.total; s != nil {
			tot := Row{Key: Key{District: TotalLabel}, Providers: s.Providers, Places: s.Places, Filled: s.Filled,
				Vacant: s.Vacant, Unavailable: s.Unavailable, ChildrenAwaiting: s.ChildrenAwaiting,
				GroupsAwaiting: s.GroupsAwaiting}
			for _, pr := range placed[d] {
				tot.Within, tot.Over, tot.Unknown = tot.Within+pr.Within, tot.Over+pr.Over, tot.Unknown+pr.Unknown
				tot.InArea, tot.OutOfArea, tot.milesSum = tot.InArea+pr.InArea, tot.OutOfArea+pr.OutOfArea, tot.milesSum+pr.milesSum
			}
			sumShortfalls(&tot, b.rows)
			all = append(slices.Clone(b.rows), tot)
		}
		hs := hiddenCounts(all, b.total != nil, suppress)
		for i, r := range all {
			line := []Cell{text(d.String()), text(r.District), text(string(r.Kind)), text(string(r.PlacementType))}
			t.Rows = append(t.Rows, append(line, measureCells(r, hs[i], false)...))
		}
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
