package reports_test

import (
	"fmt"
	"math/big"
	"math/rand/v2"
	"slices"
	"strconv"
	"strings"
	"testing"

	"placematch"
	"placematch/reports"
	"placematch/store"
	"placematch/store/storetest"
)

// TestSuppression: with suppress=true every count of 1 to 4 and every rate made from
// one is "c"; no hidden count can be worked back from what is shown; and totals that
// no hidden count can be worked back from stay shown (the known records' 5 providers
// and 16 places identify nobody).
func TestSuppression(t *testing.T) {
	open := knownReport(t, reports.Options{})
	rep := knownReport(t, reports.Options{Suppress: true})
	tab := rep.Tables()[0]
	checkSuppressed(t, tab, open.Tables()[0])
	last := cellsOf(tab)[len(tab.Rows)-1]
	col := columnIndex(tab)
	// The TOTAL's unavailable places are 4, so filled and vacant are hidden with
	// them (16 = 6 + 6 + 4 would give the 4 away); its providers and places stay.
	if last[0] != "TOTAL" || last[col["providers"]] != "5" || last[col["places"]] != "16" ||
		last[col["unavailable"]] != "c" {
		t.Errorf("TOTAL row %v: providers and places (5, 16) identify nobody and must be shown", last)
	}
	// Norwich's foster carers: 3 children awaiting, 1 vacancy, shortfall 2: all
	// small, all hidden.
	for _, r := range cellsOf(tab) {
		if r[0] == "Norwich" && r[1] == "foster_carer" {
			for _, name := range []string{"children_awaiting", "groups_awaiting", "shortfall", "vacant"} {
				if r[col[name]] != "c" {
					t.Errorf("Norwich foster_carer %s = %s, want c", name, r[col[name]])
				}
			}
		}
	}
	if notes := strings.Join(rep.Notes(), " "); !strings.Contains(notes, "shown as c") ||
		!strings.Contains(notes, "work one back") {
		t.Error("no suppression rule in the notes")
	}
}

// TestSuppressionNeverRecoverable builds many random sets of records, aggregates
// them at every grouping, and checks each suppressed table against the same table
// unsuppressed: what is shown is true, no count of 1 to 4 is shown, no rate is shown
// beside a hidden count it is made from, and the identities that hold on the true
// figures never determine a hidden count.
func TestSuppressionNeverRecoverable(t *testing.T) {
	rng := rand.New(rand.NewPCG(16, 7))
	districts := []string{"Norwich", "Broadland", ""}
	asOf := placematch.DateOf(storetest.Clock)
	totalsShown := 0
	for n := range 120 {
		var providers []*placematch.Provider
		var placements []store.ReportPlacement
		var awaiting []store.AwaitingChild
		for i := range 2 + rng.IntN(9) {
			id := fmt.Sprintf("p%d", i)
			d := districts[rng.IntN(len(districts))]
			var p *placematch.Provider
			switch rng.IntN(3) {
			case 0:
				p = storetest.Carer(id, func(p *placematch.Provider) {
					p.Carer.MaxChildren = 1 + rng.IntN(4)
					if rng.IntN(3) == 0 {
						p.Carer.PlacementTypes = []placematch.PlacementType{placematch.PlacementLongTerm}
					}
				})
				p.Places = p.Carer.MaxChildren
			case 1:
				p = storetest.Unit(id, func(p *placematch.Provider) { p.Unit.Beds = 2 + rng.IntN(8) })
				p.Places = p.Unit.Beds
			default:
				p = storetest.Hub(id)
				p.Places = 6
			}
			p.ID, p.District = id, d
			if rng.IntN(5) == 0 {
				p.Availability.Status = placematch.Unavailable
			}
			providers = append(providers, p)
			for range rng.IntN(p.Places + 1) {
				home := storetest.Norwich
				pl := store.ReportPlacement{ProviderID: id, DateOfBirth: asOf.AddDays(-(1 + rng.IntN(19)) * 365),
					PlacementType: placematch.PlacementShortTerm, SiblingsSplit: rng.IntN(6) == 0}
				if rng.IntN(4) != 0 {
					pl.Home = &home
				}
				placements = append(placements, pl)
			}
		}
		for range rng.IntN(25) {
			awaiting = append(awaiting, store.AwaitingChild{District: districts[rng.IntN(len(districts))],
				HomeKnown: rng.IntN(5) != 0, DateOfBirth: asOf.AddDays(-(1+rng.IntN(19))*365 - 30),
				PlacementType: []placematch.PlacementType{placematch.PlacementShortTerm, placematch.PlacementLongTerm,
					placematch.PlacementEmergency}[rng.IntN(3)]})
		}
		for _, o := range []reports.Options{{}, {PlacementType: true}, {AgeBand: true}, {PlacementType: true, AgeBand: true}} {
			rows, total := reports.Aggregate(reports.Input{AsOf: asOf, At: storetest.Clock, Providers: providers,
				Placements: placements, Awaiting: awaiting, PlacementType: o.PlacementType, AgeBand: o.AgeBand})
			o.AsOf = asOf
			truth := (&reports.Report{Options: o, Rows: rows, Total: total}).Tables()[0]
			o.Suppress = true
			shown := (&reports.Report{Options: o, Rows: rows, Total: total}).Tables()[0]
			t.Run(fmt.Sprintf("case%d/%s", n, strings.Join(o.GroupBy(), "+")), func(t *testing.T) {
				checkSuppressed(t, shown, truth)
			})
			if c := shown.Rows[len(shown.Rows)-1][columnIndex(shown)["places"]]; c.Kind == reports.Int {
				totalsShown++
			}
		}
	}
	// The rule must still inform: most TOTAL places (random records have many) are shown.
	if totalsShown < 240 {
		t.Errorf("TOTAL places shown in %d of 480 tables", totalsShown)
	}
}

