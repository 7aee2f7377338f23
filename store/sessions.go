package store

import (
	"context"
	"errors"
	"fmt"
	"time"

	"placematch"
)

// Session is a signed-in session of the web pages. ID is the SHA-256 of the token
// the browser holds (never the token itself); Data is what the web package keeps
// about the person signed in.
type Session struct {
	ID        string
	Data      []byte
	CreatedAt time.Time
	SeenAt    time.Time
	ExpiresAt time.Time
}

type sessionRow struct {
	ID        string `gorm:"primaryKey"`
	Data      string
	CreatedAt time.Time `gorm:"autoCreateTime:false"`
	SeenAt    time.Time
	ExpiresAt time.Time
}

func (sessionRow) TableName() string { return "sessions" }

// CreateSession stores a new session.
func (db *DB) CreateSession(ctx context.Context, s *Session) error {
	if s.ID == "" || s.ExpiresAt.IsZero() {
		return errors.New("store: a session needs an id and an expiry")
	}
	row := sessionRow{ID: s.ID, Data: string(s.Data), CreatedAt: s.CreatedAt.UTC(), SeenAt: s.SeenAt.UTC(),
		ExpiresAt: s.ExpiresAt.UTC()}
	if err := db.gorm.WithContext(ctx).Create(&row).Error; err != nil {
		return fmt.Errorf("store: create session: %w", translate(err))
	}
	return nil
}

// GetSession returns the session with this id that has not expired at now;
// ErrNotFound when there is none (an expired session is as good as none).
func (db *DB) GetSession(ctx context.Context, id string, now time.Time) (*Session, error) {
	var row sessionRow
	err := db.gorm.WithContext(ctx).Where("id = ? AND expires_at > ?", id, now.UTC()).Take(&row).Error
	if err != nil {
		return nil, translate(err)
	}
	return &Session{ID: row.ID, Data: []byte(row.Data), CreatedAt: row.CreatedAt.UTC(), SeenAt: row.SeenAt.UTC(),
		ExpiresAt: row.ExpiresAt.UTC()}, nil
}

// TouchSession records that the session was used at seen and moves its expiry.
// ErrNotFound when the session is gone (signed out elsewhere, or expired and
// deleted).
func (db *DB) TouchSession(ctx context.Context, id string, seen, expires time.Time) error {
	res := db.gorm.WithContext(ctx).Model(&sessionRow{}).Where("id = ?", id).
		Updates(map[string]any{"seen_at": seen.UTC(), "expires_at": expires.UTC()})
	if res.Error != nil {
		return fmt.Errorf("store: touch session: %w", translate(res.Error))
	}
	if res.RowsAffected == 0 {
		return placematch.Errorf(placematch.ErrNotFound, "No such session")
	}
	return nil
}

// DeleteSession ends a session; deleting one that is already gone is not an error.
func (db *DB) DeleteSession(ctx context.Context, id string) error {
	if err := db.gorm.WithContext(ctx).Where("id = ?", id).Delete(&sessionRow{}).Error; err != nil {
		return fmt.Errorf("store: delete session: %w", translate(err))
	}
	return nil
}

// DeleteExpiredSessions deletes the sessions expired at now and says how many.
func (db *DB) DeleteExpiredSessions(ctx context.Context, now time.Time) (int, error) {
	res := db.gorm.WithContext(ctx).Where("expires_at <= ?", now.UTC()).Delete(&sessionRow{})
	if res.Error != nil {
		return 0, fmt.Errorf("store: delete expired sessions: %w", translate(res.Error))
	}
	return int(res.RowsAffected), nil
}
