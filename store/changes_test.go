package store_test

import (
	"database/sql"
	"fmt"
	"strconv"
	"strings"
	"testing"
	"time"

	"placematch"
	"placematch/store"
	"placematch/store/storetest"
)

// TestProviderChangesSeeALateCommit: on PostgreSQL provider writers no longer queue,
// so a transaction can write a provider first (and so have the older transaction id)
// and commit after a younger one. A reader that has already seen the younger write
// must still see the older one once it commits: here transaction 1 writes provider A
// and stays open, the store writes provider B and commits, the index reads (B),
// transaction 1 commits, and the next read returns A with its new name, and not B
// again. A cursor of "the newest stamp seen" would have missed A.
func TestProviderChangesSeeALateCommit(t *testing.T) {
	cfg := storetest.Config(t, store.Postgres)
	db, err := store.Open(ctx, cfg)
	must(t, err)
	t.Cleanup(func() { db.Close() })
	must(t, db.Migrate(ctx))
	a, b := storetest.Carer("LATE-A"), storetest.Carer("LATE-B")
	must(t, db.CreateProvider(ctx, a))
	must(t, db.CreateProvider(ctx, b))
	_, cur, err := db.ProviderChanges(ctx, store.ChangeCursor{})
	must(t, err)

	other, err := sql.Open("pgx", cfg.DatabaseURL)
	must(t, err)
	t.Cleanup(func() { other.Close() })
	tx1, err := other.BeginTx(ctx, nil)
	must(t, err)
	defer func() { _ = tx1.Rollback() }()
	if _, err := tx1.ExecContext(ctx, "UPDATE providers SET name = 'Written first, committed last', version = version + 1 WHERE id = $1", a.ID); err != nil {
		t.Fatal(err)
	}

	_, err = db.UpdateProvider(ctx, b.Kind, b.ID, 0, func(p *placematch.Provider) error {
		p.Availability.Note = "written second, committed first"
		return nil
	})
	must(t, err)
	first, cur, err := db.ProviderChanges(ctx, cur)
	must(t, err)
	if len(first) != 1 || first[0].ID != b.ID {
		t.Fatalf("while transaction 1 is open: %d changed, want B alone", len(first))
	}

	must(t, tx1.Commit())
	second, cur, err := db.ProviderChanges(ctx, cur)
	must(t, err)
	if len(second) != 1 || second[0].ID != a.ID || second[0].Name != "Written first, committed last" {
		t.Fatalf("after transaction 1 commits: %v, want A with its new name", names(second))
	}
	if rest, _, err := db.ProviderChanges(ctx, cur); err != nil || len(rest) != 0 {
		t.Fatalf("nothing written since: %v %v", names(rest), err)
	}

	// The interleaving was real: A's writer is the older transaction.
	stamp := func(id string) uint64 {
		var s string
		if err := other.QueryRowContext(ctx, "SELECT change_xid::text FROM providers WHERE id = $1", id).Scan(&s); err != nil {
			t.Fatal(err)
		}
		n, err := strconv.ParseUint(s, 10, 64)
		must(t, err)
		return n
	}
	if sa, sb := stamp(a.ID), stamp(b.ID); sa >= sb {
		t.Fatalf("A's writer %d is not older than B's %d", sa, sb)
	}
}

// TestProviderChangesStampEveryWrite: every kind of provider write is returned to
// the index on both engines: booking, ending a placement, an update, the stale flag,
// a feed's report and the nightly correction of filled places.
func TestProviderChangesStampEveryWrite(t *testing.T) {
	eachDialect(t, func(t *testing.T, db *store.DB) {
		p := storetest.Carer("EVERY", func(p *placematch.Provider) { p.Availability.ConfirmedAt = nil })
		must(t, db.CreateProvider(ctx, p))
		c := storetest.Child("EVERY-C")
		must(t, db.CreateChild(ctx, c))
		_, cur, err := db.ProviderChanges(ctx, store.ChangeCursor{})
		must(t, err)
		today := placematch.DateOf(storetest.Clock)
		var placed []*placematch.Placement
		steps := []struct {
			name  string
			write func() error
			check func(got *placematch.Provider) bool
		}{
			{"book", func() error {
				placed, err = db.Book(ctx, store.BookRequest{ChildID: c.ID, Provider: p.Ref(), StartDate: today})
				return err
			}, func(got *placematch.Provider) bool { return got.Filled == 1 }},
			{"end", func() error {
				_, err := db.UpdatePlacement(ctx, placed[0].ID, 0, func(pl *placematch.Placement) error {
					pl.Status, pl.EndReason, pl.EndDate = placematch.PlacementEnded, "CARPL", today
					return nil
				})
				return err
			}, func(got *placematch.Provider) bool { return got.Filled == 0 }},
			{"update", func() error {
				_, err := db.UpdateProvider(ctx, p.Kind, p.ID, 0, func(p *placematch.Provider) error { p.Name = "Renamed"; return nil })
				return err
			}, func(got *placematch.Provider) bool { return got.Name == "Renamed" }},
			{"stale flag", func() error {
				_, err := db.FlagStaleAvailability(ctx, storetest.Clock)
				return err
			}, func(got *placematch.Provider) bool { return got.Availability.Status == placematch.Unconfirmed }},
			{"correct filled", func() error {
				if err := db.ExecRaw(ctx, "UPDATE providers SET filled = 2 WHERE id = ?", p.ID); err != nil {
					return err
				}
				if _, cur, err = db.ProviderChanges(ctx, cur); err != nil {
					return err
				}
				_, err := db.ReconcileVacancies(ctx, today)
				return err
			}, func(got *placematch.Provider) bool { return got.Filled == 0 }},
		}
		for _, s := range steps {
			must(t, s.write())
			var got []*placematch.Provider
			got, cur, err = db.ProviderChanges(ctx, cur)
			must(t, err)
			if len(got) != 1 || got[0].ID != p.ID || !s.check(got[0]) {
				t.Fatalf("%s: the index would read %v", s.name, names(got))
			}
		}

		u := storetest.Unit("EVERY-U")
		must(t, db.CreateProvider(ctx, u))
		_, cur, err = db.ProviderChanges(ctx, cur)
		must(t, err)
		_, _, err = db.ApplyFeed(ctx, &placematch.Feed{Name: "every", UnitIDs: []string{u.ID}},
			[]placematch.FeedReport{{Row: 1, UnitReference: u.Reference, Vacancies: 2, AsOf: storetest.Clock}})
		must(t, err)
		got, _, err := db.ProviderChanges(ctx, cur)
		must(t, err)
		if len(got) != 1 || got[0].ID != u.ID || got[0].ReportedVacancies == nil || *got[0].ReportedVacancies != 2 {
			t.Fatalf("feed: the index would read %v", names(got))
		}
	})
}

