package placing_test

import (
	"context"
	"encoding/json"
	"errors"
	"slices"
	"testing"
	"time"

	"placematch"
	"placematch/matching"
	"placematch/placing"
	"placematch/store"
	"placematch/store/storetest"
)

var ctx = context.Background()

func must(t *testing.T, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}

// replicas opens two stores on one fresh database, as two instances of the service
// would, with the fixed test clock.
func replicas(t *testing.T, dialect string) (a, b *store.DB) {
	t.Helper()
	a, cfg := storetest.OpenConfig(t, dialect)
	b, err := store.Open(ctx, cfg)
	must(t, err)
	t.Cleanup(func() { b.Close() })
	for _, db := range []*store.DB{a, b} {
		db.Now = func() time.Time { return storetest.Clock }
	}
	replayEveryRun(t, a)
	return a, b
}

func service(db *store.DB) *placing.Service {
	return &placing.Service{Store: db, Now: db.Now}
}

func each(t *testing.T, fn func(t *testing.T, a, b *store.DB)) {
	for _, d := range storetest.Dialects() {
		t.Run(d, func(t *testing.T) {
			t.Parallel()
			a, b := replicas(t, d)
			fn(t, a, b)
		})
	}
}

func ranked(run *placing.Run) []string {
	var ids []string
	for _, m := range run.Matches {
		ids = append(ids, m.Provider.ID)
	}
	return ids
}

// A run is stored with a typed record that says what the bytes say: the group and,
// rank by rank, the provider and its score.
func TestMatchStoresTheTypedRunBesideTheBytes(t *testing.T) {
	each(t, func(t *testing.T, db, _ *store.DB) {
		for _, ref := range []string{"P1", "P2", "P3"} {
			must(t, db.CreateProvider(ctx, storetest.Carer(ref)))
		}
		must(t, db.CreateProvider(ctx, storetest.Carer("OFF", func(p *placematch.Provider) { p.Carer.Status = placematch.CarerOnHold })))
		brother := storetest.Child("K2")
		must(t, db.CreateChild(ctx, brother))
		child := storetest.Child("K1", func(c *placematch.Child) { c.Siblings = []string{brother.ID} })
		must(t, db.CreateChild(ctx, child))

		svc := service(db)
		run, err := svc.Match(ctx, placing.MatchRequest{ChildID: child.ID, Options: optsAll(), Query: "include_excluded=true"})
		must(t, err)
		if !slices.Equal(run.Group, []string{child.ID, brother.ID}) || len(run.Matches) != 3 || run.ExcludedCount != 1 {
			t.Fatalf("group %v, %d matches, %d excluded", run.Group, len(run.Matches), run.ExcludedCount)
		}
		stored, err := svc.Run(ctx, run.MatchID)
		must(t, err)
		if string(stored.Result) != string(run.Body) || !slices.Equal(stored.Group, run.Group) ||
			stored.InputHash != run.InputHash || stored.WeightsVersion != run.WeightsVersion {
			t.Fatalf("stored run differs from the run: %+v", stored)
		}
		var shown struct {
			Matches []store.RankedProvider `json:"matches"`
		}
		must(t, json.Unmarshal(stored.Result, &shown))
		if !slices.Equal(stored.Ranked, shown.Matches) {
			t.Fatalf("typed record %v, bytes shown %v", stored.Ranked, shown.Matches)
		}
	})
}

