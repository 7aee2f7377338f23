package jobs

import (
	"encoding/json"
	"fmt"
	"runtime"
	"strings"
	"testing"

	"placematch"
	"placematch/store"
)

// The CSV header is read by name, in any order and any case, with either
// identifier; unknown columns are reported and ignored; a header without
// vacancies, as_of or an identifier fails the feed.
func TestCSVHeaderReadByName(t *testing.T) {
	eachDialect(t, func(t *testing.T, db *store.DB) {
		w := newFeedWorld(t, db)
		w.feed(t, "reordered", serve(t, body("As_Of,notes,Vacancies,unit_reference,colour\n2026-11-23,call Sam,3,U1,red\n")), "csv", w.u1)
		w.feed(t, "urn-only", serve(t, body("ofsted_urn,vacancies,as_of\n3000002,1,2026-11-23\n")), "csv", w.u2)
		w.feed(t, "no-as-of", serve(t, body("unit_reference,vacancies\nU3,1\n")), "csv", w.u3)
		w.feed(t, "no-identifier", serve(t, body("vacancies,as_of\n1,2026-11-23\n")), "csv", w.u3)
		w.feed(t, "twice", serve(t, body("unit_reference,vacancies,as_of,VACANCIES\nU3,1,2026-11-23,2\n")), "csv", w.u3)
		res, err := importer(db).Run(ctx)
		if err == nil || res.Counts["feeds_failed"] != 3 || res.Counts["rows_applied"] != 2 || res.Counts["rows_rejected"] != 0 {
			t.Fatalf("result %+v, %v", res, err)
		}
		said := map[string]string{}
		for _, is := range res.Issues {
			said[is.Scope] += is.Message + "|"
		}
		for name, want := range map[string][]string{"reordered": {`"notes"`, `"colour"`, "ignored"},
			"no-as-of": {"header", "as_of"}, "no-identifier": {"header", "unit_reference or ofsted_urn"},
			"twice": {"header", "vacancies", "twice"}} {
			for _, w := range want {
				if !strings.Contains(said[name], w) {
					t.Errorf("%s: %q does not say %q", name, said[name], w)
				}
			}
		}
		if said["urn-only"] != "" {
			t.Errorf("urn-only reported %q", said["urn-only"])
		}
		if rep, _ := w.reported(t, w.u1); rep == nil || *rep != 3 {
			t.Errorf("reordered header not applied: %v", rep)
		}
		if rep, _ := w.reported(t, w.u2); rep == nil || *rep != 1 {
			t.Errorf("URN-only header not applied: %v", rep)
		}
		if rep, _ := w.reported(t, w.u3); rep != nil {
			t.Errorf("a failed header applied %d", *rep)
		}
	})
}

// A feed of many bad rows keeps the first MaxRejected of them in the run, and a
// count of the rest, so the recorded run stays small.
func TestRejectedRowsAreCappedPerFeed(t *testing.T) {
	eachDialect(t, func(t *testing.T, db *store.DB) {
		w := newFeedWorld(t, db)
		var csvRows, jsonRows strings.Builder
		csvRows.WriteString(csvHead + "U1,,2,2026-11-23\n")
		jsonRows.WriteString(`{"units":[{"unit_reference":"U2","vacancies":1,"as_of":"2026-11-23"}`)
		const bad = 20000
		for i := range bad {
			fmt.Fprintf(&csvRows, "U1,,not-%d,2026-11-23\n", i)
			fmt.Fprintf(&jsonRows, `,{"unit_reference":"U9%d","vacancies":1,"as_of":"2026-11-23"}`, i) // rejected by the store
		}
		jsonRows.WriteString("]}")
		w.feed(t, "many-bad", serve(t, body(csvRows.String())), "csv", w.u1)
		w.feed(t, "many-unknown", serve(t, body(jsonRows.String())), "json", w.u2)
		j := importer(db)
		j.MaxRejected = 25
		s := newScheduler(t, db, j)
		run, err := s.RunNow(ctx, NameFeeds, placematch.TriggerManual)
		must(t, err)
		if run.Status != placematch.RunSucceeded || run.Counts["rows_applied"] != 2 || run.Counts["rows_rejected"] != 2*bad {
			t.Fatalf("run %s counts %v", run.Status, run.Counts)
		}
		perFeed := map[string]int{}
		more := map[string]string{}
		for _, is := range run.Errors {
			if is.Row > 0 {
				perFeed[is.Scope]++
			} else {
				more[is.Scope] = is.Message
			}
		}
		for _, name := range []string{"many-bad", "many-unknown"} {
			if perFeed[name] != 25 || !strings.Contains(more[name], fmt.Sprint(bad-25)) {
				t.Errorf("%s: %d rows listed, summary %q", name, perFeed[name], more[name])
			}
		}
		stored, err := json.Marshal(run.Errors)
		must(t, err)
		if len(stored) > 20<<10 {
			t.Fatalf("the run's errors take %d bytes", len(stored))
		}
	})
}

// Parsing a 5 MiB feed of 320,000 bad rows holds on to the first rejected rows
// only: what the parse keeps grows with the limit, not with the feed.
func TestParsingBadRowsKeepsMemoryBounded(t *testing.T) {
	var b strings.Builder
	b.WriteString(csvHead)
	for i := 0; b.Len() < 5<<20; i++ {
		fmt.Fprintf(&b, "U%d,,x,1\n", i)
	}
	feedBody := []byte(b.String())
	f := &placematch.Feed{Name: "bad", Format: placematch.FeedCSV}
	var before, after runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&before)
	p, err := parseFeed(f, feedBody, fixed(), 100)
	must(t, err)
	runtime.GC()
	runtime.ReadMemStats(&after)
	if p.rejected.total() < 300000 || len(p.rejected.issues()) != 101 || len(p.reports) != 0 {
		t.Fatalf("rejected %d, listed %d, valid %d", p.rejected.total(), len(p.rejected.issues()), len(p.reports))
	}
	if grew := int64(after.HeapAlloc) - int64(before.HeapAlloc); grew > 1<<20 {
		t.Fatalf("the parse keeps %d bytes", grew)
	}
	runtime.KeepAlive(feedBody)
	runtime.KeepAlive(p)
}
