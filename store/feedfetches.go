package store

import (
	"context"
	"fmt"
	"time"

	"gorm.io/gorm/clause"
)

// FeedFetch is what the feed import last did with one provider feed: when it
// fetched it, the rows it applied and rejected, and why the feed failed as a whole
// ("" when it did not).
type FeedFetch struct {
	FeedID       string
	FetchedAt    time.Time
	RowsApplied  int
	RowsRejected int
	Error        string
}

type feedFetchRow struct {
	FeedID       string `gorm:"primaryKey"`
	FetchedAt    time.Time
	RowsApplied  int
	RowsRejected int
	Error        string
}

func (feedFetchRow) TableName() string { return "feed_fetches" }

// RecordFeedFetch stores f as the feed's last fetch, replacing the one before.
func (db *DB) RecordFeedFetch(ctx context.Context, f FeedFetch) error {
	row := feedFetchRow{FeedID: f.FeedID, FetchedAt: f.FetchedAt.UTC(), RowsApplied: f.RowsApplied,
		RowsRejected: f.RowsRejected, Error: f.Error}
	err := db.gorm.WithContext(ctx).Clauses(clause.OnConflict{Columns: []clause.Column{{Name: "feed_id"}}, UpdateAll: true}).
		Create(&row).Error
	if err != nil {
		return fmt.Errorf("store: record feed fetch: %w", translate(err))
	}
	return nil
}

// FeedFetches returns every feed's last fetch by feed id; a feed never fetched has
// none.
func (db *DB) FeedFetches(ctx context.Context) (map[string]FeedFetch, error) {
	var rows []feedFetchRow
	if err := db.gorm.WithContext(ctx).Find(&rows).Error; err != nil {
		return nil, fmt.Errorf("store: feed fetches: %w", translate(err))
	}
	out := make(map[string]FeedFetch, len(rows))
	for _, r := range rows {
		out[r.FeedID] = FeedFetch{FeedID: r.FeedID, FetchedAt: r.FetchedAt.UTC(), RowsApplied: r.RowsApplied,
			RowsRejected: r.RowsRejected, Error: r.Error}
	}
	return out, nil
}
