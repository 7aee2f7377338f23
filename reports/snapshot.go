package reports

import (
	"context"

	"placematch"
	"placematch/store"
)

// SnapshotRows computes the nightly sufficiency snapshot of date with the report's
// own aggregation (grouped by district, provider kind and, for carers, placement
// type), so a trend built from snapshots counts providers and children exactly as
// the report does: a carer with no placement types counts, under no type, and
// districts carry the report's labels (OutsideArea, HomeNotKnown). Rows with neither
// supply nor demand (placements only, which the trend takes from placement history)
// are left out. The last row is the date's total (District TotalLabel, no kind),
// counting each provider, child and group once, so that the trend has a total per
// date that does not count a carer approved for several placement types twice. The
// store only writes what this returns.
func (s *Service) SnapshotRows(ctx context.Context, date placematch.Date) ([]store.Snapshot, error) {
	at := judgedAt(s.now(), date)
	providers, err := s.Store.ReportProviders(ctx, date, at)
	if err != nil {
		return nil, err
	}
	placements, err := s.Store.PlacementsActiveOn(ctx, date)
	if err != nil {
		return nil, err
	}
	awaiting, err := s.Store.ChildrenAwaiting(ctx)
	if err != nil {
		return nil, err
	}
	rows, total := Aggregate(Input{AsOf: date, At: at, Providers: providers, Placements: placements,
		Awaiting: awaiting, PlacementType: true})
	out := make([]store.Snapshot, 0, len(rows))
	for _, r := range rows {
		if r.Providers == 0 && r.ChildrenAwaiting == 0 {
			continue
		}
		out = append(out, store.Snapshot{Date: date, District: r.District, Kind: r.Kind, PlacementType: r.PlacementType,
			Providers: r.Providers, Places: r.Places, Filled: r.Filled, Vacant: r.Vacant, Unavailable: r.Unavailable,
			ChildrenAwaiting: r.ChildrenAwaiting, GroupsAwaiting: r.GroupsAwaiting})
	}
	out = append(out, store.Snapshot{Date: date, District: TotalLabel, Providers: total.Providers, Places: total.Places,
		Filled: total.Filled, Vacant: total.Vacant, Unavailable: total.Unavailable,
		ChildrenAwaiting: total.ChildrenAwaiting, GroupsAwaiting: total.GroupsAwaiting})
	return out, nil
}
