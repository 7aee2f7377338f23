package store_test

import (
	"errors"
	"testing"
	"time"

	"placematch"
	"placematch/store"
	"placematch/store/storetest"
)

// A session is read until it expires, moves its expiry when touched, and is gone
// once deleted, from any instance on the same database.
func TestSessionsExpireMoveAndEnd(t *testing.T) {
	for _, d := range storetest.Dialects() {
		t.Run(d, func(t *testing.T) {
			t.Parallel()
			db, cfg := storetest.OpenConfig(t, d)
			other, err := store.Open(ctx, cfg)
			must(t, err)
			t.Cleanup(func() { other.Close() })
			now := storetest.Clock
			s := &store.Session{ID: "a1", Data: []byte(`{"role":"placement_officer"}`), CreatedAt: now, SeenAt: now,
				ExpiresAt: now.Add(time.Hour)}
			must(t, db.CreateSession(ctx, s))
			got, err := other.GetSession(ctx, "a1", now.Add(59*time.Minute))
			must(t, err)
			if string(got.Data) != string(s.Data) || !got.ExpiresAt.Equal(s.ExpiresAt) {
				t.Fatalf("read back %+v", got)
			}
			if _, err := other.GetSession(ctx, "a1", now.Add(time.Hour)); !errors.Is(err, placematch.ErrNotFound) {
				t.Fatalf("at its expiry: %v, want not found", err)
			}
			must(t, db.TouchSession(ctx, "a1", now.Add(50*time.Minute), now.Add(2*time.Hour)))
			if _, err := other.GetSession(ctx, "a1", now.Add(90*time.Minute)); err != nil {
				t.Fatalf("after a touch: %v", err)
			}
			must(t, other.DeleteSession(ctx, "a1"))
			if _, err := db.GetSession(ctx, "a1", now); !errors.Is(err, placematch.ErrNotFound) {
				t.Fatalf("after sign-out: %v, want not found", err)
			}
			if err := db.TouchSession(ctx, "a1", now, now.Add(time.Hour)); !errors.Is(err, placematch.ErrNotFound) {
				t.Fatalf("touching an ended session: %v, want not found", err)
			}
			must(t, db.CreateSession(ctx, &store.Session{ID: "old", Data: []byte("{}"), CreatedAt: now, SeenAt: now, ExpiresAt: now.Add(time.Minute)}))
			must(t, db.CreateSession(ctx, &store.Session{ID: "new", Data: []byte("{}"), CreatedAt: now, SeenAt: now, ExpiresAt: now.Add(time.Hour)}))
			n, err := db.DeleteExpiredSessions(ctx, now.Add(2*time.Minute))
			must(t, err)
			if n != 1 {
				t.Fatalf("deleted %d expired sessions, want 1", n)
			}
			if _, err := db.GetSession(ctx, "new", now); err != nil {
				t.Fatalf("the live session went with the expired one: %v", err)
			}
		})
	}
}
