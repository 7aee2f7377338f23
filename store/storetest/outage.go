package storetest

import (
	"database/sql"
	"testing"

	"placematch/store"
)

// RenameTable renames a table of the database cfg opens, behind the back of the
// stores using it, so a test can make one part of the schema fail on a real engine
// (an audit trail that cannot be written) while the rest answers. It uses a
// connection of its own, closed before it returns.
func RenameTable(t testing.TB, cfg store.Config, from, to string) {
	t.Helper()
	driver, dsn := "sqlite", cfg.SQLitePath
	if cfg.DatabaseURL != "" {
		driver, dsn = "pgx", cfg.DatabaseURL
	}
	conn, err := sql.Open(driver, dsn)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	if _, err := conn.Exec("ALTER TABLE " + from + " RENAME TO " + to); err != nil {
		t.Fatalf("rename %s: %v", from, err)
	}
}
