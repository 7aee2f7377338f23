package demo

import (
	"context"
	"fmt"
	"math"
	"slices"
	"time"

	"placematch"
	"placematch/store"
)

// Sizes of the demo set: roughly the share of Norfolk's fostering and supported
// accommodation a placements team sees on its lists, small enough to seed in seconds.
const (
	numCarers        = 120
	numOutsideCarers = 8 // of numCarers, households over the county border
	numUnits         = 25
	numOutsideUnits  = 2  // of numUnits
	numSingles       = 27 // awaiting children not in a sibling group
)

// siblingGroups are the sizes of the awaiting sibling groups: pairs, a trio and a
// group of four, which only a household with an exemption from the fostering limit
// can take together.
var siblingGroups = []int{2, 3, 2, 4, 2}

// fosterFill is the share of approved fostering places filled by the children already
// placed, by district ("" for the households over the border). Norfolk, like most
// councils, has too few foster carers: most approved places are filled, and what is
// free is unevenly spread, with almost nothing left in Great Yarmouth and Norwich,
// where most children come from, and most of the spare places in the rural north and
// west. Over the whole county this comes to about 85% (see TestDemoIsAsHardAsNorfolk).
var fosterFill = map[string]float64{
	norwich: 0.97, greatYarmouth: 1, broadland: 0.9, breckland: 0.87, southNorfolk: 0.85,
	kingsLynn: 0.78, northNorfolk: 0.72, "": 0.9,
}

// fillOrder is the order districts are filled in, so draws repeat.
var fillOrder = []string{norwich, greatYarmouth, broadland, breckland, southNorfolk, kingsLynn, northNorfolk, ""}

// unitFill is the share of supported-accommodation beds filled; hubFilled the beds
// filled in the Norwich and Dereham hubs (of six each).
const unitFill = 0.85

var hubFilled = [2]int{5, 4}

// norfolkDistance is Norfolk's published split of looked-after children by distance
// between home and placement at 31 March 2025 (DfE, Children looked after in England
// including adoptions, local authority table: 505 of 1,069 placed 20 miles or less
// from home, 441 more than 20 miles, 123 not known or not recorded). The children
// already placed in the demo are split the same way.
var norfolkDistance = struct{ within, over, unknown float64 }{0.47, 0.41, 0.12}

// Summary counts what Seed created.
type Summary struct {
	// Carers, Units and Hubs are the providers of each kind.
	Carers, Units, Hubs int
	// Children are the referrals awaiting a placement; children already placed are
	// counted by Placements instead.
	Children int
	// SiblingGroups are the groups of awaiting children linked as siblings.
	SiblingGroups int
	// Placements are the active placements booked, one per placed child.
	Placements int
}

// booking is a placement to make once the provider and the child exist.
type booking struct {
	provider *placematch.Provider
	child    *placematch.Child
	start    placematch.Date
}

