package reports_test

import (
	"reflect"
	"slices"
	"strings"
	"testing"

	"placematch"
	"placematch/reports"
	"placematch/store/storetest"
)

// cellsOf formats a table's rows as CSV would, for comparison with expectations.
func cellsOf(t reports.Table) [][]string {
	out := make([][]string, len(t.Rows))
	for i, r := range t.Rows {
		for _, c := range r {
			out[i] = append(out[i], c.String())
		}
	}
	return out
}

func wantTable(t *testing.T, got reports.Table, cols string, want [][]string) {
	t.Helper()
	if g := strings.Join(got.Columns, ","); g != cols {
		t.Errorf("columns:\n got %s\nwant %s", g, cols)
	}
	rows := cellsOf(got)
	for i := range max(len(rows), len(want)) {
		var g, w []string
		if i < len(rows) {
			g = rows[i]
		}
		if i < len(want) {
			w = want[i]
		}
		if !slices.Equal(g, w) {
			t.Errorf("row %d:\n got %q\nwant %q", i, g, w)
		}
	}
}

const defaultColumns = "district,provider_kind,providers,places,filled,vacant,unavailable,occupancy_rate," +
	"children_awaiting,groups_awaiting,shortfall,placements_within_20_miles,placements_over_20_miles,placements_distance_unknown," +
	"pct_within_20_miles,mean_distance_miles,placements_in_area,placements_out_of_area,placements_splitting_siblings"

// Mean distances of the fixture: King's Lynn → Norwich is 38.8 DfE miles (straight
// line between the town centres), Great Yarmouth → Cambridge 73.4.
const (
	norwichCarerMean = "12.9" // (0 + 0 + 38.8) / 3
	hubMean          = "73.4"
	totalMean        = "22.4" // (0 + 38.8 + 0 + 73.4 + 0) / 5
)

// TestSufficiencyEveryCell builds known records and placements and checks every cell
// of the report, and that the total row reconciles with the stored records.
func TestSufficiencyEveryCell(t *testing.T) {
	for _, dialect := range storetest.Dialects() {
		t.Run(dialect, func(t *testing.T) {
			t.Parallel()
			k := buildKnown(t, dialect)
			rep, err := k.service().Sufficiency(ctx, reports.Options{AsOf: asOf, Format: reports.FormatCSV})
			if err != nil {
				t.Fatal(err)
			}
			wantTable(t, rep.Tables()[0], defaultColumns, [][]string{
				{"King's Lynn and West Norfolk", "foster_carer", "1", "1", "1", "0", "0", "100", "0", "0", "0", "0", "0", "1", "0", "", "1", "0", "0"},
				// A1 (10), A2 (3) and K7 (8) await from Norwich: under 12, so only a
				// foster carer could take them; no unit or hub row shows them.
				{"Norwich", "foster_carer", "2", "5", "3", "1", "1", "60", "3", "3", "2", "2", "1", "0", "66.7", norwichCarerMean, "3", "0", "0"},
				{"Norwich", "supported_accommodation", "1", "4", "1", "0", "3", "25", "0", "0", "0", "1", "0", "0", "100", "0", "1", "0", "0"},
				{"outside area", "hub", "1", "6", "1", "5", "0", "16.7", "0", "0", "0", "0", "1", "0", "0", hubMean, "0", "1", "0"},
				{"home not known", "foster_carer", "0", "0", "0", "0", "0", "", "1", "1", "1", "0", "0", "0", "", "", "0", "0", "0"},
				// Shortfall of the TOTAL = 2 + 1, the sum of the rows'.
				{"TOTAL", "", "5", "16", "6", "6", "4", "37.5", "4", "4", "3", "3", "2", "1", "50", totalMean, "5", "1", "0"},
			})
			reconcile(t, k, rep.Total)
		})
	}
}

