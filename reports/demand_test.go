package reports_test

import (
	"strconv"
	"strings"
	"testing"

	"placematch"
	"placematch/reports"
	"placematch/store/storetest"
)

// buildDemand stores the records of the demand tests. Nobody is placed, so every
// place is vacant: Norwich has carer C1 (emergency and short_term, 3 places) and unit
// U1 (16–25, 4 beds); King's Lynn has carer C2 (long_term only, 2 places) and hub H1
// (beds for 12–17, 4 + 2, its default types: emergency, short_term, respite, short
// breaks). Awaiting, from Norwich: N1 (3, short_term), N2 (17, short_term), N3 (19,
// short_term); from King's Lynn: the siblings S1 (14), S2 (9), S3 (6), long_term, W1
// (15, emergency, a wheelchair user), K1 (13, short_term), R1 (16, long_term).
func buildDemand(t *testing.T, dialect string) *reports.Service {
	t.Helper()
	db := storetest.Open(t, dialect)
	db.Locator = norfolk(t)
	at := func(p placematch.Point) func(*placematch.Provider) {
		return func(pr *placematch.Provider) { pr.Location = p }
	}
	for _, p := range []*placematch.Provider{
		storetest.Carer("C1", at(norwich)),
		storetest.Carer("C2", at(kingsLynn), func(p *placematch.Provider) {
			p.Carer.MaxChildren = 2
			p.Carer.PlacementTypes = []placematch.PlacementType{placematch.PlacementLongTerm}
		}),
		storetest.Unit("U1", at(norwich)),
		storetest.Hub("H1", at(kingsLynn)),
	} {
		if err := db.CreateProvider(ctx, p); err != nil {
			t.Fatal(err)
		}
	}
	child := func(ref string, home placematch.Point, age int, pt placematch.PlacementType, more ...func(*placematch.Child)) *placematch.Child {
		t.Helper()
		c := storetest.Child(ref, func(c *placematch.Child) {
			c.Location, c.DateOfBirth, c.PlacementType = &home, asOf.AddDays(-age*366-10), pt
		})
		for _, m := range more {
			m(c)
		}
		if err := db.CreateChild(ctx, c); err != nil {
			t.Fatal(err)
		}
		return c
	}
	st, lt, em := placematch.PlacementShortTerm, placematch.PlacementLongTerm, placematch.PlacementEmergency
	child("N1", norwich, 3, st)
	child("N2", norwich, 17, st)
	child("N3", norwich, 19, st)
	s1 := child("S1", kingsLynn, 14, lt)
	sibling := func(c *placematch.Child) { c.Siblings = []string{s1.ID} }
	child("S2", kingsLynn, 9, lt, sibling)
	child("S3", kingsLynn, 6, lt, sibling)
	child("W1", kingsLynn, 15, em, func(c *placematch.Child) { c.WheelchairUser = true })
	child("K1", kingsLynn, 13, st)
	child("R1", kingsLynn, 16, lt)
	return &reports.Service{Store: db, Now: db.Now}
}

const kl = "King's Lynn and West Norfolk"

