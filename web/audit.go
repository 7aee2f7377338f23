package web

import (
	"context"
	"log/slog"
	"net"
	"net/http"
	"time"

	"placematch/store"
)

// audit appends one line to the trail the API writes too: who did what to which
// records from the pages. It is written with a context that outlives the request,
// so a browser going away cannot lose it; a failure is logged loudly.
func (s *Server) audit(r *http.Request, p *Person, action, resource, id string, ids []string, status int) {
	e := s.auditEvent(r, p, action, resource, id, ids, status)
	ctx, cancel := context.WithTimeout(context.WithoutCancel(r.Context()), 5*time.Second)
	defer cancel()
	if err := s.Store.AppendAudit(ctx, e); err != nil {
		slog.ErrorContext(ctx, "audit write failed", "action", e.Action, "error", err.Error())
	}
}

// auditEvent is the line audit writes, for a write that stores it in its own
// transaction (a match run).
func (s *Server) auditEvent(r *http.Request, p *Person, action, resource, id string, ids []string, status int) *store.AuditEvent {
	outcome := "success" // the API's words for outcomes
	if status >= 400 {
		outcome = "refused"
	}
	client, _, err := net.SplitHostPort(r.RemoteAddr)
	if err != nil {
		client = r.RemoteAddr
	}
	if len(ids) > store.MaxAuditResourceIDs {
		ids = ids[:store.MaxAuditResourceIDs]
	}
	e := &store.AuditEvent{At: s.now(), Subject: p.Subject, Role: string(p.Role), Action: "web." + action,
		ResourceType: resource, ResourceID: id, Outcome: outcome, Status: status, ClientAddr: client, Count: 1, ResourceIDs: ids}
	return e
}
