package demo

import (
	"context"
	"fmt"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"placematch"
	"placematch/geo"
	"placematch/store"
	"placematch/store/storetest"
)

var ctx = context.Background()

// world is everything the store lists after a seed.
type world struct {
	providers  []*placematch.Provider
	children   []*placematch.Child
	placements []*placematch.Placement
}

func load(t *testing.T, db *store.DB) world {
	t.Helper()
	var w world
	for _, k := range placematch.ProviderKinds {
		page, err := db.ListProviders(ctx, store.ProviderFilter{Kind: k, Limit: store.MaxLimit})
		must(t, err)
		w.providers = append(w.providers, page.Items...)
	}
	children, err := db.ListChildren(ctx, store.ChildFilter{Limit: store.MaxLimit})
	must(t, err)
	placements, err := db.ListPlacements(ctx, store.PlacementFilter{Limit: store.MaxLimit})
	must(t, err)
	w.children, w.placements = children.Items, placements.Items
	return w
}

func must(t *testing.T, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}

func seeded(t *testing.T, dialect string, seed uint64) (*store.DB, Summary) {
	t.Helper()
	db := storetest.Open(t, dialect)
	sum, err := Seed(ctx, db, seed, storetest.Clock)
	must(t, err)
	return db, sum
}

// TestSeedCountsAndConsistency seeds several values on each engine: the counts and
// the rules the demo promises must hold whatever the seed.
func TestSeedCountsAndConsistency(t *testing.T) {
	for _, dialect := range storetest.Dialects() {
		for _, seed := range []uint64{42, 1, 2, 3} {
			t.Run(fmt.Sprintf("%s/%d", dialect, seed), func(t *testing.T) {
				t.Parallel()
				checkSeed(t, dialect, seed)
			})
		}
	}
}

// checkSeed seeds a fresh database and checks what the demo promises about it.
func checkSeed(t *testing.T, dialect string, seed uint64) {
	db := storetest.Open(t, dialect)
	empty, err := IsEmpty(ctx, db)
	must(t, err)
	if !empty {
		t.Fatal("a fresh database is not empty")
	}
	sum, err := Seed(ctx, db, seed, storetest.Clock)
	must(t, err)
	// The placements fill most places (see TestDemoIsAsHardAsNorfolk), so their
	// number depends on the places the seed draws.
	want := Summary{Carers: numCarers + numKinCarers, Units: 25, Hubs: 2, Children: 40, SiblingGroups: 5, Placements: sum.Placements}
	if sum != want || sum.Placements < 200 || sum.Placements > 320 {
		t.Fatalf("summary %+v, want %+v with 200–320 placements", sum, want)
	}
	if empty, err = IsEmpty(ctx, db); err != nil || empty {
		t.Fatalf("after seeding IsEmpty = %v, %v", empty, err)
	}
	if db.Locator == nil {
		t.Error("Seed left the store without a locator")
	}
	w := load(t, db)
	checkProviders(t, w, sum)
	checkChildren(t, w, sum)
	checkPlacements(t, w)
	checkNorfolkShares(t, db, w, readNorfolkDistance(t))
	checkAges(t, w)
	checkHouseholds(t, w)
	checkSiblingGroups(t, w)
	checkSectors(t, w)
	if _, err := Seed(ctx, db, seed, storetest.Clock); err == nil {
		t.Error("seeding a non-empty database twice succeeded")
	}
}