func names(ps []*placematch.Provider) []string {
	out := make([]string, len(ps))
	for i, p := range ps {
		out[i] = p.Name
	}
	return out
}

// TestProviderChangesWithNothingWrittenScanNoRows: on PostgreSQL the read a search
// makes when nothing was written since (almost every search) stops at the newest
// stamp and never scans the providers, whatever plan the scan would have: here
// on a table written row by row and not yet analyzed, where the planner scans
// all of it. Once a provider is written the scan runs, and returns that provider.
func TestProviderChangesWithNothingWrittenScanNoRows(t *testing.T) {
	db := storetest.Open(t, store.Postgres)
	var ps []*placematch.Provider
	for i := range 200 {
		p := storetest.Carer(fmt.Sprintf("SCAN-%03d", i))
		must(t, db.CreateProvider(ctx, p))
		ps = append(ps, p)
	}
	_, cur, err := db.ProviderChanges(ctx, store.ChangeCursor{})
	must(t, err)
	scanOf := func(plan string) string {
		for line := range strings.Lines(plan) {
			// The rows' scan, not the index read of the newest stamp (providers_1).
			if strings.Contains(line, " on providers (") || strings.HasSuffix(strings.TrimSpace(line), " on providers") {
				return line
			}
		}
		t.Fatalf("no scan of providers in\n%s", plan)
		return ""
	}
	// The cursor's xmin is the oldest transaction running on the whole server
	// when it was read; another package's test (or autovacuum) may have held it
	// at or below the newest stamp. Reading again moves it on once that ends.
	var plan, scan string
	for range 100 {
		plan, err = db.ExplainChangesSince(ctx, cur)
		must(t, err)
		if scan = scanOf(plan); strings.Contains(scan, "never executed") {
			break
		}
		time.Sleep(50 * time.Millisecond)
		again, next, err := db.ProviderChanges(ctx, cur)
		must(t, err)
		if len(again) != 0 {
			t.Fatalf("nothing was written, yet %v came back", names(again))
		}
		cur = next
	}
	if !strings.Contains(scan, "never executed") {
		t.Fatalf("with nothing written the providers were scanned: %s\n%s", scan, plan)
	}

	_, err = db.UpdateProvider(ctx, ps[7].Kind, ps[7].ID, 0, func(p *placematch.Provider) error {
		p.Availability.Note = "written since"
		return nil
	})
	must(t, err)
	plan, err = db.ExplainChangesSince(ctx, cur)
	must(t, err)
	if scan := scanOf(plan); strings.Contains(scan, "never executed") {
		t.Fatalf("after a write the scan did not run: %s\n%s", scan, plan)
	}
	changed, _, err := db.ProviderChanges(ctx, cur)
	must(t, err)
	if len(changed) != 1 || changed[0].ID != ps[7].ID {
		t.Fatalf("after one write: %v, want %s alone", names(changed), ps[7].Reference)
	}
}

// TestBulkImportLeavesStatistics: on PostgreSQL a bulk load leaves the planner the
// size of what it loaded, rather than a table it has never sampled.
func TestBulkImportLeavesStatistics(t *testing.T) {
	db := storetest.Open(t, store.Postgres)
	var ps []*placematch.Provider
	var cs []*placematch.Child
	var pls []store.BulkPlacement
	for i := range 120 {
		ps = append(ps, storetest.Carer(fmt.Sprintf("STATS-P%03d", i)))
		cs = append(cs, storetest.Child(fmt.Sprintf("STATS-C%03d", i)))
		if i%2 == 0 {
			pls = append(pls, store.BulkPlacement{Child: i, Provider: i, StartDate: placematch.DateOf(storetest.Clock)})
		}
	}
	must(t, db.BulkImport(ctx, ps, cs, pls))
	for table, want := range map[string]float64{"providers": 120, "children": 120, "placements": 60} {
		var rows float64
		must(t, db.ScanRaw(ctx, "SELECT reltuples FROM pg_class WHERE oid = '"+table+"'::regclass", &rows))
		if rows != want {
			t.Errorf("%s: the planner counts %v rows, want %v", table, rows, want)
		}
	}
}
