package store

import (
	"errors"
	"fmt"
	"strings"

	"github.com/jackc/pgx/v5/pgconn"
	"gorm.io/gorm"

	"placematch"
)

// translate turns driver errors into domain errors; it is the one place that knows
// what PostgreSQL and SQLite say.
func translate(err error) error {
	if err == nil {
		return nil
	}
	if errors.Is(err, gorm.ErrRecordNotFound) || errors.Is(err, errNoRows) {
		return fmt.Errorf("store: %w", placematch.ErrNotFound)
	}
	var pgErr *pgconn.PgError
	if errors.As(err, &pgErr) {
		switch pgErr.Code {
		case "23505":
			return fmt.Errorf("store: %s: %w", pgErr.ConstraintName, placematch.ErrConflict)
		case "23503", "23514":
			return fmt.Errorf("store: %s: %w", pgErr.ConstraintName, placematch.ErrConflict)
		}
		return fmt.Errorf("store: %w", err)
	}
	msg := err.Error()
	if strings.Contains(msg, "UNIQUE constraint failed") || strings.Contains(msg, "FOREIGN KEY constraint failed") ||
		strings.Contains(msg, "CHECK constraint failed") {
		return fmt.Errorf("store: %s: %w", msg, placematch.ErrConflict)
	}
	return fmt.Errorf("store: %w", err)
}
