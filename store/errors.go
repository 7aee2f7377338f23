package store

import (
	"errors"
	"fmt"
	"strings"

	"github.com/jackc/pgx/v5/pgconn"
	"gorm.io/gorm"

	"placematch"
)

// constraintMessages says, for people, what each constraint protects. PostgreSQL
// names the constraint; SQLite names the columns, so both spellings are listed.
var constraintMessages = []struct{ pg, sqlite, msg string }{
	{"providers_kind_reference", "providers.kind, providers.reference", "A provider of this kind already has this reference"},
	{"children_reference", "children.reference", "A child already has this reference"},
	{"placements_one_active", "placements.child_id", "The child already has an active placement"},
	{"feeds_name", "feeds.name", "A feed already has this name"},
	{"providers_filled_range", "CHECK constraint failed", "The provider has no vacant place left"},
}

// dateChecks are the date checks of migration 00005 and the field each guards.
// PostgreSQL names the CHECK constraint; SQLite's trigger says "date_check
// table.column". A violation means a caller let a bad date through: it is answered
// as that field (never as the capacity CHECK, which SQLite also reports).
var dateChecks = []struct{ pg, sqlite, field string }{
	{"children_date_of_birth_range", "date_check children.date_of_birth", "date_of_birth"},
	{"children_required_from_range", "date_check children.required_from", "required_from"},
	{"providers_avail_from_range", "date_check providers.avail_from", "availability.available_from"},
	{"placements_start_date_range", "date_check placements.start_date", "start_date"},
	{"placements_end_date_range", "date_check placements.end_date", "end_date"},
}

func dateCheck(pgConstraint, msg string) error {
	for _, d := range dateChecks {
		if (pgConstraint != "" && pgConstraint == d.pg) || (pgConstraint == "" && strings.Contains(msg, d.sqlite)) {
			return placematch.Invalid(d.field, "must be a date between %s and %s", placematch.MinDate, placematch.MaxDate)
		}
	}
	return nil
}

// translate turns driver errors into domain errors; it is the one place that knows
// what PostgreSQL and SQLite say. Messages never carry SQL.
func translate(err error) error {
	if err == nil {
		return nil
	}
	if errors.Is(err, gorm.ErrRecordNotFound) {
		return placematch.Errorf(placematch.ErrNotFound, "No such record")
	}
	var pgErr *pgconn.PgError
	if errors.As(err, &pgErr) {
		if err := dateCheck(pgErr.ConstraintName, ""); pgErr.Code == "23514" && err != nil {
			return err
		}
		switch pgErr.Code {
		case "23505", "23503", "23514":
			return conflict(pgErr.ConstraintName, err)
		}
		return fmt.Errorf("store: %w", err)
	}
	msg := err.Error()
	if err := dateCheck("", msg); err != nil {
		return err
	}
	if strings.Contains(msg, "constraint failed") {
		return conflict(msg, err)
	}
	return fmt.Errorf("store: %w", err)
}

func conflict(where string, err error) error {
	for _, c := range constraintMessages {
		if where == c.pg || strings.Contains(where, c.sqlite) {
			return &placematch.Error{Kind: placematch.ErrConflict, Msg: c.msg}
		}
	}
	return &placematch.Error{Kind: placematch.ErrConflict, Msg: "The change conflicts with the stored records"}
}
