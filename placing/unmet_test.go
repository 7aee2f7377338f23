package placing_test

import (
	"bytes"
	"slices"
	"strings"
	"testing"
	"time"

	"placematch"
	"placematch/placing"
	"placematch/reports"
	"placematch/store"
	"placematch/store/storetest"
)

// TestUnmetDemandByMonth searches and books on known days and checks every cell of
// the unmet-demand tables against figures worked out by hand.
//
// Homes: C1 in Norwich (emergency and short term, three places), C3 in Norwich
// (one place), FAR in King's Lynn (short term, one place, 38.8 miles from
// Norwich). None is wheelchair accessible. Every child's home is Norwich.
//
//   - R (9 in October, 10 from 27 October): referred 1 Oct 10:00, booked with C3
//     2 Oct 10:00 (1 day); left 1 Nov; booked with C3 again 3 Nov 10:00: its wait
//     runs from the day its placement ended, 2 days 10 hours (2.4).
//   - A (10 on the day, planned): referred 1 Oct 10:00, searched 5 Oct (found),
//     booked with C1 11 Oct 10:00: 10 days.
//   - B (a wheelchair user): referred 2 Oct, searched 3 Oct and 20 Oct and 2 Nov,
//     never finding a home: every home is not accessible each time, and on 20 Oct
//     (the last search of October) C3 is full too.
//   - G (16, planned): referred 1 Nov 10:00, booked with C1 5 Nov 10:00: 4 days.
//   - E (5, an emergency): referred 10 Nov 10:00, booked with C1 at 22:00: 0.5 days.
//   - F (12, planned): referred 1 Nov 10:00, searched 20 Nov (found), booked with
//     FAR 21 Nov 10:00: 20 days, over 20 miles, for no nearer home.
//
// October: searched A and B, B with none; bookings 1 and 10: median 5.5, 90th
// percentile the 2nd of 2 (10). November: searched B and F, B with none; bookings
// 0.5, 2.4, 4, 20: median 3.2, 90th percentile the 4th of 4 (20); planned 2.4, 4,
// 20: median 4, 90th the 3rd (20); 10-15: 2.4 and 20, median 11.2. Exclusions of
// the last searches with none (20 Oct, 2 Nov): not accessible 3 + 3 providers in
// 2 searches, insufficient vacancies 1 in 1.
func TestUnmetDemandByMonth(t *testing.T) {
	for _, dialect := range storetest.Dialects() {
		t.Run(dialect, func(t *testing.T) {
			t.Parallel()
			db := storetest.Open(t, dialect)
			db.Locator = everywhere("Norwich")
			now := time.Date(2026, 9, 1, 10, 0, 0, 0, time.UTC)
			at := func(s string) {
				t.Helper()
				var err error
				if now, err = time.Parse("2006-01-02 15:04", s); err != nil {
					t.Fatal(err)
				}
			}
			db.Now = func() time.Time { return now }
			svc := &placing.Service{Store: db, Now: db.Now, AreaConfigured: true}
			c1 := storetest.Carer("C1")
			far := storetest.Carer("FAR", func(p *placematch.Provider) {
				p.Location, p.Carer.MaxChildren = kingsLynn, 1
				p.Carer.PlacementTypes = []placematch.PlacementType{placematch.PlacementShortTerm}
			})
			c3 := storetest.Carer("C3", func(p *placematch.Provider) { p.Carer.MaxChildren = 1 })
			must(t, db.CreateProvider(ctx, c1))
			must(t, db.CreateProvider(ctx, far))
			must(t, db.CreateProvider(ctx, c3))
			asOf := placematch.DateOf(storetest.Clock) // 2026-11-23
			aged := func(years int) func(*placematch.Child) {
				return func(c *placematch.Child) { c.DateOfBirth = asOf.AddDays(-years*366 - 10) }
			}
			refer := func(when, ref string, opts ...func(*placematch.Child)) *placematch.Child {
				at(when)
				c := storetest.Child(ref, opts...)
				must(t, db.CreateChild(ctx, c))
				return c
			}
			search := func(when string, c *placematch.Child, found bool) {
				t.Helper()
				at(when)
				run, err := svc.Match(ctx, placing.MatchRequest{ChildID: c.ID})
				must(t, err)
				if (len(run.Matches) > 0) != found {
					t.Fatalf("search for %s at %s: %d matches", c.Reference, when, len(run.Matches))
				}
			}
			book := func(when string, c *placematch.Child, p *placematch.Provider, reason placematch.DistanceReason) *placematch.Placement {
				t.Helper()
				at(when)
				pls, err := svc.Book(ctx, store.BookRequest{ChildID: c.ID, Provider: p.Ref(), StartDate: placematch.DateOf(now),
					DistanceReason: reason})
				must(t, err)
				return pls[0]
			}
			rc := refer("2026-10-01 10:00", "R")
			first := book("2026-10-02 10:00", rc, c3, "")
			a := refer("2026-10-01 10:00", "A", aged(11))
			b := refer("2026-10-02 10:00", "B", func(c *placematch.Child) { c.WheelchairUser = true })
			search("2026-10-03 10:00", b, false)
			search("2026-10-05 10:00", a, true)
			book("2026-10-11 10:00", a, c1, "")
			search("2026-10-20 10:00", b, false)
			at("2026-11-01 09:00")
			_, err := svc.ChangePlacement(ctx, first.ID, 0, placematch.PlacementChange{Status: ptr(placematch.PlacementEnded),
				EndReason: ptr("CARPL"), EndDate: ptr(placematch.MustParseDate("2026-11-01"))})
			must(t, err)
			g := refer("2026-11-01 10:00", "G", aged(16))
			f := refer("2026-11-01 10:00", "F", aged(12))
			search("2026-11-02 10:00", b, false)
			book("2026-11-03 10:00", rc, c3, "")
			book("2026-11-05 10:00", g, c1, "")
			e := refer("2026-11-10 10:00", "E", aged(5), func(c *placematch.Child) {
				c.Urgency, c.PlacementType = "emergency", placematch.PlacementEmergency
			})
			book("2026-11-10 22:00", e, c1, "")
			search("2026-11-20 10:00", f, true)
			book("2026-11-21 10:00", f, far, placematch.DistanceNoNearerHome)
			now = storetest.Clock

			rep, err := svc.Sufficiency(ctx, reports.Options{AsOf: asOf, Format: reports.FormatJSON})
			must(t, err)
			byName := map[string]reports.Table{}
			for _, tab := range rep.Tables() {
				byName[tab.Name] = tab
			}
			var months [][]string
			for _, m := range []string{"2025-12", "2026-01", "2026-02", "2026-03", "2026-04", "2026-05", "2026-06", "2026-07", "2026-08", "2026-09"} {
				months = append(months, []string{m, "0", "0", "0", "", "", "0", "0"})
			}
			months = append(months,
				[]string{"2026-10", "2", "1", "2", "5.5", "10", "0", "0"},
				[]string{"2026-11", "2", "1", "4", "3.2", "20", "1", "0"})
			wantCells(t, byName["Unmet demand"], "month,children_searched,children_last_search_no_eligible_home,bookings,"+
				"median_days_referral_to_booking,p90_days_referral_to_booking,bookings_over_20_miles,bookings_out_of_area", months)
			wantCells(t, byName["Unmet exclusion reasons"], "reason,searches,providers_excluded", [][]string{
				{"not_wheelchair_accessible", "2", "6"},
				{"insufficient_vacancies", "1", "1"},
			})
			wantCells(t, byName["Time to place"], "month,dimension,group,bookings,median_days_referral_to_booking,p90_days_referral_to_booking", [][]string{
				{"2026-10", "urgency", "planned", "2", "5.5", "10"},
				{"2026-10", "age_band", "5-9", "1", "1", "1"},
				{"2026-10", "age_band", "10-15", "1", "10", "10"},
				{"2026-11", "urgency", "emergency", "1", "0.5", "0.5"},
				{"2026-11", "urgency", "planned", "3", "4", "20"},
				{"2026-11", "age_band", "5-9", "1", "0.5", "0.5"},
				{"2026-11", "age_band", "10-15", "2", "11.2", "20"},
				{"2026-11", "age_band", "16-17", "1", "4", "4"},
			})
			wantCells(t, byName["Distance reasons"], "month,distance_reason,bookings", [][]string{
				{"2026-11", "no_nearer_home", "1"},
			})
			// No child's id, reference or date of birth reaches the report.
			var body bytes.Buffer
			must(t, rep.Write(&body))
			for _, c := range []*placematch.Child{rc, a, b, g, e, f} {
				for _, leak := range []string{c.ID, `"` + c.Reference + `"`, c.DateOfBirth.String()} {
					if strings.Contains(body.String(), leak) {
						t.Errorf("the report carries %q of child %s", leak, c.Reference)
					}
				}
			}
		})
	}
}

// wantCells compares a table's columns and every cell, as CSV would show them.
func wantCells(t *testing.T, tab reports.Table, cols string, want [][]string) {
	t.Helper()
	if got := strings.Join(tab.Columns, ","); got != cols {
		t.Errorf("%s columns:\n got %s\nwant %s", tab.Name, got, cols)
	}
	for r := range max(len(want), len(tab.Rows)) {
		var got []string
		if r < len(tab.Rows) {
			for _, c := range tab.Rows[r] {
				got = append(got, c.String())
			}
		}
		if r >= len(want) || !slices.Equal(got, want[r]) {
			w := []string(nil)
			if r < len(want) {
				w = want[r]
			}
			t.Errorf("%s row %d:\n got %q\nwant %q", tab.Name, r, got, w)
		}
	}
}

func ptr[T any](v T) *T { return &v }
