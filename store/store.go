// Package store keeps Placematch's records in PostgreSQL (production) or an embedded
// SQLite file (the zero-setup default) through gorm. It is the only package that
// writes SQL. Exported methods take a context first, own their transactions, and
// return the domain errors of package placematch (ErrNotFound, ErrConflict,
// ErrNoCapacity, ErrVersionMismatch) wrapped with %w; driver errors are translated in
// one place (errors.go).
//
// It imports the root package and migrations only; it must not import matching,
// reports, placing or api: rules and aggregations stay out of SQL, and the booking's
// hard-rule check is handed in by the use-case layer (BookRequest.Check).
package store

import (
	"context"
	"database/sql"
	"fmt"
	"log/slog"
	"os"
	"strings"
	"time"

	"github.com/glebarez/sqlite"
	"github.com/google/uuid"
	"github.com/pressly/goose/v3"
	"gorm.io/driver/postgres"
	"gorm.io/gorm"
	"gorm.io/gorm/logger"

	"placematch"
	"placematch/migrations"
)

// Dialects.
const (
	Postgres = "postgres"
	SQLite   = "sqlite"
)

// Locator places a point in a district of the council's area. Package geo provides
// one from a boundary file; the store only needs this one method, so it does not
// import geo.
type Locator interface {
	Locate(p placematch.Point) (district string, ok bool)
}

// Config says which database to open.
type Config struct {
	// DatabaseURL is a PostgreSQL URL; empty means the embedded SQLite file.
	DatabaseURL string
	// SQLitePath is the SQLite file used when DatabaseURL is empty.
	SQLitePath string
}

// DB is the store. Set Now and Locator before use; both have safe defaults.
type DB struct {
	gorm    *gorm.DB
	sql     *sql.DB
	dialect string

	// Now is the clock; tests fix it.
	Now func() time.Time
	// Locator derives a record's district from its location; nil leaves districts
	// to the postcode table.
	Locator Locator
}

// Open connects to the configured database. It does not migrate: call Migrate, or
// check SchemaCurrent before serving.
func Open(ctx context.Context, cfg Config) (*DB, error) {
	var (
		dial    gorm.Dialector
		dialect string
	)
	if cfg.DatabaseURL != "" {
		dial, dialect = postgres.Open(cfg.DatabaseURL), Postgres
	} else {
		path := cfg.SQLitePath
		if path == "" {
			path = "placematch.db"
		}
		if err := createPrivate(path); err != nil {
			return nil, err
		}
		// WAL lets readers run beside the writer; busy_timeout makes a second
		// process wait instead of failing; foreign keys are off in SQLite unless asked.
		dsn := "file:" + path + "?_pragma=foreign_keys(1)&_pragma=journal_mode(WAL)&_pragma=busy_timeout(10000)&_txlock=immediate"
		dial, dialect = sqlite.Open(dsn), SQLite
	}
	g, err := gorm.Open(dial, &gorm.Config{
		Logger:                 logger.Discard,
		SkipDefaultTransaction: true,
		NowFunc:                func() time.Time { return time.Now().UTC() },
	})
	if err != nil {
		return nil, fmt.Errorf("store: open %s: %w", dialect, err)
	}
	sqlDB, err := g.DB()
	if err != nil {
		return nil, fmt.Errorf("store: %w", err)
	}
	if dialect == SQLite {
		// SQLite allows one writer at a time. One connection makes every caller
		// queue in Go instead of failing with SQLITE_BUSY, which is the
		// behaviour a single-instance pilot wants.
		sqlDB.SetMaxOpenConns(1)
	} else {
		// As many kept idle as may be open: a connection closed because more
		// than the idle limit were free is opened again by the next burst of
		// requests, and a new PostgreSQL backend costs about a millisecond of the
		// server's CPU (fork, authentication, catalogue caches). With 10 kept and
		// 20 concurrent searches, that churn was most of the server's work.
		sqlDB.SetMaxOpenConns(20)
		sqlDB.SetMaxIdleConns(20)
		sqlDB.SetConnMaxIdleTime(5 * time.Minute)
	}
	if err := sqlDB.PingContext(ctx); err != nil {
		sqlDB.Close()
		return nil, fmt.Errorf("store: connect %s: %w", dialect, err)
	}
	return &DB{gorm: g, sql: sqlDB, dialect: dialect, Now: time.Now}, nil
}

// Dialect returns "postgres" or "sqlite".
func (db *DB) Dialect() string { return db.dialect }

// Close closes the connections.
func (db *DB) Close() error { return db.sql.Close() }

// Ping checks the database answers.
func (db *DB) Ping(ctx context.Context) error { return db.sql.PingContext(ctx) }

