package store

import (
	"context"
	"encoding/json"
	"fmt"
	"time"

	"gorm.io/gorm"

	"placematch"
)

// feedRow is the feeds table; unit_ids is JSON text.
type feedRow struct {
	ID         string `gorm:"primaryKey"`
	Name       string
	URL        string `gorm:"column:url"`
	Format     string
	AuthHeader string
	SecretName string
	UnitIDs    string `gorm:"column:unit_ids"`
	CreatedAt  time.Time
	UpdatedAt  time.Time
	Version    int
	ArchivedAt *time.Time
}

func (feedRow) TableName() string { return "feeds" }

func toFeedRow(f *placematch.Feed) feedRow {
	return feedRow{ID: f.ID, Name: f.Name, URL: f.URL, Format: f.Format, AuthHeader: f.AuthHeader,
		SecretName: f.SecretName, UnitIDs: jsonText(f.UnitIDs), CreatedAt: f.CreatedAt, UpdatedAt: f.UpdatedAt,
		Version: f.Version, ArchivedAt: f.ArchivedAt}
}

func (r *feedRow) toFeed() (*placematch.Feed, error) {
	f := &placematch.Feed{Record: placematch.Record{ID: r.ID, CreatedAt: r.CreatedAt.UTC(), UpdatedAt: r.UpdatedAt.UTC(),
		Version: r.Version, ArchivedAt: utcPtr(r.ArchivedAt)}, Name: r.Name, URL: r.URL, Format: r.Format,
		AuthHeader: r.AuthHeader, SecretName: r.SecretName}
	if err := json.Unmarshal([]byte(r.UnitIDs), &f.UnitIDs); err != nil {
		return nil, fmt.Errorf("store: feed unit_ids: %w", err)
	}
	return f, nil
}

// CreateFeed stores a new feed. Every unit id must name a supported-accommodation
// unit (a ValidationError naming unit_ids[i] otherwise); a name already used is
// ErrConflict; a secret_name bound to another host is a ValidationError naming
// secret_name.
func (db *DB) CreateFeed(ctx context.Context, f *placematch.Feed) error {
	now := db.now()
	f.ID, f.CreatedAt, f.UpdatedAt, f.Version, f.ArchivedAt = newID(), now, now, 1, nil
	err := db.tx(ctx, func(tx *gorm.DB) error {
		if err := checkUnits(tx, f.UnitIDs); err != nil {
			return err
		}
		if err := db.bindSecret(tx, f.SecretName, FeedHost(f.URL)); err != nil {
			return err
		}
		row := toFeedRow(f)
		return translate(tx.Create(&row).Error)
	})
	if err != nil {
		return fmt.Errorf("store: create feed: %w", err)
	}
	return nil
}

// checkUnits reports every id that does not name a unit.
func checkUnits(tx *gorm.DB, ids []string) error {
	valid := make([]string, 0, len(ids))
	for _, id := range ids {
		if ValidID(id) {
			valid = append(valid, id)
		}
	}
	var found []string
	if len(valid) > 0 {
		if err := tx.Model(&providerRow{}).Where("id IN ? AND kind = ?", valid, string(placematch.KindUnit)).
			Pluck("id", &found).Error; err != nil {
			return translate(err)
		}
	}
	known := map[string]bool{}
	for _, id := range found {
		known[id] = true
	}
	v := &placematch.ValidationError{}
	for i, id := range ids {
		if !known[id] {
			v.Add(fmt.Sprintf("unit_ids[%d]", i), "no supported-accommodation unit has this id")
		}
	}
	return v.Err()
}

// GetFeed returns a feed, archived or not; ErrNotFound when there is none.
func (db *DB) GetFeed(ctx context.Context, id string) (*placematch.Feed, error) {
	if !ValidID(id) {
		return nil, placematch.Errorf(placematch.ErrNotFound, "No feed has id %q", id)
	}
	var row feedRow
	if err := db.gorm.WithContext(ctx).Where("id = ?", id).Take(&row).Error; err != nil {
		return nil, translate(err)
	}
	return row.toFeed()
}

