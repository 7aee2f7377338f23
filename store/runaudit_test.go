package store_test

import (
	"errors"
	"testing"

	"placematch"
	"placematch/store"
	"placematch/store/storetest"
)

// A run and the audit row of the request that made it are one write: when the row
// cannot be written (here the trail's table is taken away) no run is stored, and
// when the run cannot be (its id is taken) no row is; with both writable, both are
// there. On both engines, on the real schema.
func TestMatchRunAndItsAuditRowAreOneWrite(t *testing.T) {
	for _, d := range storetest.Dialects() {
		t.Run(d, func(t *testing.T) {
			t.Parallel()
			db := storetest.Open(t, d)
			child := storetest.Child("TX-A")
			must(t, db.CreateChild(ctx, child))
			run := func() *store.MatchRun {
				return &store.MatchRun{ID: store.NewMatchID(), ChildID: child.ID, Group: []string{child.ID}, InputHash: "h",
					WeightsVersion: "v1", Result: []byte(`{}`), Excluded: []store.Exclusion{},
					Audit: &store.AuditEvent{Subject: "officer-tx", Role: "placement_officer", Action: "match.run",
						ResourceType: "child", ResourceID: child.ID, ResourceIDs: []string{child.ID}, Outcome: "success", Status: 200}}
			}
			rows := func() int {
				page, err := db.ListAudit(ctx, store.AuditFilter{Subject: "officer-tx", Limit: 100})
				must(t, err)
				return len(page.Items)
			}

			must(t, db.ExecRaw(ctx, "ALTER TABLE audit_events RENAME TO audit_events_away"))
			lost := run()
			err := db.SaveMatchRun(ctx, lost)
			if !errors.Is(err, store.ErrAuditUnwritten) {
				t.Fatalf("saving with the trail away: %v, want ErrAuditUnwritten", err)
			}
			if _, err := db.GetMatchRun(ctx, lost.ID); !errors.Is(err, placematch.ErrNotFound) {
				t.Fatalf("the run whose audit row failed was stored: %v", err)
			}
			must(t, db.ExecRaw(ctx, "ALTER TABLE audit_events_away RENAME TO audit_events"))

			kept := run()
			must(t, db.SaveMatchRun(ctx, kept))
			if _, err := db.GetMatchRun(ctx, kept.ID); err != nil {
				t.Fatalf("the run was not stored: %v", err)
			}
			if n := rows(); n != 1 {
				t.Fatalf("%d audit rows after one run, want 1", n)
			}

			again := run()
			again.ID = kept.ID // taken: the run's insert fails
			if err := db.SaveMatchRun(ctx, again); err == nil || errors.Is(err, store.ErrAuditUnwritten) {
				t.Fatalf("saving a run under a taken id: %v, want the run's own failure", err)
			}
			if n := rows(); n != 1 {
				t.Fatalf("%d audit rows after a run that was not stored, want 1", n)
			}
		})
	}
}
