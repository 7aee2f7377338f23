package store_test

import (
	"testing"
	"time"

	"placematch/store"
	"placematch/store/storetest"
)

// A feed's last fetch replaces the one before, on both engines; a feed never
// fetched has none.
func TestFeedFetchReplacesTheOneBefore(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		at := storetest.Clock
		must(t, db.RecordFeedFetch(ctx, store.FeedFetch{FeedID: "f1", FetchedAt: at, RowsApplied: 3, RowsRejected: 1}))
		must(t, db.RecordFeedFetch(ctx, store.FeedFetch{FeedID: "f2", FetchedAt: at, Error: "HTTP status 500"}))
		must(t, db.RecordFeedFetch(ctx, store.FeedFetch{FeedID: "f1", FetchedAt: at.Add(time.Hour), RowsApplied: 2}))
		got, err := db.FeedFetches(ctx)
		must(t, err)
		want := map[string]store.FeedFetch{
			"f1": {FeedID: "f1", FetchedAt: at.Add(time.Hour), RowsApplied: 2},
			"f2": {FeedID: "f2", FetchedAt: at, Error: "HTTP status 500"},
		}
		if len(got) != len(want) {
			t.Fatalf("fetches %+v", got)
		}
		for id, w := range want {
			if g := got[id]; g.RowsApplied != w.RowsApplied || g.RowsRejected != w.RowsRejected || g.Error != w.Error ||
				!g.FetchedAt.Equal(w.FetchedAt) {
				t.Errorf("%s: %+v, want %+v", id, g, w)
			}
		}
	})
}
