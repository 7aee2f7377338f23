package store

import (
	"bytes"
	"compress/gzip"
	"context"
	"fmt"
	"io"
	"time"

	"placematch"
)

// MatchRun is the stored record of one ranking: who it was for, on what input, with
// which weights, and what it answered (the encoded result, kept as it was sent).
type MatchRun struct {
	ID             string
	ChildID        string
	InputHash      string
	WeightsVersion string
	Result         []byte
	CreatedAt      time.Time
}

type matchRunRow struct {
	ID             string `gorm:"primaryKey"`
	ChildID        string
	InputHash      string
	WeightsVersion string
	Result         []byte
	CreatedAt      time.Time `gorm:"autoCreateTime:false"`
}

func (matchRunRow) TableName() string { return "match_runs" }

// NewMatchID returns an id for a match run before it is saved, so that the result
// can carry it.
func NewMatchID() string { return newID() }

// SaveMatchRun stores a match run; runs are never changed afterwards.
func (db *DB) SaveMatchRun(ctx context.Context, m *MatchRun) error {
	if m.ID == "" {
		m.ID = newID()
	}
	m.CreatedAt = db.now()
	var buf bytes.Buffer
	zw, _ := gzip.NewWriterLevel(&buf, gzip.BestSpeed) // the level is valid
	if _, err := zw.Write(m.Result); err != nil {
		return err
	}
	if err := zw.Close(); err != nil {
		return err
	}
	row := matchRunRow{ID: m.ID, ChildID: m.ChildID, InputHash: m.InputHash, WeightsVersion: m.WeightsVersion,
		Result: buf.Bytes(), CreatedAt: m.CreatedAt}
	if err := db.gorm.WithContext(ctx).Create(&row).Error; err != nil {
		return fmt.Errorf("store: save match run: %w", translate(err))
	}
	return nil
}

// GetMatchRun returns a stored match run; ErrNotFound when there is none.
func (db *DB) GetMatchRun(ctx context.Context, id string) (*MatchRun, error) {
	if !ValidID(id) {
		return nil, placematch.Errorf(placematch.ErrNotFound, "No match run has id %q", id)
	}
	var row matchRunRow
	if err := db.gorm.WithContext(ctx).Where("id = ?", id).Take(&row).Error; err != nil {
		return nil, translate(err)
	}
	zr, err := gzip.NewReader(bytes.NewReader(row.Result))
	if err != nil {
		return nil, fmt.Errorf("store: match run %s: %w", id, err)
	}
	result, err := io.ReadAll(zr)
	if err != nil {
		return nil, fmt.Errorf("store: match run %s: %w", id, err)
	}
	return &MatchRun{ID: row.ID, ChildID: row.ChildID, InputHash: row.InputHash, WeightsVersion: row.WeightsVersion,
		Result: result, CreatedAt: row.CreatedAt.UTC()}, nil
}
