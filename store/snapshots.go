package store

import (
	"context"
	"fmt"
	"sort"
	"time"

	"gorm.io/gorm"

	"placematch"
)

// Snapshot is one row of a dated sufficiency snapshot: for a district, a provider
// kind and (carers only) a placement type, the providers, their places and how those
// places stand, beside the children from that district awaiting a placement. Places
// = Filled + Vacant + Unavailable, where Unavailable are free places that cannot be
// offered (provider unavailable or not approved, or fewer free beds reported by its
// feed). A carer approved for several placement types counts under each of them.
// ChildrenAwaiting are the places needed by the children awaiting (a sibling group
// needs one per child) and GroupsAwaiting the groups they form (a child alone is a
// group of one). The row whose District is the report's TOTAL label and whose Kind is
// empty is the day's total, counting each provider, child and group once.
type Snapshot struct {
	Date             placematch.Date
	District         string
	Kind             placematch.ProviderKind
	PlacementType    placematch.PlacementType
	Providers        int
	Places           int
	Filled           int
	Vacant           int
	Unavailable      int
	ChildrenAwaiting int
	GroupsAwaiting   int
}

type snapshotRow struct {
	SnapshotDate     string
	District         string
	ProviderKind     string
	PlacementType    string
	Providers        int
	Places           int
	Filled           int
	Vacant           int
	Unavailable      int
	ChildrenAwaiting int
	GroupsAwaiting   int
	CreatedAt        time.Time
}

func (snapshotRow) TableName() string { return "sufficiency_snapshots" }

// ReplaceSnapshot stores rows as the snapshot of date, replacing any snapshot already
// stored for that date, in one transaction, and returns the rows written. It only
// writes: the rows are computed by the reports package, so the snapshot and the
// report share one aggregation. Each row's Date is taken to be date.
func (db *DB) ReplaceSnapshot(ctx context.Context, date placematch.Date, rows []Snapshot) (int, error) {
	err := db.tx(ctx, func(tx *gorm.DB) error {
		if err := tx.Where("snapshot_date = ?", date.String()).Delete(&snapshotRow{}).Error; err != nil {
			return translate(err)
		}
		if len(rows) == 0 {
			return nil
		}
		now := db.now()
		out := make([]snapshotRow, len(rows))
		for i, r := range rows {
			out[i] = snapshotRow{SnapshotDate: date.String(), District: r.District, ProviderKind: string(r.Kind),
				PlacementType: string(r.PlacementType), Providers: r.Providers, Places: r.Places, Filled: r.Filled,
				Vacant: r.Vacant, Unavailable: r.Unavailable, ChildrenAwaiting: r.ChildrenAwaiting,
				GroupsAwaiting: r.GroupsAwaiting, CreatedAt: now}
		}
		return translate(tx.CreateInBatches(out, 200).Error)
	})
	if err != nil {
		return 0, fmt.Errorf("store: snapshot sufficiency: %w", err)
	}
	return len(rows), nil
}

// Snapshots returns the snapshot stored for date, ordered by district, kind and
// placement type.
func (db *DB) Snapshots(ctx context.Context, date placematch.Date) ([]Snapshot, error) {
	var rows []snapshotRow
	if err := db.gorm.WithContext(ctx).Where("snapshot_date = ?", date.String()).Find(&rows).Error; err != nil {
		return nil, translate(err)
	}
	out := make([]Snapshot, len(rows))
	for i, r := range rows {
		out[i] = Snapshot{Date: date, District: r.District, Kind: placematch.ProviderKind(r.ProviderKind),
			PlacementType: placematch.PlacementType(r.PlacementType), Providers: r.Providers, Places: r.Places,
			Filled: r.Filled, Vacant: r.Vacant, Unavailable: r.Unavailable, ChildrenAwaiting: r.ChildrenAwaiting,
			GroupsAwaiting: r.GroupsAwaiting}
	}
	sort.Slice(out, func(i, j int) bool {
		a, b := out[i], out[j]
		if a.District != b.District {
			return a.District < b.District
		}
		if a.Kind != b.Kind {
			return a.Kind < b.Kind
		}
		return a.PlacementType < b.PlacementType
	})
	return out, nil
}
