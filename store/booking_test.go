package store_test

import (
	"errors"
	"fmt"
	"reflect"
	"sync"
	"testing"
	"time"

	"placematch"
	"placematch/store"
	"placematch/store/storetest"
)

func book(db *store.DB, child string, p *placematch.Provider, siblings bool) ([]*placematch.Placement, error) {
	return db.Book(ctx, store.BookRequest{ChildID: child, Provider: p.Ref(), StartDate: placematch.DateOf(storetest.Clock),
		IncludeSiblings: siblings})
}

func TestBookTakesAndEndingFreesAPlace(t *testing.T) {
	eachDialect(t, func(t *testing.T, db *store.DB) {
		p := storetest.Carer("C1")
		c := storetest.Child("A")
		must(t, db.CreateProvider(ctx, p))
		must(t, db.CreateChild(ctx, c))
		pls, err := book(db, c.ID, p, false)
		must(t, err)
		if len(pls) != 1 || pls[0].Status != placematch.PlacementActive || pls[0].Provider.ID != p.ID {
			t.Fatalf("placements %+v", pls)
		}
		got, err := db.GetProvider(ctx, p.Kind, p.ID)
		must(t, err)
		if got.Filled != 1 || got.Vacancies != 2 {
			t.Fatalf("after booking filled %d vacancies %d", got.Filled, got.Vacancies)
		}
		child, err := db.GetChild(ctx, c.ID)
		must(t, err)
		if child.Status != placematch.ChildPlaced {
			t.Fatalf("child %s", child.Status)
		}
		if _, err := book(db, c.ID, p, false); !errors.Is(err, placematch.ErrConflict) {
			t.Fatalf("second booking of a placed child: %v", err)
		}
		got2, err := db.GetPlacement(ctx, pls[0].ID)
		must(t, err)
		if got2.Provider.Name != p.Name {
			t.Fatalf("placement provider name %q", got2.Provider.Name)
		}
		if _, err := db.UpdateProvider(ctx, p.Kind, p.ID, 0, func(p *placematch.Provider) error {
			p.Carer.MaxChildren = 0
			return nil
		}); !errors.Is(err, placematch.ErrConflict) {
			t.Fatalf("cutting places below filled: %v", err)
		}
		_, err = db.UpdatePlacement(ctx, pls[0].ID, 1, func(pl *placematch.Placement) error {
			pl.Status, pl.EndReason, pl.EndDate = placematch.PlacementEnded, "CARPL", placematch.DateOf(storetest.Clock)
			return nil
		})
		must(t, err)
		got, err = db.GetProvider(ctx, p.Kind, p.ID)
		must(t, err)
		child, err = db.GetChild(ctx, c.ID)
		must(t, err)
		if got.Filled != 0 || got.Vacancies != 3 || child.Status != placematch.ChildAwaiting {
			t.Fatalf("after ending: filled %d vacancies %d child %s", got.Filled, got.Vacancies, child.Status)
		}
		if _, err := db.UpdatePlacement(ctx, pls[0].ID, 0, func(pl *placematch.Placement) error {
			pl.Status = placematch.PlacementActive
			return nil
		}); !errors.Is(err, placematch.ErrConflict) {
			t.Fatalf("restarting an ended placement: %v", err)
		}
	})
}

func TestBookRefusesUnavailableAndUnknown(t *testing.T) {
	eachDialect(t, func(t *testing.T, db *store.DB) {
		p := storetest.Carer("C1", func(p *placematch.Provider) { p.Availability.Status = placematch.Unavailable })
		c := storetest.Child("A")
		must(t, db.CreateProvider(ctx, p))
		must(t, db.CreateChild(ctx, c))
		if _, err := book(db, c.ID, p, false); !errors.Is(err, placematch.ErrNoCapacity) {
			t.Fatalf("unavailable carer: %v", err)
		}
		var ve *placematch.ValidationError
		other := storetest.Unit("U1")
		other.ID = p.ID
		if _, err := book(db, c.ID, other, false); !errors.As(err, &ve) || ve.Errors[0].Field != "provider.id" {
			t.Fatalf("wrong kind: %v", err)
		}
		if _, err := book(db, "0190a6b2-0000-7000-8000-000000000000", p, false); !errors.As(err, &ve) || ve.Errors[0].Field != "child_id" {
			t.Fatalf("unknown child: %v", err)
		}
		refusal := errors.New("hard rule")
		p2 := storetest.Carer("C2")
		must(t, db.CreateProvider(ctx, p2))
		_, err := db.Book(ctx, store.BookRequest{ChildID: c.ID, Provider: p2.Ref(), StartDate: placematch.DateOf(storetest.Clock),
			Check: func([]*placematch.Child, *placematch.Provider) error { return refusal }})
		if !errors.Is(err, refusal) {
			t.Fatalf("check not applied: %v", err)
		}
		assertFilled(t, db, p2, 0)
	})
}