// Seed loads a realistic Norfolk set into db: 120 foster households and three
// connected-person households of awaiting children (kinship.go), 25
// supported-accommodation units (a few of each over the county border), the two New
// Roads hubs, 40 children awaiting a placement (13 of them in five sibling groups)
// and about 250 children and care leavers already placed, booked through store.Book
// so that filled places and vacancies are the store's own. As in Norfolk, most places
// are filled, vacancies are few and unevenly spread, and many children live more
// than 20 miles from home.
//
// Everything is drawn from a PCG generator seeded with seed, and dates are relative
// to now, so the same seed and now give the same records (only ids and bookkeeping
// times differ). Seed expects an empty database (see IsEmpty): the demo references
// would otherwise clash. It is not one transaction, because the store's methods own
// theirs; a failure part-way leaves what was made so far.
//
// When db has no Locator, Seed sets Locator() so that every record gets a district.
func Seed(ctx context.Context, db *store.DB, seed uint64, now time.Time) (Summary, error) {
	if db.Locator == nil {
		db.Locator = Locator()
	}
	g := newGen(seed, now)
	hubs, units := g.hubs(), g.units(numUnits, numOutsideUnits)
	carers, fresh := g.carers(numCarers, numOutsideCarers)
	bookings := g.plan(hubs, units, carers, fresh)
	referrals := g.awaiting(numSingles, siblingGroups)

	// A provider that has said it is unavailable has no vacancies, so Book would
	// refuse it; but households often pause because of the child they already have.
	// Such providers are created available, booked, then given their real status.
	final := map[*placematch.Provider]placematch.Availability{}
	for _, b := range bookings {
		if b.provider.Availability.Status != placematch.Available {
			final[b.provider] = b.provider.Availability
			b.provider.Availability.Status = placematch.Available
		}
	}
	for _, list := range [][]*placematch.Provider{hubs, units, carers} {
		for _, p := range list {
			if err := db.CreateProvider(ctx, p); err != nil {
				return Summary{}, fmt.Errorf("demo: provider %s: %w", p.Reference, err)
			}
		}
	}
	for _, b := range bookings {
		if err := db.CreateChild(ctx, b.child); err != nil {
			return Summary{}, fmt.Errorf("demo: child %s: %w", b.child.Reference, err)
		}
		if _, err := db.Book(ctx, store.BookRequest{ChildID: b.child.ID, Provider: b.provider.Ref(), StartDate: b.start}); err != nil {
			return Summary{}, fmt.Errorf("demo: place %s with %s: %w", b.child.Reference, b.provider.Reference, err)
		}
	}
	// Restore in booking order, not map order, so the store's change numbers repeat.
	for _, b := range bookings {
		a, ok := final[b.provider]
		if !ok {
			continue
		}
		delete(final, b.provider)
		if _, err := db.UpdateProvider(ctx, b.provider.Kind, b.provider.ID, 0, func(p *placematch.Provider) error {
			p.Availability = a
			return nil
		}); err != nil {
			return Summary{}, fmt.Errorf("demo: availability of %s: %w", b.provider.Reference, err)
		}
	}
	for _, r := range referrals {
		for _, j := range r.siblings {
			r.c.Siblings = append(r.c.Siblings, referrals[j].c.ID)
		}
		if err := db.CreateChild(ctx, r.c); err != nil {
			return Summary{}, fmt.Errorf("demo: child %s: %w", r.c.Reference, err)
		}
	}
	first := 0
	for _, n := range siblingGroups {
		first += n
	}
	kin := kinCarers(seed, now, referrals, first)
	for _, p := range kin {
		if err := db.CreateProvider(ctx, p); err != nil {
			return Summary{}, fmt.Errorf("demo: provider %s: %w", p.Reference, err)
		}
	}
	return Summary{Carers: len(carers) + len(kin), Units: len(units), Hubs: len(hubs), Children: len(referrals),
		SiblingGroups: len(siblingGroups), Placements: len(bookings)}, nil
}

// IsEmpty reports whether the database has no providers and no children (serve
// --demo seeds only an empty database). Archived records are not listed by the store
// and so do not count.
func IsEmpty(ctx context.Context, db *store.DB) (bool, error) {
	for _, k := range placematch.ProviderKinds {
		page, err := db.ListProviders(ctx, store.ProviderFilter{Kind: k, Limit: 1})
		if err != nil {
			return false, fmt.Errorf("demo: %w", err)
		}
		if len(page.Items) > 0 {
			return false, nil
		}
	}
	page, err := db.ListChildren(ctx, store.ChildFilter{Limit: 1})
	if err != nil {
		return false, fmt.Errorf("demo: %w", err)
	}
	return len(page.Items) == 0, nil
}

// slot is one place to fill: the provider and, for a carer, its index in the list.
type slot struct {
	p *placematch.Provider
	i int
}