func checkProviders(t *testing.T, w world, sum Summary) {
	kinds := map[placematch.ProviderKind]int{}
	full, stale, unavailable, exempt, outside := 0, 0, 0, 0, 0
	for _, p := range w.providers {
		kinds[p.Kind]++
		if p.Filled > p.Places || p.Vacancies > p.Places-p.Filled || p.Vacancies < 0 {
			t.Errorf("%s: places %d filled %d vacancies %d", p.Reference, p.Places, p.Filled, p.Vacancies)
		}
		if p.Availability.ConfirmedAt == nil || p.Availability.ConfirmedAt.After(storetest.Clock) {
			t.Errorf("%s confirmed at %v", p.Reference, p.Availability.ConfirmedAt)
		} else if storetest.Clock.Sub(*p.Availability.ConfirmedAt) > 30*24*time.Hour {
			t.Errorf("%s confirmed more than 30 days ago", p.Reference)
		}
		// Names end with the town the home was drawn near, whose district it must get;
		// homes over the county border get none.
		if i := strings.LastIndex(p.Name, ", "); p.Kind != placematch.KindHub {
			place := p.Name[i+2:]
			j := slices.IndexFunc(Towns, func(tw geo.Town) bool { return tw.Name == place })
			switch {
			case j >= 0 && Towns[j].District == p.District:
			case j < 0 && slices.ContainsFunc(outOfCounty, func(o town) bool { return o.name == place }) && p.District == "":
				outside++
			default:
				t.Errorf("%s %q is filed under %q", p.Reference, p.Name, p.District)
			}
		} else if p.District == "" {
			t.Errorf("hub %s has no district", p.Reference)
		}
		switch {
		case p.Carer != nil:
			c := p.Carer
			if p.Filled == p.Places && p.Places > 0 {
				full++
			}
			if storetest.Clock.Sub(*p.Availability.ConfirmedAt) > 14*24*time.Hour {
				stale++
			}
			if p.Availability.Status == placematch.Unavailable {
				unavailable++
			}
			if c.SiblingsOverLimit {
				exempt++
			}
			if c.MaxChildren < 1 || (c.MaxChildren > 3 && !c.SiblingsOverLimit) || c.MaxChildren > 5 {
				t.Errorf("%s: max_children %d, siblings over limit %v", p.Reference, c.MaxChildren, c.SiblingsOverLimit)
			}
			if len(c.Languages) == 0 || slices.ContainsFunc(c.Languages, func(l string) bool { return l != strings.ToLower(l) }) {
				t.Errorf("%s languages %v", p.Reference, c.Languages)
			}
		case p.Unit != nil:
			u := p.Unit
			if p.AgeMin < 16 || p.AgeMax > 25 || u.Beds < 1 || u.Beds > 8 || u.WeeklyCostPence < 60000 || u.WeeklyCostPence > 250000 {
				t.Errorf("unit %s: ages %d–%d beds %d cost %d", p.Reference, p.AgeMin, p.AgeMax, u.Beds, u.WeeklyCostPence)
			}
			if u.RegistrationStatus == placematch.Registered && !regexp.MustCompile(`^\d{7}$`).MatchString(u.OfstedURN) {
				t.Errorf("registered unit %s has URN %q", p.Reference, u.OfstedURN)
			}
			if u.RegistrationStatus == placematch.NotRegistered && p.AgeMin < 18 {
				t.Errorf("unregistered unit %s takes %d-year-olds", p.Reference, p.AgeMin)
			}
		case p.Hub != nil:
			h := p.Hub
			if h.Beds != 4 || h.EmergencyBeds != 2 || p.AgeMin != 12 || p.AgeMax != 25 ||
				!slices.Contains(h.Services, "clinical_psychology") || !slices.Contains(h.Services, "life_coaching") {
				t.Errorf("hub %s: %+v ages %d–%d", p.Reference, h, p.AgeMin, p.AgeMax)
			}
		}
	}
	if kinds[placematch.KindCarer] != sum.Carers || kinds[placematch.KindUnit] != sum.Units || kinds[placematch.KindHub] != sum.Hubs {
		t.Errorf("listed %v, summary %+v", kinds, sum)
	}
	// 17% of 120 carers unavailable, the national share, whatever the seed.
	if full == 0 || stale == 0 || exempt != 2 || unavailable != 20 {
		t.Errorf("carers: %d full, %d stale, %d exempt, %d unavailable", full, stale, exempt, unavailable)
	}
	if outside != numOutsideCarers+numOutsideUnits {
		t.Errorf("%d homes over the county border, want %d", outside, numOutsideCarers+numOutsideUnits)
	}
}

