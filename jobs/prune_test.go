package jobs

import (
	"errors"
	"testing"
	"time"

	"placematch"
	"placematch/store"
	"placematch/store/storetest"
)

// The nightly prune deletes uncited runs older than its retention, and counts them.
func TestPruneMatchRunsJob(t *testing.T) {
	eachDialect(t, func(t *testing.T, db *store.DB) {
		c := storetest.Child("A")
		must(t, db.CreateChild(ctx, c))
		var ids []string
		for _, age := range []time.Duration{40 * 24 * time.Hour, 5 * 24 * time.Hour} {
			db.Now = func() time.Time { return fixed().Add(-age) }
			m := &store.MatchRun{ChildID: c.ID, InputHash: "h", WeightsVersion: "v1", Result: []byte("{}")}
			must(t, db.SaveMatchRun(ctx, m))
			ids = append(ids, m.ID)
		}
		db.Now = fixed
		s := newScheduler(t, db, PruneMatchRuns{Store: db, Now: fixed, Retention: 30 * 24 * time.Hour})
		run, err := s.RunNow(ctx, NamePrune, placematch.TriggerManual)
		must(t, err)
		if run.Status != placematch.RunSucceeded || run.Counts["match_runs_deleted"] != 1 {
			t.Fatalf("run %s counts %v", run.Status, run.Counts)
		}
		if _, err := db.GetMatchRun(ctx, ids[0]); !errors.Is(err, placematch.ErrNotFound) {
			t.Fatalf("expired run kept: %v", err)
		}
		if _, err := db.GetMatchRun(ctx, ids[1]); err != nil {
			t.Fatalf("recent run deleted: %v", err)
		}
	})
}
