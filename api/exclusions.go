package api

import (
	"context"
	"slices"
	"strings"
	"unicode/utf8"

	"github.com/gin-gonic/gin"

	"placematch"
	"placematch/matching"
	"placematch/store"
)

// maxExclusionQuery bounds the name or reference searched for.
const maxExclusionQuery = 200

// matchExclusions answers GET /api/v1/matches/{id}/excluded: the providers a run
// excluded and why, a page at a time, by reason or by name or reference. A run
// never changes, so updated_since after the run was stored finds nothing.
func (s *Server) matchExclusions(c *gin.Context) error {
	f := store.ExclusionFilter{Reason: c.Query("reason"), Query: strings.TrimSpace(c.Query("q"))}
	return listPage(c, listing[store.Exclusion]{
		params: []string{"reason", "q"}, since: &f.Since,
		filters: func(v *placematch.ValidationError) {
			if _, ok := c.GetQuery("reason"); ok && !slices.ContainsFunc(matching.ReasonCodes, func(r matching.ReasonCode) bool { return r.Code == f.Reason }) {
				v.Add("reason", "must be one of the reason codes (ReasonCode in openapi.yaml)")
			}
			if _, ok := c.GetQuery("q"); ok && (f.Query == "" || utf8.RuneCountInString(f.Query) > maxExclusionQuery) {
				v.Add("q", "must be between 1 and %d characters", maxExclusionQuery)
			}
		},
		fetch: func(ctx context.Context, limit int, cursor string) (store.Page[store.Exclusion], error) {
			f.Limit, f.Cursor = limit, cursor
			return s.Placing.Exclusions(ctx, c.Param("id"), f)
		},
		show: func(e store.Exclusion) any { return toExclusionOut(e) },
	})
}

// exclusionOut is one exclusion as the API shows it: a reference the run did not
// keep is null.
type exclusionOut struct {
	Provider  placematch.ProviderRef `json:"provider"`
	Reference *string                `json:"reference"`
	Reasons   []string               `json:"reasons"`
	NearMiss  string                 `json:"near_miss,omitempty"`
}

func toExclusionOut(e store.Exclusion) exclusionOut {
	return exclusionOut{Provider: e.Provider, Reference: optString(e.Reference), Reasons: e.Reasons, NearMiss: e.NearMiss}
}
