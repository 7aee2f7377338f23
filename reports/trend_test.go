package reports_test

import (
	"strings"
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

// TestTrendTotalPerDate: each date of the trend ends with the TOTAL stored with its
// snapshot, which counts a carer approved for two placement types once (the rows
// count it under each), and children whose home is not recorded are labelled apart
// from places outside the area, in snapshots stored before the label was renamed too.
func TestTrendTotalPerDate(t *testing.T) {
	for _, dialect := range storetest.Dialects() {
		t.Run(dialect, func(t *testing.T) {
			t.Parallel()
			db := storetest.Open(t, dialect)
			db.Locator = norfolk(t)
			// C1: emergency and short_term, 3 places, in Norwich; U1 in Cambridge.
			for _, p := range []*placematch.Provider{storetest.Carer("C1"),
				storetest.Unit("U1", func(p *placematch.Provider) { p.Location = cambridge })} {
				if err := db.CreateProvider(ctx, p); err != nil {
					t.Fatal(err)
				}
			}
			for _, c := range []*placematch.Child{
				storetest.Child("A1", func(c *placematch.Child) { c.Location = nil }),
				storetest.Child("A2", func(c *placematch.Child) { c.Location = &cambridge }),
			} {
				if err := db.CreateChild(ctx, c); err != nil {
					t.Fatal(err)
				}
			}
			d1, d2 := asOf.AddDays(-1), asOf
			rows, err := (&reports.Service{Store: db, Now: db.Now}).SnapshotRows(ctx, asOf)
			if err != nil {
				t.Fatal(err)
			}
			if _, err := db.ReplaceSnapshot(ctx, d2, rows); err != nil {
				t.Fatal(err)
			}
			// d1 as an older snapshot stored it: "not known", and no TOTAL row.
			if _, err := db.ReplaceSnapshot(ctx, d1, []store.Snapshot{{District: "not known",
				Kind: placematch.KindCarer, PlacementType: placematch.PlacementShortTerm, ChildrenAwaiting: 1}}); err != nil {
				t.Fatal(err)
			}
			rep, err := (&reports.Service{Store: db, Now: db.Now}).Sufficiency(ctx, reports.Options{AsOf: asOf, From: d1, To: d2})
			if err != nil {
				t.Fatal(err)
			}
			var trend reports.Table
			for _, tb := range rep.Tables() {
				if tb.Name == "Trend" {
					trend = tb
				}
			}
			var got []string
			for _, r := range cellsOf(trend) {
				got = append(got, strings.Join(r[:13], ","))
			}
			// Columns: date, district, kind, type, providers, places, filled, vacant,
			// unavailable, occupancy, awaiting, groups, shortfall. Both children are
			// 10: demand for a foster carer only.
			want := []string{
				"2026-11-22,home not known,foster_carer,short_term,0,0,0,0,0,,1,0,1",
				"2026-11-23,Norwich,foster_carer,emergency,1,3,0,3,0,0,0,0,0",
				"2026-11-23,Norwich,foster_carer,short_term,1,3,0,3,0,0,0,0,0",
				"2026-11-23,outside area,foster_carer,short_term,0,0,0,0,0,,1,1,1",
				"2026-11-23,outside area,supported_accommodation,,1,4,0,4,0,0,0,0,0",
				"2026-11-23,home not known,foster_carer,short_term,0,0,0,0,0,,1,1,1",
				// C1 once: 2 providers, 3 + 4 places; shortfall 1 + 1.
				"2026-11-23,TOTAL,,,2,7,0,7,0,0,2,2,2",
			}
			if strings.Join(got, "\n") != strings.Join(want, "\n") {
				t.Errorf("trend:\n%s\nwant\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
			}
		})
	}
}
