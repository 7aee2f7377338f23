package demo

import (
	"encoding/csv"
	"fmt"
	"math"
	"os"
	"slices"
	"strconv"
	"testing"

	"placematch"
	"placematch/reports"
	"placematch/store"
	"placematch/store/storetest"
)

// sharedDfE is the DfE's published Norfolk summary. The demo must not read it at run
// time (it hard-codes the few shares it aims at, in norfolkDistance); the tests read
// it to check the seeded data against the published figures.
const sharedDfE = "../../shared/data/dfe/norfolk_cla_summary_2020_2025.csv"

// shareTolerance is how far, in percentage points, a seeded share may be from the
// published one.
const shareTolerance = 5.0

// Fostering occupancy the demo promises: most approved places filled, as in councils
// short of carers, yet a few left to match to. No published Norfolk figure exists for
// it (the DfE publishes children, not places), so the range is the demo's own.
const minFosterOccupancy, maxFosterOccupancy = 80.0, 90.0

// The age rules the demo promises, written out here rather than taken from the
// generator's constants, so that a change to the generator cannot move them.
const (
	minAgeHighRiskToOthers = 8  // no risk to others graded high below this age
	minAgeExploitation     = 11 // exploitation and substance risks from this age
)

var (
	othersRisks     = []string{"sexual_harm_to_others", "physical_harm_to_others", "fire_setting", "harm_to_animals"}
	householdNeeds  = []string{"live_alone", "only_older_children", "only_younger_children", "no_pets"}
	developmentNeed = []string{"complex_health", "speech_and_language", "learning_disability", "physical_disability", "autism", "makaton"}
)

// distanceShares are percentages of placements by distance from home.
type distanceShares struct{ within, over, unknown float64 }

func (d distanceShares) String() string {
	return fmt.Sprintf("%.1f%% <= 20 miles, %.1f%% > 20 miles, %.1f%% not known", d.within, d.over, d.unknown)
}

// readNorfolkDistance reads Norfolk's split of children looked after at 31 March 2025
// by distance between home and placement, as percentages of the published total.
func readNorfolkDistance(t *testing.T) distanceShares {
	t.Helper()
	f, err := os.Open(sharedDfE)
	if err != nil {
		t.Fatalf("published Norfolk figures needed to check the demo: %v", err)
	}
	defer f.Close()
	rows, err := csv.NewReader(f).ReadAll()
	if err != nil || len(rows) < 2 {
		t.Fatalf("read %s: %v", sharedDfE, err)
	}
	col := map[string]int{}
	for i, h := range rows[0] {
		col[h] = i
	}
	n := map[string]float64{}
	for _, r := range rows[1:] {
		if r[col["time_period"]] != "2025" || r[col["area"]] != "Norfolk" ||
			r[col["measure_group"]] != "CLA at 31 March: Distance between home and placement" {
			continue
		}
		v, err := strconv.ParseFloat(r[col["number"]], 64)
		if err != nil {
			t.Fatalf("%s: %q is not a number", sharedDfE, r[col["number"]])
		}
		n[r[col["characteristic"]]] = v
	}
	total := n["Total"]
	d := distanceShares{
		within:  100 * n["Placed 20 miles or less from home"] / total,
		over:    100 * n["Placed more than 20 miles from home"] / total,
		unknown: 100 * n["Distance not known or not recorded"] / total,
	}
	if total < 1000 || math.Abs(d.within+d.over+d.unknown-100) > 0.01 {
		t.Fatalf("%s: 2025 distance rows %v do not add up", sharedDfE, n)
	}
	return d
}

// TestDistanceTargetsArePublished checks that the shares the demo hard-codes are
// Norfolk's published ones (to the DfE's whole percentages).
func TestDistanceTargetsArePublished(t *testing.T) {
	pub := readNorfolkDistance(t)
	got := distanceShares{100 * norfolkDistance.within, 100 * norfolkDistance.over, 100 * norfolkDistance.unknown}
	if math.Abs(got.within-pub.within) > 0.5 || math.Abs(got.over-pub.over) > 0.5 || math.Abs(got.unknown-pub.unknown) > 0.5 {
		t.Errorf("demo aims at %v; Norfolk published %v", got, pub)
	}
}

// TestDemoIsAsHardAsNorfolk seeds the demo the server loads (seed 1) and logs the
// measures checked for every seed by TestSeedCountsAndConsistency: fostering
// occupancy, vacancies by district, the distance split against Norfolk's published
// one, and the age rules for needs and risks.
func TestDemoIsAsHardAsNorfolk(t *testing.T) {
	db, _ := seeded(t, store.SQLite, 1)
	w := load(t, db)
	m := checkNorfolkShares(t, db, w, readNorfolkDistance(t))
	checkAges(t, w)
	checkHouseholds(t, w)
	checkSiblingGroups(t, w)
	t.Logf("seed 1: fostering occupancy %.1f%%; vacant fostering places by district %v; units and hubs %.1f%% full; %d placements: %v; %d placed over the border",
		m.occupancy, m.vacant, m.unitsFull, m.placements, m.split, m.outside)
}

