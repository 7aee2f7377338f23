package api

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"strconv"

	"github.com/gin-gonic/gin"

	"placematch"
)

// Problem is an RFC 9457 problem details body. Errors lists the fields at fault;
// Reasons carries the matching engine's codes when a booking breaks a hard rule.
type Problem struct {
	Type      string                  `json:"type"`
	Title     string                  `json:"title"`
	Status    int                     `json:"status"`
	Detail    string                  `json:"detail,omitempty"`
	Instance  string                  `json:"instance,omitempty"`
	RequestID string                  `json:"request_id,omitempty"`
	Errors    []placematch.FieldError `json:"errors,omitempty"`
	Reasons   []string                `json:"reasons,omitempty"`
}

const problemJSON = "application/problem+json"

// retryAfterSeconds is the Retry-After of a 503: long enough for a pool to reconnect
// after a database restart or fail-over, short enough for an officer at a screen.
const retryAfterSeconds = 5

// busyRetryAfterSeconds is the Retry-After of a search refused because too many
// are waiting: the queue empties in well under a second.
const busyRetryAfterSeconds = 1

// problem types: URIs relative to the service, each a page it serves
// (problempages.go) and documented in openapi.yaml.
const (
	typeValidation   = "/problems/validation-error"
	typeMalformed    = "/problems/malformed-request"
	typeTooLarge     = "/problems/body-too-large"
	typeNotFound     = "/problems/not-found"
	typeConflict     = "/problems/conflict"
	typeNoCapacity   = "/problems/no-capacity"
	typeHardRule     = "/problems/hard-rule"
	typePrecondition = "/problems/precondition-failed"
	typeInternal     = "/problems/internal-error"
	typeUnavailable  = "/problems/unavailable"
	typeBusy         = "/problems/busy"
	typeUnreadable   = "/problems/unreadable-record"
	// typeUnsupportedMedia is a body that is not JSON by its Content-Type (415).
	typeUnsupportedMedia = "/problems/unsupported-media-type"

	typePreconditionRequired = "/problems/precondition-required"
	typeUnauthenticated      = "/problems/unauthenticated"
	typeForbidden            = "/problems/forbidden"
	typeMethodNotAllowed     = "/problems/method-not-allowed"
	typeRateLimited          = "/problems/too-many-requests"
)

// requestError is an error the API itself raises about the request (as opposed to a
// domain error): malformed JSON, a body over the limit.
type requestError struct {
	status int
	typ    string
	title  string
	detail string
	fields []placematch.FieldError
}

func (e *requestError) Error() string { return e.detail }

// writeProblem answers with p as problem+json.
func writeProblem(c *gin.Context, p Problem) {
	p.Instance = c.Request.URL.Path
	p.RequestID = c.GetString(requestIDKey)
	c.Header("Content-Type", problemJSON)
	c.AbortWithStatusJSON(p.Status, p)
}

// clientGone reports whether the request's client went away: its context was
// cancelled (not timed out: the service sets no deadline of its own on requests).
func clientGone(c *gin.Context) bool {
	return errors.Is(c.Request.Context().Err(), context.Canceled)
}

// StatusClientClosed is the status logged and audited for a request whose client
// went away before it was answered (nginx's 499, "client closed request"); no
// client receives it.
const StatusClientClosed = 499