// A booking's cited rank is judged on the run's typed record: the run must be this
// child's, the rank must exist and must name the provider booked.
func TestBookJudgesTheCitedRank(t *testing.T) {
	each(t, func(t *testing.T, db, _ *store.DB) {
		p1, p2 := storetest.Carer("P1"), storetest.Carer("P2", func(p *placematch.Provider) { p.Location.Lat += 0.2 })
		must(t, db.CreateProvider(ctx, p1))
		must(t, db.CreateProvider(ctx, p2))
		child, other := storetest.Child("K1"), storetest.Child("K2")
		must(t, db.CreateChild(ctx, child))
		must(t, db.CreateChild(ctx, other))
		svc := service(db)
		run, err := svc.Match(ctx, placing.MatchRequest{ChildID: child.ID, Options: optsAll()})
		must(t, err)
		if got := ranked(run); !slices.Equal(got, []string{p1.ID, p2.ID}) {
			t.Fatalf("ranked %v, want the nearer carer first", got)
		}
		book := func(childID string, p *placematch.Provider, matchID string, rank int) error {
			_, err := svc.Book(ctx, store.BookRequest{ChildID: childID, Provider: p.Ref(), StartDate: placematch.DateOf(storetest.Clock),
				MatchID: matchID, MatchRank: rank, DecisionReason: "nearer her school"})
			return err
		}
		for _, tc := range []struct {
			name, field string
			err         error
		}{
			{"rank 1 is the other carer", "match_rank", book(child.ID, p2, run.MatchID, 1)},
			{"no rank 3", "match_rank", book(child.ID, p1, run.MatchID, 3)},
			{"another child's run", "match_id", book(other.ID, p1, run.MatchID, 1)},
			{"no such run", "match_id", book(child.ID, p1, store.NewMatchID(), 1)},
			{"an empty id with a rank", "match_id", book(child.ID, p1, "", 1)},
		} {
			var ve *placematch.ValidationError
			if !errors.As(tc.err, &ve) || ve.Errors[0].Field != tc.field {
				t.Errorf("%s: %v, want a validation error on %s", tc.name, tc.err, tc.field)
			}
		}
		must(t, book(child.ID, p2, run.MatchID, 2))
	})
}

// The hard rules are judged again at booking, on the rows the booking locks: a carer
// whose approval changed (through another instance) after the search is refused with the engine's code, and nothing is
// booked.
func TestBookRejudgesTheHardRulesOnTheLockedRows(t *testing.T) {
	each(t, func(t *testing.T, db, other *store.DB) {
		p := storetest.Carer("P1")
		must(t, db.CreateProvider(ctx, p))
		child := storetest.Child("K1")
		must(t, db.CreateChild(ctx, child))
		svc := service(db)
		run, err := svc.Match(ctx, placing.MatchRequest{ChildID: child.ID, Options: optsAll()})
		must(t, err)
		if !slices.Equal(ranked(run), []string{p.ID}) {
			t.Fatalf("ranked %v", ranked(run))
		}
		_, err = other.UpdateProvider(ctx, p.Kind, p.ID, 0, func(p *placematch.Provider) error {
			p.Carer.PlacementTypes = []placematch.PlacementType{placematch.PlacementLongTerm}
			p.AgeMin = 12
			return nil
		})
		must(t, err)
		_, err = svc.Book(ctx, store.BookRequest{ChildID: child.ID, Provider: p.Ref(), StartDate: placematch.DateOf(storetest.Clock),
			MatchID: run.MatchID, MatchRank: 1})
		wantRuleRefused(t, db, child.ID, err, "age_out_of_range", "placement_type_not_offered")
	})
}

// The candidate index follows writes made through another instance: a new provider
// is ranked, an archived one is dropped, a changed one is judged on its new state.
func TestIndexFollowsAnotherInstancesWrites(t *testing.T) {
	each(t, func(t *testing.T, db, other *store.DB) {
		p1 := storetest.Carer("P1")
		must(t, db.CreateProvider(ctx, p1))
		child := storetest.Child("K1")
		must(t, db.CreateChild(ctx, child))
		match := matcher(t, service(db), child.ID)
		if got := ranked(match()); !slices.Equal(got, []string{p1.ID}) {
			t.Fatalf("first search ranked %v", got)
		}
		p2 := storetest.Carer("P2", func(p *placematch.Provider) { p.Location.Lat += 0.1 })
		must(t, other.CreateProvider(ctx, p2))
		if got := ranked(match()); !slices.Equal(got, []string{p1.ID, p2.ID}) {
			t.Fatalf("after another instance added a carer: ranked %v", got)
		}
		_, err := other.UpdateProvider(ctx, p1.Kind, p1.ID, 0, func(p *placematch.Provider) error {
			p.Availability.Status = placematch.Unavailable
			return nil
		})
		must(t, err)
		run := match()
		if got := ranked(run); !slices.Equal(got, []string{p2.ID}) || run.ExcludedSummary["unavailable"] != 1 {
			t.Fatalf("after another instance made a carer unavailable: ranked %v, summary %v", got, run.ExcludedSummary)
		}
		must(t, other.ArchiveProvider(ctx, p2.Kind, p2.ID, 0))
		if run := match(); len(run.Matches) != 0 || run.Considered != 1 {
			t.Fatalf("after another instance archived a carer: ranked %v, considered %d", ranked(run), run.Considered)
		}
	})
}

