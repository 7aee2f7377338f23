package store

import (
	"context"
	"fmt"
	"runtime"
	"strconv"
	"sync"

	"placematch"
)

// ChangeCursor marks how far a reader of ProviderChanges has read. The zero value
// has read nothing: the next call returns every provider. A cursor is a value;
// ProviderChanges never changes the one it is given.
type ChangeCursor struct {
	// seq (SQLite) is the newest change number read.
	seq int64
	// xmin (PostgreSQL) is the oldest transaction still running when the last read
	// that returned rows was made: every write that read could not see was made by
	// a transaction at or above it.
	xmin uint64
	// seen (PostgreSQL) holds, for each row that read returned stamped at or above
	// xmin, its stamp, so that the rows read again next time are not returned twice.
	seen map[string]uint64
}

// ProviderChanges returns every provider (archived ones included, so that a cache
// can drop them) written since the read that returned cursor since, and the cursor
// to pass next time. An in-memory candidate index calls it before each search to
// stay coherent with writes made by any replica: once a read has returned a write,
// no later read misses a write committed after it, whatever order concurrent
// writers commit in. When nothing changed it is one indexed query that returns no
// rows.
//
// On SQLite one transaction writes at a time and every provider write takes the
// next number of one counter (change_seq), so the writes after a read are those
// numbered above the newest number it saw. On PostgreSQL writers do not queue on a
// counter; each row carries the id of the transaction that last wrote it
// (change_xid, set by a trigger), and a read returns the rows stamped at or above
// the xmin of the previous read's snapshot: any transaction that read could not see
// was still running then or had not started, so its id is at least that xmin. Rows
// read before and unchanged since are recognised by their stamp and left out.
func (db *DB) ProviderChanges(ctx context.Context, since ChangeCursor) ([]*placematch.Provider, ChangeCursor, error) {
	if db.dialect == Postgres {
		return db.providerChangesPG(ctx, since)
	}
	var rows []providerRow
	err := db.scanProviders(ctx, "SELECT "+providerColumns+" FROM providers WHERE change_seq > ? ORDER BY change_seq",
		[]any{since.seq}, func(scan func(extra ...any) (*providerRow, error)) error {
			r, err := scan()
			if err == nil {
				rows = append(rows, *r)
			}
			return err
		})
	if err != nil {
		return nil, since, err
	}
	next := since
	out, err := db.readChanged(ctx, since, len(rows), func(i int) (*providerRow, bool) {
		next.seq = max(next.seq, rows[i].ChangeSeq)
		return &rows[i], true
	})
	if err != nil {
		return nil, since, err
	}
	return out, next, nil
}

// stampedRow is a provider row with its writer's transaction id and the xmin of the
// snapshot it was read in, both as text (xid8 has no Go type of its own).
type stampedRow struct {
	Row          providerRow
	Stamp        string
	SnapshotXmin string
}

// providerColumns are the columns of providerRow, in the order scanProviders scans
// them.
const providerColumns = `id, kind, reference, name, status, lat, lon, postcode, district, age_min, age_max,
	places, filled, placement_types, avail_status, avail_from, avail_note, avail_confirmed_at, avail_source,
	reported_vacancies, reported_at, details, change_seq, created_at, updated_at, version, archived_at, sector`

// scanProviders runs a query selecting providerColumns (and any columns after
// them) and calls each for every row with a scan function that reads the row's
// provider columns and the extra ones into the pointers given. It reads with
// database/sql's Scan rather than gorm's reflection: a full load reads every
// provider.
func (db *DB) scanProviders(ctx context.Context, q string, args []any, each func(scan func(extra ...any) (*providerRow, error)) error) error {
	rows, err := db.gorm.WithContext(ctx).Raw(q, args...).Rows()
	if err != nil {
		return translate(err)
	}
	defer rows.Close()
	var r providerRow
	dest := []any{&r.ID, &r.Kind, &r.Reference, &r.Name, &r.Status, &r.Lat, &r.Lon, &r.Postcode, &r.District,
		&r.AgeMin, &r.AgeMax, &r.Places, &r.Filled, &r.PlacementTypes, &r.AvailStatus, &r.AvailFrom, &r.AvailNote,
		&r.AvailConfirmedAt, &r.AvailSource, &r.ReportedVacancies, &r.ReportedAt, &r.Details, &r.ChangeSeq,
		&r.CreatedAt, &r.UpdatedAt, &r.Version, &r.ArchivedAt, &r.Sector}
	n := len(dest)
	scan := func(extra ...any) (*providerRow, error) {
		r = providerRow{}
		if err := rows.Scan(append(dest[:n], extra...)...); err != nil {
			return nil, translate(err)
		}
		return &r, nil
	}
	for rows.Next() {
		if err := each(scan); err != nil {
			return err
		}
	}
	return translate(rows.Err())
}

