package api

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/gin-gonic/gin"

	"placematch"
	"placematch/matching"
	"placematch/store"
)

// matchOut is the answer to "where can this child go?", stored as it is sent so
// that GET /matches/{id} returns exactly what the officer saw.
type matchOut struct {
	MatchID     string             `json:"match_id"`
	ChildID     string             `json:"child_id"`
	Group       []string           `json:"group"`
	GeneratedAt time.Time          `json:"generated_at"`
	Weights     map[string]float64 `json:"weights"`
	InputHash   string             `json:"input_hash"`
	matching.Result
}

// matchParams are the query parameters of a search.
func matchParams(c *gin.Context) (matching.Options, error) {
	if err := knownQuery(c, "limit", "kinds", "max_distance_km", "include_excluded"); err != nil {
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
	switch c.DefaultQuery("include_excluded", "true") {
	case "true":
		opt.IncludeExcluded = true
	case "false":
	default:
		v.Add("include_excluded", "must be true or false")
	}
	return opt, v.Err()
}

// matchChild ranks the providers for a child and its siblings still awaiting, and
// stores the run.
func (s *Server) matchChild(c *gin.Context) error {
	ctx := c.Request.Context()
	opt, err := matchParams(c)
	if err != nil {
		return err
	}
	child, err := s.Store.GetChild(ctx, c.Param("id"))
	if err != nil {
		return err
	}
	if child.ArchivedAt != nil {
		return placematch.Errorf(placematch.ErrConflict, "The child's record is archived")
	}
	group, err := s.siblingGroup(c, child)
	if err != nil {
		return err
	}
	now := s.now()
	req := matching.Request{Child: child, Group: group, Today: placematch.DateOf(now), Now: now}
	res, err := s.Matcher.search(ctx, req, opt)
	if err != nil {
		return err
	}
	out := matchOut{MatchID: store.NewMatchID(), ChildID: child.ID, GeneratedAt: now,
		Weights: s.Matcher.weights().Values, Result: res}
	for _, g := range group {
		out.Group = append(out.Group, g.ID)
	}
	auditRecords(c, out.Group) // the run shows every child of the group, not only the one asked for
	out.InputHash = inputHash(group, c.Request.URL.RawQuery, res.WeightsVersion, now)
	body, err := json.Marshal(out)
	if err != nil {
		return err
	}
	run := &store.MatchRun{ID: out.MatchID, ChildID: child.ID, InputHash: out.InputHash,
		WeightsVersion: res.WeightsVersion, Result: body}
	if err := s.Store.SaveMatchRun(ctx, run); err != nil {
		return err
	}
	c.Header("Location", "/api/v1/matches/"+out.MatchID)
	c.Data(http.StatusOK, "application/json; charset=utf-8", body)
	return nil
}

// siblingGroup is the child and its siblings still awaiting a placement.
func (s *Server) siblingGroup(c *gin.Context, child *placematch.Child) ([]*placematch.Child, error) {
	sibs, err := s.Store.ChildrenByIDs(c.Request.Context(), child.Siblings)
	if err != nil {
		return nil, err
	}
	return placematch.AwaitingGroup(child, sibs), nil
}

// inputHash identifies what a run was computed from: the records (by id and
// version), the options, the weights and the day.
func inputHash(group []*placematch.Child, query, weights string, now time.Time) string {
	h := sha256.New()
	for _, g := range group {
		fmt.Fprintf(h, "%s:%d;", g.ID, g.Version)
	}
	fmt.Fprintf(h, "%s;%s;%s", query, weights, placematch.DateOf(now))
	return hex.EncodeToString(h.Sum(nil))
}

func (s *Server) getMatch(c *gin.Context) error {
	run, err := s.Store.GetMatchRun(c.Request.Context(), c.Param("id"))
	if err != nil {
		return err
	}
	var shown struct {
		Group []string `json:"group"`
	}
	if err := json.Unmarshal(run.Result, &shown); err != nil {
		return err
	}
	auditRecords(c, shown.Group)
	c.Data(http.StatusOK, "application/json; charset=utf-8", run.Result)
	return nil
}