// An archived child cannot be matched; a child that does not exist is not found.
func TestMatchRefusesArchivedAndUnknownChildren(t *testing.T) {
	each(t, func(t *testing.T, db, _ *store.DB) {
		child := storetest.Child("K1")
		must(t, db.CreateChild(ctx, child))
		must(t, db.ArchiveChild(ctx, child.ID, 0))
		svc := service(db)
		if _, err := svc.Match(ctx, placing.MatchRequest{ChildID: child.ID}); !errors.Is(err, placematch.ErrConflict) {
			t.Fatalf("archived child: %v, want a conflict", err)
		}
		if _, err := svc.Match(ctx, placing.MatchRequest{ChildID: store.NewMatchID()}); !errors.Is(err, placematch.ErrNotFound) {
			t.Fatalf("unknown child: %v, want not found", err)
		}
	})
}

// A child placed with a carer lives in the household the rules judge, and a change
// of her record through another instance reaches both the index and the booking: a
// 12-year-old resident whose risk of physical harm to others is raised to high rules
// the carer out for a 7-year-old (a younger child in the home), in the ranking and
// at booking, where the run cited was made before the change.
func TestResidentsRiskChangeThroughAnotherInstanceRulesTheCarerOut(t *testing.T) {
	each(t, func(t *testing.T, db, other *store.DB) {
		today := placematch.DateOf(storetest.Clock)
		aged := func(ref string, age int) *placematch.Child {
			return storetest.Child(ref, func(c *placematch.Child) {
				c.DateOfBirth = placematch.DateOf(storetest.Clock.AddDate(-age, -1, 0))
			})
		}
		p := storetest.Carer("HOME")
		must(t, db.CreateProvider(ctx, p))
		resident, child := aged("RES-12", 12), aged("NEW-7", 7)
		must(t, db.CreateChild(ctx, resident))
		must(t, db.CreateChild(ctx, child))
		svc := service(db)
		_, err := svc.Book(ctx, store.BookRequest{ChildID: resident.ID, Provider: p.Ref(), StartDate: today})
		must(t, err)

		match := func() *placing.Run {
			t.Helper()
			run, err := svc.Match(ctx, placing.MatchRequest{ChildID: child.ID, Options: optsAll()})
			must(t, err)
			return run
		}
		before := match()
		if !slices.Equal(ranked(before), []string{p.ID}) {
			t.Fatalf("with a resident of no high risk: ranked %v, summary %v", ranked(before), before.ExcludedSummary)
		}

		_, err = other.UpdateChild(ctx, resident.ID, 0, func(c *placematch.Child) error {
			c.Risks = []placematch.Risk{{Type: "physical_harm_to_others", Level: "high"}}
			return nil
		})
		must(t, err)

		after := match()
		if len(after.Matches) != 0 || after.ExcludedSummary["household_harm_to_younger"] != 1 {
			t.Fatalf("after the resident's risk was raised: ranked %v, summary %v", ranked(after), after.ExcludedSummary)
		}
		_, err = svc.Book(ctx, store.BookRequest{ChildID: child.ID, Provider: p.Ref(), StartDate: today,
			MatchID: before.MatchID, MatchRank: 1})
		wantRuleRefused(t, db, child.ID, err, "household_harm_to_younger")
	})
}

