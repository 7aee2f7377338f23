package reports_test

import (
	"testing"
	"time"

	"placematch"
	"placematch/reports"
	"placematch/store"
	"placematch/store/storetest"
)

// TestTrendThreeDays snapshots three days as the nightly job does, with the records
// changing between them, and reads the trend back on both engines.
func TestTrendThreeDays(t *testing.T) {
	for _, dialect := range storetest.Dialects() {
		t.Run(dialect, func(t *testing.T) {
			t.Parallel()
			db := storetest.Open(t, dialect)
			db.Locator = norfolk(t)
			d1, d2, d3 := asOf.AddDays(-2), asOf.AddDays(-1), asOf
			snap := func(d placematch.Date) {
				t.Helper()
				// Today's records stored under d, as the nightly job would have on d.
				rows, err := (&reports.Service{Store: db, Now: func() time.Time { return storetest.Clock }}).SnapshotRows(ctx, asOf)
				if err != nil {
					t.Fatal(err)
				}
				if _, err := db.ReplaceSnapshot(ctx, d, rows); err != nil {
					t.Fatal(err)
				}
			}
			unit := storetest.Unit("U1")
			if err := db.CreateProvider(ctx, unit); err != nil {
				t.Fatal(err)
			}
			snap(d1) // one unit, 4 beds, nobody waiting
			child := storetest.Child("K1", func(c *placematch.Child) { c.DateOfBirth = asOf.AddDays(-17 * 366) })
			if err := db.CreateChild(ctx, child); err != nil {
				t.Fatal(err)
			}
			snap(d2) // one young person awaiting
			if _, err := db.Book(ctx, store.BookRequest{ChildID: child.ID, Provider: unit.Ref(), StartDate: d3}); err != nil {
				t.Fatal(err)
			}
			snap(d3)               // placed: 1 filled, 3 vacant
			snap(asOf.AddDays(-5)) // outside the range asked for

			svc := &reports.Service{Store: db, Now: db.Now}
			rep, err := svc.Sufficiency(ctx, reports.Options{AsOf: asOf, From: d1, To: d3})
			if err != nil {
				t.Fatal(err)
			}
			var trend reports.Table
			for _, tb := range rep.Tables() {
				if tb.Name == "Trend" {
					trend = tb
				}
			}
			// Supply and demand come from each day's snapshot; the placement
			// measures from the placements active that day (the booking starts on d3).
			// K1 (17, short_term) could go to a carer, a unit or a hub's bed, so it is
			// demand in each kind's row; each date ends with its stored TOTAL, whose
			// shortfall is the rows' sum (1 + 0 + 1 on d2).
			wantTable(t, trend, "snapshot_date,district,provider_kind,placement_type,providers,places,filled,vacant,"+
				"unavailable,occupancy_rate,children_awaiting,groups_awaiting,shortfall,placements_within_20_miles,"+
				"placements_over_20_miles,placements_distance_unknown,pct_within_20_miles,mean_distance_miles,"+
				"placements_in_area,placements_out_of_area", [][]string{
				{"2026-11-21", "Norwich", "supported_accommodation", "", "1", "4", "0", "4", "0", "0", "0", "0", "0", "0", "0", "0", "", "", "0", "0"},
				{"2026-11-21", "TOTAL", "", "", "1", "4", "0", "4", "0", "0", "0", "0", "0", "0", "0", "0", "", "", "0", "0"},
				{"2026-11-22", "Norwich", "foster_carer", "short_term", "0", "0", "0", "0", "0", "", "1", "1", "1", "0", "0", "0", "", "", "0", "0"},
				{"2026-11-22", "Norwich", "supported_accommodation", "", "1", "4", "0", "4", "0", "0", "1", "1", "0", "0", "0", "0", "", "", "0", "0"},
				{"2026-11-22", "Norwich", "hub", "", "0", "0", "0", "0", "0", "", "1", "1", "1", "0", "0", "0", "", "", "0", "0"},
				{"2026-11-22", "TOTAL", "", "", "1", "4", "0", "4", "0", "0", "1", "1", "2", "0", "0", "0", "", "", "0", "0"},
				{"2026-11-23", "Norwich", "supported_accommodation", "", "1", "4", "1", "3", "0", "25", "0", "0", "0", "1", "0", "0", "100", "0", "1", "0"},
				{"2026-11-23", "TOTAL", "", "", "1", "4", "1", "3", "0", "25", "0", "0", "0", "1", "0", "0", "100", "0", "1", "0"},
			})
		})
	}
}
