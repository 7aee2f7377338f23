package store_test

import (
	"errors"
	"testing"
	"time"

	"placematch"
	"placematch/store"
	"placematch/store/storetest"
)

// Retention deletes old match runs that no placement cites, and keeps every run a
// placement cites (active, ended or archived) and every recent run.
func TestOldUncitedMatchRunsAreDeleted(t *testing.T) {
	eachDialect(t, func(t *testing.T, db *store.DB) {
		now := storetest.Clock
		save := func(c *placematch.Child, age time.Duration) *store.MatchRun {
			db.Now = func() time.Time { return now.Add(-age) }
			defer func() { db.Now = func() time.Time { return now } }()
			m := &store.MatchRun{ChildID: c.ID, InputHash: "h", WeightsVersion: "v1", Result: []byte(`{"ranked":[]}`)}
			must(t, db.SaveMatchRun(ctx, m))
			return m
		}
		a, b := storetest.Child("A"), storetest.Child("B")
		must(t, db.CreateChild(ctx, a))
		must(t, db.CreateChild(ctx, b))
		p := storetest.Carer("C1")
		must(t, db.CreateProvider(ctx, p))
		const day = 24 * time.Hour
		oldA, oldB, citedA, citedB := save(a, 200*day), save(b, 91*day), save(a, 300*day), save(b, 120*day)
		recent, edge := save(a, 10*day), save(b, 89*day)
		_, err := db.Book(ctx, store.BookRequest{ChildID: a.ID, Provider: p.Ref(), StartDate: placematch.DateOf(now),
			MatchID: citedA.ID, MatchRank: 1})
		must(t, err)
		placed, err := db.Book(ctx, store.BookRequest{ChildID: b.ID, Provider: p.Ref(), StartDate: placematch.DateOf(now).AddDays(-30),
			EndDate: placematch.DateOf(now).AddDays(-1), MatchID: citedB.ID, MatchRank: 2})
		must(t, err)
		_, err = db.ReconcileVacancies(ctx, placematch.DateOf(now)) // ends B's placement
		must(t, err)
		must(t, db.ArchivePlacement(ctx, placed[0].ID, 0))

		n, err := db.DeleteUncitedMatchRuns(ctx, now.Add(-90*day))
		must(t, err)
		if n != 2 {
			t.Fatalf("%d runs deleted, want 2", n)
		}
		for _, m := range []*store.MatchRun{oldA, oldB} {
			if _, err := db.GetMatchRun(ctx, m.ID); !errors.Is(err, placematch.ErrNotFound) {
				t.Errorf("old uncited run %s kept: %v", m.ID, err)
			}
		}
		for _, m := range []*store.MatchRun{citedA, citedB, recent, edge} {
			if _, err := db.GetMatchRun(ctx, m.ID); err != nil {
				t.Errorf("run %s deleted: %v", m.ID, err)
			}
		}
		if n, err := db.DeleteUncitedMatchRuns(ctx, now.Add(-90*day)); err != nil || n != 0 {
			t.Fatalf("second pass deleted %d, %v", n, err)
		}
	})
}

// A booking cannot cite a match run that retention has deleted: the store checks
// the run inside the booking's transaction, which queues with the prune's, so a run
// is either cited (and kept) or gone (and the booking refused, naming match_id).
func TestBookingCannotCiteAnExpiredMatchRun(t *testing.T) {
	eachDialect(t, func(t *testing.T, db *store.DB) {
		now := storetest.Clock
		c, p, m := oldRun(t, db, now)
		n, err := db.DeleteUncitedMatchRuns(ctx, now.Add(-90*24*time.Hour))
		must(t, err)
		if n != 1 {
			t.Fatalf("%d deleted", n)
		}
		_, err = db.Book(ctx, store.BookRequest{ChildID: c.ID, Provider: p.Ref(), StartDate: placematch.DateOf(now),
			MatchID: m.ID, MatchRank: 1})
		wantField(t, err, "match_id")
		got, err := db.GetChild(ctx, c.ID)
		must(t, err)
		prov, err := db.GetProvider(ctx, p.Kind, p.ID)
		must(t, err)
		if got.Status != placematch.ChildAwaiting || prov.Filled != 0 {
			t.Fatalf("refused booking stored: child %s, filled %d", got.Status, prov.Filled)
		}
	})
}

// A prune that runs while a booking citing an old run is between its check of the
// run and its commit must keep the run: the booking holds the run (a share lock on
// PostgreSQL, the one write transaction on SQLite) until it commits, the prune waits
// for it, and then sees the placement citing the run.
func TestPruneDuringABookingKeepsTheCitedRun(t *testing.T) {
	eachDialect(t, func(t *testing.T, db *store.DB) {
		now := storetest.Clock
		c, p, m := oldRun(t, db, now)
		type pruned struct {
			n   int
			err error
		}
		done := make(chan pruned, 1)
		_, err := db.Book(ctx, store.BookRequest{ChildID: c.ID, Provider: p.Ref(), StartDate: placematch.DateOf(now),
			MatchID: m.ID, MatchRank: 1, Check: func([]*placematch.Child, *placematch.Provider) error {
				go func() {
					n, err := db.DeleteUncitedMatchRuns(ctx, now.Add(-90*24*time.Hour))
					done <- pruned{n, err}
				}()
				time.Sleep(300 * time.Millisecond) // the prune runs now, if nothing holds it back
				return nil
			}})
		must(t, err)
		r := <-done
		must(t, r.err)
		if r.n != 0 {
			t.Fatalf("the prune deleted %d runs, among them the one the booking cites", r.n)
		}
		if _, err := db.GetMatchRun(ctx, m.ID); err != nil {
			t.Fatalf("cited run: %v", err)
		}
	})
}

// oldRun stores a child, a carer and a match run for the child made 100 days before
// now, past the 90-day retention.
func oldRun(t *testing.T, db *store.DB, now time.Time) (*placematch.Child, *placematch.Provider, *store.MatchRun) {
	t.Helper()
	c := storetest.Child("A")
	must(t, db.CreateChild(ctx, c))
	p := storetest.Carer("C1")
	must(t, db.CreateProvider(ctx, p))
	db.Now = func() time.Time { return now.Add(-100 * 24 * time.Hour) }
	m := &store.MatchRun{ChildID: c.ID, InputHash: "h", WeightsVersion: "v1", Result: []byte("{}")}
	must(t, db.SaveMatchRun(ctx, m))
	db.Now = func() time.Time { return now }
	return c, p, m
}
