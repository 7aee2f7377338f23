package api

import (
	"net/http"
	"time"

	"github.com/gin-gonic/gin"

	"placematch"
	"placematch/store"
)

// listAudit answers GET /api/v1/audit (admins): the trail, oldest first, filtered by
// subject, resource (id or type) and a time window.
func (s *Server) listAudit(c *gin.Context) {
	if err := knownQuery(c, "limit", "cursor", "subject", "resource", "from", "to"); err != nil {
		fail(c, err)
		return
	}
	v := &placematch.ValidationError{}
	f := store.AuditFilter{Subject: c.Query("subject"), Resource: c.Query("resource")}
	f.Limit, f.Cursor = pageParams(c, v)
	for name, dst := range map[string]*time.Time{"from": &f.From, "to": &f.To} {
		if q := c.Query(name); q != "" {
			t, err := time.Parse(time.RFC3339, q)
			if err != nil {
				v.Add(name, "must be a date-time such as 2026-11-23T09:00:00Z")
			}
			*dst = t
		}
	}
	if err := v.Err(); err != nil {
		fail(c, err)
		return
	}
	page, err := s.Store.ListAudit(c.Request.Context(), f)
	if err != nil {
		fail(c, err)
		return
	}
	items := make([]any, len(page.Items))
	for i, e := range page.Items {
		items[i] = e
	}
	c.JSON(http.StatusOK, listOut{Items: items, NextCursor: page.NextCursor})
}
