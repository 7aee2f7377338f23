package jobs

import (
	"net/http"
	"strings"
	"testing"

	"placematch/store"
)

// Each feed's fetch is recorded on its own: when, the rows applied and rejected,
// and why a feed failed as a whole; the next fetch replaces it.
func TestImportRecordsEachFeedsFetch(t *testing.T) {
	eachDialect(t, func(t *testing.T, db *store.DB) {
		w := newFeedWorld(t, db)
		good := w.feed(t, "good", serve(t, body(csvHead+"U1,,1,2026-11-23\n,3000002,2,2026-11-22\nU1,,x,2026-11-23\n")), "csv", w.u1, w.u2)
		down := w.feed(t, "down", serve(t, func(rw http.ResponseWriter, _ *http.Request) { rw.WriteHeader(http.StatusNotFound) }), "csv", w.u3)
		if _, err := importer(db).Run(ctx); err == nil {
			t.Fatal("a run with a failed feed succeeded")
		}
		got, err := db.FeedFetches(ctx)
		must(t, err)
		g, d := got[good.ID], got[down.ID]
		if g.RowsApplied != 2 || g.RowsRejected != 1 || g.Error != "" || !g.FetchedAt.Equal(fixed()) {
			t.Errorf("good feed: %+v", g)
		}
		if d.RowsApplied != 0 || d.RowsRejected != 0 || !strings.Contains(d.Error, "HTTP status 404") || !d.FetchedAt.Equal(fixed()) {
			t.Errorf("failed feed: %+v", d)
		}
	})
}
