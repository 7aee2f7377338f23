package store_test

import (
	"testing"

	"placematch/store"
)

func TestAuditTrailIsAppendOnly(t *testing.T) {
	eachDialect(t, func(t *testing.T, db *store.DB) {
		must(t, db.AppendAudit(ctx, &store.AuditEvent{Subject: "officer-1", Role: "placement_officer", Action: "child.read",
			ResourceType: "child", ResourceID: "c1", Outcome: "denied", Status: 403, RequestID: "r1", ClientAddr: "127.0.0.1"}))
		must(t, db.AppendAudit(ctx, &store.AuditEvent{Subject: "admin-1", Role: "admin", Action: "audit.read",
			ResourceType: "audit", Outcome: "success", Status: 200}))
		if err := db.TamperAudit(ctx); err == nil {
			t.Fatal("an audit row was updated")
		}
		if err := db.DeleteAudit(ctx); err == nil {
			t.Fatal("audit rows were deleted")
		}
		page, err := db.ListAudit(ctx, store.AuditFilter{Subject: "officer-1"})
		must(t, err)
		if len(page.Items) != 1 || page.Items[0].Outcome != "denied" || page.Items[0].ResourceID != "c1" {
			t.Fatalf("trail changed or filter wrong: %+v", page.Items)
		}
		page, err = db.ListAudit(ctx, store.AuditFilter{Resource: "audit"})
		must(t, err)
		if len(page.Items) != 1 || page.Items[0].Subject != "admin-1" {
			t.Fatalf("resource filter: %+v", page.Items)
		}
	})
}
