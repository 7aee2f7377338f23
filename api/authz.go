package api

import (
	"context"
	"errors"
	"log/slog"
	"net/http"
	"slices"
	"strings"
	"time"

	"github.com/gin-gonic/gin"

	"placematch/auth"
	"placematch/store"
)

// policy says who may call a route and what the audit trail records of it.
type policy struct {
	// public routes need no token (health, the contract, metrics).
	public bool
	// roles may call the route; admin may call every route that is not public.
	roles []auth.Role
	// action, when set, is written to the audit trail for every call; denied
	// calls are written whatever the route.
	action   string
	resource string
}

const principalKey = "principal"

// auditActionKey lets a handler name the action it performed more precisely than its
// route does (a PATCH that cancels a placement is "placement.cancel").
const auditActionKey = "audit_action"

// principal returns the caller of an authorised request.
func principal(c *gin.Context) auth.Principal {
	p, _ := c.Get(principalKey)
	pr, _ := p.(auth.Principal)
	return pr
}

// authorize authenticates the bearer token, applies the client's rate limit and the
// route's policy pol (public for a request that matches no route); the audit trail gets a line for audited routes and for every
// refusal but rate limiting, which is counted and summarised (see refusals).
func (s *Server) authorize(pol policy) gin.HandlerFunc {
	return func(c *gin.Context) {
		open := pol.public
		var (
			p   auth.Principal
			err = errNoToken
		)
		if !open {
			p, err = s.authenticate(c)
		}
		if !s.admit(c, p, err == nil) {
			return
		}
		if open {
			c.Next()
			return
		}
		if err != nil {
			c.Header("WWW-Authenticate", `Bearer realm="placematch"`)
			writeProblem(c, Problem{Type: typeUnauthenticated, Title: "Authentication required",
				Status: http.StatusUnauthorized, Detail: "Send a valid bearer token in the Authorization header."})
			slog.InfoContext(c.Request.Context(), "token refused", "request_id", c.GetString(requestIDKey), "reason", err.Error())
			_ = s.audit(c, pol, "denied")
			return
		}
		c.Set(principalKey, p)
		if p.Role != auth.Admin && !slices.Contains(pol.roles, p.Role) {
			writeProblem(c, Problem{Type: typeForbidden, Title: "Forbidden", Status: http.StatusForbidden,
				Detail: "Your role may not use this route."})
			_ = s.audit(c, pol, "denied")
			return
		}
		if pol.action == "" {
			c.Next()
			return
		}
		if !heldActions[pol.action] {
			c.Next()
			_ = s.audit(c, pol, outcome(c.Writer.Status()))
			return
		}
		held := holdResponse(c)
		c.Set(policyKey, pol)
		c.Next()
		if c.GetBool(auditedKey) { // the handler's write carried its row
			held.release(c, nil)
			return
		}
		held.release(c, s.audit(c, pol, outcome(held.Status())))
	}
}

var errNoToken = errors.New("no bearer token")

// heldActions show a child's record (its needs, risks and home, its wishes and
// feelings, the decision made for it): their answer is
// held until the audit row is written, and refused with 503 when it cannot be.
// Changes (create, update, archive, placements) are already made when the row is
// written; it is written whatever the client does, and a failure is logged and
// counted in placematch_audit_write_failures_total.
var heldActions = map[string]bool{"child.list": true, "child.read": true, "match.run": true, "match.read": true,
	"match.replay": true, "decision.read": true, "allocation.run": true, "allocation.read": true}

func (s *Server) authenticate(c *gin.Context) (auth.Principal, error) {
	h := c.GetHeader("Authorization")
	token, ok := strings.CutPrefix(h, "Bearer ")
	if !ok || token == "" {
		return auth.Principal{}, errNoToken
	}
	if s.Verifier == nil {
		return auth.Principal{}, errors.New("no token verification configured")
	}
	return s.Verifier.Verify(c.Request.Context(), strings.TrimSpace(token))
}

