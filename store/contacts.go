package store

import (
	"context"
	"fmt"
	"time"

	"gorm.io/gorm"
	"gorm.io/gorm/clause"

	"placematch"
)

// contactRow is the contacts table.
type contactRow struct {
	ID            string `gorm:"primaryKey"`
	MatchID       string
	ChildID       string
	ProviderID    string
	ProviderKind  string
	MatchRank     int
	ContactedAt   time.Time
	Answer        string
	AnsweredAt    *time.Time
	DeclineReason string
	Note          string
	RecordedBy    string
	AnsweredBy    string
	CreatedAt     time.Time `gorm:"autoCreateTime:false"`
	UpdatedAt     time.Time `gorm:"autoUpdateTime:false"`
	Version       int
	// ProviderName is read with a join for responses; it is not a column.
	ProviderName string `gorm:"->;-:migration"`
}

func (contactRow) TableName() string { return "contacts" }

func toContactRow(c *placematch.HomeContact) contactRow {
	return contactRow{ID: c.ID, MatchID: c.MatchID, ChildID: c.ChildID, ProviderID: c.Provider.ID,
		ProviderKind: string(c.Provider.Kind), MatchRank: c.MatchRank, ContactedAt: c.ContactedAt, Answer: string(c.Answer),
		AnsweredAt: c.AnsweredAt, DeclineReason: string(c.DeclineReason), Note: c.Note, RecordedBy: c.RecordedBy,
		AnsweredBy: c.AnsweredBy, CreatedAt: c.CreatedAt, UpdatedAt: c.UpdatedAt, Version: c.Version}
}

func (r *contactRow) toContact() *placematch.HomeContact {
	return &placematch.HomeContact{
		Record:  placematch.Record{ID: r.ID, CreatedAt: r.CreatedAt.UTC(), UpdatedAt: r.UpdatedAt.UTC(), Version: r.Version},
		MatchID: r.MatchID, ChildID: r.ChildID,
		Provider:  placematch.ProviderRef{Kind: placematch.ProviderKind(r.ProviderKind), ID: r.ProviderID, Name: r.ProviderName},
		MatchRank: r.MatchRank, ContactedAt: r.ContactedAt.UTC(), Answer: placematch.ContactAnswer(r.Answer),
		AnsweredAt: utcPtr(r.AnsweredAt), DeclineReason: placematch.DeclineReason(r.DeclineReason), Note: r.Note,
		RecordedBy: r.RecordedBy, AnsweredBy: r.AnsweredBy,
	}
}

// CreateContact stores a contact. When unconfirm is set (a home that said it had no
// vacancy after all), it changes the provider's availability in the same
// transaction, so the answer and its effect on matching are written together.
func (db *DB) CreateContact(ctx context.Context, c *placematch.HomeContact, unconfirm func(*placematch.Availability)) error {
	now := db.now()
	c.ID, c.CreatedAt, c.UpdatedAt, c.Version = newID(), now, now, 1
	err := db.tx(ctx, func(tx *gorm.DB) error {
		row := toContactRow(c)
		if err := tx.Create(&row).Error; err != nil {
			return translate(err)
		}
		return db.unconfirm(tx, c.Provider.ID, unconfirm)
	})
	if err != nil {
		return fmt.Errorf("store: create contact: %w", err)
	}
	return nil
}

// AnswerContact reads the contact in a transaction, lets fn give it its answer, and
// writes it back with a new version; ifVersion > 0 demands the stored version still
// be that one (ErrVersionMismatch otherwise). fn returns the change to make to the
// provider's availability in the same transaction, or nil. An error from fn is returned as it
// is and nothing is written.
func (db *DB) AnswerContact(ctx context.Context, id string, ifVersion int,
	fn func(c *placematch.HomeContact) (func(*placematch.Availability), error)) (*placematch.HomeContact, error) {
	if !ValidID(id) {
		return nil, placematch.Errorf(placematch.ErrNotFound, "No contact has id %q", id)
	}
	var out *placematch.HomeContact
	err := db.tx(ctx, func(tx *gorm.DB) error {
		row, err := db.contactRow(tx, id, true)
		if err != nil {
			return err
		}
		c := row.toContact()
		if err := checkWritable(c.Record, ifVersion); err != nil {
			return err
		}
		unconfirm, err := fn(c)
		if err != nil {
			return err
		}
		prev := c.Version
		c.Version, c.UpdatedAt = c.Version+1, db.now()
		next := toContactRow(c)
		res := tx.Model(&contactRow{}).Where("id = ? AND version = ?", id, prev).Select("*").
			Omit("id", "created_at", "provider_name").Updates(&next)
		if res.Error != nil {
			return translate(res.Error)
		}
		if res.RowsAffected != 1 {
			return placematch.Errorf(placematch.ErrVersionMismatch, "Contact %s changed underneath", id)
		}
		out = c
		return db.unconfirm(tx, c.Provider.ID, unconfirm)
	})
	if err != nil {
		return nil, fmt.Errorf("store: answer contact: %w", err)
	}
	return out, nil
}

