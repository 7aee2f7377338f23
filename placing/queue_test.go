package placing_test

import (
	"errors"
	"slices"
	"testing"

	"placematch"
	"placematch/placing"
	"placematch/store"
	"placematch/store/storetest"
)

// The queue lists only children awaiting, emergencies first, then by the date the
// placement is needed; filters narrow it, and the case reference is found
// whatever its case.
func TestQueueIsMostUrgentFirst(t *testing.T) {
	each(t, func(t *testing.T, db, _ *store.DB) {
		day := placematch.DateOf(storetest.Clock)
		mk := func(ref, urgency string, inDays int, pt placematch.PlacementType) *placematch.Child {
			c := storetest.Child(ref, func(c *placematch.Child) {
				c.Urgency, c.RequiredFrom, c.PlacementType = urgency, day.AddDays(inDays), pt
			})
			must(t, db.CreateChild(ctx, c))
			return c
		}
		mk("PLAN-LATE", "planned", 20, placematch.PlacementLongTerm)
		mk("PLAN-SOON", "planned", 2, placematch.PlacementShortTerm)
		mk("EMER-LATE", "emergency", 3, placematch.PlacementShortTerm)
		mk("EMER-NOW", "emergency", 0, placematch.PlacementShortTerm)
		placed := mk("PLACED", "emergency", 0, placematch.PlacementShortTerm)
		_, err := service(db).Book(ctx, store.BookRequest{ChildID: placed.ID, Provider: mustProvider(t, db).Ref(), StartDate: day})
		must(t, err)

		refs := func(f placing.QueueFilter) []string {
			t.Helper()
			q, err := service(db).Queue(ctx, f)
			must(t, err)
			var out []string
			for _, c := range q {
				out = append(out, c.Reference)
			}
			return out
		}
		if got, want := refs(placing.QueueFilter{}), []string{"EMER-NOW", "EMER-LATE", "PLAN-SOON", "PLAN-LATE"}; !slices.Equal(got, want) {
			t.Fatalf("queue %v, want %v", got, want)
		}
		if got := refs(placing.QueueFilter{Urgency: "planned"}); !slices.Equal(got, []string{"PLAN-SOON", "PLAN-LATE"}) {
			t.Fatalf("planned only: %v", got)
		}
		if got := refs(placing.QueueFilter{PlacementType: "long_term"}); !slices.Equal(got, []string{"PLAN-LATE"}) {
			t.Fatalf("long term only: %v", got)
		}
		if got := refs(placing.QueueFilter{Reference: " emer-late "}); !slices.Equal(got, []string{"EMER-LATE"}) {
			t.Fatalf("by reference: %v", got)
		}
	})
}

func mustProvider(t *testing.T, db *store.DB) *placematch.Provider {
	t.Helper()
	p := storetest.Carer("Q-HOME")
	must(t, db.CreateProvider(ctx, p))
	return p
}

// A booking's values are judged by placing whichever face books: rank 2 without a
// decision reason, a start more than a year ago and an end before the start are
// refused by name, and nothing is booked.
func TestBookJudgesTheValuesFirst(t *testing.T) {
	each(t, func(t *testing.T, db, _ *store.DB) {
		p1, p2 := storetest.Carer("P1"), storetest.Carer("P2", func(p *placematch.Provider) { p.Location.Lat += 0.2 })
		must(t, db.CreateProvider(ctx, p1))
		must(t, db.CreateProvider(ctx, p2))
		child := storetest.Child("K1")
		must(t, db.CreateChild(ctx, child))
		svc := service(db)
		run, err := svc.Match(ctx, placing.MatchRequest{ChildID: child.ID, Options: optsAll()})
		must(t, err)
		today := placematch.DateOf(storetest.Clock)
		_, err = svc.Book(ctx, store.BookRequest{ChildID: child.ID, Provider: p2.Ref(), StartDate: today.AddDays(-400),
			EndDate: today.AddDays(-500), MatchID: run.MatchID, MatchRank: 2, DecisionReason: "  "})
		var ve *placematch.ValidationError
		if !errors.As(err, &ve) {
			t.Fatalf("booking: %v, want field errors", err)
		}
		var fields []string
		for _, fe := range ve.Errors {
			fields = append(fields, fe.Field)
		}
		if !slices.Equal(fields, []string{"start_date", "end_date", "decision_reason"}) {
			t.Fatalf("fields at fault %v", fields)
		}
		got, err := db.GetChild(ctx, child.ID)
		must(t, err)
		if got.Status != placematch.ChildAwaiting {
			t.Fatalf("child %s after a refused booking", got.Status)
		}
	})
}

// Ending a placement through placing follows the domain's rules: an SSDA903 reason
// is required, and a placement ended is ended with it.
func TestChangePlacementEndsWithAReason(t *testing.T) {
	each(t, func(t *testing.T, db, _ *store.DB) {
		p := storetest.Carer("P1")
		must(t, db.CreateProvider(ctx, p))
		child := storetest.Child("K1")
		must(t, db.CreateChild(ctx, child))
		svc := service(db)
		today := placematch.DateOf(storetest.Clock)
		pls, err := svc.Book(ctx, store.BookRequest{ChildID: child.ID, Provider: p.Ref(), StartDate: today})
		must(t, err)
		ended := placematch.PlacementEnded
		_, err = svc.ChangePlacement(ctx, pls[0].ID, 0, placematch.PlacementChange{Status: &ended})
		var ve *placematch.ValidationError
		if !errors.As(err, &ve) || ve.Errors[0].Field != "end_reason" {
			t.Fatalf("ending without a reason: %v", err)
		}
		reason := "CARPL"
		got, err := svc.ChangePlacement(ctx, pls[0].ID, 0, placematch.PlacementChange{Status: &ended, EndReason: &reason})
		must(t, err)
		if got.Status != ended || got.EndReason != reason || got.EndDate != today {
			t.Fatalf("ended placement %+v", got)
		}
	})
}
