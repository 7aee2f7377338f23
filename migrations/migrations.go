// Package migrations holds the versioned SQL that builds Placematch's schema, one
// folder per database engine, embedded in the binary. Files are applied in order by
// goose, each in its own transaction, and recorded in goose_db_version, so applying
// them twice changes nothing.
//
// The two folders carry the same versions; they differ only where the engines' SQL
// does (TIMESTAMPTZ and DOUBLE PRECISION in PostgreSQL, DATETIME and REAL in SQLite).
//
// It imports no other package of this module.
package migrations

import (
	"embed"
	"fmt"
	"io/fs"
)

//go:embed postgres/*.sql sqlite/*.sql
var files embed.FS

// FS returns the migrations for dialect "postgres" or "sqlite".
func FS(dialect string) (fs.FS, error) {
	switch dialect {
	case "postgres", "sqlite":
		return fs.Sub(files, dialect)
	}
	return nil, fmt.Errorf("migrations: unknown dialect %q", dialect)
}
