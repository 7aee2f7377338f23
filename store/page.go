package store

import (
	"encoding/base64"
	"strings"

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

// cut trims the extra row and sets the next cursor, cursor of the last item kept.
func cut[T any](items []T, limit int, cursor func(T) string) Page[T] {
	if len(items) <= limit {
		return Page[T]{Items: items}
	}
	items = items[:limit]
	return Page[T]{Items: items, NextCursor: cursor(items[limit-1])}
}
