package reports_test

import (
	"bytes"
	"strings"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"

	"placematch"
	"placematch/reports"
	"placematch/store"
)

// TestUnmetSuppression builds a month of bookings by hand: 2 emergencies (0.5 and
// 1.5 days) and 10 planned (1 to 10 days), every child 12, all 38.8 miles from
// home (King's Lynn to Norwich), 3 for no nearer home and 9 with no reason
// recorded. Unsuppressed: emergency median 1, 90th percentile the 2nd of 2 (1.5);
// planned median 5.5, 90th percentile the 9th of 10 (9); all 12 (0.5, 1, 1.5, 2,
// 3, …, 10): median (4 + 5) / 2 = 4.5, 90th percentile the 11th (9).
// Suppressed: the 2 emergencies are c, and so is the next smallest group of the
// dimension (planned), else 12 − 10 would give them back; the 3 for no nearer home
// are c and so are the 9 not recorded.
func TestUnmetSuppression(t *testing.T) {
	month := placematch.MustParseDate("2026-11-01")
	booked := time.Date(2026, 11, 20, 12, 0, 0, 0, time.UTC)
	var bookings []store.ReportBooking
	add := func(days float64, urgency string, reason placematch.DistanceReason) {
		bookings = append(bookings, store.ReportBooking{BookedAt: booked, ReferralAt: booked.Add(-time.Duration(days * 24 * float64(time.Hour))),
			Urgency: urgency, DateOfBirth: placematch.MustParseDate("2014-01-01"), Home: &kingsLynn, ProviderLocation: norwich,
			ProviderDistrict: "Norwich", DistanceReason: reason})
	}
	add(0.5, "emergency", placematch.DistanceNoNearerHome)
	add(1.5, "emergency", placematch.DistanceNoNearerHome)
	for d := 1; d <= 10; d++ {
		r := placematch.DistanceReason("")
		if d == 1 {
			r = placematch.DistanceNoNearerHome
		}
		add(float64(d), "planned", r)
	}
	u, err := reports.MakeUnmet(reports.UnmetInput{Months: []placematch.Date{month}, Bookings: bookings})
	if err != nil {
		t.Fatal(err)
	}
	for _, suppress := range []bool{false, true} {
		rep := &reports.Report{Options: reports.Options{AsOf: asOf, Suppress: suppress}, Sections: reports.Sections{Unmet: u}}
		byName := map[string]reports.Table{}
		for _, tab := range rep.Tables() {
			byName[tab.Name] = tab
		}
		month := []string{"2026-11", "0", "0", "12", "4.5", "9", "12", "0"}
		ttp := [][]string{
			{"2026-11", "urgency", "emergency", "2", "1", "1.5"},
			{"2026-11", "urgency", "planned", "10", "5.5", "9"},
			{"2026-11", "age_band", "10-15", "12", "4.5", "9"},
		}
		dist := [][]string{{"2026-11", "no_nearer_home", "3"}, {"2026-11", "not_recorded", "9"}}
		if suppress {
			ttp[0], ttp[1] = []string{"2026-11", "urgency", "emergency", "c", "c", "c"}, []string{"2026-11", "urgency", "planned", "c", "c", "c"}
			dist = [][]string{{"2026-11", "no_nearer_home", "c"}, {"2026-11", "not_recorded", "c"}}
		}
		check(t, byName["Unmet demand"], [][]string{month})
		check(t, byName["Time to place"], ttp)
		check(t, byName["Distance reasons"], dist)
	}
	// The workbook has a sheet per table, numbers as numbers.
	rep := &reports.Report{Options: reports.Options{AsOf: asOf, Format: reports.FormatXLSX}, Sections: reports.Sections{Unmet: u}}
	var b bytes.Buffer
	if err := rep.Write(&b); err != nil {
		t.Fatal(err)
	}
	f, err := excelize.OpenReader(&b)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	if sheets := strings.Join(f.GetSheetList(), ","); !strings.Contains(sheets, "Unmet demand,Unmet exclusion reasons,Time to place,Distance reasons") {
		t.Errorf("sheets %s", sheets)
	}
	if v, _ := f.GetCellValue("Time to place", "F3"); v != "9" {
		t.Errorf("Time to place F3 = %q, want 9", v)
	}
}

func check(t *testing.T, tab reports.Table, want [][]string) {
	t.Helper()
	got := cellsOf(tab)
	if len(got) != len(want) {
		t.Fatalf("%s: %d rows %q, want %q", tab.Name, len(got), got, want)
	}
	for i := range want {
		for j := range want[i] {
			if got[i][j] != want[i][j] {
				t.Errorf("%s row %d: got %q, want %q", tab.Name, i, got[i], want[i])
				break
			}
		}
	}
}