// changesSincePG reads the providers written since a cursor (stamped at or above
// its xmin) in one statement, so that the rows and the snapshot's xmin agree. The
// newest stamp is read first (the last entry of the index on change_xid; not
// max(), which xid8 has only from PostgreSQL 15): when
// it is older than the cursor, which is what a search almost always finds, the
// statement ends there, whatever plan the rows' scan has. Without statistics (a
// table just loaded) the planner takes a third of the table to match and scans
// all of it: 4.7 ms at 10,000 providers, on every search.
const changesSincePG = `SELECT ` + providerColumns + `, change_xid::text AS stamp,
		pg_snapshot_xmin(pg_current_snapshot())::text AS snapshot_xmin
		FROM providers WHERE change_xid >= ?::text::xid8
		AND (SELECT change_xid FROM providers ORDER BY change_xid DESC LIMIT 1) >= ?::text::xid8`

func (db *DB) providerChangesPG(ctx context.Context, since ChangeCursor) ([]*placematch.Provider, ChangeCursor, error) {
	var rows []stampedRow
	after := strconv.FormatUint(since.xmin, 10)
	err := db.scanProviders(ctx, changesSincePG, []any{after, after}, func(scan func(extra ...any) (*providerRow, error)) error {
		var s stampedRow
		r, err := scan(&s.Stamp, &s.SnapshotXmin)
		if err == nil {
			s.Row = *r
			rows = append(rows, s)
		}
		return err
	})
	if err != nil {
		return nil, since, err
	}
	if len(rows) == 0 {
		// Nothing stamped at or above xmin: nothing was written since, and the
		// cursor stays valid as it is.
		return nil, since, nil
	}
	xmin, err := strconv.ParseUint(rows[0].SnapshotXmin, 10, 64)
	if err != nil {
		return nil, since, fmt.Errorf("store: snapshot xmin %q: %w", rows[0].SnapshotXmin, err)
	}
	next := ChangeCursor{xmin: xmin, seen: map[string]uint64{}}
	out, err := db.readChanged(ctx, since, len(rows), func(i int) (*providerRow, bool) {
		r := &rows[i]
		stamp, err := strconv.ParseUint(r.Stamp, 10, 64)
		if err != nil {
			stamp = 0 // read as new every time; never skipped
		}
		if stamp >= xmin {
			next.seen[r.Row.ID] = stamp
		}
		old, ok := since.seen[r.Row.ID]
		return &r.Row, !ok || old != stamp || stamp == 0
	})
	if err != nil {
		return nil, since, err
	}
	return out, next, nil
}

// readChanged turns the n rows read into providers with their residents; row(i)
// returns the i-th row and whether it is to be returned. A row that cannot be read
// is logged and left out, as lists do, so that one bad row does not stop matching.
// A read from the zero cursor (a full load) reads every active placement in one
// query; a later one reads those of the providers returned (see residents.go).
func (db *DB) readChanged(ctx context.Context, since ChangeCursor, n int, row func(i int) (*providerRow, bool)) ([]*placematch.Provider, error) {
	now := db.now()
	kept := make([]*providerRow, 0, n)
	for i := range n {
		if r, keep := row(i); keep {
			kept = append(kept, r)
		}
	}
	// The rows' details are JSON: decode them on every processor.
	decoded := make([]*placematch.Provider, len(kept))
	errs := make([]error, len(kept))
	workers := min(runtime.GOMAXPROCS(0), max(len(kept)/1000, 1))
	var wg sync.WaitGroup
	for w := range workers {
		wg.Go(func() {
			for i := len(kept) * w / workers; i < len(kept)*(w+1)/workers; i++ {
				decoded[i], errs[i] = kept[i].toProvider(now)
			}
		})
	}
	wg.Wait()
	out := make([]*placematch.Provider, 0, len(kept))
	for i, p := range decoded {
		if err := errs[i]; err != nil {
			if skipUnreadable(ctx, err) {
				continue
			}
			return nil, err
		}
		out = append(out, p)
	}
	if err := db.fillResidents(ctx, db.gorm.WithContext(ctx), out, since.isZero()); err != nil {
		return nil, err
	}
	return out, nil
}

// isZero reports whether c has read nothing yet.
func (c ChangeCursor) isZero() bool { return c.seq == 0 && c.xmin == 0 && c.seen == nil }
