package store_test

import (
	"database/sql"
	"testing"

	"placematch"
	"placematch/store"
	"placematch/store/storetest"
)

// ChildrenAwaiting gives the sufficiency report each live child awaiting with its
// whole record (siblings, needs, wheelchair use), so that the report can form sibling
// groups and judge which kinds of home could take them; a child whose details cannot
// be read still counts, on its plain fields. Placed children are not awaiting.
func TestChildrenAwaitingForReports(t *testing.T) {
	eachDialect(t, func(t *testing.T, db *store.DB) {
		a := aged("AW-A", 12, func(c *placematch.Child) { c.WheelchairUser = true })
		must(t, db.CreateChild(ctx, a))
		b := aged("AW-B", 9, func(c *placematch.Child) { c.Siblings = []string{a.ID}; c.Location = nil })
		must(t, db.CreateChild(ctx, b))
		bad := aged("AW-BAD", 7)
		must(t, db.CreateChild(ctx, bad))
		placed := aged("AW-PLACED", 6)
		must(t, db.CreateChild(ctx, placed))
		_, err := db.Book(ctx, store.BookRequest{ChildID: placed.ID, Provider: carerFor(t, db).Ref(),
			StartDate: placematch.DateOf(storetest.Clock)})
		must(t, err)
		must(t, db.ExecRaw(ctx, "UPDATE children SET risks = 'not a list' WHERE id = ?", bad.ID))
		got, err := db.ChildrenAwaiting(ctx)
		must(t, err)
		byRef := map[string]store.AwaitingChild{}
		var plain []store.AwaitingChild
		for _, c := range got {
			if c.Child == nil {
				plain = append(plain, c)
				continue
			}
			byRef[c.Child.Reference] = c
		}
		if len(got) != 3 || len(plain) != 1 || len(byRef) != 2 {
			t.Fatalf("%d children awaiting (%d without their record), want 3 (1)", len(got), len(plain))
		}
		if c := byRef["AW-A"]; !c.HomeKnown || !c.Child.WheelchairUser || c.District != a.District {
			t.Errorf("AW-A: %+v", c)
		}
		if c := byRef["AW-B"]; c.HomeKnown || len(c.Child.Siblings) != 1 || c.Child.Siblings[0] != a.ID {
			t.Errorf("AW-B: home known %v, siblings %v", c.HomeKnown, c.Child.Siblings)
		}
		if c := plain[0]; c.DateOfBirth != bad.DateOfBirth || c.PlacementType != bad.PlacementType || !c.HomeKnown {
			t.Errorf("child with unreadable details: %+v", c)
		}
	})
}

func carerFor(t *testing.T, db *store.DB) *placematch.Provider {
	t.Helper()
	p := storetest.Carer("AW-CARER")
	must(t, db.CreateProvider(ctx, p))
	return p
}

// TestChildrenWrittenSeesEveryWrite: on both engines the children's change read
// says "written" once after each kind of write to a child (created, updated, placed
// by a booking, archived, and a statement made around the store's methods), and
// "not written" when nothing was: a search rebuilds the queue after the first and
// never after the second.
func TestChildrenWrittenSeesEveryWrite(t *testing.T) {
	eachDialect(t, func(t *testing.T, db *store.DB) {
		var cur store.ChildCursor
		written := func() bool {
			t.Helper()
			w, next, err := db.ChildrenWritten(ctx, cur)
			must(t, err)
			cur = next
			return w
		}
		if !written() {
			t.Fatal("a first read must report everything as written")
		}
		if written() {
			t.Fatal("written with nothing written")
		}
		a, b := aged("CW-A", 10), aged("CW-B", 8)
		steps := []struct {
			name  string
			write func()
		}{
			{"created", func() { must(t, db.CreateChild(ctx, a)); must(t, db.CreateChild(ctx, b)) }},
			{"updated", func() {
				_, err := db.UpdateChild(ctx, b.ID, 0, func(c *placematch.Child) error { c.Needs = []string{"trauma"}; return nil })
				must(t, err)
			}},
			{"placed", func() {
				_, err := db.Book(ctx, store.BookRequest{ChildID: a.ID, Provider: carerFor(t, db).Ref(),
					StartDate: placematch.DateOf(storetest.Clock)})
				must(t, err)
			}},
			{"written around the store", func() {
				must(t, db.ExecRaw(ctx, "UPDATE children SET version = version + 1 WHERE id = ?", b.ID))
			}},
			{"archived", func() { must(t, db.ArchiveChild(ctx, b.ID, 0)) }},
		}
		for _, s := range steps {
			s.write()
			if !written() {
				t.Fatalf("%s: not reported", s.name)
			}
			if written() {
				t.Fatalf("%s: reported again with nothing written since", s.name)
			}
		}
	})
}

// TestChildrenWrittenSeesALateCommit: a write is reported once its transaction
// commits, not before, on both engines. On PostgreSQL, where writers do not queue,
// a transaction that wrote a child first (the older transaction id) and commits
// after a younger one is still reported after a read that saw the younger one.
func TestChildrenWrittenSeesALateCommit(t *testing.T) {
	for _, d := range storetest.Dialects() {
		t.Run(d, func(t *testing.T) {
			cfg := storetest.Config(t, d)
			db, err := store.Open(ctx, cfg)
			must(t, err)
			t.Cleanup(func() { db.Close() })
			must(t, db.Migrate(ctx))
			a, b := aged("LATE-A", 9), aged("LATE-B", 7)
			must(t, db.CreateChild(ctx, a))
			must(t, db.CreateChild(ctx, b))
			_, cur, err := db.ChildrenWritten(ctx, store.ChildCursor{})
			must(t, err)
			// A first read reports everything; the next may report A and B again
			// when another test's transaction held the server's xmin below their
			// writers. After that it settles.
			for range 2 {
				_, cur, err = db.ChildrenWritten(ctx, cur)
				must(t, err)
			}
			written := func(what string, want bool) {
				t.Helper()
				w, next, err := db.ChildrenWritten(ctx, cur)
				must(t, err)
				if w != want {
					t.Fatalf("%s: written %v, want %v", what, w, want)
				}
				cur = next
			}

			driver, dsn, bump := "sqlite", cfg.SQLitePath, "UPDATE children SET version = version + 1 WHERE id = ?"
			if d == store.Postgres {
				driver, dsn, bump = "pgx", cfg.DatabaseURL, "UPDATE children SET version = version + 1 WHERE id = $1"
			}
			other, err := sql.Open(driver, dsn)
			must(t, err)
			t.Cleanup(func() { other.Close() })
			tx1, err := other.BeginTx(ctx, nil)
			must(t, err)
			defer func() { _ = tx1.Rollback() }()
			if _, err := tx1.ExecContext(ctx, bump, a.ID); err != nil {
				t.Fatal(err)
			}
			written("while transaction 1 is open", false)
			if d == store.Postgres {
				_, err = db.UpdateChild(ctx, b.ID, 0, func(c *placematch.Child) error { c.Needs = []string{"autism"}; return nil })
				must(t, err)
				written("B written and committed", true)
				written("nothing since B", false)
			}
			must(t, tx1.Commit())
			written("after transaction 1 commits", true)
			written("nothing since", false)
		})
	}
}
