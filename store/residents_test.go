package store_test

import (
	"fmt"
	"slices"
	"testing"
	"time"

	"placematch"
	"placematch/store"
	"placematch/store/storetest"
)

// aged returns a child of the given age on the test clock (her birthday a month
// ago), changed by the options given.
func aged(ref string, age int, opts ...func(*placematch.Child)) *placematch.Child {
	return storetest.Child(ref, append([]func(*placematch.Child){func(c *placematch.Child) {
		c.DateOfBirth = placematch.DateOf(storetest.Clock.AddDate(-age, -1, 0))
	}}, opts...)...)
}

// changedProvider reads the changes since cur and returns the one provider with id,
// failing when the read returns anything else.
func changedProvider(t *testing.T, db *store.DB, cur store.ChangeCursor, id string) (*placematch.Provider, store.ChangeCursor) {
	t.Helper()
	got, next, err := db.ProviderChanges(ctx, cur)
	must(t, err)
	if len(got) != 1 || got[0].ID != id {
		t.Fatalf("changes %v, want the one provider %s", names(got), id)
	}
	return got[0], next
}

func residentRefs(p *placematch.Provider) []string {
	out := []string{}
	for _, r := range p.Residents {
		out = append(out, fmt.Sprintf("%s:%d", r.Reference, r.Age))
	}
	return out
}

// The children of a provider's active placements are its residents, as the index
// reads them (a full load and each change after) and as a booking's check sees the
// locked provider: with their ages, risks and needs, the eldest first; an ended or
// cancelled placement's child is no longer one.
func TestResidentsFollowThePlacements(t *testing.T) {
	eachDialect(t, func(t *testing.T, db *store.DB) {
		p, other := storetest.Carer("RES"), storetest.Carer("RES-OTHER")
		must(t, db.CreateProvider(ctx, p))
		must(t, db.CreateProvider(ctx, other))
		today := placematch.DateOf(storetest.Clock)
		young := aged("RES-7", 7)
		old := aged("RES-12", 12, func(c *placematch.Child) {
			c.Risks = []placematch.Risk{{Type: "physical_harm_to_others", Level: "medium"}}
			c.Needs = []string{"trauma", "only_older_children"}
		})
		later, elsewhere := aged("RES-9", 9), aged("RES-10", 10)
		for _, c := range []*placematch.Child{young, old, later, elsewhere} {
			must(t, db.CreateChild(ctx, c))
		}
		book := func(c *placematch.Child, at *placematch.Provider, start placematch.Date) *placematch.Placement {
			t.Helper()
			pls, err := db.Book(ctx, store.BookRequest{ChildID: c.ID, Provider: at.Ref(), StartDate: start})
			must(t, err)
			return pls[0]
		}
		book(young, p, today)
		placedOld := book(old, p, today)
		book(elsewhere, other, today)

		all, cur, err := db.ProviderChanges(ctx, store.ChangeCursor{})
		must(t, err)
		var got *placematch.Provider
		for _, q := range all {
			if q.ID == p.ID {
				got = q
			}
		}
		if got == nil || !slices.Equal(residentRefs(got), []string{"RES-12:12", "RES-7:7"}) {
			t.Fatalf("full load: residents %v, want the 12-year-old then the 7-year-old", residentRefs(got))
		}
		r := got.Residents[0]
		if !slices.Equal(r.Risks, old.Risks) || !slices.Equal(r.Needs, old.Needs) {
			t.Fatalf("resident %+v, want the child's risks %v and needs %v", r, old.Risks, old.Needs)
		}

		// The booking's check sees who lives there now; the children booked are
		// not among them.
		var seen []string
		_, err = db.Book(ctx, store.BookRequest{ChildID: later.ID, Provider: p.Ref(), StartDate: today.AddDays(7),
			Check: func(_ []*placematch.Child, q *placematch.Provider) error {
				seen = residentRefs(q)
				return nil
			}})
		must(t, err)
		if !slices.Equal(seen, []string{"RES-12:12", "RES-7:7"}) {
			t.Fatalf("the booking's check saw residents %v", seen)
		}
		got, cur = changedProvider(t, db, cur, p.ID)
		if !slices.Equal(residentRefs(got), []string{"RES-12:12", "RES-9:9", "RES-7:7"}) {
			t.Fatalf("after a booking: residents %v", residentRefs(got))
		}

		_, err = db.UpdatePlacement(ctx, placedOld.ID, 0, func(pl *placematch.Placement) error {
			pl.Status, pl.EndReason, pl.EndDate = placematch.PlacementEnded, "CARPL", today
			return nil
		})
		must(t, err)
		got, cur = changedProvider(t, db, cur, p.ID)
		if !slices.Equal(residentRefs(got), []string{"RES-9:9", "RES-7:7"}) {
			t.Fatalf("after an ending: residents %v", residentRefs(got))
		}

		ls, err := db.ListPlacements(ctx, store.PlacementFilter{ChildID: later.ID})
		must(t, err)
		_, err = db.UpdatePlacement(ctx, ls.Items[0].ID, 0, func(pl *placematch.Placement) error {
			pl.Status = placematch.PlacementCancelled
			return nil
		})
		must(t, err)
		got, cur = changedProvider(t, db, cur, p.ID)
		if !slices.Equal(residentRefs(got), []string{"RES-7:7"}) {
			t.Fatalf("after a cancellation: residents %v", residentRefs(got))
		}

		// Archiving an ended placement changes no resident and writes no provider.
		must(t, db.ArchivePlacement(ctx, placedOld.ID, 0))
		if rest, _, err := db.ProviderChanges(ctx, cur); err != nil || len(rest) != 0 {
			t.Fatalf("after archiving an ended placement: %v %v", names(rest), err)
		}

		// Lists and single reads do not derive residents.
		one, err := db.GetProvider(ctx, p.Kind, p.ID)
		must(t, err)
		if one.Residents != nil {
			t.Fatalf("GetProvider filled residents %v", residentRefs(one))
		}
	})
}

