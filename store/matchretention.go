package store

import (
	"context"
	"fmt"
	"time"
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
		res := db.gorm.WithContext(ctx).Exec(q, cutoff, pruneBatch)
		if res.Error != nil {
			return total, fmt.Errorf("store: delete match runs: %w", translate(res.Error))
		}
		total += int(res.RowsAffected)
		if res.RowsAffected < pruneBatch {
			return total, nil
		}
	}
}
