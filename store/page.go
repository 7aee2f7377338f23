package store

import (
	"encoding/base64"
	"strings"

	"gorm.io/gorm"

	"placematch"
)

// Page is one page of a list and the cursor of the next, empty on the last page.
type Page[T any] struct {
	Items      []T
	NextCursor string
}

// MaxLimit caps a page; DefaultLimit is used when none is asked for.
const (
	DefaultLimit = 50
	MaxLimit     = 500
)

// Cursors are opaque to clients: the id of the last item of a page, which is enough
// for keyset pagination because ids are time-ordered UUIDs and lists order by id.
const cursorPrefix = "c1:"

func encodeCursor(id string) string {
	return base64.RawURLEncoding.EncodeToString([]byte(cursorPrefix + id))
}

func decodeCursor(c string) (string, error) {
	b, err := base64.RawURLEncoding.DecodeString(c)
	if err != nil || !strings.HasPrefix(string(b), cursorPrefix) || !ValidID(string(b[len(cursorPrefix):])) {
		return "", placematch.Invalid("cursor", "is not a cursor this service issued")
	}
	return string(b[len(cursorPrefix):]), nil
}

// paginate applies cursor and limit to q ordered by id; it fetches one extra row to
// know whether there is a next page.
func paginate(q *gorm.DB, cursor string, limit int) (*gorm.DB, int, error) {
	if limit <= 0 {
		limit = DefaultLimit
	}
	if limit > MaxLimit {
		return nil, 0, placematch.Invalid("limit", "must be between 1 and %d", MaxLimit)
	}
	if cursor != "" {
		after, err := decodeCursor(cursor)
		if err != nil {
			return nil, 0, err
		}
		q = q.Where("id > ?", after)
	}
	return q.Order("id").Limit(limit + 1), limit, nil
}

// cut trims the extra row and sets the next cursor.
func cut[T any](items []T, limit int, id func(T) string) Page[T] {
	if len(items) <= limit {
		return Page[T]{Items: items}
	}
	items = items[:limit]
	return Page[T]{Items: items, NextCursor: encodeCursor(id(items[limit-1]))}
}
