package store

import (
	"context"
	"fmt"
	"time"
)

// MaxSessionsListed bounds LiveSessions: a council's staff signed in at once.
const MaxSessionsListed = 1000

// LiveSessions returns the web pages' sessions not expired at now, most recently
// used first, at most MaxSessionsListed. The admins' console reads them to show who
// is signed in, with the role the identity provider gave each.
func (db *DB) LiveSessions(ctx context.Context, now time.Time) ([]*Session, error) {
	var rows []sessionRow
	err := db.gorm.WithContext(ctx).Where("expires_at > ?", now.UTC()).
		Order("seen_at DESC").Order("id").Limit(MaxSessionsListed).Find(&rows).Error
	if err != nil {
		return nil, fmt.Errorf("store: live sessions: %w", translate(err))
	}
	out := make([]*Session, len(rows))
	for i, row := range rows {
		out[i] = &Session{ID: row.ID, Data: []byte(row.Data), CreatedAt: row.CreatedAt.UTC(), SeenAt: row.SeenAt.UTC(),
			ExpiresAt: row.ExpiresAt.UTC()}
	}
	return out, nil
}