// TestDemandWhereItBelongs: each group awaiting is demand only for the kinds of home
// that could lawfully take it, a sibling group is one group needing a place per
// child, and the TOTAL shortfall is the sum of the rows'. Every figure is worked by
// hand from buildDemand's records, on both engines.
func TestDemandWhereItBelongs(t *testing.T) {
	for _, dialect := range storetest.Dialects() {
		t.Run(dialect, func(t *testing.T) {
			t.Parallel()
			svc := buildDemand(t, dialect)
			rep, err := svc.Sufficiency(ctx, reports.Options{AsOf: asOf})
			if err != nil {
				t.Fatal(err)
			}
			demand := map[string]string{} // district|kind → awaiting,groups,vacant,shortfall
			for _, r := range rep.Rows {
				demand[r.District+"|"+string(r.Kind)] = strings.Join([]string{itoa(r.ChildrenAwaiting),
					itoa(r.GroupsAwaiting), itoa(r.Vacant), itoa(r.Shortfall())}, ",")
			}
			want := map[string]string{
				// N1 (3) and N2 (17): only a carer could take a 3-year-old; N3 (19) is
				// not staying put with anyone, so no carer.
				"Norwich|foster_carer": "2,2,3,0",
				// N2 (17) and N3 (19); never N1 (under 16).
				"Norwich|supported_accommodation": "2,2,4,0",
				// N2 only (a hub's bed is for 12–17); no hub in Norwich: short 1.
				"Norwich|hub": "1,1,0,1",
				// The siblings (one group, 3 places), W1, K1 and R1: 6 places, 4 groups,
				// against C2's 2 vacancies.
				kl + "|foster_carer": "6,4,2,4",
				// R1 (16, long_term, which units take); no unit in King's Lynn.
				kl + "|supported_accommodation": "1,1,0,1",
				// K1 only: S3 (6) is too young for the hub's beds, W1 uses a wheelchair
				// (a hub never is accessible), R1 asks for long-term care (not a type
				// H1 takes).
				kl + "|hub": "1,1,6,0",
			}
			for k, w := range want {
				if demand[k] != w {
					t.Errorf("%s: awaiting,groups,vacant,shortfall = %s, want %s", k, demand[k], w)
				}
			}
			if len(demand) != len(want) {
				t.Errorf("rows %v, want %v", demand, want)
			}
			// 9 children in 7 groups, each once; shortfall 0+0+1+4+1+0 = 6.
			if rep.Total.ChildrenAwaiting != 9 || rep.Total.GroupsAwaiting != 7 || rep.Total.Shortfall() != 6 ||
				rep.Total.Vacant != 15 || rep.Total.NoLawfulKind != 0 {
				t.Errorf("TOTAL awaiting %d, groups %d, shortfall %d, vacant %d, no lawful kind %d; want 9, 7, 6, 15, 0",
					rep.Total.ChildrenAwaiting, rep.Total.GroupsAwaiting, rep.Total.Shortfall(), rep.Total.Vacant,
					rep.Total.NoLawfulKind)
			}
			notes := strings.Join(rep.Notes(), " ")
			for _, s := range []string{"lawfully take", "eldest member", "sum of the rows' shortfalls"} {
				if !strings.Contains(notes, s) {
					t.Errorf("notes do not state the rule (%q)", s)
				}
			}
		})
	}
}

