package store

import (
	"context"
	"errors"
	"fmt"
	"strings"
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
	// Count is how many requests the row records: 1, or the number of refusals a
	// summary row stands for. Zero is stored as 1.
	Count int `json:"count"`
	// ResourceIDs are every record the response showed beyond ResourceID (a list
	// page's children, a match run's sibling group), at most MaxAuditResourceIDs.
	ResourceIDs []string `json:"resource_ids,omitempty"`
}

// MaxAuditResourceIDs bounds the ids one row records: a page never holds more.
const MaxAuditResourceIDs = MaxLimit

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
	RequestCount int
	ResourceIDs  string // space-separated
}

func (auditRow) TableName() string { return "audit_events" }

// AppendAudit adds an event to the trail. There is no method to change or remove
// one, and the database refuses it too (see migration 00004).
func (db *DB) AppendAudit(ctx context.Context, e *AuditEvent) error {
	if err := db.appendAudit(db.gorm.WithContext(ctx), e); err != nil {
		return fmt.Errorf("store: append audit: %w", err)
	}
	return nil
}

// ErrAuditUnwritten: a write that carries its audit row (a match run) was not made
// because the row could not be written; nothing of it was stored.
var ErrAuditUnwritten = errors.New("the audit row could not be written")

// appendAudit writes e on g (the store's connection or a transaction).
func (db *DB) appendAudit(g *gorm.DB, e *AuditEvent) error {
	row, err := db.auditRowOf(e)
	if err != nil {
		return err
	}
	return translate(g.Create(&row).Error)
}

// auditRowOf checks e and gives it its id and time, as the row to store.
func (db *DB) auditRowOf(e *AuditEvent) (auditRow, error) {
	if len(e.ResourceIDs) > MaxAuditResourceIDs {
		return auditRow{}, fmt.Errorf("%d resource ids, at most %d", len(e.ResourceIDs), MaxAuditResourceIDs)
	}
	for _, id := range e.ResourceIDs {
		if id == "" || strings.ContainsAny(id, " \t\n") {
			return auditRow{}, fmt.Errorf("resource id %q is empty or has spaces", id)
		}
	}
	if e.Count < 1 {
		e.Count = 1
	}
	e.ID, e.At = newID(), db.now()
	return auditRow{ID: e.ID, At: e.At, Subject: e.Subject, Role: e.Role, Action: e.Action,
		ResourceType: e.ResourceType, ResourceID: e.ResourceID, Outcome: e.Outcome, Status: e.Status,
		RequestID: e.RequestID, ClientAddr: e.ClientAddr, RequestCount: e.Count,
		ResourceIDs: strings.Join(e.ResourceIDs, " ")}, nil
}

// AuditFilter selects audit events; Resource matches a resource id or type, or one
// of the ids a row lists in ResourceIDs (who saw this child in a list?).
type AuditFilter struct {
	Subject  string
	Resource string
	From, To time.Time
	// Since, when set, keeps events at or after it ordered by (at, id), for a
	// client that polls the trail (an event never changes once written).
	Since  time.Time
	Limit  int
	Cursor string
}

// ListAudit returns one page of audit events, oldest first.
func (db *DB) ListAudit(ctx context.Context, f AuditFilter) (Page[AuditEvent], error) {
	q := db.gorm.WithContext(ctx).Model(&auditRow{})
	if f.Subject != "" {
		q = q.Where("subject = ?", f.Subject)
	}
	if f.Resource != "" {
		q = q.Where(`resource_id = ? OR resource_type = ? OR (' ' || resource_ids || ' ') LIKE ? ESCAPE '\'`,
			f.Resource, f.Resource, "% "+escapeLike(f.Resource)+" %")
	}
	if !f.From.IsZero() {
		q = q.Where("at >= ?", f.From.UTC())
	}
	if !f.To.IsZero() {
		q = q.Where("at < ?", f.To.UTC())
	}
	ch := Changes{Since: f.Since}
	q, limit, err := ch.page(q, "audit_events", "at", f.Cursor, f.Limit)
	if err != nil {
		return Page[AuditEvent]{}, err
	}
	var rows []auditRow
	if err := q.Find(&rows).Error; err != nil {
		return Page[AuditEvent]{}, translate(err)
	}
	out := make([]AuditEvent, len(rows))
	for i, r := range rows {
		out[i] = AuditEvent{ID: r.ID, At: r.At.UTC(), Subject: r.Subject, Role: r.Role, Action: r.Action,
			ResourceType: r.ResourceType, ResourceID: r.ResourceID, Outcome: r.Outcome, Status: r.Status,
			RequestID: r.RequestID, ClientAddr: r.ClientAddr, Count: r.RequestCount}
		if r.ResourceIDs != "" {
			out[i].ResourceIDs = strings.Fields(r.ResourceIDs)
		}
	}
	return cut(out, limit, func(e AuditEvent) string { return ch.cursor(e.ID, e.At) }), nil
}

// escapeLike makes s match itself only in a LIKE pattern with ESCAPE '\'.
func escapeLike(s string) string {
	return strings.NewReplacer(`\`, `\\`, `%`, `\%`, `_`, `\_`).Replace(s)
}

// tamperAudit tries to change the trail; tests use it to show the database refuses.
func (db *DB) tamperAudit(ctx context.Context) error {
	return db.gorm.WithContext(ctx).Session(&gorm.Session{AllowGlobalUpdate: true}).
		Model(&auditRow{}).Update("outcome", "success").Error
}
