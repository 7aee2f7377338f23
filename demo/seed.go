package demo

import (
	"context"
	"fmt"
	"time"

	"placematch"
	"placematch/store"
)

// Sizes of the demo set: roughly the share of Norfolk's fostering and supported
// accommodation a placements team sees on its lists, small enough to seed in seconds.
const (
	numCarers  = 120
	numUnits   = 25
	numSingles = 29 // awaiting children not in a sibling group
	// Placements already running when the demo starts, by kind of home.
	carerPlacements = 19
	unitPlacements  = 3
	hubPlacements   = 3
)

// siblingGroups are the sizes of the awaiting sibling groups: four pairs and a trio.
var siblingGroups = []int{2, 2, 3, 2, 2}

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

// Seed loads a realistic Norfolk set into db: about 120 foster households, 25
// supported-accommodation units, the two New Roads hubs, 40 children awaiting a
// placement (some in sibling groups) and about 25 children already placed, booked
// through store.Book so that filled places and vacancies are the store's own.
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
	hubs, units, carers := g.hubs(), g.units(numUnits), g.carers(numCarers)
	bookings := g.plan(hubs, units, carers)
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
	return Summary{Carers: len(carers), Units: len(units), Hubs: len(hubs), Children: len(referrals),
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

// plan decides the placements already running. One small household is filled to its
// limit so the demo shows a full carer; the rest go to random approved households
// (leaving most partly filled), to registered units for 16–17-year-olds and to the
// hubs. Each placed child fits the home's terms: age range and placement type.
func (g *gen) plan(hubs, units, carers []*placematch.Provider) []booking {
	filled := map[*placematch.Provider]int{}
	var out []booking
	add := func(p *placematch.Provider, age int, t placematch.PlacementType) {
		filled[p]++
		out = append(out, g.placed(p, age, t))
	}
	n := 0
	for _, p := range carers {
		if p.Carer.Status == placematch.CarerApproved && p.Availability.Status == placematch.Available &&
			p.Carer.MaxChildren <= 2 {
			for range p.Carer.MaxChildren {
				add(p, g.between(p.AgeMin, min(p.AgeMax, 17)), g.carerType(p))
				n++
			}
			break
		}
	}
	for ; n < carerPlacements; n++ {
		var open []*placematch.Provider
		for _, p := range carers {
			if p.Carer.Status == placematch.CarerApproved && filled[p] < p.Carer.MaxChildren {
				open = append(open, p)
			}
		}
		if len(open) == 0 {
			break // cannot happen with 120 households, but no seed may panic
		}
		p := open[g.r.IntN(len(open))]
		add(p, g.between(p.AgeMin, min(p.AgeMax, 17)), g.carerType(p))
	}
	for range unitPlacements {
		// Only registered units may house 16–17-year-olds (Supported Accommodation
		// (England) Regulations 2023).
		var open []*placematch.Provider
		for _, p := range units {
			if p.Unit.RegistrationStatus == placematch.Registered && p.AgeMin == 16 && filled[p] < p.Unit.Beds {
				open = append(open, p)
			}
		}
		if len(open) == 0 {
			break
		}
		add(open[g.r.IntN(len(open))], g.between(16, 17), choose(g, []opt[placematch.PlacementType]{
			{placematch.PlacementShortTerm, 1}, {placematch.PlacementLongTerm, 1}}))
	}
	for i := range hubPlacements {
		hub := hubs[0] // Norwich, the busier hub, has all but one
		if i == hubPlacements-1 {
			hub = hubs[1]
		}
		add(hub, g.between(12, 16), choose(g, []opt[placematch.PlacementType]{
			{placematch.PlacementShortTerm, 2}, {placematch.PlacementLongTerm, 2}, {placematch.PlacementEmergency, 1}}))
	}
	return out
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

// placed draws a child already living with p since a date in the last two years
// (an emergency placement, which lasts at most six working days, since this week),
// whose family home is usually within 20 miles (about four in five, as nationally).
// The case reference carries the year the child was placed.
func (g *gen) placed(p *placematch.Provider, age int, t placematch.PlacementType) booking {
	start := g.today.AddDays(-g.between(10, 720))
	if t == placematch.PlacementEmergency {
		start = g.today.AddDays(-g.between(0, 5))
	}
	var near []int
	if g.chance(0.8) {
		near = townsWithin(p.Location, 32)
	}
	c := g.child(age, g.pickTown(near))
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
	return booking{provider: p, child: c, start: start}
}