// TestDemandByTypeAndBand: grouped by placement type and age band, a group counts in
// the row of its eldest member's type and band; supported accommodation shows no
// demand under 16 and a hub none outside its beds' ages; the TOTAL shortfall is still
// the sum of the rows', and children and groups are still counted once.
func TestDemandByTypeAndBand(t *testing.T) {
	for _, dialect := range storetest.Dialects() {
		t.Run(dialect, func(t *testing.T) {
			t.Parallel()
			svc := buildDemand(t, dialect)
			rep, err := svc.Sufficiency(ctx, reports.Options{AsOf: asOf, PlacementType: true, AgeBand: true})
			if err != nil {
				t.Fatal(err)
			}
			got := map[string]string{}
			sum := 0
			for _, r := range rep.Rows {
				sum += r.Shortfall()
				if r.ChildrenAwaiting == 0 {
					continue
				}
				got[strings.Join([]string{r.District, string(r.Kind), string(r.PlacementType), r.AgeBand}, "|")] =
					strings.Join([]string{itoa(r.ChildrenAwaiting), itoa(r.GroupsAwaiting), itoa(r.Vacant),
						itoa(r.Shortfall())}, ",")
				if r.Kind == placematch.KindUnit && r.AgeBand != "16-17" && r.AgeBand != "18+" {
					t.Errorf("supported accommodation shows demand for ages %s", r.AgeBand)
				}
				if r.Kind == placematch.KindHub && r.AgeBand != "10-15" && r.AgeBand != "16-17" {
					t.Errorf("a hub shows demand for ages %s", r.AgeBand)
				}
			}
			want := map[string]string{
				"Norwich|foster_carer|short_term|0-4":    "1,1,3,0", // N1; C1 covers every band under 18
				"Norwich|foster_carer|short_term|16-17":  "1,1,3,0", // N2
				"Norwich|supported_accommodation||16-17": "1,1,4,0", // N2
				"Norwich|supported_accommodation||18+":   "1,1,4,0", // N3
				"Norwich|hub||16-17":                     "1,1,0,1", // N2, no hub in Norwich
				kl + "|foster_carer|long_term|10-15":     "3,1,2,1", // the siblings, eldest 14: 3 places, C2 has 2
				kl + "|foster_carer|emergency|10-15":     "1,1,0,1", // W1; C2 is not approved for emergencies
				kl + "|foster_carer|short_term|10-15":    "1,1,0,1", // K1
				kl + "|foster_carer|long_term|16-17":     "1,1,2,0", // R1
				kl + "|supported_accommodation||16-17":   "1,1,0,1", // R1
				kl + "|hub||10-15":                       "1,1,6,0", // K1
			}
			for k, w := range want {
				if got[k] != w {
					t.Errorf("%s: awaiting,groups,vacant,shortfall = %s, want %s", k, got[k], w)
				}
			}
			if len(got) != len(want) {
				t.Errorf("rows with demand %v, want %v", got, want)
			}
			// 1 + 1 + 1 + 1 + 1 = 5, the sum of the rows' shortfalls.
			if rep.Total.Shortfall() != 5 || sum != 5 || rep.Total.ChildrenAwaiting != 9 || rep.Total.GroupsAwaiting != 7 {
				t.Errorf("TOTAL shortfall %d (rows sum to %d), awaiting %d, groups %d; want 5, 5, 9, 7",
					rep.Total.Shortfall(), sum, rep.Total.ChildrenAwaiting, rep.Total.GroupsAwaiting)
			}
			// The hub's beds are for 12–17: it offers no places in the 18+ band.
			for _, r := range rep.Rows {
				if r.Kind == placematch.KindHub && r.AgeBand == "18+" && r.Places > 0 {
					t.Errorf("hub places in the 18+ band: %+v", r)
				}
			}
		})
	}
}

// TestDemandNoLawfulKind: a young person of 18 asking for respite care, which no
// unit takes (and no hub or carer may give from 18), is in the TOTAL and in no row,
// and the notes say how many there are.
func TestDemandNoLawfulKind(t *testing.T) {
	db := storetest.Open(t, "sqlite")
	db.Locator = norfolk(t)
	if err := db.CreateProvider(ctx, storetest.Unit("U1")); err != nil {
		t.Fatal(err)
	}
	c := storetest.Child("Y1", func(c *placematch.Child) {
		c.DateOfBirth, c.PlacementType = asOf.AddDays(-18*366-10), placematch.PlacementRespite
	})
	if err := db.CreateChild(ctx, c); err != nil {
		t.Fatal(err)
	}
	rep, err := (&reports.Service{Store: db, Now: db.Now}).Sufficiency(ctx, reports.Options{AsOf: asOf})
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range rep.Rows {
		if r.ChildrenAwaiting != 0 {
			t.Errorf("row %s %s counts the young person", r.District, r.Kind)
		}
	}
	if rep.Total.ChildrenAwaiting != 1 || rep.Total.NoLawfulKind != 1 {
		t.Errorf("TOTAL awaiting %d, no lawful kind %d", rep.Total.ChildrenAwaiting, rep.Total.NoLawfulKind)
	}
	if !strings.Contains(strings.Join(rep.Notes(), " "), "could lawfully take (counted in the TOTAL row only): 1.") {
		t.Errorf("notes %q", rep.Notes())
	}
}

func itoa(n int) string { return strconv.Itoa(n) }
