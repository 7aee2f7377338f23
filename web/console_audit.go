package web

import (
	"errors"
	"net/http"
	"net/url"
	"strings"
	"time"

	"placematch"
	"placematch/store"
)

// auditPage is how many audit events one page of the search shows.
const auditPage = 50

type auditData struct {
	Subject, Resource, From, To string
	Events                      []store.AuditEvent
	Searched                    bool
	Next                        string
}

// consoleAudit searches the audit trail by subject, resource (an id or a type) and
// time range, oldest first, a page at a time. A time it cannot read is the error
// summary linked to its field, and nothing is searched.
func (s *Server) consoleAudit(w http.ResponseWriter, r *http.Request, _ *Person) {
	q := r.URL.Query()
	d := auditData{Subject: strings.TrimSpace(q.Get("subject")), Resource: strings.TrimSpace(q.Get("resource")),
		From: strings.TrimSpace(q.Get("from")), To: strings.TrimSpace(q.Get("to"))}
	var errs []fieldError
	from, ok := parseInstant(d.From, false)
	if !ok {
		errs = append(errs, fieldError{Field: "from", ID: "from", Message: "Enter the start as a date, or a date and time, such as 2026-12-01 or 2026-12-01 14:30"})
	}
	to, ok := parseInstant(d.To, true)
	if !ok {
		errs = append(errs, fieldError{Field: "to", ID: "to", Message: "Enter the end as a date, or a date and time, such as 2026-12-02 or 2026-12-02 09:00"})
	}
	if len(errs) == 0 && !from.IsZero() && !to.IsZero() && !to.After(from) {
		errs = append(errs, fieldError{Field: "to", ID: "to", Message: "The end must be after the start"})
	}
	if len(errs) > 0 {
		s.render(w, r, http.StatusUnprocessableEntity, "console-audit", view{Title: "Audit trail", Section: "console", Errors: errs, Data: d})
		return
	}
	page, err := s.Store.ListAudit(r.Context(), store.AuditFilter{Subject: d.Subject, Resource: d.Resource, From: from, To: to,
		Limit: auditPage, Cursor: q.Get("cursor")})
	if errors.Is(err, placematch.ErrInvalid) { // a cursor edited by hand
		s.render(w, r, http.StatusUnprocessableEntity, "console-audit", view{Title: "Audit trail", Section: "console", Data: d,
			Errors: []fieldError{{ID: "subject", Message: "The page asked for cannot be found; search again"}}})
		return
	}
	if err != nil {
		s.fail(w, r, err)
		return
	}
	d.Events, d.Searched = page.Items, true
	if page.NextCursor != "" {
		d.Next = "/console/audit?" + url.Values{"subject": {d.Subject}, "resource": {d.Resource}, "from": {d.From}, "to": {d.To},
			"cursor": {page.NextCursor}}.Encode()
	}
	s.render(w, r, http.StatusOK, "console-audit", view{Title: "Audit trail", Section: "console", Data: d})
}

// instantLayouts are the times the audit search reads, in London time unless the
// text carries its own offset.
var instantLayouts = []string{"2006-01-02 15:04", "2006-01-02T15:04", "2006-01-02 15:04:05", "2006-01-02T15:04:05"}

// parseInstant reads a time of the audit search: empty is no bound; a date alone is
// the start of that day in London, or with end the start of the next (so that "to
// 2 December" takes in the whole of the 2nd).
func parseInstant(s string, end bool) (time.Time, bool) {
	if s == "" {
		return time.Time{}, true
	}
	if t, err := time.Parse(time.RFC3339, s); err == nil {
		return t.UTC(), true
	}
	if d, err := time.ParseInLocation("2006-01-02", s, london); err == nil {
		if end {
			d = d.AddDate(0, 0, 1)
		}
		return d.UTC(), true
	}
	for _, l := range instantLayouts {
		if t, err := time.ParseInLocation(l, s, london); err == nil {
			return t.UTC(), true
		}
	}
	return time.Time{}, false
}
