package store_test

import (
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

// TestAwaitingStampMovesWithTheQueue: the queue's stamp changes when a child starts
// awaiting, when one awaiting is written and when one stops awaiting (placed or
// archived), and not when nothing did or when a child not awaiting is written.
func TestAwaitingStampMovesWithTheQueue(t *testing.T) {
	eachDialect(t, func(t *testing.T, db *store.DB) {
		stamp := func() (string, int) {
			t.Helper()
			s, n, err := db.AwaitingStamp(ctx)
			must(t, err)
			return s, n
		}
		empty, n := stamp()
		if n != 0 {
			t.Fatalf("an empty queue counts %d", n)
		}
		a, b := aged("ST-A", 10), aged("ST-B", 8)
		must(t, db.CreateChild(ctx, a))
		must(t, db.CreateChild(ctx, b))
		two, n := stamp()
		if n != 2 || two == empty {
			t.Fatalf("two awaiting: %d, stamp moved %v", n, two != empty)
		}
		if again, _ := stamp(); again != two {
			t.Fatal("the stamp moved with nothing written")
		}
		_, err := db.UpdateChild(ctx, b.ID, 0, func(c *placematch.Child) error { c.Needs = []string{"trauma"}; return nil })
		must(t, err)
		written, n := stamp()
		if n != 2 || written == two {
			t.Fatalf("after B was written: %d, stamp moved %v", n, written != two)
		}
		_, err = db.Book(ctx, store.BookRequest{ChildID: a.ID, Provider: carerFor(t, db).Ref(),
			StartDate: placematch.DateOf(storetest.Clock)})
		must(t, err)
		placed, n := stamp()
		if n != 1 || placed == written {
			t.Fatalf("after A was placed: %d, stamp moved %v", n, placed != written)
		}
		_, err = db.UpdateChild(ctx, a.ID, 0, func(c *placematch.Child) error { c.Needs = []string{"autism"}; return nil })
		must(t, err)
		if same, _ := stamp(); same != placed {
			t.Fatal("writing a placed child moved the queue's stamp")
		}
		must(t, db.ArchiveChild(ctx, b.ID, 0))
		if gone, n := stamp(); n != 0 || gone != empty {
			t.Fatalf("after B was archived: %d, the stamp of an empty queue again %v", n, gone == empty)
		}
	})
}
