package storetest

import (
	"context"
	"database/sql"
	"testing"
	"time"

	_ "github.com/glebarez/go-sqlite" // registers "sqlite", the driver the store uses
	"github.com/pressly/goose/v3"

	"placematch/migrations"
	"placematch/store"
)

// OpenAt returns a fresh store whose schema is migrated only up to version, as an
// older release left it, so that a test can write data the way that release could
// and then show that the later migrations (store.Migrate) and reads cope with it.
// It returns the store's configuration too, for Exec: rows an older release wrote
// with columns today's code no longer matches are written as SQL.
func OpenAt(t testing.TB, dialect string, version int64) (*store.DB, store.Config) {
	t.Helper()
	cfg := Config(t, dialect)
	driver, dsn, gd := "pgx", cfg.DatabaseURL, goose.DialectPostgres
	if dialect == store.SQLite {
		driver, dsn, gd = "sqlite", "file:"+cfg.SQLitePath+"?_pragma=foreign_keys(1)", goose.DialectSQLite3
	}
	raw, err := sql.Open(driver, dsn)
	if err != nil {
		t.Fatalf("open %s: %v", dialect, err)
	}
	fsys, err := migrations.FS(dialect)
	if err != nil {
		t.Fatal(err)
	}
	p, err := goose.NewProvider(gd, raw, fsys)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := p.UpTo(context.Background(), version); err != nil {
		t.Fatalf("migrate %s to %d: %v", dialect, version, err)
	}
	if err := raw.Close(); err != nil {
		t.Fatal(err)
	}
	db, err := store.Open(context.Background(), cfg)
	if err != nil {
		t.Fatalf("open %s: %v", dialect, err)
	}
	t.Cleanup(func() { db.Close() })
	db.Now = func() time.Time { return Clock }
	return db, cfg
}
