package store

import (
	"context"
	"database/sql"
	"fmt"
	"strconv"
)

// ChildCursor marks how far a reader of ChildrenWritten has read. The zero value
// has read nothing. A cursor is a value; ChildrenWritten never changes the one it
// is given.
type ChildCursor struct {
	read bool
	// seq (SQLite) is the count of child writes (children_epoch) at the read.
	seq int64
	// xmin and seen (PostgreSQL) are as in ChangeCursor: the oldest transaction
	// still running at the last read that returned rows, and the stamps of the rows
	// it returned at or above it.
	xmin uint64
	seen map[string]uint64
}

// ChildrenWritten reports whether any child was created, updated or archived (a
// child is never deleted) since the read that returned since (always true for the
// zero cursor), and the cursor to pass next. A reader that keeps something derived from the children (the queue
// of children awaiting) asks it before each use and rebuilds only when it is true:
// once a read has returned a cursor, no write committed after that read is missed,
// whatever order concurrent writers commit in. Read the cursor before reading what
// is derived, so that a write made between the two is reported next time.
//
// When nothing was written it costs one indexed read that returns no rows, whatever
// the number of children: on SQLite the one counter that a trigger bumps on every
// child write (children_epoch); on PostgreSQL the rows stamped (change_xid, by
// trigger) at or above the previous read's snapshot xmin, as ProviderChanges reads
// providers.
func (db *DB) ChildrenWritten(ctx context.Context, since ChildCursor) (bool, ChildCursor, error) {
	if db.dialect == Postgres {
		return db.childrenWrittenPG(ctx, since)
	}
	var seq int64
	if err := db.gorm.WithContext(ctx).Raw("SELECT seq FROM children_epoch WHERE id = 1").Row().Scan(&seq); err != nil {
		return false, since, fmt.Errorf("store: children written: %w", translate(err))
	}
	return !since.read || seq != since.seq, ChildCursor{read: true, seq: seq}, nil
}

// childrenWrittenSincePG reads the children stamped at or above a cursor's xmin
// with the snapshot's own xmin; the newest stamp is read first (the last entry of
// the index on change_xid), so that when nothing was written the statement ends
// there (see changesSincePG).
const childrenWrittenSincePG = `SELECT id, change_xid::text, pg_snapshot_xmin(pg_current_snapshot())::text
	FROM children WHERE change_xid >= ?::text::xid8
	AND (SELECT change_xid FROM children ORDER BY change_xid DESC LIMIT 1) >= ?::text::xid8`

func (db *DB) childrenWrittenPG(ctx context.Context, since ChildCursor) (bool, ChildCursor, error) {
	fail := func(err error) (bool, ChildCursor, error) {
		return false, since, fmt.Errorf("store: children written: %w", translate(err))
	}
	if !since.read {
		// Everything is new to a first read: only the snapshot's xmin is needed.
		var xmin string
		if err := db.gorm.WithContext(ctx).Raw("SELECT pg_snapshot_xmin(pg_current_snapshot())::text").Row().Scan(&xmin); err != nil {
			return fail(err)
		}
		n, err := strconv.ParseUint(xmin, 10, 64)
		if err != nil {
			return fail(err)
		}
		return true, ChildCursor{read: true, xmin: n}, nil
	}
	after := strconv.FormatUint(since.xmin, 10)
	rows, err := db.gorm.WithContext(ctx).Raw(childrenWrittenSincePG, after, after).Rows()
	if err != nil {
		return fail(err)
	}
	defer rows.Close()
	written := false
	var next ChildCursor
	var id string
	var stamp, xmin sql.RawBytes
	for rows.Next() {
		if err := rows.Scan(&id, &stamp, &xmin); err != nil {
			return fail(err)
		}
		if !next.read {
			n, err := strconv.ParseUint(string(xmin), 10, 64)
			if err != nil {
				return fail(err)
			}
			next = ChildCursor{read: true, xmin: n, seen: map[string]uint64{}}
		}
		s, err := strconv.ParseUint(string(stamp), 10, 64)
		if err != nil {
			return fail(err)
		}
		if old, ok := since.seen[id]; !ok || old != s {
			written = true
		}
		if s >= next.xmin {
			next.seen[id] = s
		}
	}
	if err := rows.Err(); err != nil {
		return fail(err)
	}
	if !next.read {
		// Nothing stamped at or above xmin: nothing was written since, and the
		// cursor stays valid as it is.
		return false, since, nil
	}
	return written, next, nil
}
