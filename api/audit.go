package api

import (
	"context"
	"time"

	"github.com/gin-gonic/gin"

	"placematch"
	"placematch/store"
)

// listAudit answers GET /api/v1/audit (admins): the trail, oldest first, filtered by
// subject, resource (id or type) and a time window.
func (s *Server) listAudit(c *gin.Context) error {
	f := store.AuditFilter{Subject: c.Query("subject"), Resource: c.Query("resource")}
	return listPage(c, listing[store.AuditEvent]{
		params: []string{"subject", "resource", "from", "to"},
		filters: func(v *placematch.ValidationError) {
			for name, dst := range map[string]*time.Time{"from": &f.From, "to": &f.To} {
				if q := c.Query(name); q != "" {
					t, err := time.Parse(time.RFC3339, q)
					if err != nil {
						v.Add(name, "must be a date-time such as 2026-11-23T09:00:00Z")
					}
					*dst = t
				}
			}
		},
		fetch: func(ctx context.Context, limit int, cursor string) (store.Page[store.AuditEvent], error) {
			f.Limit, f.Cursor = limit, cursor
			return s.Store.ListAudit(ctx, f)
		},
		show: func(e store.AuditEvent) any { return e },
	})
}
