package placing_test

import (
	"testing"
	"time"

	"placematch/placing"
	"placematch/store/storetest"
)

// Warm builds the candidate index before any search, with every live provider, on
// both engines; until then the index says it is not ready.
func TestWarmBuildsTheIndexBeforeTheFirstSearch(t *testing.T) {
	for _, d := range storetest.Dialects() {
		t.Run(d, func(t *testing.T) {
			db := storetest.Open(t, d)
			for _, ref := range []string{"W1", "W2", "W3"} {
				if err := db.CreateProvider(ctx, storetest.Carer(ref)); err != nil {
					t.Fatal(err)
				}
			}
			uses := &placing.Service{Store: db, Now: db.Now}
			if st := uses.Index(); st.Ready || st.Providers != 0 {
				t.Fatalf("the index is %+v before it was built", st)
			}
			st, err := uses.Warm(ctx)
			if err != nil {
				t.Fatal(err)
			}
			if !st.Ready || st.Providers != 3 || st.LoadedAt.IsZero() || uses.Index() != st {
				t.Fatalf("after Warm the index is %+v (now %+v), want 3 providers ready", st, uses.Index())
			}
		})
	}
}

// A search made as soon as Warm returns, while the index's manifest is still
// being recorded, waits for it: its run replays identically, on both engines.
func TestASearchRightAfterWarmRecordsAReplayableRun(t *testing.T) {
	for _, d := range storetest.Dialects() {
		t.Run(d, func(t *testing.T) {
			db := storetest.Open(t, d)
			for _, ref := range []string{"W1", "W2", "W3"} {
				if err := db.CreateProvider(ctx, storetest.Carer(ref)); err != nil {
					t.Fatal(err)
				}
			}
			child := storetest.Child("K1")
			if err := db.CreateChild(ctx, child); err != nil {
				t.Fatal(err)
			}
			uses := &placing.Service{Store: db, Now: db.Now}
			if _, err := uses.Warm(ctx); err != nil {
				t.Fatal(err)
			}
			run, err := uses.Match(ctx, placing.MatchRequest{ChildID: child.ID, Options: optsAll()})
			if err != nil {
				t.Fatal(err)
			}
			r, err := uses.Replay(ctx, run.MatchID)
			if err != nil {
				t.Fatal(err)
			}
			if !r.Identical || len(run.Result.Matches) != 3 {
				t.Errorf("the run right after Warm ranked %d and replays identically: %v", len(run.Result.Matches), r.Identical)
			}
		})
	}
}

// Recorded is false from Warm until the manifest it leaves to the background is
// stored: here the manifest's table is held by another connection (a PostgreSQL
// table lock, a SQLite write transaction) until the test lets go. Then it turns
// true, on both engines.
func TestRecordedWaitsForTheManifest(t *testing.T) {
	for _, d := range storetest.Dialects() {
		t.Run(d, func(t *testing.T) {
			db, cfg := storetest.OpenConfig(t, d)
			if err := db.CreateProvider(ctx, storetest.Carer("W1")); err != nil {
				t.Fatal(err)
			}
			release := storetest.HoldWrites(t, cfg, "provider_states")
			uses := &placing.Service{Store: db, Now: db.Now}
			if _, err := uses.Warm(ctx); err != nil {
				t.Fatal(err)
			}
			if uses.Recorded() {
				t.Fatal("Recorded while the manifest could not be written")
			}
			time.Sleep(100 * time.Millisecond)
			if uses.Recorded() {
				t.Fatal("Recorded while the manifest still could not be written")
			}
			release()
			for deadline := time.Now().Add(10 * time.Second); !uses.Recorded(); time.Sleep(10 * time.Millisecond) {
				if time.Now().After(deadline) {
					t.Fatal("not Recorded 10 s after the manifest's table was let go")
				}
			}
		})
	}
}
