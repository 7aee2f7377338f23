package store

import (
	"bytes"
	"compress/gzip"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strings"
	"sync"
	"time"

	"github.com/jackc/pgx/v5/pgconn"
	"gorm.io/gorm"

	"placematch"
)

// MatchRun is the stored record of one ranking: who it was for, on what input, with
// which weights, what it ranked (typed, for the booking that cites it) and what it
// answered (the encoded result, kept as it was sent).
type MatchRun struct {
	ID      string
	ChildID string
	// Group is every child the run ranked for: the child first, then its
	// siblings still awaiting.
	Group          []string
	InputHash      string
	WeightsVersion string
	// Ranked are the providers the run ranked, best first.
	Ranked []RankedProvider
	Result []byte
	// Replay is what the run ranked, as the use cases recorded it for replaying
	// the run (JSON); nil for runs stored before runs recorded it.
	Replay []byte
	// RequestedBy is who asked for the run; nil for runs stored before runs
	// recorded it.
	RequestedBy *placematch.Actor
	// Excluded are the providers the run excluded, kept whether or not Result
	// lists them; written by SaveMatchRun (nil stores none apart: Result is the
	// list) and read page by page with MatchRunExclusions (GetMatchRun leaves it nil).
	Excluded []Exclusion
	// Kept, when set, is what SaveMatchRun stores of the run's exclusions in
	// place of Excluded: a reason mask per provider of the run's candidate set.
	Kept      *ExcludedSet
	CreatedAt time.Time
	// Audit, when set, is the audit row of the request that made the run: written
	// in the run's own transaction, so that there is never a run nobody is
	// recorded as asking for, nor a row for a run that was not stored.
	Audit *AuditEvent
}

// RankedProvider is one ranked provider of a match run.
type RankedProvider struct {
	Rank     int                    `json:"rank"`
	Provider placematch.ProviderRef `json:"provider"`
	Score    float64                `json:"score"`
}

// AtRank returns the provider ranked rank, and false when the run has no such rank.
func (m *MatchRun) AtRank(rank int) (RankedProvider, bool) {
	for _, r := range m.Ranked {
		if r.Rank == rank {
			return r, true
		}
	}
	return RankedProvider{}, false
}

type matchRunRow struct {
	ID             string `gorm:"primaryKey"`
	ChildID        string
	GroupIDs       *string `gorm:"column:group_ids"`
	InputHash      string
	WeightsVersion string
	Ranked         *string
	Result         []byte
	Replay         []byte
	RequestedBy    *string `gorm:"column:requested_by"`
	Excluded       []byte
	CreatedAt      time.Time `gorm:"autoCreateTime:false"`
}

// actorJSON is how a run's requested_by column keeps who asked (JSON text).
type actorJSON struct {
	Subject string `json:"subject"`
	Name    string `json:"name,omitempty"`
	Role    string `json:"role"`
}

func (matchRunRow) TableName() string { return "match_runs" }

// NewMatchID returns an id for a match run before it is saved, so that the result
// can carry it.
func NewMatchID() string { return newID() }

