package reports_test

import (
	"testing"

	"placematch/reports"
)

// TestSuppression: with suppress=true every count of 1 to 4 and every rate made from
// one is "c"; zeros and larger counts stay.
func TestSuppression(t *testing.T) {
	rep := knownReport(t, reports.Options{Suppress: true})
	tab := rep.Tables()[0]
	rows := cellsOf(tab)
	want := map[string][]string{
		"Norwich|foster_carer": {"c", "5", "c", "c", "c", "c", "c", "c", "c", "c", "0", "c", "c", "c", "0"},
		"outside area|hub":     {"c", "6", "c", "5", "0", "c", "0", "0", "0", "c", "0", "c", "c", "0", "c"},
		"TOTAL|":               {"5", "16", "6", "6", "c", "37.5", "c", "0", "c", "c", "c", "c", "22.4", "5", "c"},
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
	if !rep.Options.Suppress || rep.Notes()[len(rep.Notes())-2] == "" {
		t.Error("no suppression note")
	}
}
