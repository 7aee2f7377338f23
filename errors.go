package placematch

import (
	"errors"
	"fmt"
	"strings"
)

// Domain errors. Packages wrap them with %w; the API maps them to HTTP statuses in one
// place.
var (
	// ErrNotFound: the record does not exist (or is not visible to the caller).
	ErrNotFound = errors.New("not found")
	// ErrConflict: the request clashes with the stored state (duplicate reference,
	// a placement on an archived provider, a child already placed...).
	ErrConflict = errors.New("conflict")
	// ErrNoCapacity: the provider lacks the vacant places a booking needs.
	ErrNoCapacity = errors.New("no capacity")
	// ErrVersionMismatch: an If-Match precondition named a version that moved on.
	ErrVersionMismatch = errors.New("version mismatch")
	// ErrInvalid: the input breaks a rule; see ValidationError for the fields.
	ErrInvalid = errors.New("invalid input")
	// ErrUnavailable: the database cannot be reached (connection refused or lost,
	// pool closed, timed out). Nothing was done; the same request may succeed later.
	ErrUnavailable = errors.New("database unavailable")
	// ErrBusy: too many requests of the kind are waiting for the service already
	// (searches waiting for a turn). Nothing was done; the same request may
	// succeed in a moment.
	ErrBusy = errors.New("busy")
)

// FieldError names one field of a request and what is wrong with it. Field uses the
// JSON path of the request body ("approval.age_min", "risks[1].level").
type FieldError struct {
	Field   string `json:"field"`
	Message string `json:"message"`
}

// ValidationError carries every field error found in one input. It matches
// ErrInvalid with errors.Is.
type ValidationError struct {
	Errors []FieldError
}

func (e *ValidationError) Error() string {
	parts := make([]string, len(e.Errors))
	for i, fe := range e.Errors {
		parts[i] = fe.Field + ": " + fe.Message
	}
	return "invalid input: " + strings.Join(parts, "; ")
}

// Is lets errors.Is(err, ErrInvalid) hold for a *ValidationError.
func (e *ValidationError) Is(target error) bool { return target == ErrInvalid }

// Add records a field error.
func (e *ValidationError) Add(field, format string, args ...any) {
	e.Errors = append(e.Errors, FieldError{Field: field, Message: fmt.Sprintf(format, args...)})
}

// Err returns e when it holds errors and nil otherwise, so that a validator can end
// with `return v.Err()`.
func (e *ValidationError) Err() error {
	if e == nil || len(e.Errors) == 0 {
		return nil
	}
	return e
}

// CheckOneOf adds a field error to v unless s is one of allowed.
func CheckOneOf[T ~string](v *ValidationError, field string, s T, allowed []T) {
	if !OneOf(s, allowed) {
		parts := make([]string, len(allowed))
		for i, a := range allowed {
			parts[i] = string(a)
		}
		v.Add(field, "must be one of %s", strings.Join(parts, ", "))
	}
}

// CheckMaxLen adds a field error when s has more than limit characters.
func (e *ValidationError) CheckMaxLen(field, s string, limit int) {
	if len([]rune(s)) > limit {
		e.Add(field, "must be at most %d characters", limit)
	}
}

// Invalid builds a ValidationError for one field.
func Invalid(field, format string, args ...any) error {
	v := &ValidationError{}
	v.Add(field, format, args...)
	return v
}

// Error is a domain error with a message written for the people who will read it
// ("Household X has 1 vacancy; the booking needs 2"). It matches its Kind (ErrConflict,
// ErrNoCapacity, ...) with errors.Is, and the API shows Msg as the problem detail.
type Error struct {
	Kind error
	Msg  string
}

func (e *Error) Error() string { return e.Msg }

// Unwrap returns the kind, so errors.Is(err, ErrConflict) works.
func (e *Error) Unwrap() error { return e.Kind }

// Errorf builds an *Error of kind with a formatted message.
func Errorf(kind error, format string, args ...any) error {
	return &Error{Kind: kind, Msg: fmt.Sprintf(format, args...)}
}

// ErrUnreadable: a stored record holds a value this version cannot read (a date
// left by an older version, or written around the service). See UnreadableError.
var ErrUnreadable = errors.New("unreadable record")

// UnreadableError names the stored record and the field that cannot be read, so
// that the record can be found and repaired; it matches ErrUnreadable with errors.Is.
// Field uses the JSON path of the record's API body ("date_of_birth",
// "availability.available_from").
type UnreadableError struct {
	Resource string // "child", "provider", "placement"
	ID       string
	Field    string
}

func (e *UnreadableError) Error() string {
	return fmt.Sprintf("stored %s %s has an unreadable %s", e.Resource, e.ID, e.Field)
}

// Is lets errors.Is(err, ErrUnreadable) hold for an *UnreadableError.
func (e *UnreadableError) Is(target error) bool { return target == ErrUnreadable }

// ErrHardRule: a booking breaks a hard rule of the matching engine. See RuleError.
var ErrHardRule = errors.New("breaks a hard rule")

// RuleError is a booking refused because the provider breaks hard rules for the
// group; Reasons are the matching engine's exclusion codes, in their documented
// order. It matches ErrHardRule with errors.Is.
type RuleError struct {
	Reasons []string
}

func (e *RuleError) Error() string {
	return fmt.Sprintf("The placement breaks %d hard rule(s): %s.", len(e.Reasons), strings.Join(e.Reasons, ", "))
}

// Is lets errors.Is(err, ErrHardRule) hold for a *RuleError.
func (e *RuleError) Is(target error) bool { return target == ErrHardRule }