func outcome(status int) string {
	switch {
	case status == http.StatusUnauthorized || status == http.StatusForbidden:
		return "denied"
	case status == http.StatusNotFound:
		return "not_found"
	case status == StatusClientClosed:
		return "abandoned"
	case status >= 500:
		return "error"
	case status >= 400:
		return "refused"
	}
	return "success"
}

// auditTimeout bounds one audit write; auditRetryAfter is the Retry-After (seconds)
// of a 503 answered because the trail could not be written.
const (
	auditTimeout    = 5 * time.Second
	auditRetryAfter = "5"
)

const auditIDsKey = "audit_resource_ids"

// auditRecords names every record a response shows beyond the route's :id (a list
// page's children, a match run's sibling group), for the audit row.
func auditRecords(c *gin.Context, ids []string) { c.Set(auditIDsKey, ids) }

// audit appends one line to the trail. It is written with a context that outlives
// the request, so a client hanging up (which cancels the request's context) cannot
// lose it. A failure is logged loudly, counted, and returned: held answers become
// 503, the others have already been decided.
func (s *Server) audit(c *gin.Context, pol policy, result string) error {
	e := auditEvent(c, pol, result)
	ctx, cancel := context.WithTimeout(context.WithoutCancel(c.Request.Context()), auditTimeout)
	defer cancel()
	err := s.Store.AppendAudit(ctx, e)
	if err != nil {
		s.auditFailed(ctx, err, e)
	}
	return err
}

// auditedKey marks a request whose audit row the handler's own write stored in
// its transaction (a match run), or tried to: authorize makes no second attempt.
const auditedKey = "audited_in_write"

// policyKey holds a held route's policy, for a handler that writes its audit row
// with its own write (auditEvent).
const policyKey = "route_policy"

// inWriteAudit is the audit row of a successful answer to the request, for a
// handler to store with its own write; markAudited says it was.
func inWriteAudit(c *gin.Context) *store.AuditEvent {
	pol, _ := c.Get(policyKey)
	p, _ := pol.(policy)
	e := auditEvent(c, p, "success")
	e.Status = http.StatusOK
	return e
}

func markAudited(c *gin.Context) { c.Set(auditedKey, true) }

// auditFailed logs and counts an audit row that could not be written.
func (s *Server) auditFailed(ctx context.Context, err error, e *store.AuditEvent) {
	if s.edge != nil {
		s.edge.metrics.auditFailures.Inc()
	}
	slog.ErrorContext(ctx, "audit write failed", "error", err.Error(), "request_id", e.RequestID, "action", e.Action)
}

// auditOutcomeKey, when set, is the audit row's outcome whatever the status says
// (a search refused because the queue is full is refused, not an error).
const auditOutcomeKey = "audit_outcome"

// auditEvent is the audit row of the request, as authorize writes it.
func auditEvent(c *gin.Context, pol policy, result string) *store.AuditEvent {
	if o := c.GetString(auditOutcomeKey); o != "" {
		result = o
	}
	p := principal(c)
	action := pol.action
	if a := c.GetString(auditActionKey); a != "" {
		action = a
	}
	if action == "" {
		action = strings.ToLower(c.Request.Method) + " " + c.FullPath()
	}
	id := c.Param("id")
	if id == "" {
		if loc := c.Writer.Header().Get("Location"); loc != "" {
			id = loc[strings.LastIndex(loc, "/")+1:]
		}
	}
	v, _ := c.Get(auditIDsKey)
	ids, _ := v.([]string)
	e := &store.AuditEvent{Subject: p.Subject, Role: string(p.Role), Action: action, ResourceType: pol.resource,
		ResourceID: id, ResourceIDs: ids, Outcome: result, Status: c.Writer.Status(), RequestID: c.GetString(requestIDKey),
		ClientAddr: c.ClientIP()}
	return e
}