// plan decides the placements already running. Approved fostering places are filled
// district by district to fosterFill, leaving the newly approved exempt household
// (index fresh) empty; supported-accommodation beds to unitFill; the hubs to
// hubFilled. Each placed child fits the home's terms (age range, placement type) and
// its household (compatible): a child the household's rules would refuse is drawn
// again, and a place no child fits after many draws stays empty. Last, the children's
// family homes are put so that the distances split as Norfolk's do (norfolkDistance).
func (g *gen) plan(hubs, units, carers []*placematch.Provider, fresh int) []booking {
	loc := Locator()
	byDistrict := map[string][]slot{}
	for i, p := range carers {
		if i == fresh || p.Carer.Status != placematch.CarerApproved {
			continue
		}
		d, _ := loc.Locate(p.Location)
		for range p.Carer.MaxChildren {
			byDistrict[d] = append(byDistrict[d], slot{p, i})
		}
	}
	var fostering []slot
	for _, d := range fillOrder {
		s := byDistrict[d]
		g.r.Shuffle(len(s), func(i, j int) { s[i], s[j] = s[j], s[i] })
		fostering = append(fostering, s[:int(math.Round(fosterFill[d]*float64(len(s))))]...)
	}
	// Fill each household in turn, so its children are drawn knowing who is there.
	slices.SortStableFunc(fostering, func(a, b slot) int { return a.i - b.i })

	var out []booking
	placed := map[*placematch.Provider][]resident{}
	for _, s := range fostering {
		p := s.p
		var c *placematch.Child
		for range 40 {
			try := g.child(g.placedAge(p.AgeMin, min(p.AgeMax, 17)), 0)
			age := try.AgeOn(g.today)
			home := slices.Clone(placed[p])
			for _, a := range p.Carer.Household.OtherChildrenAges {
				home = append(home, resident{age: a})
			}
			if compatible(p.Carer.Household, home, try, age) {
				c = try
				placed[p] = append(placed[p], resident{age: age, child: try})
				break
			}
		}
		if c != nil {
			out = append(out, booking{provider: p, child: c, start: g.placementStart(p, c, g.carerType(p))})
		}
	}

	var beds []slot
	for i, p := range units {
		for range p.Unit.Beds {
			beds = append(beds, slot{p, i})
		}
	}
	g.r.Shuffle(len(beds), func(i, j int) { beds[i], beds[j] = beds[j], beds[i] })
	beds = beds[:int(math.Round(unitFill*float64(len(beds))))]
	slices.SortStableFunc(beds, func(a, b slot) int { return a.i - b.i })
	for _, s := range beds {
		p := s.p
		// Only registered units (or those whose application Ofsted has accepted) may
		// house 16–17-year-olds (Supported Accommodation (England) Regulations 2023);
		// the others house care leavers.
		age := g.between(18, min(20, p.AgeMax))
		if p.AgeMin <= 17 && p.Unit.RegistrationStatus != placematch.NotRegistered && g.chance(0.55) {
			age = g.between(16, 17)
		}
		c := g.child(age, 0)
		if slices.Contains(p.Unit.Features, placematch.FeatureFemaleOnly) {
			c.Sex = "female"
		}
		t := choose(g, []opt[placematch.PlacementType]{{placematch.PlacementShortTerm, 1}, {placematch.PlacementLongTerm, 1}})
		out = append(out, booking{provider: p, child: c, start: g.placementStart(p, c, t)})
	}

	for h, hub := range hubs {
		for range hubFilled[h] {
			c := g.child(g.between(12, 16), 0)
			t := choose(g, []opt[placematch.PlacementType]{
				{placematch.PlacementShortTerm, 2}, {placematch.PlacementLongTerm, 2}, {placematch.PlacementEmergency, 1}})
			out = append(out, booking{provider: hub, child: c, start: g.placementStart(hub, c, t)})
		}
	}
	g.placeHomes(out)
	return out
}

// Distance categories of a placement, as the DfE publishes them.
const (
	within = iota
	over
	unknown
)