// reconcile checks the total row against the stored records themselves.
func reconcile(t *testing.T, k *known, total reports.Row) {
	t.Helper()
	var places, filled, vacant int
	for _, p := range []*placematch.Provider{k.c1, k.c2, k.c3, k.u1, k.h1} {
		pr, err := k.db.GetProvider(ctx, p.Kind, p.ID)
		if err != nil {
			t.Fatal(err)
		}
		places += pr.Places
		filled += pr.Filled
		vacant += pr.Vacancies
	}
	if total.Places != places || total.Filled != filled || total.Vacant != vacant {
		t.Errorf("total places/filled/vacant %d/%d/%d, records %d/%d/%d", total.Places, total.Filled, total.Vacant,
			places, filled, vacant)
	}
	if total.Places != total.Filled+total.Vacant+total.Unavailable {
		t.Errorf("places %d != filled + vacant + unavailable", total.Places)
	}
	if total.Placements() != total.Filled || total.InArea+total.OutOfArea != total.Filled {
		t.Errorf("placements %d, in+out %d, filled %d", total.Placements(), total.InArea+total.OutOfArea, total.Filled)
	}
	active, err := k.db.PlacementsActiveOn(ctx, asOf)
	if err != nil || len(active) != total.Filled {
		t.Errorf("active placements %d (%v), total filled %d", len(active), err, total.Filled)
	}
	awaiting, err := k.db.ChildrenAwaiting(ctx)
	if err != nil || len(awaiting) != total.ChildrenAwaiting {
		t.Errorf("children awaiting %d (%v), total %d", len(awaiting), err, total.ChildrenAwaiting)
	}
}

// TestSufficiencyGroupedByTypeAndBand checks the finer grouping on the same records:
// carers split by approval type, every row by age band, children by their own.
func TestSufficiencyGroupedByTypeAndBand(t *testing.T) {
	k := buildKnown(t, "sqlite")
	rep, err := k.service().Sufficiency(ctx, reports.Options{AsOf: asOf, PlacementType: true, AgeBand: true})
	if err != nil {
		t.Fatal(err)
	}
	tab := rep.Tables()[0]
	if g := strings.Join(tab.Columns[:4], ","); g != "district,provider_kind,placement_type,age_band" {
		t.Fatalf("grouping columns %s", g)
	}
	rows := map[string][]string{}
	for _, r := range cellsOf(tab) {
		rows[strings.Join(r[:4], "|")] = r[4:]
	}
	// C1 (0-17, emergency and short_term) counts in both types and all four bands;
	// K1 (10, short_term) and K2 (12, short_term) sit in short_term 10-15.
	for key, want := range map[string]string{
		"Norwich|foster_carer|short_term|10-15": "1,3,2,1,0,66.7,1,1,0,1,1,0,50,19.4,2,0,0",
		"Norwich|foster_carer|emergency|0-4":    "1,3,2,1,0,66.7,1,1,0,0,0,0,,,0,0,0",
		// A placement is grouped by the type the child was referred for: K6
		// (short_term, 6) is with C2 (long_term only).
		"Norwich|foster_carer|long_term|5-9":     "1,2,1,0,1,50,0,0,0,0,0,0,,,0,0,0",
		"Norwich|foster_carer|short_term|5-9":    "1,3,2,1,0,66.7,1,1,0,1,0,0,100,0,1,0,0",
		"Norwich|supported_accommodation||16-17": "1,4,1,0,3,25,0,0,0,1,0,0,100,0,1,0,0",
		// The one shortfall is A3's (home not known, short_term 10-15).
		"home not known|foster_carer|short_term|10-15": "0,0,0,0,0,,1,1,1,0,0,0,,,0,0,0",
		"TOTAL|||": "5,16,6,6,4,37.5,4,4,1,3,2,1,50," + totalMean + ",5,1,0",
	} {
		if got := strings.Join(rows[key], ","); got != want {
			t.Errorf("%s:\n got %s\nwant %s", key, got, want)
		}
	}
	if _, ok := rows["Norwich|foster_carer|short_term|18+"]; ok {
		t.Error("a carer for ages 0-17 counted in 18+")
	}
}

// A household in assessment has no approved places: adding one changes no count of
// the report.
func TestSufficiencyLeavesCarersInAssessmentOut(t *testing.T) {
	for _, dialect := range storetest.Dialects() {
		t.Run(dialect, func(t *testing.T) {
			t.Parallel()
			k := buildKnown(t, dialect)
			opts := reports.Options{AsOf: asOf, Format: reports.FormatCSV}
			before, err := k.service().Sufficiency(ctx, opts)
			if err != nil {
				t.Fatal(err)
			}
			p := storetest.Carer("PENDING", func(p *placematch.Provider) {
				p.Carer.Status, p.Carer.PanelDate = placematch.CarerInAssessment, asOf.AddDays(30)
			})
			if err := k.db.CreateProvider(ctx, p); err != nil {
				t.Fatal(err)
			}
			after, err := k.service().Sufficiency(ctx, opts)
			if err != nil {
				t.Fatal(err)
			}
			if !reflect.DeepEqual(before.Tables()[0], after.Tables()[0]) {
				t.Errorf("a carer in assessment changed the report:\n%v\n%v", before.Tables()[0], after.Tables()[0])
			}
		})
	}
}