// measures are what checkNorfolkShares measured.
type measures struct {
	occupancy, unitsFull float64
	vacant               map[string]int
	placements, outside  int
	split                distanceShares
}

// checkNorfolkShares measures the seeded data: the share of approved fostering places
// filled, vacant fostering places by district, how full units and hubs are, and the
// distance split of the placements running today as the sufficiency report counts it
// (reports.PlacementsByKey: DfE-rounded miles, "not known" when the home is not
// recorded), which must be within shareTolerance of Norfolk's published split.
func checkNorfolkShares(t *testing.T, db *store.DB, w world, pub distanceShares) measures {
	t.Helper()
	m := measures{vacant: map[string]int{}}
	var places, filled, vacant, otherPlaces, otherFilled int
	for _, p := range w.providers {
		switch {
		case p.Carer != nil && p.Carer.Status == placematch.CarerApproved:
			places += p.Places
			filled += p.Filled
			vacant += p.Vacancies
			if p.District != "" {
				m.vacant[p.District] += p.Vacancies
			}
		case p.Carer == nil:
			otherPlaces += p.Places
			otherFilled += p.Filled
		}
		if p.District == "" && p.Filled > 0 {
			m.outside += p.Filled
		}
	}
	m.occupancy = 100 * float64(filled) / float64(places)
	m.unitsFull = 100 * float64(otherFilled) / float64(otherPlaces)
	if m.occupancy < minFosterOccupancy || m.occupancy > maxFosterOccupancy {
		t.Errorf("fostering occupancy %.1f%% (%d of %d approved places), want %.0f–%.0f%%",
			m.occupancy, filled, places, minFosterOccupancy, maxFosterOccupancy)
	}
	if vacant*100 > places*15 {
		t.Errorf("%d of %d approved fostering places vacant: vacancies are not scarce", vacant, places)
	}
	// Uneven: some district has almost no vacant place, another several.
	var counts []int
	for _, d := range norfolkDistricts {
		counts = append(counts, m.vacant[d])
	}
	if lo, hi := slices.Min(counts), slices.Max(counts); lo > 2 || hi < 5 {
		t.Errorf("vacant fostering places by district %v: not uneven enough", m.vacant)
	}
	if m.unitsFull < 75 {
		t.Errorf("units and hubs %.1f%% full, want most beds filled", m.unitsFull)
	}
	if m.outside == 0 {
		t.Error("no child is placed over the county border")
	}

	running, err := db.PlacementsActiveOn(ctx, placematch.DateOf(storetest.Clock))
	must(t, err)
	var n, in, out, unknown int
	for _, r := range reports.PlacementsByKey(w.providers, running) {
		in += r.Within
		out += r.Over
		unknown += r.Unknown
	}
	n = in + out + unknown
	if n != len(w.placements) || n == 0 {
		t.Fatalf("the report counts %d placements running, the store lists %d", n, len(w.placements))
	}
	m.placements = n
	m.split = distanceShares{100 * float64(in) / float64(n), 100 * float64(out) / float64(n), 100 * float64(unknown) / float64(n)}
	if math.Abs(m.split.within-pub.within) > shareTolerance || math.Abs(m.split.over-pub.over) > shareTolerance ||
		math.Abs(m.split.unknown-pub.unknown) > shareTolerance {
		t.Errorf("placements %v; Norfolk published %v (tolerance %.0f points)", m.split, pub, shareTolerance)
	}
	return m
}

// checkAges checks that needs and risks are plausible for each child's age: no risk to
// others graded high under 8, exploitation and substance risks only from 11 and going
// missing mostly from 11, under-5s with no risks and mostly developmental or health
// needs, and household needs only for children of 8 and over, a few of them.
func checkAges(t *testing.T, w world) {
	t.Helper()
	today := placematch.DateOf(storetest.Clock)
	var infantNeeds, infantDev, missing, missingOlder, household int
	for _, c := range w.children {
		age := c.AgeOn(today)
		for _, r := range c.Risks {
			switch {
			case slices.Contains(othersRisks, r.Type) && r.Level == "high" && age < minAgeHighRiskToOthers:
				t.Errorf("%s, aged %d, has a high risk of %s", c.Reference, age, r.Type)
			case (r.Type == "criminal_exploitation" || r.Type == "sexual_exploitation" || r.Type == "substances") && age < minAgeExploitation:
				t.Errorf("%s, aged %d, has a risk of %s", c.Reference, age, r.Type)
			case age < 5:
				t.Errorf("%s, aged %d, has a risk of %s", c.Reference, age, r.Type)
			}
			if r.Type == "going_missing" {
				missing++
				if age >= minAgeExploitation {
					missingOlder++
				}
			}
		}
		for _, n := range c.Needs {
			if slices.Contains(householdNeeds, n) {
				household++
				if age < minAgeHighRiskToOthers {
					t.Errorf("%s, aged %d, needs %s", c.Reference, age, n)
				}
			}
			if age < 5 {
				infantNeeds++
				if slices.Contains(developmentNeed, n) {
					infantDev++
				}
			}
		}
	}
	if missing == 0 || missingOlder*10 < missing*8 {
		t.Errorf("%d of %d going-missing risks are of children aged 11 or over, want most", missingOlder, missing)
	}
	if infantNeeds == 0 || infantDev*10 < infantNeeds*6 {
		t.Errorf("%d of the under-5s' %d needs are developmental or health needs, want most", infantDev, infantNeeds)
	}
	if household < 3 || household*10 > len(w.children) {
		t.Errorf("%d household needs among %d children, want a few", household, len(w.children))
	}
}

