package store

import (
	"context"
	"encoding/json"
	"fmt"
	"time"

	"placematch"
)

// Allocation is the stored record of one allocation run: on what input, with
// which weights and rules, what it proposed (typed, for a booking that cites it)
// and what it answered (the encoded result, kept as it was sent). It books nothing.
type Allocation struct {
	ID             string
	InputHash      string
	WeightsVersion string
	RulesVersion   string
	// Children are every child the run allocated for, placed or not.
	Children    []string
	Assignments []Assignment
	Result      []byte
	CreatedAt   time.Time
}

// Assignment is one group's proposed provider in an allocation, with the rank and
// score the provider has in the group's own search.
type Assignment struct {
	ChildIDs []string               `json:"child_ids"`
	Provider placematch.ProviderRef `json:"provider"`
	Rank     int                    `json:"rank"`
	Score    float64                `json:"score"`
}

// For returns the assignment of the group a child is in, and false when the run
// placed no group with that child.
func (a *Allocation) For(childID string) (Assignment, bool) {
	for _, as := range a.Assignments {
		for _, id := range as.ChildIDs {
			if id == childID {
				return as, true
			}
		}
	}
	return Assignment{}, false
}

type allocationRow struct {
	ID             string `gorm:"primaryKey"`
	InputHash      string
	WeightsVersion string
	RulesVersion   string
	ChildIDs       string `gorm:"column:child_ids"`
	Assignments    string
	Result         []byte
	CreatedAt      time.Time `gorm:"autoCreateTime:false"`
}

func (allocationRow) TableName() string { return "allocations" }

// NewAllocationID returns an id for an allocation before it is saved, so that the
// result can carry it.
func NewAllocationID() string { return newID() }

// SaveAllocation stores an allocation run; runs are never changed afterwards.
func (db *DB) SaveAllocation(ctx context.Context, a *Allocation) error {
	if a.ID == "" {
		a.ID = newID()
	}
	a.CreatedAt = db.now()
	z := compressors.Get().(*compressor)
	defer compressors.Put(z)
	packed, err := z.compress(a.Result) // valid until z is put back, after the insert
	if err != nil {
		return err
	}
	row := allocationRow{ID: a.ID, InputHash: a.InputHash, WeightsVersion: a.WeightsVersion, RulesVersion: a.RulesVersion,
		ChildIDs: jsonText(a.Children), Assignments: jsonText(a.Assignments), Result: packed, CreatedAt: a.CreatedAt}
	if err := db.gorm.WithContext(ctx).Create(&row).Error; err != nil {
		return fmt.Errorf("store: save allocation: %w", translate(err))
	}
	return nil
}

// GetAllocation returns a stored allocation run; ErrNotFound when there is none.
func (db *DB) GetAllocation(ctx context.Context, id string) (*Allocation, error) {
	if !ValidID(id) {
		return nil, placematch.Errorf(placematch.ErrNotFound, "No allocation has id %q", id)
	}
	var row allocationRow
	if err := db.gorm.WithContext(ctx).Where("id = ?", id).Take(&row).Error; err != nil {
		return nil, translate(err)
	}
	result, err := decompress(row.Result)
	if err != nil {
		return nil, fmt.Errorf("store: allocation %s: %w", id, err)
	}
	a := &Allocation{ID: row.ID, InputHash: row.InputHash, WeightsVersion: row.WeightsVersion,
		RulesVersion: row.RulesVersion, Result: result, CreatedAt: row.CreatedAt.UTC()}
	if err := json.Unmarshal([]byte(row.ChildIDs), &a.Children); err != nil {
		return nil, fmt.Errorf("store: allocation %s: %w", id, err)
	}
	if err := json.Unmarshal([]byte(row.Assignments), &a.Assignments); err != nil {
		return nil, fmt.Errorf("store: allocation %s: %w", id, err)
	}
	return a, nil
}

// CountAllocations counts the stored allocation runs (for checks that bad input
// stores nothing).
func (db *DB) CountAllocations(ctx context.Context) (int64, error) {
	var n int64
	err := db.gorm.WithContext(ctx).Model(&allocationRow{}).Count(&n).Error
	return n, translate(err)
}
