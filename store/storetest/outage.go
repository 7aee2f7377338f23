package storetest

import (
	"database/sql"
	"sync"
	"testing"

	"placematch/store"
)

// Exec runs one SQL statement on the database cfg opens, behind the back of the
// stores using it, on a connection of its own closed before it returns: a test
// writes what an older release or another program could have written, or breaks one
// part of the schema on a real engine. Placeholders are the engine's own ($1 on
// PostgreSQL, ? on SQLite).
func Exec(t testing.TB, cfg store.Config, query string, args ...any) {
	t.Helper()
	conn, _ := openOwn(t, cfg)
	defer conn.Close()
	if _, err := conn.Exec(query, args...); err != nil {
		t.Fatalf("exec %q: %v", query, err)
	}
}

// RenameTable renames a table of the database cfg opens, behind the back of the
// stores using it, so a test can make one part of the schema fail on a real engine
// (an audit trail that cannot be written) while the rest answers.
func RenameTable(t testing.TB, cfg store.Config, from, to string) {
	t.Helper()
	Exec(t, cfg, "ALTER TABLE "+from+" RENAME TO "+to)
}

// HoldWrites keeps table from being written, behind the back of the stores using
// the database cfg opens, until the returned function is called (or the test
// ends): on PostgreSQL a transaction holding the table's EXCLUSIVE lock, which
// readers pass; on SQLite a write transaction, which holds every writer. A test
// sees what a slow write looks like from the outside.
func HoldWrites(t testing.TB, cfg store.Config, table string) (release func()) {
	t.Helper()
	conn, driver := openOwn(t, cfg)
	tx, err := conn.Begin()
	if err != nil {
		t.Fatal(err)
	}
	hold := "LOCK TABLE " + table + " IN EXCLUSIVE MODE"
	if driver == "sqlite" {
		// A write makes the transaction the writer; deleting nothing changes nothing.
		hold = "DELETE FROM " + table + " WHERE 1 = 0"
	}
	if _, err := tx.Exec(hold); err != nil {
		t.Fatalf("hold %s: %v", table, err)
	}
	var once sync.Once
	release = func() {
		once.Do(func() {
			_ = tx.Rollback()
			_ = conn.Close()
		})
	}
	t.Cleanup(release)
	return release
}

// Raw opens the database cfg names on a handle of its own, beside the stores using
// it and closed when the test ends, for reading columns as they are stored.
func Raw(t testing.TB, cfg store.Config) *sql.DB {
	t.Helper()
	conn, _ := openOwn(t, cfg)
	t.Cleanup(func() { conn.Close() })
	return conn
}

// openOwn opens the database cfg names on a handle of its own, beside the stores
// using it, and says which driver it took.
func openOwn(t testing.TB, cfg store.Config) (*sql.DB, string) {
	t.Helper()
	driver, dsn := "sqlite", cfg.SQLitePath
	if cfg.DatabaseURL != "" {
		driver, dsn = "pgx", cfg.DatabaseURL
	}
	conn, err := sql.Open(driver, dsn)
	if err != nil {
		t.Fatal(err)
	}
	return conn, driver
}
