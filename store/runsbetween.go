package store

import (
	"context"
	"encoding/json"
	"fmt"
	"time"

	"placematch"
)

// MaxRunsRead bounds the runs one read of a period returns, so that a report
// over years of searches cannot hold every run in memory at once.
const MaxRunsRead = 200_000

// MatchRunsBetween returns the match runs stored from from (inclusive) to to
// (exclusive), oldest first, each with its typed record and the bytes shown. More
// than MaxRunsRead runs is invalid input naming from: the period must be shorter.
func (db *DB) MatchRunsBetween(ctx context.Context, from, to time.Time) ([]*MatchRun, error) {
	var rows []matchRunRow
	err := db.gorm.WithContext(ctx).Omit("excluded").Where("created_at >= ? AND created_at < ?", from.UTC(), to.UTC()).
		Order("created_at, id").Limit(MaxRunsRead + 1).Find(&rows).Error
	if err != nil {
		return nil, fmt.Errorf("store: match runs between: %w", translate(err))
	}
	if len(rows) > MaxRunsRead {
		return nil, tooManyRuns()
	}
	out := make([]*MatchRun, len(rows))
	for i := range rows {
		row := &rows[i]
		result, err := decompress(row.Result)
		if err != nil {
			return nil, fmt.Errorf("store: match run %s: %w", row.ID, err)
		}
		m := &MatchRun{ID: row.ID, ChildID: row.ChildID, InputHash: row.InputHash, WeightsVersion: row.WeightsVersion,
			Result: result, CreatedAt: row.CreatedAt.UTC()}
		if err := row.record(m); err != nil {
			return nil, fmt.Errorf("store: match run %s: %w", row.ID, err)
		}
		out[i] = m
	}
	return out, nil
}

// AllocationsBetween returns the allocation runs stored from from (inclusive) to
// to (exclusive), oldest first, with their typed records only (Result is nil).
func (db *DB) AllocationsBetween(ctx context.Context, from, to time.Time) ([]*Allocation, error) {
	var rows []allocationRow
	err := db.gorm.WithContext(ctx).Select("id, input_hash, weights_version, rules_version, child_ids, assignments, created_at").
		Where("created_at >= ? AND created_at < ?", from.UTC(), to.UTC()).
		Order("created_at, id").Limit(MaxRunsRead + 1).Find(&rows).Error
	if err != nil {
		return nil, fmt.Errorf("store: allocations between: %w", translate(err))
	}
	if len(rows) > MaxRunsRead {
		return nil, tooManyRuns()
	}
	out := make([]*Allocation, len(rows))
	for i, row := range rows {
		a := &Allocation{ID: row.ID, InputHash: row.InputHash, WeightsVersion: row.WeightsVersion,
			RulesVersion: row.RulesVersion, CreatedAt: row.CreatedAt.UTC()}
		if err := json.Unmarshal([]byte(row.ChildIDs), &a.Children); err != nil {
			return nil, fmt.Errorf("store: allocation %s: %w", row.ID, err)
		}
		if err := json.Unmarshal([]byte(row.Assignments), &a.Assignments); err != nil {
			return nil, fmt.Errorf("store: allocation %s: %w", row.ID, err)
		}
		out[i] = a
	}
	return out, nil
}

func tooManyRuns() error {
	return placematch.Invalid("from", "the period holds more than %d runs: ask for a shorter one", MaxRunsRead)
}
