package placing_test

import (
	"encoding/json"
	"slices"
	"testing"
	"time"

	"placematch"
	"placematch/matching"
	"placematch/placing"
	"placematch/store"
	"placematch/store/storetest"
)

// replayEveryRun replays, when the test ends, every match run it stored, with a
// service of its own (default weights and rules: a run replays on what it
// recorded, not on the service's settings), and fails when one is not identical.
func replayEveryRun(t *testing.T, db *store.DB) {
	t.Cleanup(func() {
		ids, err := db.MatchRunIDs(ctx)
		if err != nil {
			t.Errorf("replay: %v", err)
			return
		}
		svc := &placing.Service{Store: db, Now: func() time.Time { return storetest.Clock }}
		for _, id := range ids {
			r, err := svc.Replay(ctx, id)
			if err != nil {
				t.Errorf("replay run %s: %v", id, err)
				continue
			}
			if !r.Identical || !r.RankedIdentical {
				stored, _ := db.GetMatchRun(ctx, id)
				t.Errorf("run %s replays differently (identical %v, ranked %v)\nstored: %.1500s", id, r.Identical,
					r.RankedIdentical, stored.Result)
			}
		}
	})
}

// A run replayed after a booking and a change to a carer names exactly those: the
// carer the booking filled left for its vacancies, the carer whose approved ages
// changed left for its age range, a carer recorded since joined as new, and no
// other provider is said to have moved although their ranks shifted.
func TestReplayNamesABookingAndACarerChange(t *testing.T) {
	each(t, func(t *testing.T, db, other *store.DB) {
		near := func(d float64) func(p *placematch.Provider) {
			return func(p *placematch.Provider) { p.Location.Lat += d }
		}
		one := func(p *placematch.Provider) { p.Carer.MaxChildren = 1 }
		p1 := storetest.Carer("P1", near(0.01), one)
		p2 := storetest.Carer("P2", near(0.05))
		p3 := storetest.Carer("P3", near(0.1))
		p4 := storetest.Carer("P4", near(0.2))
		for _, p := range []*placematch.Provider{p1, p2, p3, p4} {
			must(t, db.CreateProvider(ctx, p))
		}
		child, another := storetest.Child("K1"), storetest.Child("K2")
		must(t, db.CreateChild(ctx, child))
		must(t, db.CreateChild(ctx, another))
		svc := service(db)
		run, err := svc.Match(ctx, placing.MatchRequest{ChildID: child.ID, Options: matching.Options{Limit: 10}})
		must(t, err)
		if got := ranked(run); !slices.Equal(got, []string{p1.ID, p2.ID, p3.ID, p4.ID}) {
			t.Fatalf("ranked %v", got)
		}

		// Through another instance: another child booked with P1, P2's ages no longer
		// taking a 10-year-old, and a new carer.
		_, err = service(other).Book(ctx, store.BookRequest{ChildID: another.ID, Provider: p1.Ref(),
			StartDate: placematch.DateOf(storetest.Clock), DecisionReason: "near school"})
		must(t, err)
		_, err = other.UpdateProvider(ctx, placematch.KindCarer, p2.ID, 0, func(p *placematch.Provider) error {
			p.AgeMin = 12
			return nil
		})
		must(t, err)
		p5 := storetest.Carer("P5", near(0.3))
		must(t, other.CreateProvider(ctx, p5))

		r, err := svc.Replay(ctx, run.MatchID)
		must(t, err)
		if !r.Identical || !r.RankedIdentical || r.Providers != 4 {
			t.Fatalf("replay identical %v, ranked %v, %d providers", r.Identical, r.RankedIdentical, r.Providers)
		}
		type change struct {
			id, change string
			reasons    []string
			record     bool
		}
		var changes []change
		for _, c := range r.Today.Changes {
			changes = append(changes, change{c.Provider.ID, c.Change, c.Reasons, c.RecordChanged})
			if c.Detail == "" {
				t.Errorf("%s: no detail", c.Provider.ID)
			}
		}
		want := []change{
			{p1.ID, placing.ChangeLeft, []string{matching.CodeInsufficientVacancy}, true},
			{p2.ID, placing.ChangeLeft, []string{matching.CodeAgeOutOfRange}, true},
			{p5.ID, placing.ChangeJoined, []string{placing.ReasonNewProvider}, true},
		}
		if !slices.EqualFunc(changes, want, func(a, b change) bool {
			return a.id == b.id && a.change == b.change && slices.Equal(a.reasons, b.reasons) && a.record == b.record
		}) {
			b, _ := json.MarshalIndent(r.Today, "", " ")
			t.Fatalf("changes %+v, want %+v\n%s", changes, want, b)
		}
		if r.Today.WeightsChanged || r.Today.RulesChanged || len(r.Today.Children) != 0 {
			t.Fatalf("today %+v", r.Today)
		}
	})
}