func checkChildren(t *testing.T, w world, sum Summary) {
	byID := map[string]*placematch.Child{}
	for _, c := range w.children {
		byID[c.ID] = c
	}
	unitOf := map[string]bool{}
	for _, pl := range w.placements {
		if pl.Provider.Kind == placematch.KindUnit {
			unitOf[pl.ChildID] = true
		}
	}
	today := placematch.DateOf(storetest.Clock)
	refPattern := regexp.MustCompile(`^NCC-20\d\d-\d{5}$`)
	status := map[placematch.ChildStatus]int{}
	refs := map[string]bool{}
	var groups []int
	wheelchair, avoid, older := 0, 0, 0
	for _, c := range w.children {
		status[c.Status]++
		if !refPattern.MatchString(c.Reference) || refs[c.Reference] {
			t.Errorf("reference %q malformed or repeated", c.Reference)
		}
		refs[c.Reference] = true
		// Care leavers up to 20 live in supported accommodation; everyone else is a child.
		if age := c.AgeOn(today); age < 0 || age > 20 || (age > 17 && (c.Status != placematch.ChildPlaced || !unitOf[c.ID])) {
			t.Errorf("%s is %d", c.Reference, age)
		} else if age >= 16 && c.Status == placematch.ChildAwaiting {
			older++
		}
		// A child whose home is not recorded has no district: "distance not known".
		if (c.District == "") != (c.Location == nil) || (c.Location == nil && c.Status == placematch.ChildAwaiting) {
			t.Errorf("%s: district %q, home %v, %s", c.Reference, c.District, c.Location, c.Status)
		}
		for _, s := range c.Siblings {
			if sib := byID[s]; sib == nil || !slices.Contains(sib.Siblings, c.ID) {
				t.Errorf("%s lists sibling %s, which does not list it back", c.Reference, s)
			}
		}
		if c.Status != placematch.ChildAwaiting {
			continue
		}
		if len(c.Siblings) > 0 && slices.IndexFunc(c.Siblings, func(s string) bool { return s < c.ID }) < 0 {
			groups = append(groups, len(c.Siblings)+1) // counted once, at its first member
		}
		if c.RequiredFrom.Before(today) || c.RequiredFrom.After(today.AddDays(30)) {
			t.Errorf("%s required from %s", c.Reference, c.RequiredFrom)
		}
		if len(c.Needs) > 5 {
			t.Errorf("%s has %d needs", c.Reference, len(c.Needs))
		}
		if c.WheelchairUser {
			wheelchair++
		}
		if len(c.AvoidAreas) > 0 {
			avoid++
			if _, err := geo.ParseAreas(c.AvoidAreas); err != nil {
				t.Errorf("%s avoid areas: %v", c.Reference, err)
			}
		}
	}
	slices.Sort(groups)
	if !slices.Equal(groups, []int{2, 2, 2, 3, 4}) || len(groups) != sum.SiblingGroups {
		t.Errorf("sibling groups %v, summary says %d", groups, sum.SiblingGroups)
	}
	if status[placematch.ChildAwaiting] != sum.Children || status[placematch.ChildPlaced] != sum.Placements {
		t.Errorf("children by status %v, summary %+v", status, sum)
	}
	if wheelchair < 1 || wheelchair > 2 || avoid < 1 || avoid > 2 || older < 3 {
		t.Errorf("%d wheelchair users, %d with avoid areas, %d aged 16–17", wheelchair, avoid, older)
	}
}

// checkPlacements checks that filled places are exactly the active placements and
// that each placed child fits its home's age range.
func checkPlacements(t *testing.T, w world) {
	perProvider := map[string]int{}
	children := map[string]*placematch.Child{}
	for _, c := range w.children {
		children[c.ID] = c
	}
	providers := map[string]*placematch.Provider{}
	for _, p := range w.providers {
		providers[p.ID] = p
	}
	for _, pl := range w.placements {
		if pl.Status != placematch.PlacementActive {
			t.Errorf("placement %s is %s", pl.ID, pl.Status)
		}
		perProvider[pl.Provider.ID]++
		c, p := children[pl.ChildID], providers[pl.Provider.ID]
		if c == nil || p == nil || c.Status != placematch.ChildPlaced {
			t.Fatalf("placement %s joins %v and %v", pl.ID, c, p)
		}
		if c.AgeOn(pl.StartDate) < p.AgeMin || c.AgeOn(placematch.DateOf(storetest.Clock)) > p.AgeMax ||
			pl.StartDate.After(placematch.DateOf(storetest.Clock)) {
			t.Errorf("%s (born %s) placed with %s (ages %d–%d) from %s", c.Reference, c.DateOfBirth, p.Reference,
				p.AgeMin, p.AgeMax, pl.StartDate)
		}
	}
	for _, p := range w.providers {
		if p.Filled != perProvider[p.ID] {
			t.Errorf("%s filled %d, active placements %d", p.Reference, p.Filled, perProvider[p.ID])
		}
	}
}
