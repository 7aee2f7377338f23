package store

import (
	"context"
	"strconv"
	"strings"
)

// TamperAudit exposes the attempt to change the audit trail to the black-box tests.
func (db *DB) TamperAudit(ctx context.Context) error { return db.tamperAudit(ctx) }

// DeleteAudit tries to delete the trail.
func (db *DB) DeleteAudit(ctx context.Context) error {
	return db.gorm.WithContext(ctx).Exec("DELETE FROM audit_events").Error
}

// ExecRaw runs SQL around the store's methods, as another program or a hand-written
// fix might, to show what the schema itself refuses.
func (db *DB) ExecRaw(ctx context.Context, sql string, args ...any) error {
	return db.gorm.WithContext(ctx).Exec(sql, args...).Error
}

// UnbindFeedSecrets forgets every secret's host, as in a database from before
// bindings existed.
func (db *DB) UnbindFeedSecrets(ctx context.Context) error {
	return db.gorm.WithContext(ctx).Exec("DELETE FROM feed_secret_hosts").Error
}

// Translate exposes the translation of driver errors, so that a test can pass it an
// error a real engine returned to a statement run with ExecRaw.
func Translate(err error) error { return translate(err) }

// ExplainChangesSince runs the statement ProviderChanges reads PostgreSQL with,
// from since, under EXPLAIN ANALYZE, and returns the plan as it ran.
func (db *DB) ExplainChangesSince(ctx context.Context, since ChangeCursor) (string, error) {
	after := strconv.FormatUint(since.xmin, 10)
	rows, err := db.gorm.WithContext(ctx).Raw("EXPLAIN (ANALYZE, COSTS OFF, TIMING OFF) "+changesSincePG, after, after).Rows()
	if err != nil {
		return "", err
	}
	defer rows.Close()
	var plan strings.Builder
	for rows.Next() {
		var line string
		if err := rows.Scan(&line); err != nil {
			return "", err
		}
		plan.WriteString(line + "\n")
	}
	return plan.String(), rows.Err()
}

// ScanRaw runs a query around the store's methods and scans its one row into dest.
func (db *DB) ScanRaw(ctx context.Context, query string, dest ...any) error {
	return db.gorm.WithContext(ctx).Raw(query).Row().Scan(dest...)
}
