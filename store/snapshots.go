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
	CreatedAt        time.Time
}

func (snapshotRow) TableName() string { return "sufficiency_snapshots" }

type snapKey struct{ district, kind, ptype string }

// SnapshotSufficiency stores the snapshot of date from the live providers and the
// children awaiting, replacing any snapshot already stored for that date, in one
// transaction. It returns the rows written.
func (db *DB) SnapshotSufficiency(ctx context.Context, date placematch.Date) (int, error) {
	var n int
	err := db.tx(ctx, func(tx *gorm.DB) error {
		agg := map[snapKey]*snapshotRow{}
		get := func(k snapKey) *snapshotRow {
			if agg[k] == nil {
				agg[k] = &snapshotRow{SnapshotDate: date.String(), District: k.district, ProviderKind: k.kind, PlacementType: k.ptype}
			}
			return agg[k]
		}
		if err := db.aggregateProviders(tx, get); err != nil {
			return err
		}
		if err := aggregateChildren(tx, get); err != nil {
			return err
		}
		if err := tx.Where("snapshot_date = ?", date.String()).Delete(&snapshotRow{}).Error; err != nil {
			return translate(err)
		}
		rows := make([]snapshotRow, 0, len(agg))
		now := db.now()
		for _, r := range agg {
			r.CreatedAt = now
			rows = append(rows, *r)
		}
		n = len(rows)
		if n == 0 {
			return nil
		}
		return translate(tx.CreateInBatches(rows, 200).Error)
	})
	if err != nil {
		return 0, fmt.Errorf("store: snapshot sufficiency: %w", err)
	}
	return n, nil
}

func (db *DB) aggregateProviders(tx *gorm.DB, get func(snapKey) *snapshotRow) error {
	var rows []providerRow
	now := db.now()
	return tx.Where("archived_at IS NULL").FindInBatches(&rows, 1000, func(_ *gorm.DB, _ int) error {
		for i := range rows {
			p, err := rows[i].toProvider(now)
			if err != nil {
				if skipUnreadable(tx.Statement.Context, err) {
					continue
				}
				return err
			}
			keys := []snapKey{{p.District, string(p.Kind), ""}}
			if p.Carer != nil {
				keys = keys[:0]
				for _, t := range p.Carer.PlacementTypes {
					keys = append(keys, snapKey{p.District, string(p.Kind), string(t)})
				}
			}
			for _, k := range keys {
				r := get(k)
				r.Providers++
				r.Places += p.Places
				r.Filled += p.Filled
				r.Vacant += p.Vacancies
				r.Unavailable += max(p.Places-p.Filled-p.Vacancies, 0)
			}
		}
		return nil
	}).Error
}

// aggregateChildren counts children awaiting by home district: against every carer
// placement type row by the type they need, and against every unit and hub row of
// their district, where they are the demand those places meet.
func aggregateChildren(tx *gorm.DB, get func(snapKey) *snapshotRow) error {
	var counts []struct {
		District      string
		PlacementType string
		N             int
	}
	err := tx.Raw(`SELECT district, placement_type, COUNT(*) AS n FROM children
		WHERE status = ? AND archived_at IS NULL GROUP BY district, placement_type`, string(placematch.ChildAwaiting)).Scan(&counts).Error
	if err != nil {
		return translate(err)
	}
	for _, c := range counts {
		get(snapKey{c.District, string(placematch.KindCarer), c.PlacementType}).ChildrenAwaiting += c.N
		for _, k := range []placematch.ProviderKind{placematch.KindUnit, placematch.KindHub} {
			get(snapKey{c.District, string(k), ""}).ChildrenAwaiting += c.N
		}
	}
	return nil
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
			Filled: r.Filled, Vacant: r.Vacant, Unavailable: r.Unavailable, ChildrenAwaiting: r.ChildrenAwaiting}
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
