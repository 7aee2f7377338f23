package jobs

import (
	"net/http"
	"testing"
	"time"

	"placematch"
	"placematch/store"
)

// A feed import records its counts after each feed it applied, so a run cut short
// by the death of its process (marked interrupted at the next start) still says
// what it had applied.
func TestInterruptedFeedImportKeepsItsCounts(t *testing.T) {
	eachDialect(t, func(t *testing.T, db *store.DB) {
		w := newFeedWorld(t, db)
		w.feed(t, "a-first", serve(t, body(csvHead+"U1,,2,2026-11-23\nU1,,x,2026-11-23\n")), "csv", w.u1)
		reached, release := make(chan struct{}), make(chan struct{})
		w.feed(t, "b-stuck", serve(t, func(rw http.ResponseWriter, r *http.Request) {
			close(reached)
			select {
			case <-release:
			case <-r.Context().Done():
			}
			rw.WriteHeader(http.StatusServiceUnavailable)
		}), "csv", w.u2)
		j := importer(db)
		j.Timeout, j.Attempts = 20*time.Second, 1
		s := newScheduler(t, db, j)
		run, err := s.Trigger(ctx, NameFeeds, placematch.TriggerManual)
		must(t, err)
		select {
		case <-reached:
		case <-time.After(10 * time.Second):
			t.Fatal("the second feed was never fetched")
		}
		// The process dies here; the next start marks the run interrupted.
		n, err := db.MarkInterrupted(ctx, NameFeeds)
		must(t, err)
		close(release)
		got, err := db.GetJobRun(ctx, run.ID)
		must(t, err)
		if n != 1 || got.Status != placematch.RunInterrupted || got.Counts["rows_applied"] != 1 ||
			got.Counts["rows_rejected"] != 1 || len(got.Errors) != 1 || got.Errors[0].Row != 2 {
			t.Fatalf("interrupted run: %s counts %v errors %+v", got.Status, got.Counts, got.Errors)
		}
	})
}