func (db *DB) migrator() (*goose.Provider, error) {
	fsys, err := migrations.FS(db.dialect)
	if err != nil {
		return nil, err
	}
	d := goose.DialectPostgres
	if db.dialect == SQLite {
		d = goose.DialectSQLite3
	}
	return goose.NewProvider(d, db.sql, fsys)
}

// Migrate applies every pending migration, each in its own transaction. Running it on
// a current schema changes nothing.
func (db *DB) Migrate(ctx context.Context) error {
	p, err := db.migrator()
	if err != nil {
		return fmt.Errorf("store: migrate: %w", err)
	}
	res, err := p.Up(ctx)
	if err != nil {
		return fmt.Errorf("store: migrate: %w", err)
	}
	for _, r := range res {
		slog.InfoContext(ctx, "migration applied", "version", r.Source.Version, "duration_ms", r.Duration.Milliseconds())
	}
	return nil
}

// SchemaCurrent reports whether every migration this binary carries is applied; a
// server refuses to serve a stale schema.
func (db *DB) SchemaCurrent(ctx context.Context) (bool, error) {
	p, err := db.migrator()
	if err != nil {
		return false, err
	}
	pending, err := p.HasPending(ctx)
	if err != nil {
		return false, fmt.Errorf("store: schema version: %w", err)
	}
	return !pending, nil
}

// now returns the store clock in UTC, truncated to microseconds so that a timestamp
// reads back equal on both engines.
func (db *DB) now() time.Time { return db.Now().UTC().Truncate(time.Microsecond) }

// newID returns a time-ordered UUID (version 7): ordering by id is creation order,
// which gives lists a stable order and cheap keyset pagination.
func newID() string { return uuid.Must(uuid.NewV7()).String() }

// ValidID reports whether s is a UUID; handlers use it so that a malformed id is a
// plain 404 and never reaches SQL.
func ValidID(s string) bool {
	_, err := uuid.Parse(s)
	return err == nil && len(s) == 36
}

// tx runs fn in one transaction. Its error is translated, so a transaction that
// cannot begin or commit because the database went away is ErrUnavailable.
func (db *DB) tx(ctx context.Context, fn func(tx *gorm.DB) error) error {
	return translate(db.gorm.WithContext(ctx).Transaction(fn))
}

// district derives the district for a location.
func (db *DB) district(p placematch.Point) string {
	if db.Locator == nil {
		return ""
	}
	d, _ := db.Locator.Locate(p)
	return d
}

// Lock order. On PostgreSQL every transaction that locks several rows takes them in
// one order, so that two of them never wait for each other (which PostgreSQL would
// end by aborting one with 40P01): a cited match run (share lock, checkCitedRun),
// then a placement, then children in id order, then providers in id order. Writes
// to different providers share no row and run side by side. (UpdateChild locks a
// child and then the siblings it links in list order, and last the providers where
// the child is placed, in id order, to stamp them: see stampResidence.) SQLite lets one transaction write at a time (BEGIN IMMEDIATE), so
// there the order does not matter.

// nextChange returns the change number a provider write stores in change_seq. On
// SQLite it bumps the one counter row inside tx: SQLite lets one transaction write
// at a time, so the numbers commit in order and ProviderChanges finds the writes
// after a reader's last one with "change_seq > last seen". On PostgreSQL nothing is
// locked and it returns 0: the providers' trigger stamps each row with its writing
// transaction (change_xid, which ProviderChanges reads) and numbers the write itself
// from a sequence (migration 00010), so writes to different providers never wait
// for each other.
func (db *DB) nextChange(tx *gorm.DB) (int64, error) {
	if db.dialect == Postgres {
		return 0, nil
	}
	var seq int64
	err := tx.Raw("UPDATE provider_epoch SET seq = seq + 1 WHERE id = 1 RETURNING seq").Scan(&seq).Error
	if err != nil {
		return 0, translate(err)
	}
	return seq, nil
}

// likeEscape escapes LIKE wildcards in user text.
func likeEscape(s string) string {
	r := strings.NewReplacer(`\`, `\\`, `%`, `\%`, `_`, `\_`)
	return r.Replace(s)
}

// createPrivate creates the SQLite file readable by its owner alone (0600) when it
// does not exist yet: it holds children's records, and SQLite would otherwise create
// it under the process umask (usually world-readable). SQLite gives its -wal and -shm
// files the mode of the database file. An existing file keeps its mode.
func createPrivate(path string) error {
	if strings.HasPrefix(path, ":memory:") || strings.HasPrefix(path, "file:") {
		return nil
	}
	f, err := os.OpenFile(path, os.O_RDWR|os.O_CREATE, 0o600)
	if err != nil {
		return fmt.Errorf("store: create %s: %w", path, err)
	}
	return f.Close()
}