// unconfirm changes a provider's availability inside tx, as a change the candidate
// index reads; nil does nothing.
func (db *DB) unconfirm(tx *gorm.DB, providerID string, change func(*placematch.Availability)) error {
	if change == nil {
		return nil
	}
	row, err := db.lockProvider(tx, providerID)
	if err != nil {
		return err
	}
	p, err := row.toProvider(db.now())
	if err != nil && !repairable(err) {
		return err
	}
	change(&p.Availability)
	p.Version, p.UpdatedAt = p.Version+1, db.now()
	_, err = db.saveProvider(tx, p, row.Version)
	return err
}

// contactRow reads one contact, locked for update when lock is set (PostgreSQL;
// SQLite's one writer needs no row lock); unlocked, with its provider's name.
func (db *DB) contactRow(q *gorm.DB, id string, lock bool) (*contactRow, error) {
	if lock {
		var row contactRow
		if db.dialect == Postgres {
			q = q.Clauses(clause.Locking{Strength: "UPDATE"})
		}
		if err := q.Where("id = ?", id).Take(&row).Error; err != nil {
			return nil, translate(err)
		}
		return &row, nil
	}
	var row contactRow
	if err := contactsQuery(q).Where("contacts.id = ?", id).Take(&row).Error; err != nil {
		return nil, translate(err)
	}
	return &row, nil
}

func contactsQuery(q *gorm.DB) *gorm.DB {
	return q.Table("contacts").Select("contacts.*, providers.name AS provider_name").
		Joins("JOIN providers ON providers.id = contacts.provider_id")
}

// GetContact returns a contact; ErrNotFound when there is none.
func (db *DB) GetContact(ctx context.Context, id string) (*placematch.HomeContact, error) {
	if !ValidID(id) {
		return nil, placematch.Errorf(placematch.ErrNotFound, "No contact has id %q", id)
	}
	row, err := db.contactRow(db.gorm.WithContext(ctx), id, false)
	if err != nil {
		return nil, err
	}
	return row.toContact(), nil
}

// ContactsOfRun returns the contacts recorded on a match run, in the order they
// were made.
func (db *DB) ContactsOfRun(ctx context.Context, matchID string) ([]*placematch.HomeContact, error) {
	var rows []contactRow
	if err := contactsQuery(db.gorm.WithContext(ctx)).Where("contacts.match_id = ?", matchID).
		Order("contacts.contacted_at, contacts.id").Find(&rows).Error; err != nil {
		return nil, translate(err)
	}
	out := make([]*placematch.HomeContact, len(rows))
	for i := range rows {
		out[i] = rows[i].toContact()
	}
	return out, nil
}

// ContactFilter narrows ListContacts. ProviderIDs, when not nil, keeps the contacts
// of those homes only (an empty list keeps none).
type ContactFilter struct {
	ProviderIDs []string
	Answer      string
	Limit       int
	Cursor      string
}

// ListContacts returns one page of contacts in id order (the order they were
// recorded).
func (db *DB) ListContacts(ctx context.Context, f ContactFilter) (Page[*placematch.HomeContact], error) {
	q := contactsQuery(db.gorm.WithContext(ctx))
	if f.ProviderIDs != nil {
		q = q.Where("contacts.provider_id IN ?", append([]string{""}, f.ProviderIDs...)) // never an empty IN list
	}
	if f.Answer != "" {
		q = q.Where("contacts.answer = ?", f.Answer)
	}
	if f.Limit <= 0 {
		f.Limit = DefaultLimit
	}
	if f.Limit > MaxLimit {
		return Page[*placematch.HomeContact]{}, placematch.Invalid("limit", "must be between 1 and %d", MaxLimit)
	}
	if f.Cursor != "" {
		after, err := decodeCursor(f.Cursor)
		if err != nil {
			return Page[*placematch.HomeContact]{}, err
		}
		q = q.Where("contacts.id > ?", after)
	}
	var rows []contactRow
	if err := q.Order("contacts.id").Limit(f.Limit + 1).Find(&rows).Error; err != nil {
		return Page[*placematch.HomeContact]{}, translate(err)
	}
	items := make([]*placematch.HomeContact, len(rows))
	for i := range rows {
		items[i] = rows[i].toContact()
	}
	return cut(items, f.Limit, func(c *placematch.HomeContact) string { return c.ID }), nil
}
