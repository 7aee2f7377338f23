package store

import (
	"context"
	"errors"
	"log/slog"

	"placematch"
)

// A stored value this version cannot read (a date written as an empty string before
// the date checks of migration 00005) must not make a whole list fail, nor hide
// which record is at fault. Reading one record by id returns the
// *placematch.UnreadableError naming it; an update reads the record leniently, the
// bad value unset, so that a valid write repairs it; lists and bulk reads leave the
// record out and log it at error level with its id, so that an operator sees it and
// everyone else's records stay usable.

// skipUnreadable logs a record a bulk read leaves out and reports whether err was an
// unreadable stored value; any other error must stop the read.
func skipUnreadable(ctx context.Context, err error) bool {
	var ue *placematch.UnreadableError
	if !errors.As(err, &ue) {
		return false
	}
	slog.ErrorContext(ctx, "store: record left out of a read: a stored value cannot be read",
		"resource", ue.Resource, "record_id", ue.ID, "field", ue.Field)
	return true
}

// readPage converts one page of rows fetched with one extra row (see paginate),
// leaving out unreadable records. The next cursor comes from the rows, not from the
// records kept, so a record left out never ends a list early.
func readPage[R, T any](ctx context.Context, rows []R, limit int, cursor func(*R) string, conv func(*R) (T, error)) (Page[T], error) {
	more := len(rows) > limit
	if more {
		rows = rows[:limit]
	}
	out := make([]T, 0, len(rows))
	for i := range rows {
		v, err := conv(&rows[i])
		if err != nil {
			if skipUnreadable(ctx, err) {
				continue
			}
			return Page[T]{}, err
		}
		out = append(out, v)
	}
	page := Page[T]{Items: out}
	if more && len(rows) > 0 {
		page.NextCursor = cursor(&rows[len(rows)-1])
	}
	return page, nil
}
