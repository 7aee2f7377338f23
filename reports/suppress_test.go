package reports_test

import (
	"strings"
	"testing"

	"placematch/reports"
)

// TestSuppression: with suppress=true every count of 1 to 4 and every rate made from
// one is "c", and so are the neighbours it could be worked back from (secondary
// suppression); zeros and counts no sum gives away stay.
func TestSuppression(t *testing.T) {
	rep := knownReport(t, reports.Options{Suppress: true})
	tab := rep.Tables()[0]
	rows := cellsOf(tab)
	want := map[string][]string{
		"Norwich|foster_carer": {"c", "5", "c", "c", "c", "c", "c", "c", "c", "c", "c", "c", "c", "c", "c"},
		"Norwich|hub":          {"0", "0", "0", "0", "0", "", "c", "c", "0", "0", "0", "", "", "0", "0"},
		"outside area|hub":     {"c", "6", "c", "c", "c", "c", "0", "c", "c", "c", "c", "c", "c", "c", "c"},
		"TOTAL|":               {"c", "c", "c", "c", "c", "c", "c", "c", "c", "c", "c", "c", "c", "c", "c"},
	}
	for _, r := range rows {
		w, ok := want[r[0]+"|"+r[1]]
		if !ok {
			continue
		}
		delete(want, r[0]+"|"+r[1])
		for i, v := range w {
			if r[2+i] != v {
				t.Errorf("%s %s: %s = %q, want %q", r[0], r[1], tab.Columns[2+i], r[2+i], v)
			}
		}
	}
	if len(want) != 0 {
		t.Errorf("rows missing: %v", want)
	}
	for i, r := range tab.Rows {
		for j, c := range r {
			if c.Kind == reports.Int && c.I >= 1 && c.I <= 4 {
				t.Errorf("row %d %s shows %d", i, tab.Columns[j], c.I)
			}
		}
	}
	if notes := rep.Notes(); !rep.Options.Suppress || !strings.Contains(strings.Join(notes, " "), "shown as c") {
		t.Error("no suppression note")
	}
	noHiddenValueCanBeWorkedBack(t, tab)
}

// noHiddenValueCanBeWorkedBack checks the sums a reader could use: a sum with
// exactly one hidden term gives that term away.
func noHiddenValueCanBeWorkedBack(t *testing.T, tab reports.Table) {
	t.Helper()
	col := map[string]int{}
	for i, c := range tab.Columns {
		col[c] = i
	}
	hidden := func(r []reports.Cell, name string) bool {
		c := r[col[name]]
		return c.Kind == reports.Text && c.S == reports.Suppressed
	}
	identities := [][]string{
		{"places", "filled", "vacant", "unavailable"},
		{"shortfall", "children_awaiting", "vacant"},
		{"placements_within_20_miles", "placements_over_20_miles", "placements_distance_unknown",
			"placements_in_area", "placements_out_of_area"},
	}
	for i, r := range tab.Rows {
		for _, id := range identities {
			n := 0
			for _, name := range id {
				if hidden(r, name) {
					n++
				}
			}
			if n == 1 {
				t.Errorf("row %d: the one hidden value of %v can be worked back", i, id)
			}
		}
	}
	// Rows partition the total (default grouping), so one hidden cell in a column
	// with the total shown gives it away.
	for _, name := range []string{"providers", "places", "filled", "vacant", "unavailable",
		"placements_within_20_miles", "placements_over_20_miles", "placements_distance_unknown"} {
		n := 0
		for _, r := range tab.Rows {
			if hidden(r, name) {
				n++
			}
		}
		if n == 1 {
			t.Errorf("column %s: its one hidden value is the total less the others", name)
		}
	}
}
