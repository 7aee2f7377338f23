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

// A row stands for many requests (a summary) or many records (a list page): both
// are kept, and a row is found by any record it lists, never by a part of an id or a
// LIKE wildcard.
func TestAuditRowsCountRequestsAndListRecords(t *testing.T) {
	eachDialect(t, func(t *testing.T, db *store.DB) {
		ids := []string{"0190c1a2-0000-7000-8000-000000000001", "0190c1a2-0000-7000-8000-000000000002"}
		must(t, db.AppendAudit(ctx, &store.AuditEvent{Subject: "officer-1", Role: "placement_officer", Action: "child.list",
			ResourceType: "child", ResourceIDs: ids, Outcome: "success", Status: 200}))
		must(t, db.AppendAudit(ctx, &store.AuditEvent{Action: "rate_limited", Outcome: "refused", Status: 429,
			ClientAddr: "192.0.2.7", Count: 41}))
		page, err := db.ListAudit(ctx, store.AuditFilter{Resource: ids[1]})
		must(t, err)
		if len(page.Items) != 1 || page.Items[0].Action != "child.list" || len(page.Items[0].ResourceIDs) != 2 ||
			page.Items[0].ResourceIDs[0] != ids[0] || page.Items[0].Count != 1 {
			t.Fatalf("by listed id: %+v", page.Items)
		}
		for _, partial := range []string{ids[1][:20], "0190c1a2-0000-7000-8000-00000000000_", "%"} {
			page, err = db.ListAudit(ctx, store.AuditFilter{Resource: partial})
			must(t, err)
			if len(page.Items) != 0 {
				t.Fatalf("%q matched %+v", partial, page.Items)
			}
		}
		page, err = db.ListAudit(ctx, store.AuditFilter{})
		must(t, err)
		if len(page.Items) != 2 || page.Items[1].Count != 41 || page.Items[1].ResourceIDs != nil {
			t.Fatalf("summary row: %+v", page.Items)
		}
		many := make([]string, store.MaxAuditResourceIDs+1)
		for i := range many {
			many[i] = ids[0]
		}
		if err := db.AppendAudit(ctx, &store.AuditEvent{Action: "child.list", ResourceIDs: many}); err == nil {
			t.Fatal("an unbounded list of ids was stored")
		}
		if err := db.AppendAudit(ctx, &store.AuditEvent{Action: "child.list", ResourceIDs: []string{"a b"}}); err == nil {
			t.Fatal("an id with a space was stored")
		}
	})
}
