package store

import (
	"context"
	"database/sql"
	"database/sql/driver"
	"errors"
	"fmt"
	"io"
	"net"
	"strings"

	"github.com/jackc/pgx/v5/pgconn"
	"gorm.io/gorm"

	"placematch"
)

// constraintMessages says, for people, what each constraint protects. PostgreSQL
// names the constraint; SQLite names the columns of a unique index and the name of
// a CHECK constraint, so both spellings are listed. Only the providers' filled
// range check means no vacant place: another CHECK failing is a plain conflict.
var constraintMessages = []struct{ pg, sqlite, msg string }{
	{"providers_kind_reference", "providers.kind, providers.reference", "A provider of this kind already has this reference"},
	{"children_reference", "children.reference", "A child already has this reference"},
	{"placements_one_active", "placements.child_id", "The child already has an active placement"},
	{"feeds_name", "feeds.name", "A feed already has this name"},
	{"providers_filled_range", "CHECK constraint failed: providers_filled_range", "The provider has no vacant place left"},
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
	if err == nil || isDomain(err) {
		return err
	}
	if unreachable(err) {
		return fmt.Errorf("store: %w: %w", placematch.ErrUnavailable, err)
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

// isDomain reports whether err already is a domain error, so that translating twice
// (a helper's error passing through the transaction) changes nothing.
func isDomain(err error) bool {
	for _, kind := range []error{placematch.ErrNotFound, placematch.ErrConflict, placematch.ErrNoCapacity,
		placematch.ErrVersionMismatch, placematch.ErrInvalid, placematch.ErrUnavailable} {
		if errors.Is(err, kind) {
			return true
		}
	}
	return false
}

// unreachable reports whether err says the database could not be reached or went
// away mid-request, rather than refusing the statement: a closed pool, a connection
// refused, reset or cut, a server shutting down or out of connections, a timeout,
// or SQLite still locked after its busy timeout. Such a request did nothing and may
// succeed later, so the API answers 503 with Retry-After instead of 500.
func unreachable(err error) bool {
	var (
		pgErr   *pgconn.PgError
		connErr *pgconn.ConnectError
		netErr  net.Error
	)
	switch {
	case errors.As(err, &pgErr):
		// Class 08 is connection exceptions; 57P01-57P03 an administrator or a crash
		// ending the session, or a server not yet accepting; 53300 no free slot.
		return strings.HasPrefix(pgErr.Code, "08") || pgErr.Code == "57P01" || pgErr.Code == "57P02" ||
			pgErr.Code == "57P03" || pgErr.Code == "53300"
	case errors.As(err, &connErr), errors.As(err, &netErr),
		errors.Is(err, driver.ErrBadConn), errors.Is(err, sql.ErrConnDone),
		errors.Is(err, io.EOF), errors.Is(err, io.ErrUnexpectedEOF),
		errors.Is(err, context.DeadlineExceeded), pgconn.Timeout(err):
		return true
	}
	msg := err.Error()
	// database/sql and the SQLite driver do not export these errors.
	return strings.Contains(msg, "sql: database is closed") || strings.Contains(msg, "conn closed") ||
		strings.Contains(msg, "database is locked")
}
