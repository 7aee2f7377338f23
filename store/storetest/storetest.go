// Package storetest opens a fresh, migrated store for a test on either engine: a new
// SQLite file in the test's temporary folder, or a new schema in the test PostgreSQL
// database, dropped when the test ends. A PostgreSQL that cannot be reached fails the
// test; it never skips.
//
// It imports the root package, migrations and store; only tests import it.
package storetest

import (
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/hex"
	"net/url"
	"os"
	"path/filepath"
	"sync"
	"testing"
	"time"

	_ "github.com/jackc/pgx/v5/stdlib" // the admin connection that makes and drops schemas

	"placematch/store"
)

// DefaultPostgresURL is used when PLACEMATCH_TEST_DATABASE_URL is not set.
const DefaultPostgresURL = "postgres://postgres@127.0.0.1:5432/test?sslmode=disable"

// Dialects are the engines every store and API suite runs on.
func Dialects() []string { return []string{store.SQLite, store.Postgres} }

// Clock is the fixed time stores opened here start with.
var Clock = time.Date(2026, 11, 23, 10, 0, 0, 0, time.UTC)

// PostgresURL returns the test PostgreSQL URL.
func PostgresURL() string {
	if u := os.Getenv("PLACEMATCH_TEST_DATABASE_URL"); u != "" {
		return u
	}
	return DefaultPostgresURL
}

var (
	adminOnce sync.Once
	admin     *sql.DB
	adminErr  error
)

func adminDB() (*sql.DB, error) {
	adminOnce.Do(func() {
		admin, adminErr = sql.Open("pgx", PostgresURL())
		if adminErr == nil {
			ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
			defer cancel()
			adminErr = admin.PingContext(ctx)
		}
	})
	return admin, adminErr
}

// Open returns a fresh migrated store on dialect, with its clock fixed at Clock.
func Open(t testing.TB, dialect string) *store.DB {
	t.Helper()
	db := OpenUnmigrated(t, dialect)
	if err := db.Migrate(context.Background()); err != nil {
		t.Fatalf("migrate %s: %v", dialect, err)
	}
	return db
}

// OpenConfig returns a fresh migrated store on dialect with its configuration, for
// tests that open a second instance on the same database (Exec, store.Open), and
// with the store's own clock (set Now to fix it).
func OpenConfig(t testing.TB, dialect string) (*store.DB, store.Config) {
	t.Helper()
	cfg := Config(t, dialect)
	db, err := store.Open(context.Background(), cfg)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	if err := db.Migrate(context.Background()); err != nil {
		t.Fatalf("migrate %s: %v", dialect, err)
	}
	return db, cfg
}

// OpenUnmigrated is Open without the migrations.
func OpenUnmigrated(t testing.TB, dialect string) *store.DB {
	t.Helper()
	cfg := Config(t, dialect)
	db, err := store.Open(context.Background(), cfg)
	if err != nil {
		t.Fatalf("open %s: %v", dialect, err)
	}
	t.Cleanup(func() { db.Close() })
	db.Now = func() time.Time { return Clock }
	return db
}

// Config makes a fresh database for dialect and returns the configuration that opens
// it; several stores opened with it share the database (two replicas).
func Config(t testing.TB, dialect string) store.Config {
	t.Helper()
	switch dialect {
	case store.SQLite:
		return store.Config{SQLitePath: filepath.Join(t.TempDir(), "test.db")}
	case store.Postgres:
		a, err := adminDB()
		if err != nil {
			t.Fatalf("PostgreSQL test database unreachable at %s (start it, or set PLACEMATCH_TEST_DATABASE_URL): %v",
				PostgresURL(), err)
		}
		b := make([]byte, 6)
		_, _ = rand.Read(b)
		schema := "t_" + hex.EncodeToString(b)
		if _, err := a.Exec("CREATE SCHEMA " + schema); err != nil {
			t.Fatalf("create schema: %v", err)
		}
		t.Cleanup(func() {
			if _, err := a.Exec("DROP SCHEMA " + schema + " CASCADE"); err != nil {
				t.Errorf("drop schema %s: %v", schema, err)
			}
		})
		u, err := url.Parse(PostgresURL())
		if err != nil {
			t.Fatal(err)
		}
		q := u.Query()
		q.Set("search_path", schema)
		u.RawQuery = q.Encode()
		return store.Config{DatabaseURL: u.String()}
	}
	t.Fatalf("unknown dialect %q", dialect)
	return store.Config{}
}
