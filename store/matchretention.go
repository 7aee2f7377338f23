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
	cutoff = cutoff.UTC().Truncate(time.Microsecond)
	total := 0
	for {
		var found, deleted int
		err := db.tx(ctx, func(tx *gorm.DB) error {
			var err error
			found, deleted, err = db.deleteBatch(tx, cutoff)
			return err
		})
		if err != nil {
			return total, fmt.Errorf("store: delete match runs: %w", err)
		}
		total += deleted
		if found < pruneBatch {
			return total, nil
		}
	}
}

// deleteBatch deletes up to one batch of expired runs no placement cites, and returns
// how many it found and how many it deleted. A booking citing a run holds a share
// lock on it until it commits (checkCitedRun), so on PostgreSQL the batch first
// locks the runs it found, which waits for such bookings, and only then, in a new
// statement that sees what they committed, deletes those still cited by no
// placement. A booking either committed first (the run is cited and kept) or checks
// the run after the batch (it is gone and the booking refused); never a placement
// citing a deleted run. On SQLite one transaction writes at a time, which gives the
// same.
func (db *DB) deleteBatch(tx *gorm.DB, cutoff time.Time) (int, int, error) {
	const expired = `SELECT m.id FROM match_runs m
		WHERE m.created_at < ? AND NOT EXISTS (SELECT 1 FROM placements p WHERE p.match_id = m.id)
		ORDER BY m.id LIMIT ?`
	q := expired
	if db.dialect == Postgres {
		q += " FOR UPDATE OF m"
	}
	var ids []string
	if err := tx.Raw(q, cutoff, pruneBatch).Scan(&ids).Error; err != nil {
		return 0, 0, translate(err)
	}
	if len(ids) == 0 {
		return 0, 0, nil
	}
	res := tx.Exec(`DELETE FROM match_runs WHERE id IN ? AND NOT EXISTS (SELECT 1 FROM placements p WHERE p.match_id = match_runs.id)`, ids)
	if res.Error != nil {
		return 0, 0, translate(res.Error)
	}
	return len(ids), int(res.RowsAffected), nil
}

// checkCitedRun refuses a booking citing a match run that does not exist (never
// stored, or expired). On PostgreSQL it holds a share lock on the run until the
// booking commits, so that deleteBatch cannot delete it under the booking.
func (db *DB) checkCitedRun(tx *gorm.DB, id string) error {
	if id == "" {
		return nil
	}
	if !ValidID(id) {
		return placematch.Invalid("match_id", "no match run has this id")
	}
	q := "SELECT id FROM match_runs WHERE id = ?"
	if db.dialect == Postgres {
		q += " FOR SHARE"
	}
	var found []string
	if err := tx.Raw(q, id).Scan(&found).Error; err != nil {
		return translate(err)
	}
	if len(found) == 0 {
		return placematch.Invalid("match_id", "no match run has this id (runs no placement cites expire)")
	}
	return nil
}