// A sibling group recorded as a chain (B and C each list only A) is one group from
// whichever child it is opened: the search ranks for all three, a booking from B
// places all three, and booking B alone leaves A and C behind, which needs a reason.
func TestSiblingsLinkedThroughASiblingAreOneGroup(t *testing.T) {
	each(t, func(t *testing.T, db, _ *store.DB) {
		p := storetest.Carer("P1", func(p *placematch.Provider) { p.Places, p.Carer.MaxChildren = 3, 3 })
		must(t, db.CreateProvider(ctx, p))
		a := storetest.Child("A")
		must(t, db.CreateChild(ctx, a))
		b := storetest.Child("B", func(c *placematch.Child) { c.Siblings = []string{a.ID} })
		must(t, db.CreateChild(ctx, b))
		c := storetest.Child("C", func(c *placematch.Child) { c.Siblings = []string{a.ID} })
		must(t, db.CreateChild(ctx, c))
		svc := service(db)
		want := []string{a.ID, b.ID, c.ID}
		slices.Sort(want)
		for _, opened := range []*placematch.Child{a, b, c} {
			run, err := svc.Match(ctx, placing.MatchRequest{ChildID: opened.ID, Options: optsAll()})
			must(t, err)
			got := slices.Clone(run.Group)
			slices.Sort(got)
			if !slices.Equal(got, want) || run.Group[0] != opened.ID {
				t.Fatalf("opened from %s: group %v", opened.Reference, run.Group)
			}
		}
		start := placematch.DateOf(storetest.Clock)
		_, err := svc.Book(ctx, store.BookRequest{ChildID: b.ID, Provider: p.Ref(), StartDate: start})
		var ve *placematch.ValidationError
		if !errors.As(err, &ve) || ve.Errors[0].Field != "split_reason" {
			t.Fatalf("booking B alone without a reason: %v, want split_reason", err)
		}
		pls, err := svc.Book(ctx, store.BookRequest{ChildID: b.ID, Provider: p.Ref(), StartDate: start, IncludeSiblings: true})
		must(t, err)
		if len(pls) != 3 {
			t.Fatalf("booking B with its siblings placed %d children, want 3", len(pls))
		}
	})
}

// Values that age without a write are trusted for FullReloadAfter on the service's
// clock, then every provider is read again: a change that reached the database
// without passing through the store (so without a change stamp on SQLite) is seen
// after the reload, and not before it there.
func TestIndexReloadsEverythingAfterFullReloadAfter(t *testing.T) {
	for _, d := range storetest.Dialects() {
		t.Run(d, func(t *testing.T) {
			t.Parallel()
			db, cfg := storetest.OpenConfig(t, d)
			now := storetest.Clock
			db.Now = func() time.Time { return now }
			p := storetest.Carer("P1")
			must(t, db.CreateProvider(ctx, p))
			child := storetest.Child("K1")
			must(t, db.CreateChild(ctx, child))
			match := matcher(t, &placing.Service{Store: db, Now: db.Now, FullReloadAfter: time.Hour}, child.ID)
			if got := ranked(match()); !slices.Equal(got, []string{p.ID}) {
				t.Fatalf("first search ranked %v", got)
			}
			storetest.Exec(t, cfg, "UPDATE providers SET age_min = 12 WHERE id = '"+p.ID+"'")
			if d == store.SQLite {
				if got := ranked(match()); !slices.Equal(got, []string{p.ID}) {
					t.Fatalf("before the reload the unstamped change was already seen: ranked %v", got)
				}
			}
			now = now.Add(2 * time.Hour)
			if run := match(); len(run.Matches) != 0 || run.ExcludedSummary["age_out_of_range"] != 1 {
				t.Fatalf("after the full reload: ranked %v, summary %v", ranked(run), run.ExcludedSummary)
			}
		})
	}
}