func columnIndex(tab reports.Table) map[string]int {
	col := map[string]int{}
	for i, c := range tab.Columns {
		col[c] = i
	}
	return col
}

// countColumns are the counts of the sufficiency table (and, where present, the trend).
var countColumns = []string{"providers", "places", "filled", "vacant", "unavailable", "children_awaiting",
	"groups_awaiting", "shortfall", "placements_within_20_miles", "placements_over_20_miles",
	"placements_distance_unknown", "placements_in_area", "placements_out_of_area", "placements_splitting_siblings"}

// checkSuppressed compares a suppressed table with the same table unsuppressed; see
// TestSuppressionNeverRecoverable. Blocks of rows end in a TOTAL row (the trend has
// one block per date), and a column's identity is TOTAL = the sum of its block.
func checkSuppressed(t *testing.T, shown, truth reports.Table) {
	t.Helper()
	col := columnIndex(shown)
	if len(shown.Rows) != len(truth.Rows) {
		t.Fatalf("%d rows shown, %d true", len(shown.Rows), len(truth.Rows))
	}
	isHidden := func(r, c int) bool {
		cell := shown.Rows[r][c]
		return cell.Kind == reports.Text && cell.S == reports.Suppressed
	}
	value := func(r, c int) int { return truth.Rows[r][c].I }
	// What is shown is true; no small count is shown.
	for r := range shown.Rows {
		for c, cell := range shown.Rows[r] {
			if isHidden(r, c) {
				continue
			}
			if cell != truth.Rows[r][c] {
				t.Errorf("row %d %s: shown %v, true %v", r, shown.Columns[c], cell, truth.Rows[r][c])
			}
			if cell.Kind == reports.Int && cell.I >= 1 && cell.I <= 4 {
				t.Errorf("row %d %s shows %d", r, shown.Columns[c], cell.I)
			}
		}
		for rate, from := range map[string][]string{
			"occupancy_rate":      {"filled", "places"},
			"pct_within_20_miles": {"placements_within_20_miles", "placements_over_20_miles", "placements_distance_unknown"},
			"mean_distance_miles": {"placements_within_20_miles", "placements_over_20_miles"},
		} {
			if rc, ok := col[rate]; ok && shown.Rows[r][rc].Kind == reports.Float {
				for _, f := range from {
					if isHidden(r, col[f]) {
						t.Errorf("row %d: %s shown beside hidden %s", r, rate, f)
					}
				}
			}
		}
	}
	// The identities that hold on the true figures.
	type term struct{ r, c, coef int }
	var ids [][]term
	add := func(id []term) {
		s := 0
		for _, x := range id {
			s += x.coef * value(x.r, x.c)
		}
		if s == 0 {
			ids = append(ids, id)
		}
	}
	sum := func(r int, plus, minus []string) {
		var id []term
		for _, n := range plus {
			id = append(id, term{r, col[n], 1})
		}
		for _, n := range minus {
			if _, ok := col[n]; ok {
				id = append(id, term{r, col[n], -1})
			}
		}
		add(id)
	}
	placed := []string{"placements_within_20_miles", "placements_over_20_miles", "placements_distance_unknown"}
	area := []string{"placements_in_area", "placements_out_of_area"}
	var block []int
	for r := range shown.Rows {
		sum(r, []string{"places"}, []string{"filled", "vacant", "unavailable"})
		sum(r, placed, area)
		sum(r, []string{"filled"}, placed)
		sum(r, []string{"filled"}, area)
		sum(r, []string{"children_awaiting"}, []string{"groups_awaiting"})
		if value(r, col["shortfall"]) > 0 {
			sum(r, []string{"shortfall", "vacant"}, []string{"children_awaiting"})
		}
		if shown.Rows[r][col["district"]].S != "TOTAL" {
			block = append(block, r)
			continue
		}
		for _, name := range countColumns {
			c, ok := col[name]
			if !ok {
				continue
			}
			id := []term{{r, c, 1}}
			for _, b := range block {
				id = append(id, term{b, c, -1})
			}
			add(id)
		}
		block = nil
	}
	// Gauss-Jordan over the hidden counts, in exact arithmetic: a hidden count is
	// recoverable when a reduced row names it alone.
	type cell struct{ r, c int }
	index := map[cell]int{}
	var names []cell
	var eqs []map[int]*big.Rat
	for _, id := range ids {
		eq := map[int]*big.Rat{}
		for _, x := range id {
			if !isHidden(x.r, x.c) {
				continue
			}
			k := cell{x.r, x.c}
			j, ok := index[k]
			if !ok {
				j = len(names)
				index[k] = j
				names = append(names, k)
			}
			if eq[j] == nil {
				eq[j] = new(big.Rat)
			}
			eq[j].Add(eq[j], big.NewRat(int64(x.coef), 1))
		}
		for j, v := range eq {
			if v.Sign() == 0 {
				delete(eq, j)
			}
		}
		if len(eq) > 0 {
			eqs = append(eqs, eq)
		}
	}
	row := 0
	for j := range names {
		p := -1
		for i := row; i < len(eqs); i++ {
			if v := eqs[i][j]; v != nil && v.Sign() != 0 {
				p = i
				break
			}
		}
		if p < 0 {
			continue
		}
		eqs[row], eqs[p] = eqs[p], eqs[row]
		inv := new(big.Rat).Inv(eqs[row][j])
		for k, v := range eqs[row] {
			eqs[row][k] = new(big.Rat).Mul(v, inv)
		}
		for i := range eqs {
			f := eqs[i][j]
			if i == row || f == nil || f.Sign() == 0 {
				continue
			}
			f = new(big.Rat).Set(f)
			for k, v := range eqs[row] {
				cur := eqs[i][k]
				if cur == nil {
					cur = new(big.Rat)
				}
				cur = new(big.Rat).Sub(cur, new(big.Rat).Mul(f, v))
				if cur.Sign() == 0 {
					delete(eqs[i], k)
				} else {
					eqs[i][k] = cur
				}
			}
		}
		row++
	}
	for _, eq := range eqs[:row] {
		if len(eq) == 1 {
			for j := range eq {
				k := names[j]
				t.Errorf("row %d (%s) %s = %d is hidden but can be worked back", k.r,
					shown.Rows[k.r][0].S, shown.Columns[k.c], value(k.r, k.c))
			}
		}
	}
}

