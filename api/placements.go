package api

import (
	"context"
	"net/http"
	"strings"

	"github.com/gin-gonic/gin"

	"placematch"
	"placematch/placing"
	"placematch/store"
)

// placementIn books a child and its siblings awaiting (include_siblings, true unless
// set false) into a provider. match_id and match_rank cite the match run the officer chose from;
// decision_reason is required when the chosen rank is not 1.
type placementIn struct {
	ChildID         *string          `json:"child_id"`
	Provider        *providerRefIn   `json:"provider"`
	StartDate       *placematch.Date `json:"start_date"`
	EndDate         *placematch.Date `json:"end_date"`
	IncludeSiblings *bool            `json:"include_siblings"`
	MatchID         *string          `json:"match_id"`
	MatchRank       *int             `json:"match_rank"`
	DecisionReason  *string          `json:"decision_reason" input:"text"`
	// AllocationID cites the allocation run that proposed the provider.
	AllocationID *string `json:"allocation_id"`
	// SplitReason says why siblings awaiting are left behind: required when the
	// booking splits the group (include_siblings false), refused when it splits none.
	SplitReason *string `json:"split_reason" input:"text"`
	// DistanceReason says why a home over 20 miles from home or outside the area
	// is booked: required then (placematch.DistanceReasons).
	DistanceReason *placematch.DistanceReason `json:"distance_reason"`
}

type providerRefIn struct {
	Kind *placematch.ProviderKind `json:"kind"`
	ID   *string                  `json:"id"`
}

// validate reports the missing fields and the cited rank given without its run (or
// the other way round); the values are judged by placing.CheckBooking, as every
// booking is.
func (in *placementIn) validate(v *placematch.ValidationError, today placematch.Date) {
	requiredString(v, "child_id", in.ChildID, 36)
	if required(v, "provider", in.Provider) {
		requiredEnum(v, "provider.kind", in.Provider.Kind, placematch.ProviderKinds)
		requiredString(v, "provider.id", in.Provider.ID, 36)
	}
	required(v, "start_date", in.StartDate)
	if in.AllocationID != nil && !store.ValidID(*in.AllocationID) {
		v.Add("allocation_id", "is not an allocation id")
	}
	if in.MatchRank != nil && in.MatchID == nil {
		v.Add("match_rank", "needs match_id")
	}
	if in.MatchID != nil && in.MatchRank == nil {
		v.Add("match_rank", "is required with match_id")
	}
	placing.CheckBooking(v, in.values(), today)
}

// placementOut is a placement as the API shows it.
type placementOut struct {
	placematch.Record
	ChildID        string                     `json:"child_id"`
	Provider       placematch.ProviderRef     `json:"provider"`
	StartDate      placematch.Date            `json:"start_date"`
	EndDate        placematch.Date            `json:"end_date"`
	Status         placematch.PlacementStatus `json:"status"`
	EndReason      *string                    `json:"end_reason,omitempty"`
	GroupID        string                     `json:"group_id"`
	MatchID        *string                    `json:"match_id"`
	MatchRank      *int                       `json:"match_rank"`
	DecisionReason *string                    `json:"decision_reason"`
	AllocationID   *string                    `json:"allocation_id"`
	SiblingsSplit  bool                       `json:"siblings_split"`
	SplitReason    *string                    `json:"split_reason"`
	// DistanceReason is why a home over 20 miles from home or outside the area was
	// booked; absent when none was needed or recorded (an enumerated value).
	DistanceReason placematch.DistanceReason `json:"distance_reason,omitempty"`
	// OutsideTermsUntil is the last day of an emergency outside the carer's terms
	// (null when the placement is within them).
	OutsideTermsUntil placematch.Date `json:"outside_terms_until"`
	// WishesAndFeelings are the child's as recorded when the placement was booked;
	// null when none were.
	WishesAndFeelings *placematch.Wishes `json:"wishes_and_feelings"`
}

func placementToOut(p *placematch.Placement) placementOut {
	out := placementOut{Record: p.Record, ChildID: p.ChildID, Provider: p.Provider, StartDate: p.StartDate,
		EndDate: p.EndDate, Status: p.Status, EndReason: optString(p.EndReason), GroupID: p.GroupID,
		MatchID: optString(p.MatchID), DecisionReason: optString(p.DecisionReason), AllocationID: optString(p.AllocationID),
		SiblingsSplit: p.SiblingsSplit, SplitReason: optString(p.SplitReason), OutsideTermsUntil: p.OutsideTermsUntil,
		WishesAndFeelings: p.Wishes, DistanceReason: p.DistanceReason}
	if p.MatchRank > 0 {
		rank := p.MatchRank
		out.MatchRank = &rank
	}
	return out
}

