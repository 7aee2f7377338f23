package jobs

import (
	"strings"
	"testing"

	"placematch"
	"placematch/store"
	"placematch/store/storetest"
)

// A booking of an emergency outside the carer's terms records its 6-working-day
// limit; the nightly reconcile flags the active ones past it, and only those.
func TestReconcileFlagsEmergenciesPastTheLimit(t *testing.T) {
	eachDialect(t, func(t *testing.T, db *store.DB) {
		book := func(ref string, types []placematch.PlacementType, start string) *placematch.Placement {
			t.Helper()
			carer := storetest.Carer("C"+ref, func(p *placematch.Provider) { p.Carer.PlacementTypes = types })
			must(t, db.CreateProvider(ctx, carer))
			child := storetest.Child(ref, func(c *placematch.Child) { c.PlacementType, c.Urgency = placematch.PlacementEmergency, "emergency" })
			must(t, db.CreateChild(ctx, child))
			pls, err := db.Book(ctx, store.BookRequest{ChildID: child.ID, Provider: carer.Ref(), StartDate: placematch.MustParseDate(start)})
			must(t, err)
			return pls[0]
		}
		outside := []placematch.PlacementType{placematch.PlacementShortTerm}
		late := book("LATE", outside, "2026-11-13") // Friday: the sixth working day is Friday 20th
		due := book("DUE", outside, "2026-11-16")   // Monday: the limit is today, Monday 23rd
		inside := book("IN", []placematch.PlacementType{placematch.PlacementEmergency}, "2026-11-02")
		if late.OutsideTermsUntil != placematch.MustParseDate("2026-11-20") || due.OutsideTermsUntil != placematch.MustParseDate("2026-11-23") ||
			!inside.OutsideTermsUntil.IsZero() {
			t.Fatalf("limits %s %s %s", late.OutsideTermsUntil, due.OutsideTermsUntil, inside.OutsideTermsUntil)
		}
		got, err := db.GetPlacement(ctx, late.ID)
		must(t, err)
		if got.OutsideTermsUntil != late.OutsideTermsUntil {
			t.Fatalf("stored limit %s", got.OutsideTermsUntil)
		}
		res, err := Reconcile{Store: db, Now: fixed}.Run(ctx)
		must(t, err)
		if res.Counts["placements_past_emergency_limit"] != 1 {
			t.Fatalf("counts %v", res.Counts)
		}
		var flagged []string
		for _, is := range res.Issues {
			if strings.Contains(is.Message, "6-working-day limit") {
				flagged = append(flagged, is.Scope)
			}
		}
		if len(flagged) != 1 || flagged[0] != "placement "+late.ID {
			t.Fatalf("issues %v", res.Issues)
		}
		// Ended, it is no longer flagged.
		_, err = db.UpdatePlacement(ctx, late.ID, 0, func(p *placematch.Placement) error {
			end, reason, status := placematch.DateOf(storetest.Clock), "CARPL", placematch.PlacementEnded
			return p.Apply(placematch.PlacementChange{Status: &status, EndDate: &end, EndReason: &reason}, end)
		})
		must(t, err)
		res, err = Reconcile{Store: db, Now: fixed}.Run(ctx)
		must(t, err)
		if res.Counts["placements_past_emergency_limit"] != 0 {
			t.Fatalf("after ending: %v", res.Counts)
		}
		// Once the carer's terms include emergency care, its placement is inside
		// them and no longer flagged.
		again := book("AGAIN", outside, "2026-11-13")
		if res, err = (Reconcile{Store: db, Now: fixed}).Run(ctx); err != nil || res.Counts["placements_past_emergency_limit"] != 1 {
			t.Fatalf("before the terms change: %v %v", res.Counts, err)
		}
		_, err = db.UpdateProvider(ctx, placematch.KindCarer, again.Provider.ID, 0, func(p *placematch.Provider) error {
			p.Carer.PlacementTypes = append(p.Carer.PlacementTypes, placematch.PlacementEmergency)
			return nil
		})
		must(t, err)
		res, err = Reconcile{Store: db, Now: fixed}.Run(ctx)
		must(t, err)
		if res.Counts["placements_past_emergency_limit"] != 0 {
			t.Fatalf("after the carer's terms include emergency: %v %v", res.Counts, res.Issues)
		}
	})
}