// TestSuppressionKeepsLargeTotals: with counts too large to identify anybody in
// every row but one, the one small count is hidden with one partner, and every
// TOTAL stays shown.
func TestSuppressionKeepsLargeTotals(t *testing.T) {
	asOf := placematch.DateOf(storetest.Clock)
	var providers []*placematch.Provider
	for i, d := range []string{"Norwich", "Broadland", "Breckland"} {
		p := storetest.Unit("U"+strconv.Itoa(i), func(p *placematch.Provider) { p.Unit.Beds = 20 })
		p.ID, p.District, p.Places = "u"+strconv.Itoa(i), d, 20
		providers = append(providers, p)
	}
	var placements []store.ReportPlacement
	home := storetest.Norwich
	// 10 young people in Norwich's unit, 12 in Broadland's, 2 in Breckland's.
	for i, n := range []int{10, 12, 2} {
		for range n {
			placements = append(placements, store.ReportPlacement{ProviderID: providers[i].ID, Home: &home,
				DateOfBirth: asOf.AddDays(-17*366 - 5), PlacementType: placematch.PlacementShortTerm})
		}
	}
	rows, total := reports.Aggregate(reports.Input{AsOf: asOf, At: storetest.Clock, Providers: providers, Placements: placements})
	o := reports.Options{AsOf: asOf}
	truth := (&reports.Report{Options: o, Rows: rows, Total: total}).Tables()[0]
	o.Suppress = true
	shown := (&reports.Report{Options: o, Rows: rows, Total: total}).Tables()[0]
	checkSuppressed(t, shown, truth)
	got := cellsOf(shown)
	last := got[len(got)-1]
	col := columnIndex(shown)
	// Filled: 10 + 12 + 2 = 24 and vacant 10 + 8 + 18 = 36, both shown in the TOTAL.
	for name, want := range map[string]string{"providers": "3", "places": "60", "filled": "24", "vacant": "36"} {
		if name == "providers" {
			want = "c" // 3 providers is itself a small count
		}
		if last[col[name]] != want {
			t.Errorf("TOTAL %s = %s, want %s", name, last[col[name]], want)
		}
	}
	hiddenFilled := 0
	for _, r := range got[:len(got)-1] {
		if r[col["filled"]] == "c" {
			hiddenFilled++
		}
	}
	// Breckland's 2 is hidden, and one more row's filled with it (the smaller, 10),
	// so that the TOTAL's 24 does not give the 2 away.
	if hiddenFilled != 2 || !slices.ContainsFunc(got, func(r []string) bool { return r[0] == "Broadland" && r[col["filled"]] == "12" }) {
		t.Errorf("filled column %v", got)
	}
}