func assertFilled(t *testing.T, db *store.DB, p *placematch.Provider, want int) {
	t.Helper()
	got, err := db.GetProvider(ctx, p.Kind, p.ID)
	must(t, err)
	if got.Filled != want {
		t.Fatalf("%s filled %d, want %d", p.Reference, got.Filled, want)
	}
}

// A sibling group of two is placed together or not at all.
func TestSiblingGroupIsNeverSplitOrHalfBooked(t *testing.T) {
	eachDialect(t, func(t *testing.T, db *store.DB) {
		a := storetest.Child("A")
		must(t, db.CreateChild(ctx, a))
		b := storetest.Child("B", func(c *placematch.Child) { c.Siblings = []string{a.ID} })
		must(t, db.CreateChild(ctx, b))
		small := storetest.Carer("ONE", func(p *placematch.Provider) { p.Carer.MaxChildren = 1 })
		big := storetest.Carer("TWO", func(p *placematch.Provider) { p.Carer.MaxChildren = 2 })
		must(t, db.CreateProvider(ctx, small))
		must(t, db.CreateProvider(ctx, big))

		if _, err := book(db, a.ID, small, true); !errors.Is(err, placematch.ErrNoCapacity) {
			t.Fatalf("group of 2 into 1 place: %v", err)
		}
		assertFilled(t, db, small, 0)
		for _, id := range []string{a.ID, b.ID} {
			c, err := db.GetChild(ctx, id)
			must(t, err)
			if c.Status != placematch.ChildAwaiting {
				t.Fatalf("half-booked: %s is %s", c.Reference, c.Status)
			}
		}
		pls, err := book(db, b.ID, big, true)
		must(t, err)
		if len(pls) != 2 || pls[0].GroupID != pls[1].GroupID || pls[0].Provider.ID != pls[1].Provider.ID {
			t.Fatalf("group booking %+v", pls)
		}
		assertFilled(t, db, big, 2)
		page, err := db.ListPlacements(ctx, store.PlacementFilter{ProviderID: small.ID})
		must(t, err)
		if len(page.Items) != 0 {
			t.Fatal("a placement was left at the provider that refused")
		}
	})
}

// Many officers race for the last place: exactly one wins and the provider is never
// over-booked.
func TestConcurrentBookingsNeverOverbook(t *testing.T) {
	eachDialect(t, func(t *testing.T, db *store.DB) {
		racers := 1000 // a thousand officers racing for the last place
		if testing.Short() {
			racers = 50
		}
		p := storetest.Carer("LAST", func(p *placematch.Provider) { p.Carer.MaxChildren = 1 })
		must(t, db.CreateProvider(ctx, p))
		children := make([]*placematch.Child, racers)
		for i := range children {
			children[i] = storetest.Child(fmt.Sprintf("R%04d", i))
			must(t, db.CreateChild(ctx, children[i]))
		}
		var (
			wg          sync.WaitGroup
			mu          sync.Mutex
			won, refuse int
			other       []error
		)
		start := make(chan struct{})
		for _, c := range children {
			wg.Go(func() {
				<-start
				_, err := book(db, c.ID, p, false)
				mu.Lock()
				defer mu.Unlock()
				switch {
				case err == nil:
					won++
				case errors.Is(err, placematch.ErrNoCapacity):
					refuse++
				default:
					other = append(other, err)
				}
			})
		}
		close(start)
		wg.Wait()
		if won != 1 || refuse != racers-1 || len(other) != 0 {
			t.Fatalf("won %d, refused %d, other errors %v", won, refuse, other)
		}
		assertFilled(t, db, p, 1)
		page, err := db.ListPlacements(ctx, store.PlacementFilter{ProviderID: p.ID, Status: "active"})
		must(t, err)
		if len(page.Items) != 1 {
			t.Fatalf("%d active placements", len(page.Items))
		}
	})
}

