package api

import (
	"net/http"
	"strings"

	"github.com/gin-gonic/gin"

	"placematch"
	"placematch/store"
)

// placementIn books a child (and with include_siblings its siblings awaiting) into
// a provider. match_id and match_rank cite the match run the officer chose from;
// decision_reason is required when the chosen rank is not 1.
type placementIn struct {
	ChildID         *string          `json:"child_id"`
	Provider        *providerRefIn   `json:"provider"`
	StartDate       *placematch.Date `json:"start_date"`
	EndDate         *placematch.Date `json:"end_date"`
	IncludeSiblings bool             `json:"include_siblings"`
	MatchID         *string          `json:"match_id"`
	MatchRank       *int             `json:"match_rank"`
	DecisionReason  *string          `json:"decision_reason" input:"text"`
	// SplitReason says why siblings awaiting are left behind (optional for now);
	// the store refuses it when the booking splits no group.
	SplitReason *string `json:"split_reason" input:"text"`
}

type providerRefIn struct {
	Kind *placematch.ProviderKind `json:"kind"`
	ID   *string                  `json:"id"`
}

// maxBackdateYears is how far before today a booking may start: placements are recorded
// late sometimes, but never years late; a start long ago is a typing error that
// would distort every report of the period.
const maxBackdateYears = 1

func (in *placementIn) validate(v *placematch.ValidationError, today placematch.Date) {
	requiredString(v, "child_id", in.ChildID, 36)
	if required(v, "provider", in.Provider) {
		requiredEnum(v, "provider.kind", in.Provider.Kind, placematch.ProviderKinds)
		requiredString(v, "provider.id", in.Provider.ID, 36)
	}
	if required(v, "start_date", in.StartDate) {
		if earliest := placematch.DateOf(today.Time().AddDate(-maxBackdateYears, 0, 0)); in.StartDate.Before(earliest) {
			v.Add("start_date", "must not be more than %d year before today (%s)", maxBackdateYears, earliest)
		}
	}
	if in.StartDate != nil && in.EndDate != nil && in.EndDate.Before(*in.StartDate) {
		v.Add("end_date", "must not be before start_date")
	}
	if in.DecisionReason != nil {
		maxLen(v, "decision_reason", *in.DecisionReason, 2000)
	}
	if in.SplitReason != nil {
		maxLen(v, "split_reason", *in.SplitReason, 2000)
	}
	if in.MatchRank != nil && in.MatchID == nil {
		v.Add("match_rank", "needs match_id")
	}
	if in.MatchID != nil && in.MatchRank == nil {
		v.Add("match_rank", "is required with match_id")
	}
	if in.MatchRank != nil && *in.MatchRank < 1 {
		v.Add("match_rank", "must be at least 1")
	}
	if in.MatchRank != nil && *in.MatchRank > 1 && (in.DecisionReason == nil || *in.DecisionReason == "") {
		v.Add("decision_reason", "is required when the chosen match is not rank 1")
	}
}

// placementOut is a placement as the API shows it.
type placementOut struct {
	placematch.Record
	ChildID        string                     `json:"child_id"`
	Provider       placematch.ProviderRef     `json:"provider"`
	StartDate      placematch.Date            `json:"start_date"`
	EndDate        placematch.Date            `json:"end_date"`
	Status         placematch.PlacementStatus `json:"status"`
	EndReason      string                     `json:"end_reason"`
	GroupID        string                     `json:"group_id"`
	MatchID        string                     `json:"match_id"`
	MatchRank      int                        `json:"match_rank"`
	DecisionReason string                     `json:"decision_reason"`
	SiblingsSplit  bool                       `json:"siblings_split"`
	SplitReason    string                     `json:"split_reason"`
}

func placementToOut(p *placematch.Placement) placementOut {
	return placementOut{Record: p.Record, ChildID: p.ChildID, Provider: p.Provider, StartDate: p.StartDate,
		EndDate: p.EndDate, Status: p.Status, EndReason: p.EndReason, GroupID: p.GroupID, MatchID: p.MatchID,
		MatchRank: p.MatchRank, DecisionReason: p.DecisionReason, SiblingsSplit: p.SiblingsSplit, SplitReason: p.SplitReason}
}

// createPlacement books places for a child or a sibling group at one provider; the
// hard rules and the capacity are judged inside the booking transaction.
func (s *Server) createPlacement(c *gin.Context) {
	var in placementIn
	if err := decodeBody(c.Request, &in); err != nil {
		fail(c, err)
		return
	}
	v := &placematch.ValidationError{}
	in.validate(v, s.today())
	if err := v.Err(); err != nil {
		fail(c, err)
		return
	}
	req := store.BookRequest{ChildID: *in.ChildID, StartDate: *in.StartDate, IncludeSiblings: in.IncludeSiblings,
		Provider: placematch.ProviderRef{Kind: *in.Provider.Kind, ID: *in.Provider.ID}}
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
		req.MatchID, req.MatchRank = *in.MatchID, *in.MatchRank
	}
	pls, err := s.Placing.Book(c.Request.Context(), req)
	if err != nil {
		fail(c, err)
		return
	}
	out := make([]placementOut, len(pls))
	for i, p := range pls {
		out[i] = placementToOut(p)
	}
	c.Header("Location", "/api/v1/placements/"+pls[0].ID)
	c.JSON(http.StatusCreated, gin.H{"placements": out})
}

