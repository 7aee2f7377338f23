package store

import (
	"encoding/base64"
	"strings"
	"time"

	"gorm.io/gorm"

	"placematch"
)

// Changes is what a client keeping another system in step asks of a list: the
// records changed at or after Since, in the order of that change, and the
// archived ones too when IncludeArchived says so (archiving is a change: it
// stamps updated_at). The zero value lists live records in id order.
//
// A list narrowed by Since is ordered by (updated_at, id), and its cursors carry
// both, so that a poll that pages through the changes never skips a record and a
// record changed again while the poll pages moves to the end, where the poll meets
// it again. Times are microseconds in UTC on both engines (DB.now truncates them).
type Changes struct {
	Since           time.Time
	IncludeArchived bool
}

// changeCursorPrefix marks a cursor of a list ordered by its change stamps.
const changeCursorPrefix = "c2:"

func encodeChangeCursor(at time.Time, id string) string {
	return base64.RawURLEncoding.EncodeToString([]byte(changeCursorPrefix + at.UTC().Format(time.RFC3339Nano) + "|" + id))
}

func decodeChangeCursor(c string) (time.Time, string, error) {
	bad := placematch.Invalid("cursor", "is not a cursor this service issued for this list")
	b, err := base64.RawURLEncoding.DecodeString(c)
	if err != nil || !strings.HasPrefix(string(b), changeCursorPrefix) {
		return time.Time{}, "", bad
	}
	at, id, ok := strings.Cut(string(b[len(changeCursorPrefix):]), "|")
	t, err := time.Parse(time.RFC3339Nano, at)
	if !ok || err != nil || !ValidID(id) {
		return time.Time{}, "", bad
	}
	return t.UTC(), id, nil
}

// live keeps q to live records of table unless archived ones are asked for.
func (ch Changes) live(q *gorm.DB, table string) *gorm.DB {
	if ch.IncludeArchived {
		return q
	}
	return q.Where(table + ".archived_at IS NULL")
}

// page narrows q (over table, whose change stamp is the column stamp) to the
// changes asked for, applies the cursor, orders the rows and fetches limit+1 of
// them (see cut). A cursor of the other ordering is refused: a client must send the
// same updated_since with every page.
func (ch Changes) page(q *gorm.DB, table, stamp, cursor string, limit int) (*gorm.DB, int, error) {
	if limit <= 0 {
		limit = DefaultLimit
	}
	if limit > MaxLimit {
		return nil, 0, placematch.Invalid("limit", "must be between 1 and %d", MaxLimit)
	}
	id, at := table+".id", table+"."+stamp
	if ch.Since.IsZero() {
		if cursor != "" {
			after, err := decodeCursor(cursor)
			if err != nil {
				return nil, 0, err
			}
			q = q.Where(id+" > ?", after)
		}
		return q.Order(id).Limit(limit + 1), limit, nil
	}
	q = q.Where(at+" >= ?", ch.Since.UTC())
	if cursor != "" {
		afterAt, afterID, err := decodeChangeCursor(cursor)
		if err != nil {
			return nil, 0, err
		}
		q = q.Where("("+at+" > ? OR ("+at+" = ? AND "+id+" > ?))", afterAt, afterAt, afterID)
	}
	return q.Order(at).Order(id).Limit(limit + 1), limit, nil
}

// cursor is the cursor that continues a page after the record id stamped at.
func (ch Changes) cursor(id string, at time.Time) string {
	if ch.Since.IsZero() {
		return encodeCursor(id)
	}
	return encodeChangeCursor(at, id)
}
