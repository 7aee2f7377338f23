package store

import (
	"bytes"
	"context"
	"fmt"
	"maps"
	"slices"

	"gorm.io/gorm/clause"
)

// A replay record is what a match run ranked, kept so that the run can be computed
// again: each provider's state as matching saw it (stored once per distinct content,
// keyed by its hash), and candidate manifests naming which state every provider of
// a candidate index was in. The use cases decide what a state and a manifest hold;
// the store keeps them as given, compressed.

type providerStateRow struct {
	Hash   string `gorm:"primaryKey"`
	Record []byte
}

func (providerStateRow) TableName() string { return "provider_states" }

type manifestRow struct {
	ID      string `gorm:"primaryKey"`
	Parent  *string
	Depth   int
	Entries []byte
}

func (manifestRow) TableName() string { return "candidate_manifests" }

// Manifest names the state of every provider in one candidate index: all of them
// when Parent is empty, otherwise only those changed since Parent. Depth counts the
// manifests from the last full one (0 for a full one).
type Manifest struct {
	ID      string
	Parent  string
	Depth   int
	Entries []byte
}

// stateBatch bounds the rows of one insert or IN list (PostgreSQL allows 65,535
// parameters a statement).
const stateBatch = 500

// SaveProviderStates stores provider states by hash; a hash already stored is left
// as it is (the same hash is the same content).
func (db *DB) SaveProviderStates(ctx context.Context, states map[string][]byte) error {
	if len(states) == 0 {
		return nil
	}
	rows := make([]providerStateRow, 0, min(len(states), stateBatch))
	flush := func() error {
		if len(rows) == 0 {
			return nil
		}
		err := db.gorm.WithContext(ctx).Clauses(clause.OnConflict{DoNothing: true}).Create(&rows).Error
		rows = rows[:0]
		if err != nil {
			return fmt.Errorf("store: save provider states: %w", translate(err))
		}
		return nil
	}
	// In hash order, so that processes saving the same states at once (replicas
	// starting together) take the rows' locks in one order and never deadlock.
	for _, h := range slices.Sorted(maps.Keys(states)) {
		rec := states[h]
		z, err := gzipped(rec)
		if err != nil {
			return err
		}
		rows = append(rows, providerStateRow{Hash: h, Record: z})
		if len(rows) == stateBatch {
			if err := flush(); err != nil {
				return err
			}
		}
	}
	return flush()
}

// ProviderStates returns the stored states of the hashes given; a hash not stored
// is absent from the map.
func (db *DB) ProviderStates(ctx context.Context, hashes []string) (map[string][]byte, error) {
	out := make(map[string][]byte, len(hashes))
	for lo := 0; lo < len(hashes); lo += stateBatch {
		var rows []providerStateRow
		if err := db.gorm.WithContext(ctx).Where("hash IN ?", hashes[lo:min(lo+stateBatch, len(hashes))]).
			Find(&rows).Error; err != nil {
			return nil, translate(err)
		}
		for _, r := range rows {
			rec, err := decompress(r.Record)
			if err != nil {
				return nil, fmt.Errorf("store: provider state %s: %w", r.Hash, err)
			}
			out[r.Hash] = rec
		}
	}
	return out, nil
}

// SaveManifest stores a candidate manifest; its parent must be stored already.
func (db *DB) SaveManifest(ctx context.Context, m *Manifest) error {
	z, err := gzipped(m.Entries)
	if err != nil {
		return err
	}
	row := manifestRow{ID: m.ID, Depth: m.Depth, Entries: z}
	if m.Parent != "" {
		row.Parent = &m.Parent
	}
	if err := db.gorm.WithContext(ctx).Create(&row).Error; err != nil {
		return fmt.Errorf("store: save manifest: %w", translate(err))
	}
	return nil
}

// GetManifest returns a stored candidate manifest; ErrNotFound when there is none.
func (db *DB) GetManifest(ctx context.Context, id string) (*Manifest, error) {
	var row manifestRow
	if err := db.gorm.WithContext(ctx).Where("id = ?", id).Take(&row).Error; err != nil {
		return nil, translate(err)
	}
	entries, err := decompress(row.Entries)
	if err != nil {
		return nil, fmt.Errorf("store: manifest %s: %w", id, err)
	}
	m := &Manifest{ID: row.ID, Depth: row.Depth, Entries: entries}
	if row.Parent != nil {
		m.Parent = *row.Parent
	}
	return m, nil
}

// LatestManifest returns the id of the candidate manifest stored last by any
// process ("" when none is stored): manifest ids are time-ordered.
func (db *DB) LatestManifest(ctx context.Context) (string, error) {
	var ids []string
	if err := db.gorm.WithContext(ctx).Model(&manifestRow{}).Order("id DESC").Limit(1).Pluck("id", &ids).Error; err != nil {
		return "", translate(err)
	}
	if len(ids) == 0 {
		return "", nil
	}
	return ids[0], nil
}

// MatchRunIDs returns the id of every stored match run, oldest first.
func (db *DB) MatchRunIDs(ctx context.Context) ([]string, error) {
	var ids []string
	if err := db.gorm.WithContext(ctx).Model(&matchRunRow{}).Order("created_at, id").Pluck("id", &ids).Error; err != nil {
		return nil, translate(err)
	}
	return ids, nil
}

// NewManifestID returns an id for a candidate manifest.
func NewManifestID() string { return newID() }

func gzipped(b []byte) ([]byte, error) {
	z := compressors.Get().(*compressor)
	defer compressors.Put(z)
	out, err := z.compress(b)
	if err != nil {
		return nil, err
	}
	return bytes.Clone(out), nil
}
