package matching

import (
	"encoding/json"
	"fmt"
	"math"
	"math/rand/v2"
	"slices"
	"time"

	"placematch"
	"placematch/geo"
)

// world is a random search: a sibling group, providers around it, hubs for outreach.
type world struct {
	req   Request
	opt   Options
	provs []*placematch.Provider
}

// pick returns one element of xs.
func pick[T any](r *rand.Rand, xs []T) T { return xs[r.IntN(len(xs))] }

// some returns a random subset of xs, each kept with probability p.
func some[T any](r *rand.Rand, xs []T, p float64) []T {
	var out []T
	for _, x := range xs {
		if r.Float64() < p {
			out = append(out, x)
		}
	}
	return out
}

var testLanguages = []string{"english", "polish", "arabic", "urdu", "romanian", "tigrinya"}

// randomPoint is a point up to maxKM from c in a random direction.
func randomPoint(r *rand.Rand, c placematch.Point, maxKM float64) placematch.Point {
	d, th := maxKM*math.Sqrt(r.Float64()), 2*math.Pi*r.Float64()
	return placematch.Point{Lat: c.Lat + d*math.Cos(th)/kmPerDegLat,
		Lon: c.Lon + d*math.Sin(th)/(kmPerDegLat*math.Cos(c.Lat*math.Pi/180))}
}

func randomProvider(r *rand.Rand, i int, near placematch.Point, spreadKM float64) *placematch.Provider {
	p := &placematch.Provider{Record: placematch.Record{ID: fmt.Sprintf("p%05d", i)},
		Name: fmt.Sprintf("Provider %d", i), Location: randomPoint(r, near, spreadKM)}
	if r.Float64() < 0.6 {
		p.District = "Norwich"
	}
	p.Availability.Status = pick(r, []placematch.AvailabilityStatus{placematch.Available,
		placematch.Available, placematch.Available, placematch.Unavailable, placematch.Unconfirmed})
	if r.Float64() < 0.9 {
		p.Availability.ConfirmedAt = confirmedAgo(time.Duration(r.Float64() * 40 * 24 * float64(time.Hour)))
	}
	if r.Float64() < 0.2 {
		p.Availability.AvailableFrom = testToday.AddDays(r.IntN(30) - 10)
	}
	skills := some(r, slices.Concat(placematch.Needs, placematch.RiskTypes), 0.3)
	switch k := r.Float64(); {
	case k < 0.7:
		p.Kind = placematch.KindCarer
		p.AgeMin = r.IntN(10)
		p.AgeMax = p.AgeMin + r.IntN(10)
		max := 1 + r.IntN(3)
		if r.Float64() < 0.1 {
			max = 4 + r.IntN(3)
		}
		p.Filled = r.IntN(max + 1)
		p.Carer = &placematch.CarerDetails{
			Status:         pick(r, []placematch.CarerStatus{placematch.CarerApproved, placematch.CarerApproved, placematch.CarerApproved, placematch.CarerOnHold, placematch.CarerSuspended}),
			PlacementTypes: some(r, placematch.PlacementTypes, 0.5),
			MaxChildren:    max, LimitExemption: max > 3 && r.Float64() < 0.5,
			Skills: skills, Languages: some(r, testLanguages, 0.2),
			Household: placematch.Household{WheelchairAccessible: r.Float64() < 0.2},
		}
	case k < 0.95:
		p.Kind = placematch.KindUnit
		p.AgeMin, p.AgeMax = 16, 18+r.IntN(8)
		beds := 1 + r.IntN(8)
		p.Filled = r.IntN(beds + 1)
		p.Unit = &placematch.UnitDetails{RegistrationStatus: pick(r, placematch.RegistrationStatuses),
			Beds: beds, Skills: skills, Features: some(r, placematch.UnitFeatures, 0.3)}
		if r.Float64() < 0.3 {
			p.ReportedVacancies, p.ReportedAt = ptr(r.IntN(3)), confirmedAgo(48*time.Hour)
		}
	default:
		p.Kind = placematch.KindHub
		p.AgeMin, p.AgeMax = 12, 25
		p.Filled = r.IntN(7)
		p.Hub = &placematch.HubDetails{Services: some(r, placematch.HubServices, 0.5),
			OutreachRadiusKM: 5 + 25*r.Float64(), Beds: 4, EmergencyBeds: 2}
	}
	p.Places = p.ComputePlaces()
	p.Vacancies = p.ComputeVacancies(testNow)
	return p
}

func randomChild(r *rand.Rand, id string, home placematch.Point) *placematch.Child {
	c := newChild(id, r.IntN(21))
	c.Location = &home
	c.Sex = pick(r, placematch.Sexes)
	c.WheelchairUser = r.Float64() < 0.1
	c.PlacementType = pick(r, placematch.PlacementTypes)
	c.Urgency = pick(r, placematch.Urgencies)
	c.Needs = some(r, placematch.Needs, 0.15)
	for _, t := range some(r, placematch.RiskTypes, 0.2) {
		c.Risks = append(c.Risks, placematch.Risk{Type: t, Level: pick(r, placematch.RiskLevels)})
	}
	c.Languages = some(r, testLanguages, 0.15)
	if r.Float64() < 0.3 {
		c.RequiredFrom = testToday.AddDays(r.IntN(20) - 5)
	}
	return c
}