// SaveMatchRun stores a match run, and its audit row when it has one, in one
// transaction; runs are never changed afterwards. A failed audit row stores
// nothing and is ErrAuditUnwritten.
func (db *DB) SaveMatchRun(ctx context.Context, m *MatchRun) error {
	if m.ID == "" {
		m.ID = newID()
	}
	m.CreatedAt = db.now()
	// On SQLite each part is compressed into a pooled compressor's own buffer,
	// kept until the row is written: no part is copied. PostgreSQL is given the
	// result, the replay record and a kept excluded set as they are and
	// compresses them itself, with lz4 where it can (migration 00030), for less
	// than gzip costs here (docs/benchmarks.md). A list of exclusions (Excluded,
	// not Kept) is gzip'd on both.
	var zs [3]*compressor
	for i := range zs {
		zs[i] = compressors.Get().(*compressor)
		defer compressors.Put(zs[i])
	}
	pack := func(z *compressor, b []byte) ([]byte, error) {
		if db.dialect == Postgres {
			return b, nil
		}
		return z.compress(b)
	}
	result, err := pack(zs[0], m.Result)
	if err != nil {
		return err
	}
	var replay []byte
	if m.Replay != nil {
		if replay, err = pack(zs[1], m.Replay); err != nil {
			return err
		}
	}
	var excluded []byte
	if m.Kept != nil {
		excluded, err = pack(zs[2], zs[2].encodeKept(m.Kept))
	} else {
		excluded, err = encodeExclusions(m.Excluded)
	}
	if err != nil {
		return err
	}
	group, ranked := jsonText(m.Group), jsonText(m.Ranked) // strings and plain numbers cannot fail
	row := matchRunRow{ID: m.ID, ChildID: m.ChildID, GroupIDs: &group, InputHash: m.InputHash,
		WeightsVersion: m.WeightsVersion, Ranked: &ranked, Result: result, Replay: replay, Excluded: excluded, CreatedAt: m.CreatedAt}
	if a := m.RequestedBy; a != nil {
		b, _ := json.Marshal(actorJSON{Subject: a.Subject, Name: a.Name, Role: a.Role}) // strings only: cannot fail
		by := string(b)
		row.RequestedBy = &by
	}
	if db.dialect == Postgres && m.Audit != nil {
		return db.saveRunPG(ctx, &row, m.Audit)
	}
	err = db.tx(ctx, func(tx *gorm.DB) error {
		if err := tx.Create(&row).Error; err != nil {
			return err
		}
		if m.Audit == nil {
			return nil
		}
		if err := db.appendAudit(tx, m.Audit); err != nil {
			return fmt.Errorf("%w: %w", ErrAuditUnwritten, err)
		}
		return nil
	})
	if err != nil {
		return fmt.Errorf("store: save match run: %w", err)
	}
	return nil
}

// runWithAuditPG writes a run and its audit row in one statement, which is its own
// transaction: one round trip where a transaction of two inserts takes four
// (begin, two inserts, commit). A search at one client took a tenth less time
// for it (docs/benchmarks.md).
const runWithAuditPG = `WITH run AS (
	INSERT INTO match_runs (id, child_id, group_ids, input_hash, weights_version, ranked, result, replay,
		requested_by, excluded, created_at)
	VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?))
INSERT INTO audit_events (id, at, subject, role, action, resource_type, resource_id, outcome, status,
	request_id, client_addr, request_count, resource_ids)
VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`

// saveRunPG is SaveMatchRun's write of a run with its audit row on PostgreSQL. A
// failure the trail's table caused is ErrAuditUnwritten; any other is the run's.
// Either way neither row is stored.
func (db *DB) saveRunPG(ctx context.Context, r *matchRunRow, e *AuditEvent) error {
	a, err := db.auditRowOf(e)
	if err != nil {
		return fmt.Errorf("store: save match run: %w: %w", ErrAuditUnwritten, err)
	}
	err = db.gorm.WithContext(ctx).Exec(runWithAuditPG,
		r.ID, r.ChildID, r.GroupIDs, r.InputHash, r.WeightsVersion, r.Ranked, r.Result, r.Replay,
		r.RequestedBy, r.Excluded, r.CreatedAt,
		a.ID, a.At, a.Subject, a.Role, a.Action, a.ResourceType, a.ResourceID, a.Outcome, a.Status,
		a.RequestID, a.ClientAddr, a.RequestCount, a.ResourceIDs).Error
	switch {
	case err == nil:
		return nil
	case auditTableFailed(err):
		return fmt.Errorf("store: save match run: %w: %w", ErrAuditUnwritten, translate(err))
	}
	return fmt.Errorf("store: save match run: %w", translate(err))
}

// auditTableFailed reports whether PostgreSQL refused a statement because of the
// audit trail's table: a constraint or column of audit_events, or the table
// itself missing.
func auditTableFailed(err error) bool {
	var pgErr *pgconn.PgError
	if !errors.As(err, &pgErr) {
		return false
	}
	return pgErr.TableName == "audit_events" || strings.HasPrefix(pgErr.ConstraintName, "audit_events") ||
		(pgErr.Code == "42P01" && strings.Contains(pgErr.Message, `"audit_events"`))
}

