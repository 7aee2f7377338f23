package jobs

import (
	"errors"
	"testing"
	"time"

	"placematch"
	"placematch/store"
)

// The nightly purge deletes the expired sessions, counts them, and keeps the live.
func TestPurgeExpiredSessionsJob(t *testing.T) {
	eachDialect(t, func(t *testing.T, db *store.DB) {
		now := fixed()
		for id, expires := range map[string]time.Time{"gone-1": now.Add(-time.Hour), "gone-2": now.Add(-time.Minute), "live": now.Add(time.Hour)} {
			must(t, db.CreateSession(ctx, &store.Session{ID: id, Data: []byte(`{}`), CreatedAt: now.Add(-2 * time.Hour), SeenAt: now.Add(-2 * time.Hour), ExpiresAt: expires}))
		}
		s := newScheduler(t, db, PurgeSessions{Store: db, Now: fixed})
		run, err := s.RunNow(ctx, NameSessions, placematch.TriggerManual)
		must(t, err)
		if run.Status != placematch.RunSucceeded || run.Counts["sessions_deleted"] != 2 {
			t.Fatalf("run %s counts %v", run.Status, run.Counts)
		}
		if _, err := db.GetSession(ctx, "live", now); err != nil {
			t.Fatalf("live session deleted: %v", err)
		}
		for _, id := range []string{"gone-1", "gone-2"} {
			// Read as of before the expiry: the row itself is gone, not just expired.
			if _, err := db.GetSession(ctx, id, now.Add(-3*time.Hour)); !errors.Is(err, placematch.ErrNotFound) {
				t.Fatalf("%s kept: %v", id, err)
			}
		}
	})
}
