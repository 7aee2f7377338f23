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
		params: []string{"subject", "resource", "from", "to"}, since: &f.Since,
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
		show: func(e store.AuditEvent) any { return toAuditOut(e) },
	})
}

// auditOut is one audit row as the API shows it: what a row does not know (no
// valid token, so no subject or role; no record) is null, never an empty string.
type auditOut struct {
	ID           string    `json:"id"`
	At           time.Time `json:"at"`
	Subject      *string   `json:"subject"`
	Role         *string   `json:"role"`
	Action       string    `json:"action"`
	ResourceType *string   `json:"resource_type"`
	ResourceID   *string   `json:"resource_id"`
	Outcome      string    `json:"outcome"`
	Status       int       `json:"status"`
	RequestID    *string   `json:"request_id"`
	ClientAddr   *string   `json:"client_addr"`
	Count        int       `json:"count"`
	ResourceIDs  []string  `json:"resource_ids,omitempty"`
}

func toAuditOut(e store.AuditEvent) auditOut {
	return auditOut{ID: e.ID, At: e.At, Subject: optString(e.Subject), Role: optString(e.Role), Action: e.Action,
		ResourceType: optString(e.ResourceType), ResourceID: optString(e.ResourceID), Outcome: e.Outcome,
		Status: e.Status, RequestID: optString(e.RequestID), ClientAddr: optString(e.ClientAddr), Count: e.Count,
		ResourceIDs: e.ResourceIDs}
}