// checkHouseholds checks the foster homes: realistic households (own children in
// some, young ones in a few, pets in about 40%, smokers in about 10%), every home as
// filled breaking none of the household rules, and some children already placed with
// a high risk to others, so that the rules bite on new matches.
func checkHouseholds(t *testing.T, w world) {
	t.Helper()
	today := placematch.DateOf(storetest.Clock)
	children := map[string]*placematch.Child{}
	for _, c := range w.children {
		children[c.ID] = c
	}
	inHome := map[string][]*placematch.Child{}
	for _, pl := range w.placements {
		inHome[pl.Provider.ID] = append(inHome[pl.Provider.ID], children[pl.ChildID])
	}
	var carers, own, young, pets, smoking, risky int
	for _, p := range w.providers {
		if p.Carer == nil {
			continue
		}
		carers++
		hh := p.Carer.Household
		if len(hh.OtherChildrenAges) > 0 {
			own++
			if hh.OtherChildrenAges[0] < 5 {
				young++
			}
		}
		if hh.Pets {
			pets++
		}
		if hh.Smoking {
			smoking++
		}
		var home []resident
		for _, a := range hh.OtherChildrenAges {
			home = append(home, resident{age: a})
		}
		for _, c := range inHome[p.ID] {
			age := c.AgeOn(today)
			if !compatible(hh, home, c, age) {
				t.Errorf("%s (aged %d, risks %v, needs %v) placed with %s breaks a household rule (household %+v, others %v)",
					c.Reference, age, c.Risks, c.Needs, p.Reference, hh, home)
			}
			if slices.ContainsFunc(othersRisks, func(r string) bool { return highRisk(c, r) }) {
				risky++
			}
			home = append(home, resident{age: age, child: c})
		}
	}
	share := func(n int) float64 { return 100 * float64(n) / float64(carers) }
	if share(own) < 35 || share(own) > 75 || young < 5 || share(pets) < 30 || share(pets) > 50 || share(smoking) < 4 || share(smoking) > 17 {
		t.Errorf("of %d households: %d with own children (%d with an under-5), %d with pets, %d smoking",
			carers, own, young, pets, smoking)
	}
	if risky < 3 {
		t.Errorf("only %d children placed with carers have a high risk to others", risky)
	}
}

// checkSiblingGroups checks the awaiting sibling groups: at least five, of two to four
// children of different ages with needs of their own, and at least one with a member
// at high risk.
func checkSiblingGroups(t *testing.T, w world) {
	t.Helper()
	today := placematch.DateOf(storetest.Clock)
	byID := map[string]*placematch.Child{}
	for _, c := range w.children {
		byID[c.ID] = c
	}
	groups, risky, differentNeeds := 0, 0, 0
	for _, c := range w.children {
		if c.Status != placematch.ChildAwaiting || len(c.Siblings) == 0 || slices.ContainsFunc(c.Siblings, func(s string) bool { return s < c.ID }) {
			continue // not a group, or counted at its first member
		}
		groups++
		members := []*placematch.Child{c}
		for _, s := range c.Siblings {
			members = append(members, byID[s])
		}
		if len(members) < 2 || len(members) > 4 {
			t.Errorf("%s: a sibling group of %d", c.Reference, len(members))
		}
		ages := map[int]bool{}
		needs := map[string]bool{}
		high := false
		for _, m := range members {
			ages[m.AgeOn(today)] = true
			needs[fmt.Sprint(m.Needs)] = true
			high = high || slices.ContainsFunc(m.Risks, func(r placematch.Risk) bool { return r.Level == "high" })
		}
		if len(ages) != len(members) {
			t.Errorf("%s: siblings share an age", c.Reference)
		}
		if len(needs) > 1 {
			differentNeeds++
		}
		if high {
			risky++
		}
	}
	if groups < 5 || risky == 0 || differentNeeds*2 < groups {
		t.Errorf("%d sibling groups, %d with a high risk, %d whose members' needs differ", groups, risky, differentNeeds)
	}
}
