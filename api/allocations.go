package api

import (
	"fmt"
	"net/http"

	"github.com/gin-gonic/gin"

	"placematch"
	"placematch/placing"
	"placematch/store"
)

// allocationIn asks for an allocation across the queue: the children named (each
// with its siblings still awaiting), or every child awaiting when child_ids is
// left out.
type allocationIn struct {
	ChildIDs            *[]string                  `json:"child_ids"`
	Kinds               *[]placematch.ProviderKind `json:"kinds"`
	MaxDistanceKM       *float64                   `json:"max_distance_km"`
	HoldEmergencyPlaces *int                       `json:"hold_emergency_places"`
}

func (in *allocationIn) validate(v *placematch.ValidationError) placing.AllocateRequest {
	req := placing.AllocateRequest{MaxDistanceKM: in.MaxDistanceKM, HoldEmergencyPlaces: in.HoldEmergencyPlaces}
	if in.ChildIDs != nil {
		if len(*in.ChildIDs) == 0 {
			v.Add("child_ids", "must name at least one child, or be left out to allocate every child awaiting")
		}
		if len(*in.ChildIDs) > placing.MaxAllocationChildren {
			v.Add("child_ids", "must name at most %d children", placing.MaxAllocationChildren)
		}
		for i, id := range *in.ChildIDs {
			if !store.ValidID(id) {
				v.Add(fmt.Sprintf("child_ids[%d]", i), "is not a child id")
			}
		}
		req.ChildIDs = *in.ChildIDs
	}
	if in.Kinds != nil {
		if len(*in.Kinds) == 0 {
			v.Add("kinds", "must name at least one kind, or be left out for every kind")
		}
		for i, k := range *in.Kinds {
			enum(v, fmt.Sprintf("kinds[%d]", i), k, placematch.ProviderKinds)
		}
		req.Kinds = *in.Kinds
	}
	if d := in.MaxDistanceKM; d != nil && (*d <= 0 || *d > 1000) {
		v.Add("max_distance_km", "must be a number more than 0 and at most 1000")
	}
	if h := in.HoldEmergencyPlaces; h != nil && (*h < 0 || *h > placing.MaxHoldEmergencyPlaces) {
		v.Add("hold_emergency_places", "must be a whole number from 0 to %d", placing.MaxHoldEmergencyPlaces)
	}
	return req
}

// createAllocation proposes one provider for each group of the queue, books
// nothing, and answers the stored run.
func (s *Server) createAllocation(c *gin.Context) error {
	var in allocationIn
	if err := decodeBody(c.Request, &in); err != nil {
		return err
	}
	v := &placematch.ValidationError{}
	req := in.validate(v)
	if err := v.Err(); err != nil {
		return err
	}
	al, err := s.Placing.Allocate(c.Request.Context(), req)
	if err != nil {
		return err
	}
	auditRecords(c, al.Children) // the run shows every child it allocated for
	c.Header("Location", "/api/v1/allocations/"+al.AllocationID)
	c.Data(http.StatusCreated, "application/json; charset=utf-8", al.Body)
	return nil
}

func (s *Server) getAllocation(c *gin.Context) error {
	al, err := s.Placing.GetAllocation(c.Request.Context(), c.Param("id"))
	if err != nil {
		return err
	}
	auditRecords(c, al.Children)
	c.Data(http.StatusOK, "application/json; charset=utf-8", al.Result)
	return nil
}