// placeHomes puts each placed child's family home so that the placements split by
// distance as norfolkDistance says: a home within 20 miles is drawn from the towns
// close enough that jitter keeps it within, one over 20 miles from the towns far
// enough that it stays beyond, and for "not known" no home is recorded (the DfE's
// "distance not known or not recorded"). Children placed over the border are never
// within 20 miles. The counts are exact (rounded), so the shares hold for every seed.
func (g *gen) placeHomes(bs []booking) {
	n := len(bs)
	left := [3]int{int(math.Round(norfolkDistance.within * float64(n))), 0, int(math.Round(norfolkDistance.unknown * float64(n)))}
	left[over] = n - left[within] - left[unknown]
	cat := make([]int, n)
	var inCounty []int
	for i, b := range bs {
		if _, ok := Locator().Locate(b.provider.Location); ok {
			inCounty = append(inCounty, i)
			continue
		}
		cat[i] = over
		if g.chance(norfolkDistance.unknown) && left[unknown] > 0 {
			cat[i] = unknown
		}
		left[cat[i]]--
	}
	var tokens []int
	for k, m := range left {
		for range max(m, 0) {
			tokens = append(tokens, k)
		}
	}
	g.r.Shuffle(len(tokens), func(i, j int) { tokens[i], tokens[j] = tokens[j], tokens[i] })
	for j, i := range inCounty {
		cat[i] = tokens[j]
	}
	// The jitter of a home (up to 4 km from its town) plus a margin keeps each
	// category clear of the 20-mile line after the DfE's rounding to 0.1 mile.
	const margin = 4.5
	for i, b := range bs {
		var towns []int
		switch cat[i] {
		case within:
			towns = townsBetween(b.provider.Location, 0, placematch.NearKm-margin)
		case over:
			towns = townsBetween(b.provider.Location, placematch.NearKm+margin, math.Inf(1))
		}
		ti := g.pickTown(towns)
		home := g.near(ti, 4)
		b.child.Location = &home
		if cat[i] == unknown {
			b.child.Location = nil
		}
		b.child.SchoolLocation = nil
		if age := b.child.AgeOn(g.today); age >= 5 && age <= 16 {
			// A child goes to school where it lives now, unless the home is near.
			st := ti
			if cat[i] != within {
				st = nearestTown(b.provider.Location)
			}
			school := g.near(st, 3)
			b.child.SchoolLocation = &school
		}
	}
}

// placedAge draws the age of a child already placed, within lo–hi, following the age
// profile of looked-after children (randomAge).
func (g *gen) placedAge(lo, hi int) int {
	for range 20 {
		if a := g.randomAge(); a >= lo && a <= hi {
			return a
		}
	}
	return g.between(lo, hi)
}

// carerType draws one of the everyday placement types the carer is approved for.
func (g *gen) carerType(p *placematch.Provider) placematch.PlacementType {
	var core []placematch.PlacementType
	for _, t := range p.Carer.PlacementTypes {
		if coreType(t) {
			core = append(core, t)
		}
	}
	return core[g.r.IntN(len(core))]
}

// placementStart sets the referral of c, already living with p under placement type
// t, and returns the date it moved in: a date in the last two years (an emergency
// placement, which lasts at most six working days, since this week), and never
// before the child was in the home's age range. The case reference carries the year
// the child was placed.
func (g *gen) placementStart(p *placematch.Provider, c *placematch.Child, t placematch.PlacementType) placematch.Date {
	start := g.today.AddDays(-g.between(10, 720))
	if t == placematch.PlacementEmergency {
		start = g.today.AddDays(-g.between(0, 5))
	}
	// The child was in the home's age range on arrival, and a baby arrives after birth.
	earliest := placematch.DateOf(c.DateOfBirth.Time().AddDate(p.AgeMin, 0, 14))
	if start.Before(earliest) {
		start = earliest
	}
	if start.After(g.today) {
		start = g.today
	}
	c.Reference = g.reference(start.Time().Year())
	g.request(c, t)
	c.RequiredFrom = start
	return start
}
