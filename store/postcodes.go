package store

import (
	"context"
	"fmt"

	"gorm.io/gorm"
	"gorm.io/gorm/clause"

	"placematch"
)

// postcodeRow is the postcodes table, loaded by `placematch import-postcodes`.
type postcodeRow struct {
	Postcode string `gorm:"primaryKey"`
	Lat, Lon float64
	District string
}

func (postcodeRow) TableName() string { return "postcodes" }

// Postcode is one row of the postcode table.
type Postcode struct {
	Postcode string
	Location placematch.Point
	District string
}

// LookupPostcode returns where a postcode lies. pc must already be normalised
// (placematch.NormalisePostcode); an unknown postcode is ErrNotFound.
func (db *DB) LookupPostcode(ctx context.Context, pc string) (Postcode, error) {
	var row postcodeRow
	if err := db.gorm.WithContext(ctx).Where("postcode = ?", pc).Take(&row).Error; err != nil {
		return Postcode{}, translate(err)
	}
	return Postcode{Postcode: row.Postcode, Location: placematch.Point{Lat: row.Lat, Lon: row.Lon}, District: row.District}, nil
}

// PostcodeBatch is the number of rows ImportPostcodes writes per statement.
const PostcodeBatch = 1000

// PostcodeWriter upserts postcodes in batches, so that an import streams: it never
// holds more than one batch. Re-importing the same file leaves the table as it was.
type PostcodeWriter struct {
	db      *DB
	ctx     context.Context
	pending []postcodeRow
	Written int
}

// NewPostcodeWriter starts an import; call Add per row and Flush at the end.
func (db *DB) NewPostcodeWriter(ctx context.Context) *PostcodeWriter {
	return &PostcodeWriter{db: db, ctx: ctx, pending: make([]postcodeRow, 0, PostcodeBatch)}
}

// Add queues one postcode, writing a batch when it is full.
func (w *PostcodeWriter) Add(p Postcode) error {
	w.pending = append(w.pending, postcodeRow{Postcode: p.Postcode, Lat: p.Location.Lat, Lon: p.Location.Lon, District: p.District})
	if len(w.pending) >= PostcodeBatch {
		return w.Flush()
	}
	return nil
}

// Flush writes the queued rows in one transaction.
func (w *PostcodeWriter) Flush() error {
	if len(w.pending) == 0 {
		return nil
	}
	// A file may list a postcode twice; the last row wins, as it would one by one.
	seen := make(map[string]int, len(w.pending))
	rows := w.pending[:0:0]
	for _, r := range w.pending {
		if i, ok := seen[r.Postcode]; ok {
			rows[i] = r
			continue
		}
		seen[r.Postcode] = len(rows)
		rows = append(rows, r)
	}
	err := w.db.tx(w.ctx, func(tx *gorm.DB) error {
		return tx.Clauses(clause.OnConflict{
			Columns:   []clause.Column{{Name: "postcode"}},
			DoUpdates: clause.AssignmentColumns([]string{"lat", "lon", "district"}),
		}).CreateInBatches(rows, 200).Error
	})
	if err != nil {
		return fmt.Errorf("store: import postcodes: %w", translate(err))
	}
	w.Written += len(rows)
	w.pending = w.pending[:0]
	return nil
}

// CountPostcodes returns how many postcodes are known.
func (db *DB) CountPostcodes(ctx context.Context) (int64, error) {
	var n int64
	err := db.gorm.WithContext(ctx).Model(&postcodeRow{}).Count(&n).Error
	return n, translate(err)
}