// A compressor is a gzip writer and its output buffer, kept for reuse: a new gzip
// writer allocates about a megabyte of tables, more than the run it compresses.
type compressor struct {
	buf bytes.Buffer
	zw  *gzip.Writer
	raw []byte // scratch for what is encoded before it is compressed
}

var compressors = sync.Pool{New: func() any {
	z := new(compressor)
	z.zw, _ = gzip.NewWriterLevel(&z.buf, gzip.BestSpeed) // the level is valid
	return z
}}

// compress returns b compressed. The result is the compressor's own buffer, valid
// until the compressor is used again.
func (z *compressor) compress(b []byte) ([]byte, error) {
	z.buf.Reset()
	z.zw.Reset(&z.buf)
	if _, err := z.zw.Write(b); err != nil {
		return nil, err
	}
	if err := z.zw.Close(); err != nil {
		return nil, err
	}
	return z.buf.Bytes(), nil
}

// GetMatchRun returns a stored match run; ErrNotFound when there is none.
func (db *DB) GetMatchRun(ctx context.Context, id string) (*MatchRun, error) {
	if !ValidID(id) {
		return nil, placematch.Errorf(placematch.ErrNotFound, "No match run has id %q", id)
	}
	var row matchRunRow
	if err := db.gorm.WithContext(ctx).Omit("excluded").Where("id = ?", id).Take(&row).Error; err != nil {
		return nil, translate(err)
	}
	result, err := decompress(row.Result)
	if err != nil {
		return nil, fmt.Errorf("store: match run %s: %w", id, err)
	}
	m := &MatchRun{ID: row.ID, ChildID: row.ChildID, InputHash: row.InputHash, WeightsVersion: row.WeightsVersion,
		Result: result, CreatedAt: row.CreatedAt.UTC()}
	if row.Replay != nil {
		if m.Replay, err = decompress(row.Replay); err != nil {
			return nil, fmt.Errorf("store: match run %s: %w", id, err)
		}
	}
	if err := row.record(m); err != nil {
		return nil, fmt.Errorf("store: match run %s: %w", id, err)
	}
	return m, nil
}

// record fills the typed part of a run. Runs stored before the typed columns
// existed are read from the bytes the officer saw, which carry the same facts.
func (row *matchRunRow) record(m *MatchRun) error {
	if row.RequestedBy != nil {
		var a actorJSON
		if err := json.Unmarshal([]byte(*row.RequestedBy), &a); err != nil {
			return err
		}
		m.RequestedBy = &placematch.Actor{Subject: a.Subject, Name: a.Name, Role: a.Role}
	}
	if row.GroupIDs == nil || row.Ranked == nil {
		var shown struct {
			Group   []string         `json:"group"`
			Matches []RankedProvider `json:"matches"`
		}
		if err := json.Unmarshal(m.Result, &shown); err != nil {
			return err
		}
		m.Group, m.Ranked = shown.Group, shown.Matches
		return nil
	}
	if err := json.Unmarshal([]byte(*row.GroupIDs), &m.Group); err != nil {
		return err
	}
	return json.Unmarshal([]byte(*row.Ranked), &m.Ranked)
}

// decompress returns stored bytes as they were before they were stored: unpacked
// when a compressor packed them (they start with gzip's magic number), or else as
// they are, for the parts of a run PostgreSQL compresses itself (SaveMatchRun).
// Every part stored either way starts with a byte other than gzip's first: JSON's
// '{', '[' or 'n', or an excluded set's format byte.
func decompress(b []byte) ([]byte, error) {
	if len(b) < 2 || b[0] != 0x1f || b[1] != 0x8b {
		return b, nil
	}
	zr, err := gzip.NewReader(bytes.NewReader(b))
	if err != nil {
		return nil, err
	}
	return io.ReadAll(zr)
}
