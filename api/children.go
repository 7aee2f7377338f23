package api

import (
	"context"
	"net/http"

	"github.com/gin-gonic/gin"

	"placematch"
	"placematch/store"
)

func (s *Server) listChildren(c *gin.Context) error {
	f := store.ChildFilter{District: c.Query("district"), Reference: c.Query("reference")}
	today, ids := s.today(), []string{}
	err := listPage(c, listing[*placematch.Child]{
		params:  []string{"status", "district", "urgency", "placement_type", "reference"},
		changes: &f.Changes,
		filters: func(v *placematch.ValidationError) {
			f.Status = queryEnum(c, v, "status", placematch.ChildStatuses)
			f.Urgency = queryEnum(c, v, "urgency", placematch.Urgencies)
			f.PlacementType = queryEnum(c, v, "placement_type", placematch.PlacementTypes)
		},
		fetch: func(ctx context.Context, limit int, cursor string) (store.Page[*placematch.Child], error) {
			f.Limit, f.Cursor = limit, cursor
			return s.Store.ListChildren(ctx, f)
		},
		show: func(ch *placematch.Child) any {
			ids = append(ids, ch.ID)
			return childToOut(ch, today)
		},
	})
	if err == nil {
		auditRecords(c, ids) // every child shown, not only that a list was read
	}
	return err
}

func (s *Server) getChild(c *gin.Context) error {
	ch, err := s.Store.GetChild(c.Request.Context(), c.Param("id"))
	if err != nil {
		return err
	}
	respond(c, http.StatusOK, ch.Version, childToOut(ch, s.today()))
	return nil
}

func (s *Server) createChild(c *gin.Context) error {
	var in childIn
	if err := decodeBody(c.Request, &in); err != nil {
		return err
	}
	v := &placematch.ValidationError{}
	in.validate(v, s.today(), false)
	if err := v.Err(); err != nil {
		return err
	}
	ch := &placematch.Child{Status: placematch.ChildAwaiting}
	in.apply(ch)
	if err := s.resolveChildHome(c, &in, ch); err != nil {
		return err
	}
	if err := s.Store.CreateChild(c.Request.Context(), ch); err != nil {
		return err
	}
	c.Header("Location", "/api/v1/children/"+ch.ID)
	respond(c, http.StatusCreated, ch.Version, childToOut(ch, s.today()))
	return nil
}

// resolveChildHome sets the home from the postcode when no location was given.
func (s *Server) resolveChildHome(c *gin.Context, in *childIn, ch *placematch.Child) error {
	if in.Postcode == nil || *in.Postcode == "" {
		ch.Postcode = ""
		return nil
	}
	var home placematch.Point
	if err := s.resolvePlace(c.Request.Context(), in.Location, in.Postcode, &home, &ch.Postcode); err != nil {
		return err
	}
	ch.Location = &home
	return nil
}

// patchChild applies a JSON merge patch (see patch.go).
func (s *Server) patchChild(c *gin.Context) error {
	req, move, err := s.readPlacePatch(c)
	if err != nil {
		return err
	}
	pt := s.childPatching(c.Request.Context(), c.Param("id"))
	pt.decide = func(ch *placematch.Child) (func(*placematch.Child), error) { return s.childChange(ch, req.patch, move) }
	ch, err := patchRecord(req.ifVersion, pt)
	if err != nil {
		return err
	}
	respond(c, http.StatusOK, ch.Version, childToOut(ch, s.today()))
	return nil
}

// childChange merges patch (its postcode already resolved into move) over the child
// ch as a create body, decodes and validates the result like a create, and returns
// the change to write. A placed child's status follows its placements: a patch can
// neither place a child nor change a placed child's status.
func (s *Server) childChange(ch *placematch.Child, patch map[string]any, move postcodeMove) (func(*placematch.Child), error) {
	moveChild(ch, move)
	var in childIn
	if err := mergeInto(childToIn(ch), patch, &in); err != nil {
		return nil, err
	}
	v := &placematch.ValidationError{}
	placed := ch.Status == placematch.ChildPlaced
	in.validate(v, s.today(), placed)
	if placed && in.Status != nil && *in.Status != placematch.ChildPlaced {
		v.Add("status", "the child has an active placement; end the placement to change the status")
	}
	if !placed && in.Status != nil && *in.Status == placematch.ChildPlaced {
		v.Add("status", "only booking a placement places a child")
	}
	if err := v.Err(); err != nil {
		return nil, err
	}
	return func(ch *placematch.Child) {
		moveChild(ch, move)
		postcode := ch.Postcode
		in.apply(ch)
		ch.Postcode = postcode
	}, nil
}

// moveChild applies what a patch says of the child's postcode, and of its home when
// the postcode moves it.
func moveChild(ch *placematch.Child, move postcodeMove) {
	var home placematch.Point
	if ch.Location != nil {
		home = *ch.Location
	}
	move.apply(&ch.Postcode, &home)
	if move.set && !move.keepLocation {
		ch.Location = &home
	}
}

func (s *Server) archiveChild(c *gin.Context) error {
	ifVersion, err := ifMatch(c)
	if err != nil {
		return err
	}
	if err := s.Store.ArchiveChild(c.Request.Context(), c.Param("id"), ifVersion); err != nil {
		return err
	}
	c.Status(http.StatusNoContent)
	return nil
}