func randomWorld(r *rand.Rand, n int) world {
	home := randomPoint(r, norwich, 30)
	child := randomChild(r, "c0", home)
	group := []*placematch.Child{child}
	for i := range r.IntN(3) {
		s := randomChild(r, fmt.Sprintf("c%d", i+1), home)
		s.DateOfBirth = newChild("", max(0, child.AgeOn(testToday)+r.IntN(7)-3)).DateOfBirth
		group = append(group, s)
	}
	siblings(group...)
	if r.Float64() < 0.1 {
		last := group[len(group)-1] // not a sibling of the others after all
		last.Siblings = nil
		for _, m := range group {
			m.Siblings = slices.DeleteFunc(m.Siblings, func(id string) bool { return id == last.ID })
		}
	}
	w := world{req: request(group...)}
	if r.Float64() < 0.4 {
		school := randomPoint(r, home, 15)
		child.SchoolLocation = &school
	}
	if r.Float64() < 0.3 {
		child.MaxDistanceKM = ptr(10 + 60*r.Float64())
	}
	for i := range n {
		w.provs = append(w.provs, randomProvider(r, i, norwich, 80))
	}
	if r.Float64() < 0.3 {
		for range 1 + r.IntN(3) {
			child.AvoidAreas = append(child.AvoidAreas, square(randomPoint(r, home, 40), 2+8*r.Float64()))
		}
	}
	if r.Float64() < 0.1 {
		child.Location = nil
	}
	var hubs []*placematch.Provider
	for _, p := range w.provs {
		if p.Hub != nil {
			hubs = append(hubs, p)
		}
	}
	w.opt = Options{Hubs: prepareAsIs(hubs...), AreaConfigured: r.Float64() < 0.7,
		Limit: n, IncludeExcluded: true}
	if r.Float64() < 0.2 {
		w.opt.Kinds = some(r, placematch.ProviderKinds, 0.6)
	}
	return w
}

// prepareAsIs prepares providers whose vacancies are already derived.
func prepareAsIs(ps ...*placematch.Provider) []Candidate {
	out := make([]Candidate, len(ps))
	for i, p := range ps {
		out[i] = Prepare(p)
	}
	return out
}

// refReasons is the hard rules written out plainly from DOMAIN.md, one provider at
// a time and with geo's own distance, as an oracle for the bitmask fast path.
func refReasons(req Request, opt Options, p *placematch.Provider) []string {
	c, group := req.Child, req.Group
	var out []string
	add := func(cond bool, code string) {
		if cond {
			out = append(out, code)
		}
	}
	anyone := func(f func(m *placematch.Child) bool) bool { return slices.ContainsFunc(group, f) }
	age := func(m *placematch.Child) int { return m.AgeOn(req.Today) }
	approved := p.Carer == nil || p.Carer.Status == placematch.CarerApproved
	add(anyone(func(m *placematch.Child) bool { return age(m) < p.AgeMin || age(m) > p.AgeMax }), CodeAgeOutOfRange)
	add(p.Unit != nil && anyone(func(m *placematch.Child) bool { return age(m) < 16 }), CodeUnder16Supported)
	add(p.Unit != nil && p.Unit.RegistrationStatus == placematch.NotRegistered &&
		anyone(func(m *placematch.Child) bool { return age(m) == 16 || age(m) == 17 }), CodeUnitNotRegistered)
	add(p.Carer != nil && !slices.Contains(p.Carer.PlacementTypes, c.PlacementType) &&
		!(c.PlacementType == placematch.PlacementEmergency && approved), CodePlacementType)
	add(!approved, CodeNotApproved)
	add(p.Availability.Status == placematch.Unavailable, CodeUnavailable)
	needed := req.Today
	if c.RequiredFrom.After(needed) {
		needed = c.RequiredFrom
	}
	add(p.Availability.AvailableFrom.After(needed), CodeAvailableTooLate)
	vac := p.Vacancies
	if !approved || p.Availability.Status == placematch.Unavailable {
		vac = p.Places - p.Filled
		if p.ReportedVacancies != nil {
			vac = min(vac, *p.ReportedVacancies)
		}
	}
	if p.Hub != nil && c.Urgency != "emergency" {
		vac = min(vac, p.Hub.Beds-p.Filled)
	}
	add(vac < len(group), CodeInsufficientVacancy)
	allSiblings := true
	for _, a := range group {
		for _, b := range group {
			if a != b && !slices.Contains(a.Siblings, b.ID) && !slices.Contains(b.Siblings, a.ID) {
				allSiblings = false
			}
		}
	}
	add(p.Carer != nil && p.Filled+len(group) > 3 && !p.Carer.LimitExemption && !(p.Filled == 0 && allSiblings), CodeFosteringLimit)
	add(p.Unit != nil && slices.Contains(p.Unit.Features, placematch.FeatureFemaleOnly) &&
		anyone(func(m *placematch.Child) bool { return m.Sex != "female" }), CodeFemaleOnlyUnit)
	accessible := p.Carer != nil && p.Carer.Household.WheelchairAccessible ||
		p.Unit != nil && slices.Contains(p.Unit.Features, placematch.FeatureWheelchairAccessible)
	add(anyone(func(m *placematch.Child) bool { return m.WheelchairUser }) && !accessible, CodeNotWheelchair)
	areas, err := geo.ParseAreas(c.AvoidAreas)
	if err != nil {
		panic(err)
	}
	add(areas.Contains(p.Location), CodeInAvoidArea)
	maxKM := c.MaxDistanceKM
	if opt.MaxDistanceKM != nil {
		maxKM = opt.MaxDistanceKM
	}
	add(c.Location != nil && maxKM != nil && geo.DistanceKM(*c.Location, p.Location) > *maxKM, CodeBeyondMaxDistance)
	return out
}

// jsonOf makes results comparable as text (and proves they encode).
func jsonOf(v any) string {
	b, err := json.Marshal(v)
	if err != nil {
		panic(err)
	}
	return string(b)
}