// A resident's age is on the store's clock, not the machine's: a child whose 12th
// birthday is three days after the test clock is 11 on it, and 12 once the store's
// clock has passed her birthday.
func TestResidentAgesAreOnTheStoresClock(t *testing.T) {
	eachDialect(t, func(t *testing.T, db *store.DB) {
		p := storetest.Carer("AGE")
		must(t, db.CreateProvider(ctx, p))
		c := storetest.Child("AGE-C", func(c *placematch.Child) {
			c.DateOfBirth = placematch.DateOf(storetest.Clock.AddDate(-12, 0, 3))
		})
		must(t, db.CreateChild(ctx, c))
		_, err := db.Book(ctx, store.BookRequest{ChildID: c.ID, Provider: p.Ref(), StartDate: placematch.DateOf(storetest.Clock)})
		must(t, err)
		age := func() int {
			t.Helper()
			got, _ := changedProvider(t, db, store.ChangeCursor{}, p.ID)
			if len(got.Residents) != 1 {
				t.Fatalf("residents %v", residentRefs(got))
			}
			return got.Residents[0].Age
		}
		if a := age(); a != 11 {
			t.Fatalf("on the store's clock: age %d, want 11", a)
		}
		db.Now = func() time.Time { return storetest.Clock.AddDate(0, 0, 3) }
		if a := age(); a != 12 {
			t.Fatalf("on her birthday: age %d, want 12", a)
		}
	})
}

// A placed child's own record change is seen by another instance's index: the
// providers of its active placements are stamped in the same transaction, without a
// new version. A change that no resident shows (urgency), and any change of a child
// placed nowhere, writes no provider.
func TestPlacedChildsChangeReachesAnotherInstance(t *testing.T) {
	for _, d := range storetest.Dialects() {
		t.Run(d, func(t *testing.T) {
			t.Parallel()
			cfg := storetest.Config(t, d)
			open := func() *store.DB {
				db, err := store.Open(ctx, cfg)
				must(t, err)
				t.Cleanup(func() { db.Close() })
				db.Now = func() time.Time { return storetest.Clock }
				return db
			}
			db := open()
			must(t, db.Migrate(ctx))
			other := open()

			p := storetest.Carer("STAMP")
			must(t, db.CreateProvider(ctx, p))
			c, waiting := aged("STAMP-C", 12), aged("STAMP-W", 8)
			must(t, db.CreateChild(ctx, c))
			must(t, db.CreateChild(ctx, waiting))
			_, err := db.Book(ctx, store.BookRequest{ChildID: c.ID, Provider: p.Ref(), StartDate: placematch.DateOf(storetest.Clock)})
			must(t, err)
			before, cur := changedProvider(t, other, store.ChangeCursor{}, p.ID)

			high := []placematch.Risk{{Type: "physical_harm_to_others", Level: "high"}}
			_, err = db.UpdateChild(ctx, c.ID, 0, func(c *placematch.Child) error { c.Risks = high; return nil })
			must(t, err)
			got, cur := changedProvider(t, other, cur, p.ID)
			if len(got.Residents) != 1 || !slices.Equal(got.Residents[0].Risks, high) {
				t.Fatalf("after the risk change: residents %+v", got.Residents)
			}
			if got.Version != before.Version {
				t.Fatalf("the provider's version moved from %d to %d", before.Version, got.Version)
			}

			for _, step := range []struct {
				name      string
				id        string
				fn        func(c *placematch.Child)
				residents []string
			}{
				{"needs", c.ID, func(c *placematch.Child) { c.Needs = append(c.Needs, "live_alone") }, []string{"STAMP-C:12"}},
				{"reference", c.ID, func(c *placematch.Child) { c.Reference = "STAMP-C2" }, []string{"STAMP-C2:12"}},
				{"date of birth", c.ID, func(c *placematch.Child) { c.DateOfBirth = c.DateOfBirth.AddDays(-366) }, []string{"STAMP-C2:13"}},
			} {
				_, err := db.UpdateChild(ctx, step.id, 0, func(c *placematch.Child) error { step.fn(c); return nil })
				must(t, err)
				got, cur = changedProvider(t, other, cur, p.ID)
				if !slices.Equal(residentRefs(got), step.residents) {
					t.Fatalf("after a change of %s: residents %v, want %v", step.name, residentRefs(got), step.residents)
				}
			}
			if !slices.Contains(got.Residents[0].Needs, "live_alone") {
				t.Fatalf("resident needs %v", got.Residents[0].Needs)
			}

			for _, step := range []struct {
				name string
				id   string
				fn   func(c *placematch.Child)
			}{
				{"urgency of the placed child", c.ID, func(c *placematch.Child) { c.Urgency = "emergency" }},
				{"risks of a child placed nowhere", waiting.ID, func(c *placematch.Child) { c.Risks = high }},
			} {
				_, err := db.UpdateChild(ctx, step.id, 0, func(c *placematch.Child) error { step.fn(c); return nil })
				must(t, err)
				if rest, _, err := other.ProviderChanges(ctx, cur); err != nil || len(rest) != 0 {
					t.Fatalf("%s: the index would reload %v (%v)", step.name, names(rest), err)
				}
			}

			// An archived child whose placement is still active still lives there
			// and still fills the place.
			must(t, db.ArchiveChild(ctx, c.ID, 0))
			full, _ := changedProvider(t, other, store.ChangeCursor{}, p.ID)
			if !slices.Equal(residentRefs(full), []string{"STAMP-C2:13"}) || full.Filled != 1 {
				t.Fatalf("after archiving the placed child: residents %v, filled %d", residentRefs(full), full.Filled)
			}
		})
	}
}

