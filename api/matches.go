package api

import (
	"bytes"
	"errors"
	"net/http"
	"strconv"
	"strings"

	"github.com/gin-gonic/gin"

	"placematch"
	"placematch/matching"
	"placematch/placing"
	"placematch/store"
)

// matchParams are the query parameters of a search.
func matchParams(c *gin.Context) (matching.Options, error) {
	if err := knownQuery(c, "limit", "kinds", "max_distance_km", "include_excluded", "require_high_risk_skills", "include_pending"); err != nil {
		return matching.Options{}, err
	}
	v := &placematch.ValidationError{}
	opt := matching.Options{Limit: matching.DefaultLimit}
	if l := c.Query("limit"); l != "" {
		n, err := strconv.Atoi(l)
		if err != nil || n < 1 || n > 100 {
			v.Add("limit", "must be a whole number between 1 and 100")
		}
		opt.Limit = n
	}
	if k := c.Query("kinds"); k != "" {
		for _, kind := range strings.Split(k, ",") {
			pk := placematch.ProviderKind(strings.TrimSpace(kind))
			enum(v, "kinds", pk, placematch.ProviderKinds)
			opt.Kinds = append(opt.Kinds, pk)
		}
	}
	if d := c.Query("max_distance_km"); d != "" {
		km, err := placematch.ParseNumber(d)
		if err != nil || km <= 0 || km > 1000 {
			v.Add("max_distance_km", "must be a number more than 0 and at most 1000")
		}
		opt.MaxDistanceKM = &km
	}
	opt.IncludeExcluded = queryBool(c, v, "include_excluded", false) // the run keeps them: GET …/excluded
	opt.RequireHighRiskSkills = queryBool(c, v, "require_high_risk_skills", false)
	opt.IncludePending = queryBool(c, v, "include_pending", false)
	return opt, v.Err()
}

// matchChild ranks the providers for a child and its siblings still awaiting, and
// stores the run.
func (s *Server) matchChild(c *gin.Context) error {
	opt, err := matchParams(c)
	if err != nil {
		return err
	}
	who := principal(c)
	audit := inWriteAudit(c) // stored with the run, in its transaction
	run, err := s.Placing.Match(c.Request.Context(), placing.MatchRequest{ChildID: c.Param("id"), Options: opt,
		Query: c.Request.URL.RawQuery, By: &placematch.Actor{Subject: who.Subject, Role: string(who.Role)}, Audit: audit})
	if errors.Is(err, store.ErrAuditUnwritten) && !clientGone(c) { // no run was stored; the request had its one attempt at a row
		s.auditFailed(c.Request.Context(), err, audit)
		markAudited(c)
		writeAuditUnavailable(c)
		return nil
	}
	if err != nil {
		return err
	}
	markAudited(c)
	c.Header("Location", "/api/v1/matches/"+run.MatchID)
	writeBody(c, run.Body)
	return nil
}

// writeBody answers 200 with a JSON body that is not changed afterwards. When the
// answer is held until it is audited, the body is held as it is rather than
// copied (a run's body is tens of kilobytes).
func writeBody(c *gin.Context, body []byte) {
	if h, ok := c.Writer.(*heldWriter); ok && !h.written {
		c.Header("Content-Type", "application/json; charset=utf-8")
		h.WriteHeader(http.StatusOK)
		h.written, h.body = true, *bytes.NewBuffer(body)
		return
	}
	c.Data(http.StatusOK, "application/json; charset=utf-8", body)
}

func (s *Server) getMatch(c *gin.Context) error {
	run, err := s.Placing.Run(c.Request.Context(), c.Param("id"))
	if err != nil {
		return err
	}
	auditRecords(c, run.Group)
	body := storedRunBody(run.Result)
	if run.RequestedBy == nil {
		body = withNobodyRequested(body)
	}
	c.Data(http.StatusOK, "application/json; charset=utf-8", body)
	return nil
}

// needLevelBefore2 is how runs stored before API 2.0.0 wrote a need's level (the
// level of a need cover that is no risk); 2.0.0 leaves it out.
var needLevelBefore2 = []byte(`,"level":""`)

// storedRunBody is a stored run's body as the contract shows it. A run is answered
// byte for byte as it was sent, except that a run stored before API 2.0.0 had a
// need's level as "": that one member is left out, as 2.0.0 writes it, so that
// every run validates against the contract of today. The bytes are compact JSON
// written by encoding/json, in which `,"level":""` can only be a member (a quote
// inside a string is escaped), level is a key of need covers only, and it follows
// label, so it is never an object's first member.
func storedRunBody(b []byte) []byte {
	if !bytes.Contains(b, needLevelBefore2) {
		return b
	}
	return bytes.ReplaceAll(b, needLevelBefore2, nil)
}

// withNobodyRequested is a stored run's body that does not name who ran it (runs
// stored before runs recorded it) with requested_by null, as the contract shows
// what is not known. The body is a JSON object written by encoding/json, so it
// starts with "{", and a run that names nobody has no requested_by member.
func withNobodyRequested(b []byte) []byte {
	if len(b) < 2 || b[0] != '{' {
		return b
	}
	out := make([]byte, 0, len(b)+len(nobodyRequested)+1)
	out = append(out, '{')
	out = append(out, nobodyRequested...)
	if b[1] != '}' {
		out = append(out, ',')
	}
	return append(out, b[1:]...)
}

var nobodyRequested = []byte(`"requested_by":null`)

// replayMatch computes a stored run again from what it recorded and compares it
// with the same search on today's data.
func (s *Server) replayMatch(c *gin.Context) error {
	r, err := s.Placing.Replay(c.Request.Context(), c.Param("id"))
	if err != nil {
		return err
	}
	auditRecords(c, r.Group) // it names the group's children, as the run does
	c.JSON(http.StatusOK, r)
	return nil
}

// queryBool reads a true/false query parameter, def when it is absent (present but
// empty is invalid).
func queryBool(c *gin.Context, v *placematch.ValidationError, name string, def bool) bool {
	val, ok := c.GetQuery(name)
	if !ok {
		return def
	}
	switch val {
	case "true":
		return true
	case "false":
		return false
	}
	v.Add(name, "must be true or false")
	return def
}
