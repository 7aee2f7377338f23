package store

import (
	"context"
	"fmt"
	"time"

	"gorm.io/gorm"

	"placematch"
)

// pruneBatch bounds one DELETE, so that pruning months of runs never holds a long
// lock or one huge transaction.
const pruneBatch = 1000

// DeleteUncitedMatchRuns deletes the match runs created before cutoff that no
// placement cites (placements.match_id), in batches, and returns how many it
// deleted. A cited run is kept as long as the placement record, archived or not:
// it is the evidence of why the child went there.
func (db *DB) DeleteUncitedMatchRuns(ctx context.Context, cutoff time.Time) (int, error) {
	const q = `DELETE FROM match_runs WHERE id IN (
		SELECT m.id FROM match_runs m
		WHERE m.created_at < ? AND NOT EXISTS (SELECT 1 FROM placements p WHERE p.match_id = m.id)
		LIMIT ?)`
	cutoff = cutoff.UTC().Truncate(time.Microsecond)
	total := 0
	for {
		var deleted int64
		// Each batch queues with bookings on the epoch lock: a booking citing a run
		// either committed before (the run is cited and kept) or checks the run
		// after (it is gone and the booking refused); never a placement citing a
		// deleted run.
		err := db.tx(ctx, func(tx *gorm.DB) error {
			if err := db.lockEpoch(tx); err != nil {
				return err
			}
			res := tx.Exec(q, cutoff, pruneBatch)
			deleted = res.RowsAffected
			return translate(res.Error)
		})
		if err != nil {
			return total, fmt.Errorf("store: delete match runs: %w", err)
		}
		total += int(deleted)
		if deleted < pruneBatch {
			return total, nil
		}
	}
}

// checkCitedRun refuses a booking citing a match run that does not exist (never
// stored, or expired). Book calls it after taking the epoch lock, so it sees every
// prune that committed before and no prune can start until the booking commits.
func checkCitedRun(tx *gorm.DB, id string) error {
	if id == "" {
		return nil
	}
	if !ValidID(id) {
		return placematch.Invalid("match_id", "no match run has this id")
	}
	var n int64
	if err := tx.Model(&matchRunRow{}).Where("id = ?", id).Count(&n).Error; err != nil {
		return translate(err)
	}
	if n == 0 {
		return placematch.Invalid("match_id", "no match run has this id (runs no placement cites expire)")
	}
	return nil
}
