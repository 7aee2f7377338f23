package store

import (
	"context"
	"errors"
	"fmt"

	"gorm.io/gorm"

	"placematch"
)

// ReconcileResult counts what ReconcileVacancies changed.
type ReconcileResult struct {
	PlacementsEnded    int
	ProvidersChecked   int
	ProvidersCorrected int
	// Drift is the sum over corrected providers of |stored filled − active placements|.
	Drift  int
	Issues []placematch.RunIssue
}

// ReconcileVacancies ends every active placement whose end date is before today
// (end reason OTHER when none was recorded; the place is freed and the child is back
// to awaiting, as when an officer ends it), then sets every provider's filled to its
// count of active placements. Each placement ends in its own transaction; the
// corrections are made in one. A provider with more active placements than places is
// reported, not changed.
func (db *DB) ReconcileVacancies(ctx context.Context, today placematch.Date) (ReconcileResult, error) {
	var res ReconcileResult
	var due []string
	err := db.gorm.WithContext(ctx).Model(&placementRow{}).
		Where("status = ? AND end_date IS NOT NULL AND end_date < ?", string(placematch.PlacementActive), today.String()).
		Order("id").Pluck("id", &due).Error
	if err != nil {
		return res, translate(err)
	}
	for _, id := range due {
		_, err := db.UpdatePlacement(ctx, id, 0, func(p *placematch.Placement) error {
			if p.Status != placematch.PlacementActive {
				return errAlreadyEnded
			}
			p.Status = placematch.PlacementEnded
			if p.EndReason == "" {
				p.EndReason = "OTHER"
			}
			return nil
		})
		switch {
		case errors.Is(err, errAlreadyEnded):
		case err != nil:
			return res, err
		default:
			res.PlacementsEnded++
		}
	}
	err = db.tx(ctx, func(tx *gorm.DB) error { return db.correctFilled(tx, &res) })
	if err != nil {
		return res, fmt.Errorf("store: reconcile vacancies: %w", err)
	}
	return res, nil
}

// errAlreadyEnded: someone ended the placement between the list and the update.
var errAlreadyEnded = errors.New("placement already ended")

type fillCount struct {
	ID        string
	Reference string
	Filled    int
	Places    int
	Active    int
}

// correctFilled sets filled to the count of active placements where they differ.
// The update is conditional on the filled value read, so a booking committed in
// between is never overwritten; the next run sees it.
func (db *DB) correctFilled(tx *gorm.DB, res *ReconcileResult) error {
	var rows []fillCount
	err := tx.Raw(`SELECT p.id, p.reference, p.filled, p.places,
		(SELECT COUNT(*) FROM placements pl WHERE pl.provider_id = p.id AND pl.status = ?) AS active
		FROM providers p ORDER BY p.id`, string(placematch.PlacementActive)).Scan(&rows).Error
	if err != nil {
		return translate(err)
	}
	res.ProvidersChecked = len(rows)
	var seq int64
	for _, r := range rows {
		if r.Filled == r.Active {
			continue
		}
		if r.Active > r.Places {
			res.Issues = append(res.Issues, placematch.RunIssue{Scope: "provider " + r.ID, Unit: r.Reference,
				Message: fmt.Sprintf("%d active placements but %d places; filled left at %d", r.Active, r.Places, r.Filled)})
			continue
		}
		if seq == 0 {
			if seq, err = db.nextChange(tx); err != nil {
				return err
			}
		}
		u := tx.Exec("UPDATE providers SET filled = ?, change_seq = ?, updated_at = ?, version = version + 1 WHERE id = ? AND filled = ?",
			r.Active, seq, db.now(), r.ID, r.Filled)
		if u.Error != nil {
			return translate(u.Error)
		}
		if u.RowsAffected == 1 {
			res.ProvidersCorrected++
			res.Drift += abs(r.Filled - r.Active)
		}
	}
	return nil
}

func abs(n int) int {
	if n < 0 {
		return -n
	}
	return n
}
