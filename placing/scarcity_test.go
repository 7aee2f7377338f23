package placing_test

import (
	"maps"
	"slices"
	"strings"
	"testing"

	"placematch"
	"placematch/matching"
	"placematch/placing"
	"placematch/store"
	"placematch/store/storetest"
)

func flaggedScarce(run *placing.Run, id string) (bool, string) {
	for _, m := range run.Matches {
		if m.Provider.ID == id {
			return slices.Contains(m.Flags, matching.FlagScarcePlace), m.ScarceReason
		}
	}
	return false, "not listed"
}

// scarceReasons is a run's scarce-place sentences by provider id.
func scarceReasons(run *placing.Run) map[string]string {
	out := map[string]string{}
	for _, m := range run.Matches {
		if slices.Contains(m.Flags, matching.FlagScarcePlace) {
			out[m.Provider.ID] = m.ScarceReason
		}
	}
	return out
}

type rankedScore struct {
	id    string
	rank  int
	score float64
}

func order(run *placing.Run) []rankedScore {
	var out []rankedScore
	for _, m := range run.Matches {
		out = append(out, rankedScore{m.Provider.ID, m.Rank, m.Score})
	}
	return out
}

// A's search flags the home another waiting child depends on, says for whom and
// why, and ranks exactly as it did before that child was waiting. X is the only
// wheelchair-accessible home, so for B (a wheelchair user) it is the only home;
// once B no longer needs one, X and Y are B's only two homes (few: ScarceHomes);
// with a third home Z, B has plenty and nothing is flagged.
func TestScarcePlaceFlaggedFromTheQueue(t *testing.T) {
	each(t, func(t *testing.T, db, _ *store.DB) {
		x := storetest.Carer("X", func(p *placematch.Provider) { p.Carer.Household.WheelchairAccessible = true })
		y := storetest.Carer("Y", farFromNorwich(15))
		must(t, db.CreateProvider(ctx, x))
		must(t, db.CreateProvider(ctx, y))
		a := storetest.Child("A")
		must(t, db.CreateChild(ctx, a))
		svc := service(db)
		search := func() *placing.Run {
			t.Helper()
			run, err := svc.Match(ctx, placing.MatchRequest{ChildID: a.ID, Options: optsAll()})
			must(t, err)
			return run
		}
		alone := search()
		if f, _ := flaggedScarce(alone, x.ID); f || len(alone.Matches) != 2 {
			t.Fatalf("with nobody else waiting: X flagged %v, %d matches", f, len(alone.Matches))
		}

		b := storetest.Child("CHILD-B", func(c *placematch.Child) { c.WheelchairUser = true })
		must(t, db.CreateChild(ctx, b))
		run := search()
		fx, why := flaggedScarce(run, x.ID)
		if !fx || !strings.Contains(why, "the only home that could take child CHILD-B") || !strings.Contains(why, "wheelchair") {
			t.Fatalf("X flagged %v: %q", fx, why)
		}
		if fy, whyY := flaggedScarce(run, y.ID); fy {
			t.Fatalf("Y, which B cannot take, flagged: %q", whyY)
		}
		if !slices.Equal(order(run), order(alone)) {
			t.Fatalf("ranking changed by the flag: %v, was %v", order(run), order(alone))
		}
		if !strings.Contains(string(run.Body), `"scarce_reason":"Taking this home would use a scarce place`) {
			t.Fatal("the stored run does not show the sentence")
		}
		// Nothing written since: B was judged by that search, and is judged again
		// from the homes found then, with the same sentences.
		if again := search(); !maps.Equal(scarceReasons(again), scarceReasons(run)) {
			t.Fatalf("searched again: %v, was %v", scarceReasons(again), scarceReasons(run))
		}

		_, err := db.UpdateChild(ctx, b.ID, 0, func(c *placematch.Child) error { c.WheelchairUser = false; return nil })
		must(t, err)
		run = search()
		for _, p := range []*placematch.Provider{x, y} {
			if f, why := flaggedScarce(run, p.ID); !f || !strings.Contains(why, "one of only 2 homes that could take child CHILD-B") || strings.Contains(why, "wheelchair") {
				t.Fatalf("%s with two homes for B: flagged %v %q", p.Reference, f, why)
			}
		}
		if again := search(); !maps.Equal(scarceReasons(again), scarceReasons(run)) {
			t.Fatalf("searched again: %v, was %v", scarceReasons(again), scarceReasons(run))
		}

		must(t, db.CreateProvider(ctx, storetest.Carer("Z", farFromNorwich(5))))
		run = search()
		for _, m := range run.Matches {
			if slices.Contains(m.Flags, matching.FlagScarcePlace) || m.ScarceReason != "" {
				t.Fatalf("%s flagged though B has three homes: %q", m.Provider.Name, m.ScarceReason)
			}
		}
	})
}

// A unit with beds for both the searching child and the group depending on it is
// not scarce; with beds for only one of them it is, naming the siblings.
func TestScarceUnitCountsItsBeds(t *testing.T) {
	each(t, func(t *testing.T, db, _ *store.DB) {
		u := storetest.Unit("U", func(p *placematch.Provider) { p.Unit.Beds = 3 })
		must(t, db.CreateProvider(ctx, u))
		seventeen := func(c *placematch.Child) {
			c.DateOfBirth = placematch.DateOf(storetest.Clock).AddDays(-17*365 - 30)
			c.PlacementType = ""
		}
		a := storetest.Child("A", seventeen)
		must(t, db.CreateChild(ctx, a))
		s1 := storetest.Child("S1", seventeen)
		must(t, db.CreateChild(ctx, s1))
		s2 := storetest.Child("S2", seventeen, func(c *placematch.Child) { c.Siblings = []string{s1.ID} })
		must(t, db.CreateChild(ctx, s2))
		svc := service(db)
		run, err := svc.Match(ctx, placing.MatchRequest{ChildID: a.ID, Options: optsAll()})
		must(t, err)
		if f, why := flaggedScarce(run, u.ID); f || len(run.Matches) != 1 {
			t.Fatalf("three beds for one child and two siblings: flagged %v %q (%d matches)", f, why, len(run.Matches))
		}
		_, err = db.UpdateProvider(ctx, placematch.KindUnit, u.ID, 0, func(p *placematch.Provider) error { p.Unit.Beds = 2; return nil })
		must(t, err)
		run, err = svc.Match(ctx, placing.MatchRequest{ChildID: a.ID, Options: optsAll()})
		must(t, err)
		if f, why := flaggedScarce(run, u.ID); !f || !strings.Contains(why, "the only home that could take the 2 siblings S1, S2, awaiting together") {
			t.Fatalf("two beds: flagged %v %q", f, why)
		}
	})
}