// fail maps any error to its problem: the one place where errors become HTTP.
// Internal errors are logged in full and answered generically.
func fail(c *gin.Context, err error) {
	var (
		ve *placematch.ValidationError
		re *requestError
		he *placematch.RuleError
		ue *placematch.UnreadableError
	)
	if clientGone(c) {
		// The client went away (its request's context was cancelled) before the
		// answer: nobody is left to read one, and whatever the store made of the
		// cancellation (a timeout, SQLite's interrupt) is not the service failing.
		// Logged and audited as 499, as proxies log a client that closed its
		// request.
		slog.InfoContext(c.Request.Context(), "client went away before the answer", "error", err.Error(),
			"request_id", c.GetString(requestIDKey), "route", c.FullPath())
		c.AbortWithStatus(StatusClientClosed)
		return
	}
	switch {
	case errors.As(err, &re):
		writeProblem(c, Problem{Type: re.typ, Title: re.title, Status: re.status, Detail: re.detail, Errors: re.fields})
	case errors.As(err, &ve):
		writeProblem(c, Problem{Type: typeValidation, Title: "The request has invalid fields",
			Status: http.StatusUnprocessableEntity, Detail: "See errors for each field at fault.", Errors: ve.Errors})
	case errors.As(err, &he):
		writeProblem(c, Problem{Type: typeHardRule, Title: "The placement breaks a hard rule",
			Status: http.StatusConflict, Detail: he.Error(), Reasons: he.Reasons})
	case errors.As(err, &ue):
		// A stored value this version cannot read: the record is named so that it
		// can be found and repaired; the rest of the request's data is fine.
		slog.ErrorContext(c.Request.Context(), "stored record unreadable", "resource", ue.Resource,
			"record_id", ue.ID, "field", ue.Field, "request_id", c.GetString(requestIDKey), "route", c.FullPath())
		writeProblem(c, Problem{Type: typeUnreadable, Title: "A stored record cannot be read",
			Status: http.StatusInternalServerError,
			Detail: fmt.Sprintf("The stored %s %s holds a %s that cannot be read; send a valid value for it (PATCH or PUT) to repair the record.",
				ue.Resource, ue.ID, ue.Field),
			Errors: []placematch.FieldError{{Field: ue.Field, Message: "the stored value cannot be read"}}})
	case errors.Is(err, placematch.ErrNotFound):
		writeProblem(c, Problem{Type: typeNotFound, Title: "Not found", Status: http.StatusNotFound,
			Detail: "No such record."})
	case errors.Is(err, placematch.ErrNoCapacity):
		writeProblem(c, Problem{Type: typeNoCapacity, Title: "Not enough vacant places", Status: http.StatusConflict,
			Detail: cleanDetail(err)})
	case errors.Is(err, placematch.ErrConflict):
		writeProblem(c, Problem{Type: typeConflict, Title: "Conflict with the stored record", Status: http.StatusConflict,
			Detail: cleanDetail(err)})
	case errors.Is(err, placematch.ErrVersionMismatch):
		writeProblem(c, Problem{Type: typePrecondition, Title: "The record has changed", Status: http.StatusPreconditionFailed,
			Detail: "The version in If-Match is no longer current; read the record again."})
	case errors.Is(err, placematch.ErrUnavailable):
		// The database is down or unreachable: nothing was done and the client may
		// try again, so this is 503 with Retry-After rather than an internal error.
		slog.WarnContext(c.Request.Context(), "database unavailable", "error", err.Error(),
			"request_id", c.GetString(requestIDKey), "route", c.FullPath())
		c.Header("Retry-After", strconv.Itoa(retryAfterSeconds))
		writeProblem(c, Problem{Type: typeUnavailable, Title: "Service unavailable", Status: http.StatusServiceUnavailable,
			Detail: "The database cannot be reached; nothing was changed. Try again shortly."})
	case errors.Is(err, placematch.ErrBusy):
		// Too many searches are waiting already: refused at once, so that a burst
		// is told to come back rather than queued past any client's patience.
		slog.WarnContext(c.Request.Context(), "refused: too busy", "error", err.Error(),
			"request_id", c.GetString(requestIDKey), "route", c.FullPath())
		c.Header("Retry-After", strconv.Itoa(busyRetryAfterSeconds))
		c.Set(auditOutcomeKey, "refused") // nothing failed: the service declined
		writeProblem(c, Problem{Type: typeBusy, Title: "Too many searches at once", Status: http.StatusServiceUnavailable,
			Detail: cleanDetail(err)})
	default:
		slog.ErrorContext(c.Request.Context(), "request failed", "error", err.Error(),
			"request_id", c.GetString(requestIDKey), "route", c.FullPath())
		writeProblem(c, Problem{Type: typeInternal, Title: "Internal error", Status: http.StatusInternalServerError,
			Detail: "The request could not be completed; it has been logged with its request id."})
	}
}

// cleanDetail returns the message a domain error carries for people, or a generic
// sentence: driver text and SQL never reach a client.
func cleanDetail(err error) string {
	var de *placematch.Error
	if errors.As(err, &de) {
		return de.Msg
	}
	return "The request conflicts with the stored records."
}