// createPlacement books places for a child or a sibling group at one provider; the
// hard rules and the capacity are judged inside the booking transaction.
func (s *Server) createPlacement(c *gin.Context) error {
	var in placementIn
	if err := decodeBody(c.Request, &in); err != nil {
		return err
	}
	v := &placematch.ValidationError{}
	in.validate(v, s.today())
	if err := v.Err(); err != nil {
		return err
	}
	pls, err := s.Placing.Book(c.Request.Context(), in.request())
	if err != nil {
		return err
	}
	out := make([]placementOut, len(pls))
	for i, p := range pls {
		out[i] = placementToOut(p)
	}
	c.Header("Location", "/api/v1/placements/"+pls[0].ID)
	c.JSON(http.StatusCreated, gin.H{"placements": out})
	return nil
}

// request is the validated body as a booking request: siblings are included unless
// include_siblings is false.
func (in *placementIn) request() store.BookRequest {
	req := in.values()
	req.ChildID, req.StartDate = *in.ChildID, *in.StartDate
	req.Provider = placematch.ProviderRef{Kind: *in.Provider.Kind, ID: *in.Provider.ID}
	return req
}

// values are the fields of the body given, as a booking request (the required ones
// left zero when missing).
func (in *placementIn) values() store.BookRequest {
	req := store.BookRequest{IncludeSiblings: in.IncludeSiblings == nil || *in.IncludeSiblings}
	if in.StartDate != nil {
		req.StartDate = *in.StartDate
	}
	if in.EndDate != nil {
		req.EndDate = *in.EndDate
	}
	if in.DecisionReason != nil {
		req.DecisionReason = *in.DecisionReason
	}
	if in.SplitReason != nil {
		req.SplitReason = strings.TrimSpace(*in.SplitReason)
	}
	if in.MatchID != nil {
		req.MatchID = *in.MatchID
	}
	if in.MatchRank != nil {
		req.MatchRank = *in.MatchRank
	}
	if in.AllocationID != nil {
		req.AllocationID = *in.AllocationID
	}
	if in.DistanceReason != nil {
		req.DistanceReason = *in.DistanceReason
	}
	return req
}

func (s *Server) listPlacements(c *gin.Context) error {
	f := store.PlacementFilter{ChildID: c.Query("child_id"), ProviderID: c.Query("provider_id")}
	return listPage(c, listing[*placematch.Placement]{
		params: []string{"child_id", "provider_id", "status"}, changes: &f.Changes,
		filters: func(v *placematch.ValidationError) {
			f.Status = queryEnum(c, v, "status", placematch.PlacementStatuses)
			for name, id := range map[string]string{"child_id": f.ChildID, "provider_id": f.ProviderID} {
				if id != "" && !store.ValidID(id) {
					v.Add(name, "must be an id (a UUID)")
				}
			}
		},
		fetch: func(ctx context.Context, limit int, cursor string) (store.Page[*placematch.Placement], error) {
			f.Limit, f.Cursor = limit, cursor
			return s.Store.ListPlacements(ctx, f)
		},
		show: func(p *placematch.Placement) any { return placementToOut(p) },
	})
}

func (s *Server) getPlacement(c *gin.Context) error {
	p, err := s.Store.GetPlacement(c.Request.Context(), c.Param("id"))
	if err != nil {
		return err
	}
	respond(c, http.StatusOK, p.Version, placementToOut(p))
	return nil
}

// placementPatch is the body of PATCH /api/v1/placements/{id}, a
// placematch.PlacementChange: which changes are allowed is the domain's rule
// (Placement.Apply), applied on the locked row; the store checks the transition
// again before writing.
type placementPatch struct {
	Status         *placematch.PlacementStatus `json:"status"`
	StartDate      *placematch.Date            `json:"start_date"`
	EndDate        *placematch.Date            `json:"end_date"`
	EndReason      *string                     `json:"end_reason"`
	DecisionReason *string                     `json:"decision_reason" input:"text"`
}

func (s *Server) patchPlacement(c *gin.Context) error {
	ifVersion, err := ifMatch(c)
	if err != nil {
		return err
	}
	var in placementPatch
	if err := decodeBody(c.Request, &in); err != nil {
		return err
	}
	p, err := s.Placing.ChangePlacement(c.Request.Context(), c.Param("id"), ifVersion, placematch.PlacementChange(in))
	if err != nil {
		return err
	}
	if in.Status != nil && *in.Status == placematch.PlacementCancelled {
		c.Set(auditActionKey, "placement.cancel") // the trail names a cancellation as one
	}
	respond(c, http.StatusOK, p.Version, placementToOut(p))
	return nil
}

func (s *Server) archivePlacement(c *gin.Context) error {
	ifVersion, err := ifMatch(c)
	if err != nil {
		return err
	}
	if err := s.Store.ArchivePlacement(c.Request.Context(), c.Param("id"), ifVersion); err != nil {
		return err
	}
	c.Status(http.StatusNoContent)
	return nil
}