// The booking's rules are judged on the records as stored: the child, its sibling
// and the provider the check is handed are the records GetChild and GetProvider
// read, every field (on PostgreSQL the booking reads the rows itself, column by
// column), and what the booking writes reads back as written.
func TestBookReadsTheStoredRecords(t *testing.T) {
	eachDialect(t, func(t *testing.T, db *store.DB) {
		maxKM, recorded := 30.5, storetest.Clock.Add(-time.Hour)
		school := placematch.Point{Lat: 52.61, Lon: 1.25}
		a := storetest.Child("A", func(c *placematch.Child) {
			c.SchoolLocation, c.MaxDistanceKM, c.WheelchairUser = &school, &maxKM, true
			c.Postcode, c.Urgency = "NR1 1AA", "emergency"
			c.Languages = []string{"english", "polish"}
			c.Wishes = &placematch.Wishes{Text: "near my school", RecordedBy: "officer", RecordedAt: recorded}
		})
		must(t, db.CreateChild(ctx, a))
		b := storetest.Child("B", func(c *placematch.Child) { c.Siblings = []string{a.ID}; c.Sex = "male" })
		must(t, db.CreateChild(ctx, b))
		p := storetest.Carer("C1", func(p *placematch.Provider) {
			p.Postcode, p.Sector, p.Availability.Note = "NR3 1AA", placematch.SectorInHouse, "weekdays"
		})
		must(t, db.CreateProvider(ctx, p))
		wantA, err := db.GetChild(ctx, a.ID)
		must(t, err)
		wantB, err := db.GetChild(ctx, b.ID)
		must(t, err)
		wantP, err := db.GetProvider(ctx, p.Kind, p.ID)
		must(t, err)

		var seen []*placematch.Child
		var seenP *placematch.Provider
		pls, err := db.Book(ctx, store.BookRequest{ChildID: a.ID, Provider: p.Ref(), StartDate: placematch.DateOf(storetest.Clock),
			IncludeSiblings: true, DecisionReason: "closest", MatchRank: 2,
			Check: func(group []*placematch.Child, p *placematch.Provider) error {
				for _, c := range group {
					cp := *c
					seen = append(seen, &cp)
				}
				cp := *p
				seenP = &cp
				return nil
			}})
		must(t, err)
		if len(seen) != 2 || !reflect.DeepEqual(seen[0], wantA) || !reflect.DeepEqual(seen[1], wantB) {
			t.Fatalf("check saw\n%+v\n%+v\nstored\n%+v\n%+v", seen[0], seen[len(seen)-1], wantA, wantB)
		}
		if seenP.Residents != nil {
			t.Fatalf("residents of an empty home: %+v", seenP.Residents)
		}
		seenP.Residents = wantP.Residents
		if !reflect.DeepEqual(seenP, wantP) {
			t.Fatalf("check saw\n%+v\nstored\n%+v", seenP, wantP)
		}
		for i, want := range []*placematch.Child{wantA, wantB} {
			got, err := db.GetChild(ctx, want.ID)
			must(t, err)
			if got.Status != placematch.ChildPlaced || got.Version != want.Version+1 {
				t.Fatalf("child %d after booking: %s v%d", i, got.Status, got.Version)
			}
			got.Status, got.Version, got.UpdatedAt = want.Status, want.Version, want.UpdatedAt
			if !reflect.DeepEqual(got, want) {
				t.Fatalf("booking changed more of the child than its status:\n%+v\n%+v", got, want)
			}
			stored, err := db.GetPlacement(ctx, pls[i].ID)
			must(t, err)
			pls[i].Provider.Name = stored.Provider.Name
			if !reflect.DeepEqual(stored, pls[i]) {
				t.Fatalf("placement read back\n%+v\nbooked\n%+v", stored, pls[i])
			}
		}
		if stored := pls[0]; stored.DecisionReason != "closest" || stored.MatchRank != 2 || stored.Wishes == nil ||
			stored.Wishes.Text != "near my school" || stored.GroupID != pls[1].GroupID {
			t.Fatalf("placement %+v", stored)
		}
		got, err := db.GetProvider(ctx, p.Kind, p.ID)
		must(t, err)
		if got.Filled != 2 || got.Version != wantP.Version+1 {
			t.Fatalf("provider after booking: filled %d v%d", got.Filled, got.Version)
		}
	})
}
