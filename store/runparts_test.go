package store_test

import (
	"bytes"
	"compress/gzip"
	"database/sql"
	"strings"
	"testing"

	"placematch/store"
	"placematch/store/storetest"
)

// A run's result, replay record and excluded set are stored gzip'd on SQLite and as
// they are on PostgreSQL, which compresses them itself (with lz4 where the server
// has it); a run whose parts were gzip'd, as every run was on PostgreSQL before
// migration 00030, reads back the same.
func TestMatchRunPartsStoredEitherWay(t *testing.T) {
	for _, d := range storetest.Dialects() {
		t.Run(d, func(t *testing.T) {
			t.Parallel()
			db, cfg := storetest.OpenConfig(t, d)
			c := storetest.Child("PARTS")
			must(t, db.CreateChild(ctx, c))
			// Long enough for PostgreSQL to compress it (over 2 kB).
			body := []byte(`{"group":["` + c.ID + `"],"matches":[],"note":"` + strings.Repeat("a home near school ", 200) + `"}`)
			replay := []byte(`{"manifest":"m1","child":"` + c.ID + `"}`)
			run := &store.MatchRun{ChildID: c.ID, Group: []string{c.ID}, InputHash: "h", WeightsVersion: "v1",
				Result: body, Replay: replay, Kept: &store.ExcludedSet{Derived: true}}
			must(t, db.SaveMatchRun(ctx, run))

			raw := storetest.Raw(t, cfg)
			var result, excluded []byte
			if err := raw.QueryRow("SELECT result, excluded FROM match_runs WHERE id = '"+run.ID+"'").Scan(&result, &excluded); err != nil {
				t.Fatal(err)
			}
			gzipped := bytes.HasPrefix(result, []byte{0x1f, 0x8b})
			if gzipped != (d == store.SQLite) {
				t.Fatalf("result stored gzip'd %v on %s", gzipped, d)
			}
			if d == store.Postgres {
				if !bytes.Equal(result, body) || !bytes.Equal(excluded, []byte{2}) {
					t.Fatalf("PostgreSQL was given %d bytes of result and excluded %v", len(result), excluded)
				}
				var lz4 bool
				must(t, raw.QueryRow(`SELECT 'lz4' = ANY (enumvals) FROM pg_settings WHERE name = 'default_toast_compression'`).Scan(&lz4))
				var method sql.NullString
				must(t, raw.QueryRow("SELECT pg_column_compression(result) FROM match_runs WHERE id = '"+run.ID+"'").Scan(&method))
				if want := map[bool]string{true: "lz4", false: "pglz"}[lz4]; method.String != want {
					t.Fatalf("the result is compressed with %q; the server has lz4: %v", method.String, lz4)
				}
			}

			read := func(when string) {
				t.Helper()
				got, err := db.GetMatchRun(ctx, run.ID)
				must(t, err)
				if !bytes.Equal(got.Result, body) || !bytes.Equal(got.Replay, replay) {
					t.Fatalf("%s: result or replay record read back changed", when)
				}
				k, err := db.MatchRunExcluded(ctx, run.ID)
				must(t, err)
				if k.Set == nil || !k.Set.Derived || !bytes.Equal(k.Replay, replay) {
					t.Fatalf("%s: excluded set read back %+v", when, k.Set)
				}
			}
			read("as stored")
			q := "UPDATE match_runs SET result = $1, replay = $2, excluded = $3 WHERE id = $4"
			if d == store.SQLite {
				q = "UPDATE match_runs SET result = ?, replay = ?, excluded = ? WHERE id = ?"
			}
			storetest.Exec(t, cfg, q, gzipOf(t, body), gzipOf(t, replay), gzipOf(t, []byte{2}), run.ID)
			read("gzip'd")
		})
	}
}

func gzipOf(t *testing.T, b []byte) []byte {
	t.Helper()
	var buf bytes.Buffer
	zw := gzip.NewWriter(&buf)
	if _, err := zw.Write(b); err != nil {
		t.Fatal(err)
	}
	must(t, zw.Close())
	return buf.Bytes()
}
