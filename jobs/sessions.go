package jobs

import (
	"context"
	"time"

	"placematch/store"
)

// NameSessions is the job that deletes the web pages' expired sessions.
const NameSessions = "purge-expired-sessions"

// PurgeSessions deletes the sessions (and sign-ins under way) past their expiry.
// An expired session is never honoured, but its row stays until deleted: without
// the job the table grows with every sign-in and every sign-in abandoned at the
// identity provider.
type PurgeSessions struct {
	Store *store.DB
	Now   func() time.Time
}

// Name returns purge-expired-sessions.
func (PurgeSessions) Name() string { return NameSessions }

// Run deletes and counts the expired sessions.
func (j PurgeSessions) Run(ctx context.Context) (Result, error) {
	n, err := j.Store.DeleteExpiredSessions(ctx, clock(j.Now))
	return Result{Counts: map[string]int{"sessions_deleted": n}}, err
}
