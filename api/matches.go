package api

import (
	"net/http"
	"strconv"
	"strings"

	"github.com/gin-gonic/gin"

	"placematch"
	"placematch/matching"
	"placematch/placing"
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
	opt.IncludeExcluded = queryBool(c, v, "include_excluded", true)
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
	run, err := s.Placing.Match(c.Request.Context(),
		placing.MatchRequest{ChildID: c.Param("id"), Options: opt, Query: c.Request.URL.RawQuery})
	if err != nil {
		return err
	}
	auditRecords(c, run.Group) // the run shows every child of the group, not only the one asked for
	c.Header("Location", "/api/v1/matches/"+run.MatchID)
	c.Data(http.StatusOK, "application/json; charset=utf-8", run.Body)
	return nil
}

func (s *Server) getMatch(c *gin.Context) error {
	run, err := s.Placing.Run(c.Request.Context(), c.Param("id"))
	if err != nil {
		return err
	}
	auditRecords(c, run.Group)
	c.Data(http.StatusOK, "application/json; charset=utf-8", run.Result)
	return nil
}

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