// A run's input hash names what it was computed from: the same records, options,
// weights, household rules and day give the same hash; a change to any of them, or
// to a child's record, gives another.
func TestInputHashNamesTheInputs(t *testing.T) {
	each(t, func(t *testing.T, db, _ *store.DB) {
		must(t, db.CreateProvider(ctx, storetest.Carer("P1")))
		child := storetest.Child("K1")
		must(t, db.CreateChild(ctx, child))
		hash := func(svc *placing.Service, query string) string {
			t.Helper()
			run, err := svc.Match(ctx, placing.MatchRequest{ChildID: child.ID, Options: optsAll(), Query: query})
			must(t, err)
			return run.InputHash
		}
		svc := service(db)
		base := hash(svc, "limit=10")
		if again := hash(service(db), "limit=10"); again != base {
			t.Fatalf("the same inputs hash to %s and %s", base, again)
		}
		off := service(db)
		off.Policy = matching.Policy{Off: []string{matching.CodeHouseholdSmokingUnder}}
		weights := service(db)
		weights.Weights = matching.Weights{Values: map[string]float64{"needs": 1, "distance": 1, "capacity_fit": 1,
			"language": 1, "freshness": 1, "in_area": 1}}
		for name, h := range map[string]string{
			"another query": hash(svc, "limit=5"),
			"a rule off":    hash(off, "limit=10"),
			"other weights": hash(weights, "limit=10"),
		} {
			if h == base {
				t.Errorf("%s: the input hash did not change", name)
			}
		}
		_, err := db.UpdateChild(ctx, child.ID, 0, func(c *placematch.Child) error { c.Urgency = "emergency"; return nil })
		must(t, err)
		if hash(svc, "limit=10") == base {
			t.Error("a changed child record: the input hash did not change")
		}
	})
}

// wantRuleRefused fails unless err is a booking refused by exactly these hard rules
// and the child is still awaiting.
func wantRuleRefused(t *testing.T, db *store.DB, childID string, err error, codes ...string) {
	t.Helper()
	var re *placematch.RuleError
	if !errors.As(err, &re) || !errors.Is(err, placematch.ErrHardRule) || !slices.Equal(re.Reasons, codes) {
		t.Fatalf("booking: %v, want it refused by %v", err, codes)
	}
	got, err := db.GetChild(ctx, childID)
	must(t, err)
	if got.Status != placematch.ChildAwaiting {
		t.Fatalf("child %s after a refused booking", got.Status)
	}
}

// matcher returns a search for childID with every exclusion listed, failing the test
// on an error.
func matcher(t *testing.T, svc *placing.Service, childID string) func() *placing.Run {
	return func() *placing.Run {
		t.Helper()
		run, err := svc.Match(ctx, placing.MatchRequest{ChildID: childID, Options: optsAll()})
		must(t, err)
		return run
	}
}

// A search by name over a run with a maximum distance names a carer the run only
// counted, with how far it is, while the run's counts stay as they were.
func TestOutsideRadiusNamesTheFarCarer(t *testing.T) {
	each(t, func(t *testing.T, db, _ *store.DB) {
		must(t, db.CreateProvider(ctx, storetest.Carer("NEAR")))
		far := storetest.Carer("FAR", func(p *placematch.Provider) {
			p.Name = "Household Faraway"
			p.Location = placematch.Point{Lat: 52.2053, Lon: 0.1218} // Cambridge, ~85 km
		})
		must(t, db.CreateProvider(ctx, far))
		km := 40.0
		child := storetest.Child("K1", func(c *placematch.Child) { c.MaxDistanceKM = &km })
		must(t, db.CreateChild(ctx, child))

		svc := service(db)
		run, err := svc.Match(ctx, placing.MatchRequest{ChildID: child.ID, Options: optsAll()})
		must(t, err)
		if run.Considered != 2 || run.ExcludedSummary[matching.CodeOutsideSearchRadius] != 1 || len(run.Excluded) != 0 {
			t.Fatalf("considered %d, summary %v, listed %v", run.Considered, run.ExcludedSummary, run.Excluded)
		}
		for _, q := range []string{"faraway", "far"} { // by name and by reference
			found, maxKM, err := svc.OutsideRadius(ctx, []*placematch.Child{child}, q, 10)
			must(t, err)
			if maxKM != km || len(found) != 1 || found[0].Provider.ID != far.ID || found[0].DistanceKM < 70 || found[0].DistanceKM > 100 {
				t.Fatalf("%q: max %v, found %+v", q, maxKM, found)
			}
		}
		if found, _, err := svc.OutsideRadius(ctx, []*placematch.Child{child}, "near", 10); err != nil || len(found) != 0 {
			t.Fatalf("the near carer is not outside: %+v %v", found, err)
		}
		child.MaxDistanceKM = nil
		if found, maxKM, err := svc.OutsideRadius(ctx, []*placematch.Child{child}, "far", 10); err != nil || len(found) != 0 || maxKM != 0 {
			t.Fatalf("no maximum, nothing outside: %+v %v %v", found, maxKM, err)
		}
	})
}
