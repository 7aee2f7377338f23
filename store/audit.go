package store

import (
	"context"
	"fmt"
	"time"

	"gorm.io/gorm"
)

// AuditEvent is one line of the audit trail.
type AuditEvent struct {
	ID           string    `json:"id"`
	At           time.Time `json:"at"`
	Subject      string    `json:"subject"`
	Role         string    `json:"role"`
	Action       string    `json:"action"`
	ResourceType string    `json:"resource_type"`
	ResourceID   string    `json:"resource_id"`
	Outcome      string    `json:"outcome"`
	Status       int       `json:"status"`
	RequestID    string    `json:"request_id"`
	ClientAddr   string    `json:"client_addr"`
}

type auditRow struct {
	ID           string `gorm:"primaryKey"`
	At           time.Time
	Subject      string
	Role         string
	Action       string
	ResourceType string
	ResourceID   string
	Outcome      string
	Status       int
	RequestID    string
	ClientAddr   string
}

func (auditRow) TableName() string { return "audit_events" }

// AppendAudit adds an event to the trail. There is no method to change or remove
// one, and the database refuses it too (see migration 00004).
func (db *DB) AppendAudit(ctx context.Context, e *AuditEvent) error {
	e.ID, e.At = newID(), db.now()
	row := auditRow(*e)
	if err := db.gorm.WithContext(ctx).Create(&row).Error; err != nil {
		return fmt.Errorf("store: append audit: %w", translate(err))
	}
	return nil
}

// AuditFilter selects audit events; Resource matches a resource id or type.
type AuditFilter struct {
	Subject  string
	Resource string
	From, To time.Time
	Limit    int
	Cursor   string
}

// ListAudit returns one page of audit events, oldest first.
func (db *DB) ListAudit(ctx context.Context, f AuditFilter) (Page[AuditEvent], error) {
	q := db.gorm.WithContext(ctx).Model(&auditRow{})
	if f.Subject != "" {
		q = q.Where("subject = ?", f.Subject)
	}
	if f.Resource != "" {
		q = q.Where("resource_id = ? OR resource_type = ?", f.Resource, f.Resource)
	}
	if !f.From.IsZero() {
		q = q.Where("at >= ?", f.From.UTC())
	}
	if !f.To.IsZero() {
		q = q.Where("at < ?", f.To.UTC())
	}
	q, limit, err := paginate(q, f.Cursor, f.Limit)
	if err != nil {
		return Page[AuditEvent]{}, err
	}
	var rows []auditRow
	if err := q.Find(&rows).Error; err != nil {
		return Page[AuditEvent]{}, translate(err)
	}
	out := make([]AuditEvent, len(rows))
	for i, r := range rows {
		out[i] = AuditEvent(r)
		out[i].At = r.At.UTC()
	}
	return cut(out, limit, func(e AuditEvent) string { return e.ID }), nil
}

// tamperAudit tries to change the trail; tests use it to show the database refuses.
func (db *DB) tamperAudit(ctx context.Context) error {
	return db.gorm.WithContext(ctx).Session(&gorm.Session{AllowGlobalUpdate: true}).
		Model(&auditRow{}).Update("outcome", "success").Error
}