func (s *Server) listPlacements(c *gin.Context) {
	if err := knownQuery(c, "limit", "cursor", "child_id", "provider_id", "status"); err != nil {
		fail(c, err)
		return
	}
	v := &placematch.ValidationError{}
	f := store.PlacementFilter{ChildID: c.Query("child_id"), ProviderID: c.Query("provider_id")}
	f.Limit, f.Cursor = pageParams(c, v)
	if st := c.Query("status"); st != "" {
		enum(v, "status", placematch.PlacementStatus(st), placematch.PlacementStatuses)
		f.Status = st
	}
	if err := v.Err(); err != nil {
		fail(c, err)
		return
	}
	page, err := s.Store.ListPlacements(c.Request.Context(), f)
	if err != nil {
		fail(c, err)
		return
	}
	items := make([]any, len(page.Items))
	for i, p := range page.Items {
		items[i] = placementToOut(p)
	}
	c.JSON(http.StatusOK, listOut{Items: items, NextCursor: page.NextCursor})
}

func (s *Server) getPlacement(c *gin.Context) {
	p, err := s.Store.GetPlacement(c.Request.Context(), c.Param("id"))
	if err != nil {
		fail(c, err)
		return
	}
	respond(c, http.StatusOK, p.Version, placementToOut(p))
}

// placementPatch changes a placement: end it (status ended, end_reason, end_date),
// cancel it before it starts (status cancelled), plan its end (end_date), or add the
// officer's reason. Which changes of status are allowed is the domain's rule
// (Placement.CheckTransition), applied by the store on the locked row. start_date
// only repairs a stored start date that cannot be read (read as unset); a booking's
// start is otherwise fixed.
type placementPatch struct {
	Status         *placematch.PlacementStatus `json:"status"`
	StartDate      *placematch.Date            `json:"start_date"`
	EndDate        *placematch.Date            `json:"end_date"`
	EndReason      *string                     `json:"end_reason"`
	DecisionReason *string                     `json:"decision_reason" input:"text"`
}

func (s *Server) patchPlacement(c *gin.Context) {
	ifVersion, err := ifMatch(c)
	if err != nil {
		fail(c, err)
		return
	}
	var in placementPatch
	if err := decodeBody(c.Request, &in); err != nil {
		fail(c, err)
		return
	}
	today := s.today()
	p, err := s.Store.UpdatePlacement(c.Request.Context(), c.Param("id"), ifVersion, func(p *placematch.Placement) error {
		v := &placematch.ValidationError{}
		if in.StartDate != nil && !p.StartDate.IsZero() && *in.StartDate != p.StartDate {
			v.Add("start_date", "cannot be changed; end the placement and book again")
		}
		if in.StartDate != nil && p.StartDate.IsZero() {
			p.StartDate = *in.StartDate
		}
		if in.Status != nil {
			enum(v, "status", *in.Status, placematch.PlacementStatuses)
			was := p.Status
			p.Status = *in.Status
			if v.Err() == nil {
				// A change of status the domain forbids is a conflict whatever the
				// other fields say; the store checks it again before writing.
				if err := p.CheckTransition(was, today); err != nil {
					return err
				}
			}
		}
		if in.EndDate != nil {
			p.EndDate = *in.EndDate
		}
		if in.EndReason != nil {
			enum(v, "end_reason", *in.EndReason, placematch.EndReasons)
			p.EndReason = *in.EndReason
		}
		if in.DecisionReason != nil {
			maxLen(v, "decision_reason", *in.DecisionReason, 2000)
			p.DecisionReason = *in.DecisionReason
		}
		if p.Status == placematch.PlacementEnded {
			if p.EndReason == "" {
				v.Add("end_reason", "is required to end a placement (an SSDA903 REASON_PLACE_CHANGE code)")
			}
			if p.EndDate.IsZero() {
				p.EndDate = today
			}
		}
		if !p.EndDate.IsZero() && p.EndDate.Before(p.StartDate) {
			v.Add("end_date", "must not be before start_date")
		}
		if p.Status == placematch.PlacementEnded && p.EndDate.After(today) {
			v.Add("end_date", "an ended placement cannot end after today; keep it active with a planned end_date instead")
		}
		return v.Err()
	})
	if err != nil {
		fail(c, err)
		return
	}
	if in.Status != nil && *in.Status == placematch.PlacementCancelled {
		c.Set(auditActionKey, "placement.cancel") // the trail names a cancellation as one
	}
	respond(c, http.StatusOK, p.Version, placementToOut(p))
}

func (s *Server) archivePlacement(c *gin.Context) {
	ifVersion, err := ifMatch(c)
	if err != nil {
		fail(c, err)
		return
	}
	if err := s.Store.ArchivePlacement(c.Request.Context(), c.Param("id"), ifVersion); err != nil {
		fail(c, err)
		return
	}
	c.Status(http.StatusNoContent)
}
