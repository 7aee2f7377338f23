package api

import (
	"net/http"

	"github.com/gin-gonic/gin"

	"placematch"
	"placematch/store"
)

func (s *Server) listChildren(c *gin.Context) {
	if err := knownQuery(c, "limit", "cursor", "status", "district", "urgency", "placement_type", "reference"); err != nil {
		fail(c, err)
		return
	}
	v := &placematch.ValidationError{}
	f := store.ChildFilter{District: c.Query("district"), Reference: c.Query("reference")}
	f.Limit, f.Cursor = pageParams(c, v)
	if st := c.Query("status"); st != "" {
		enum(v, "status", placematch.ChildStatus(st), placematch.ChildStatuses)
		f.Status = st
	}
	if u := c.Query("urgency"); u != "" {
		enum(v, "urgency", u, placematch.Urgencies)
		f.Urgency = u
	}
	if pt := c.Query("placement_type"); pt != "" {
		enum(v, "placement_type", placematch.PlacementType(pt), placematch.PlacementTypes)
		f.PlacementType = pt
	}
	if err := v.Err(); err != nil {
		fail(c, err)
		return
	}
	page, err := s.Store.ListChildren(c.Request.Context(), f)
	if err != nil {
		fail(c, err)
		return
	}
	items := make([]any, len(page.Items))
	ids := make([]string, len(page.Items))
	for i, ch := range page.Items {
		items[i] = childToOut(ch, s.today())
		ids[i] = ch.ID
	}
	auditRecords(c, ids) // every child shown, not only that a list was read
	c.JSON(http.StatusOK, listOut{Items: items, NextCursor: page.NextCursor})
}

func (s *Server) getChild(c *gin.Context) {
	ch, err := s.Store.GetChild(c.Request.Context(), c.Param("id"))
	if err != nil {
		fail(c, err)
		return
	}
	respond(c, http.StatusOK, ch.Version, childToOut(ch, s.today()))
}

func (s *Server) createChild(c *gin.Context) {
	var in childIn
	if err := decodeBody(c.Request, &in); err != nil {
		fail(c, err)
		return
	}
	v := &placematch.ValidationError{}
	in.validate(v, s.today(), false)
	if err := v.Err(); err != nil {
		fail(c, err)
		return
	}
	ch := &placematch.Child{Status: placematch.ChildAwaiting}
	in.apply(ch)
	if err := s.resolveChildHome(c, &in, ch); err != nil {
		fail(c, err)
		return
	}
	if err := s.Store.CreateChild(c.Request.Context(), ch); err != nil {
		fail(c, err)
		return
	}
	c.Header("Location", "/api/v1/children/"+ch.ID)
	respond(c, http.StatusCreated, ch.Version, childToOut(ch, s.today()))
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

func (s *Server) patchChild(c *gin.Context) {
	ctx := c.Request.Context()
	patch, ifVersion, err := readPatch(c)
	if err != nil {
		fail(c, err)
		return
	}
	move, err := s.postcodePatch(ctx, patch)
	if err != nil {
		fail(c, err)
		return
	}
	ch, err := s.Store.UpdateChild(ctx, c.Param("id"), ifVersion, func(ch *placematch.Child) error {
		var home placematch.Point
		if ch.Location != nil {
			home = *ch.Location
		}
		move.apply(&ch.Postcode, &home)
		if move.set && !move.keepLocation {
			ch.Location = &home
		}
		merged, err := mergePatch(childToIn(ch), patch)
		if err != nil {
			return err
		}
		var in childIn
		if err := decodeStrict(merged, &in); err != nil {
			return err
		}
		v := &placematch.ValidationError{}
		in.validate(v, s.today(), ch.Status == placematch.ChildPlaced)
		if ch.Status == placematch.ChildPlaced && in.Status != nil && *in.Status != placematch.ChildPlaced {
			v.Add("status", "the child has an active placement; end the placement to change the status")
		}
		if ch.Status != placematch.ChildPlaced && in.Status != nil && *in.Status == placematch.ChildPlaced {
			v.Add("status", "only booking a placement places a child")
		}
		if err := v.Err(); err != nil {
			return err
		}
		postcode := ch.Postcode
		in.apply(ch)
		ch.Postcode = postcode
		return nil
	})
	if err != nil {
		fail(c, err)
		return
	}
	respond(c, http.StatusOK, ch.Version, childToOut(ch, s.today()))
}

func (s *Server) archiveChild(c *gin.Context) {
	ifVersion, err := ifMatch(c)
	if err != nil {
		fail(c, err)
		return
	}
	if err := s.Store.ArchiveChild(c.Request.Context(), c.Param("id"), ifVersion); err != nil {
		fail(c, err)
		return
	}
	c.Status(http.StatusNoContent)
}