// A placed child whose stored record cannot be read is left out of the residents
// (and logged), and the load goes on: every other provider and resident is read.
func TestUnreadableResidentDoesNotStopTheLoad(t *testing.T) {
	eachDialect(t, func(t *testing.T, db *store.DB) {
		p := storetest.Carer("BAD")
		must(t, db.CreateProvider(ctx, p))
		bad, good := aged("BAD-C", 12), aged("GOOD-C", 9)
		must(t, db.CreateChild(ctx, bad))
		must(t, db.CreateChild(ctx, good))
		for _, c := range []*placematch.Child{bad, good} {
			_, err := db.Book(ctx, store.BookRequest{ChildID: c.ID, Provider: p.Ref(), StartDate: placematch.DateOf(storetest.Clock)})
			must(t, err)
		}
		must(t, db.ExecRaw(ctx, "UPDATE children SET risks = 'not a list' WHERE id = ?", bad.ID))
		got, _ := changedProvider(t, db, store.ChangeCursor{}, p.ID)
		if !slices.Equal(residentRefs(got), []string{"GOOD-C:9"}) {
			t.Fatalf("residents %v, want the readable child alone", residentRefs(got))
		}
	})
}

// An incremental read of more providers than one IN list holds reads the residents
// of every one of them.
func TestResidentsOfManyChangedProviders(t *testing.T) {
	eachDialect(t, func(t *testing.T, db *store.DB) {
		must(t, db.CreateProvider(ctx, storetest.Carer("FIRST")))
		_, cur, err := db.ProviderChanges(ctx, store.ChangeCursor{})
		must(t, err)
		const n = 1_201
		provs, kids := make([]*placematch.Provider, n), make([]*placematch.Child, n)
		pls := make([]store.BulkPlacement, n)
		for i := range n {
			provs[i] = storetest.Carer(fmt.Sprintf("MANY-P%d", i))
			kids[i] = aged(fmt.Sprintf("MANY-C%d", i), 5+i%10)
			pls[i] = store.BulkPlacement{Child: i, Provider: i, StartDate: placematch.DateOf(storetest.Clock)}
		}
		must(t, db.BulkImport(ctx, provs, kids, pls))
		got, _, err := db.ProviderChanges(ctx, cur)
		must(t, err)
		want := map[string]string{}
		for i, p := range provs {
			want[p.ID] = fmt.Sprintf("MANY-C%d:%d", i, 5+i%10)
		}
		if len(got) != n {
			t.Fatalf("%d providers changed, want %d", len(got), n)
		}
		for _, p := range got {
			if refs := residentRefs(p); len(refs) != 1 || refs[0] != want[p.ID] {
				t.Fatalf("%s: residents %v, want %s", p.Name, refs, want[p.ID])
			}
		}
	})
}