// FeedFilter selects feeds for a list.
type FeedFilter struct {
	// Changes narrows the list to feeds changed since an instant (and archived
	// ones, when asked).
	Changes Changes
	Limit   int
	Cursor  string
}

// ListFeeds returns one page of live feeds in id order, or the page of changes
// f.Changes asks for.
func (db *DB) ListFeeds(ctx context.Context, f FeedFilter) (Page[*placematch.Feed], error) {
	q, limit, err := f.Changes.page(f.Changes.live(db.gorm.WithContext(ctx).Model(&feedRow{}), "feeds"), "feeds",
		"updated_at", f.Cursor, f.Limit)
	if err != nil {
		return Page[*placematch.Feed]{}, err
	}
	var rows []feedRow
	if err := q.Find(&rows).Error; err != nil {
		return Page[*placematch.Feed]{}, translate(err)
	}
	out := make([]*placematch.Feed, 0, len(rows))
	for i := range rows {
		f, err := rows[i].toFeed()
		if err != nil {
			return Page[*placematch.Feed]{}, err
		}
		out = append(out, f)
	}
	return cut(out, limit, func(fd *placematch.Feed) string { return f.Changes.cursor(fd.ID, fd.UpdatedAt) }), nil
}

// LiveFeeds returns every live feed in id order, for the import job.
func (db *DB) LiveFeeds(ctx context.Context) ([]*placematch.Feed, error) {
	var out []*placematch.Feed
	cursor := ""
	for {
		page, err := db.ListFeeds(ctx, FeedFilter{Limit: MaxLimit, Cursor: cursor})
		if err != nil {
			return nil, err
		}
		out = append(out, page.Items...)
		if cursor = page.NextCursor; cursor == "" {
			return out, nil
		}
	}
}

// UpdateFeed reads the feed in a transaction, lets fn change it and writes it back
// with a new version; ifVersion > 0 demands the stored version (ErrVersionMismatch).
// An archived feed cannot change (ErrConflict); unit ids are checked as on create.
func (db *DB) UpdateFeed(ctx context.Context, id string, ifVersion int, fn func(f *placematch.Feed) error) (*placematch.Feed, error) {
	if !ValidID(id) {
		return nil, placematch.Errorf(placematch.ErrNotFound, "No feed has id %q", id)
	}
	var out *placematch.Feed
	err := db.tx(ctx, func(tx *gorm.DB) error {
		var row feedRow
		if err := tx.Where("id = ?", id).Take(&row).Error; err != nil {
			return translate(err)
		}
		f, err := row.toFeed()
		if err != nil {
			return err
		}
		if err := checkWritable(f.Record, ifVersion); err != nil {
			return err
		}
		// The stored feed binds its secret first (when it predates bindings), so
		// that a change of URL cannot take an unbound secret to a new host.
		if err := db.bindSecret(tx, f.SecretName, FeedHost(f.URL)); err != nil {
			return err
		}
		if err := fn(f); err != nil {
			return err
		}
		if err := checkUnits(tx, f.UnitIDs); err != nil {
			return err
		}
		if err := db.bindSecret(tx, f.SecretName, FeedHost(f.URL)); err != nil {
			return err
		}
		f.Version, f.UpdatedAt = row.Version+1, db.now()
		nr := toFeedRow(f)
		res := tx.Model(&feedRow{}).Where("id = ? AND version = ?", id, row.Version).Select("*").Omit("id", "created_at").Updates(&nr)
		if res.Error != nil {
			return translate(res.Error)
		}
		if res.RowsAffected != 1 {
			return placematch.Errorf(placematch.ErrVersionMismatch, "Feed %s changed underneath", id)
		}
		out = f
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("store: update feed: %w", err)
	}
	return out, nil
}

// ArchiveFeed marks a feed archived: the import job no longer fetches it, and its
// name stays taken so that history reads unambiguously.
func (db *DB) ArchiveFeed(ctx context.Context, id string, ifVersion int) error {
	_, err := db.UpdateFeed(ctx, id, ifVersion, func(f *placematch.Feed) error {
		now := db.now()
		f.ArchivedAt = &now
		return nil
	})
	return err
}
