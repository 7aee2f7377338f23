package api

import (
	"math"
	"net/http"
	"strconv"
	"time"

	"github.com/gin-gonic/gin"

	"placematch/auth"
)

// edge is the router's state at the HTTP edge: the clients' rate-limit buckets,
// the refusals being counted for the audit trail, and the HTTP series.
type edge struct {
	subjects  *limiters // by token subject
	addresses *limiters // by client address: no token, or one that failed
	refused   *refusals
	metrics   *httpMetrics
	now       func() time.Time
}

// admit applies the client's rate limit: per token subject when the token is valid,
// else per client address (X-Forwarded-For only from TRUSTED_PROXIES). A refused
// request answers 429 with Retry-After, is counted, and is summarised in the audit
// trail rather than written one row each.
func (s *Server) admit(c *gin.Context, p auth.Principal, authenticated bool) bool {
	ed := s.edge
	if ed == nil {
		return true
	}
	addr := c.ClientIP()
	set, key, by := ed.addresses, "address:"+addr, "address"
	if authenticated {
		set, key, by = ed.subjects, "subject:"+p.Subject, "subject"
	}
	ok, wait := set.allow(key, ed.now())
	if ok {
		return true
	}
	ed.metrics.rateLimited.WithLabelValues(by).Inc()
	subject, role := "", ""
	if authenticated {
		subject, role = p.Subject, string(p.Role)
	}
	ed.refused.add(subject, role, addr, c.GetString(requestIDKey))
	c.Header("Retry-After", strconv.Itoa(int(math.Max(1, math.Ceil(wait.Seconds())))))
	writeProblem(c, Problem{Type: typeRateLimited, Title: "Too many requests", Status: http.StatusTooManyRequests,
		Detail: "This client has sent more requests than its rate limit allows; wait Retry-After seconds."})
	return false
}

// FlushAudit writes the rate-limit summaries still being counted; serve calls it
// at shutdown so that no refusal goes unrecorded.
func (s *Server) FlushAudit() {
	if s.edge != nil {
		s.edge.refused.flush()
	}
}
