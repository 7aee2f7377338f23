package matching

import (
	"encoding/json"
	"fmt"
	"math"
	"math/rand/v2"
	"slices"
	"strings"
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
			Status:         pick(r, []placematch.CarerStatus{placematch.CarerApproved, placematch.CarerApproved, placematch.CarerApproved, placematch.CarerOnHold, placematch.CarerSuspended, placematch.CarerInAssessment}),
			PlacementTypes: some(r, placematch.PlacementTypes, 0.5),
			MaxChildren:    max,
			Skills:         skills, Languages: some(r, testLanguages, 0.2),
			Household: placematch.Household{WheelchairAccessible: r.Float64() < 0.2,
				Pets: r.Float64() < 0.25, Smoking: r.Float64() < 0.15},
		}
		if r.Float64() < 0.3 {
			for range 1 + r.IntN(2) {
				p.Carer.Household.OtherChildrenAges = append(p.Carer.Household.OtherChildrenAges, r.IntN(18))
			}
		}
		if max > 3 && r.Float64() < 0.6 {
			e := placematch.Exemption{GrantedBy: "Norfolk County Council",
				Children: some(r, []string{"c0", "c1", "c2", "c3", "c4"}, 0.8), Legacy: r.Float64() < 0.1}
			if r.Float64() < 0.4 {
				e.ExpiresOn = testToday.AddDays(r.IntN(20) - 10)
			}
			p.Carer.Exemptions = []placematch.Exemption{e}
		}
	case k < 0.95:
		p.Kind = placematch.KindUnit
		p.AgeMin, p.AgeMax = 16, 18+r.IntN(8)
		beds := 1 + r.IntN(8)
		p.Filled = r.IntN(beds + 1)
		p.Unit = &placematch.UnitDetails{RegistrationStatus: pick(r, placematch.RegistrationStatuses),
			Beds: beds, Skills: skills, Features: some(r, placematch.UnitFeatures, 0.3),
			Ofsted: randomOfsted(r)}
		if r.Float64() < 0.3 {
			p.ReportedVacancies, p.ReportedAt = ptr(r.IntN(3)), confirmedAgo(48*time.Hour)
		}
	default:
		p.Kind = placematch.KindHub
		p.AgeMin, p.AgeMax = 12, 25
		p.Filled = r.IntN(7)
		p.Hub = &placematch.HubDetails{Services: some(r, placematch.HubServices, 0.5),
			OutreachRadiusKM: 5 + 25*r.Float64(), Beds: 4, EmergencyBeds: 2, Ofsted: randomOfsted(r)}
	}
	for i := range p.Filled {
		if r.Float64() < 0.6 {
			p.Residents = append(p.Residents, randomResident(r, fmt.Sprintf("R-%d-%d", i, len(p.Residents)),
				max(0, p.AgeMin+r.IntN(max(1, p.AgeMax-p.AgeMin+1)))))
		}
	}
	if p.Carer != nil && p.Filled > 0 && r.Float64() < 0.3 {
		// Siblings of the group placed here already: all of them, or all but one.
		p.Residents = nil
		for i := range p.Filled {
			res := randomResident(r, fmt.Sprintf("S-%d", i), r.IntN(18))
			res.ChildID = fmt.Sprintf("s%d", i)
			if i > 0 || r.Float64() < 0.8 {
				res.Siblings = []string{"c0", "c1", "c2", "c3", "c4", "s0", "s1", "s2", "s3", "s4", "s5"}
			}
			p.Residents = append(p.Residents, res)
		}
	}
	p.Places = p.ComputePlaces()
	p.Vacancies = p.ComputeVacancies(testNow)
	return p
}

// randomOfsted is no rating one time in three, else any grade.
func randomOfsted(r *rand.Rand) placematch.OfstedRating {
	if r.Float64() < 0.33 {
		return placematch.OfstedRating{}
	}
	return placematch.OfstedRating{Grade: pick(r, placematch.OfstedGrades), InspectedOn: testToday.AddDays(-300)}
}

// kinds gives p the facts of the kinship, care-leaver and per-kind placement-type
// rules: connected children (some of the group's), temporary approvals, a member
// living there now, types declared by units and hubs, hub bed ages.
func kinds(r *rand.Rand, p *placematch.Provider, group []*placematch.Child) {
	switch {
	case p.Carer != nil:
		if r.Float64() < 0.3 {
			p.Carer.PlacementTypes = append(p.Carer.PlacementTypes, placematch.PlacementConnectedPerson)
		}
		if p.Carer.ConnectedWith() {
			for _, m := range some(r, group, 0.7) {
				p.Carer.ConnectedTo = append(p.Carer.ConnectedTo, placematch.Connection{ChildID: m.ID, Relationship: "aunt"})
			}
			if r.Float64() < 0.4 {
				from := testToday.AddDays(-r.IntN(200))
				p.Carer.TemporaryApproval = &placematch.TemporaryApproval{ApprovedOn: from, ExpiresOn: from.AddDays(r.IntN(169))}
			}
		}
		if len(p.Residents) > 0 && r.Float64() < 0.3 {
			p.Residents[0].ChildID = pick(r, group).ID
		}
	case p.Unit != nil:
		if r.Float64() < 0.3 {
			p.Unit.PlacementTypes = some(r, placematch.PlacementTypes, 0.5)
		}
	case p.Hub != nil:
		if r.Float64() < 0.3 {
			p.Hub.PlacementTypes = some(r, placematch.PlacementTypes, 0.5)
		}
		if r.Float64() < 0.3 {
			p.Hub.BedAgeMin, p.Hub.BedAgeMax = 10+r.IntN(4), 15+r.IntN(3)
		}
	}
}

// randomResident is a child placed there now, with household needs and risks.
func randomResident(r *rand.Rand, ref string, age int) placematch.Resident {
	res := placematch.Resident{Reference: ref, Age: age, Needs: some(r, placematch.Needs, 0.1)}
	for _, t := range some(r, placematch.RiskTypes, 0.15) {
		res.Risks = append(res.Risks, placematch.Risk{Type: t, Level: pick(r, placematch.RiskLevels)})
	}
	return res
}

func randomChild(r *rand.Rand, id string, home placematch.Point) *placematch.Child {
	c := newChild(id, r.IntN(21))
	c.Location = &home
	c.Sex = pick(r, placematch.Sexes)
	c.WheelchairUser = r.Float64() < 0.1
	c.PlacementType = pick(r, placematch.PlacementTypes)
	c.Urgency = pick(r, placematch.Urgencies)
	c.Needs = some(r, placematch.Needs, 0.15)
	if r.Float64() < 0.1 {
		c.Needs = append(c.Needs, pick(r, HouseholdNeeds))
	}
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
	for i := range r.IntN(4) {
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
	for i, m := range group {
		// The first child has most facts of the search; any member may have them.
		p := 1.0
		if i > 0 {
			p = 0.3
		}
		if r.Float64() < 0.4*p {
			school := randomPoint(r, home, 15)
			m.SchoolLocation = &school
		}
		if r.Float64() < 0.3*p {
			m.MaxDistanceKM = ptr(10 + 60*r.Float64())
		}
		if r.Float64() < 0.3*p {
			for range 1 + r.IntN(3) {
				m.AvoidAreas = append(m.AvoidAreas, square(randomPoint(r, home, 40), 2+8*r.Float64()))
			}
		}
		switch f := r.Float64(); {
		case i > 0 && f < 0.1:
			m.Location = nil
		case i > 0 && f < 0.3: // living apart for now: another home nearby
			other := randomPoint(r, home, 8)
			m.Location = &other
		}
	}
	for i := range n {
		p := randomProvider(r, i, norwich, 80)
		kinds(r, p, group)
		w.provs = append(w.provs, p)
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
	w.opt.RequireHighRiskSkills = r.Float64() < 0.2
	w.opt.IncludePending = r.Float64() < 0.3
	if r.Float64() < 0.2 {
		w.opt.Policy.Off = some(r, PolicyCodes, 0.3)
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
	group := slices.Clone(req.Group)
	if len(group) == 0 {
		group = []*placematch.Child{req.Child}
	}
	slices.SortStableFunc(group, func(a, b *placematch.Child) int {
		if c := a.DateOfBirth.Time().Compare(b.DateOfBirth.Time()); c != 0 {
			return c
		}
		return strings.Compare(a.ID, b.ID)
	})
	var out []string
	add := func(cond bool, code string) {
		if cond {
			out = append(out, code)
		}
	}
	anyone := func(f func(m *placematch.Child) bool) bool { return slices.ContainsFunc(group, f) }
	age := func(m *placematch.Child) int { return m.AgeOn(req.Today) }
	adult := func(m *placematch.Child) bool { return age(m) >= 18 }
	lives := func(m *placematch.Child) bool {
		return slices.ContainsFunc(p.Residents, func(r placematch.Resident) bool { return r.ChildID == m.ID })
	}
	// Staying put: a carer every adult member lives with is judged without the
	// members placed there.
	stayingPut := p.Carer != nil && anyone(adult) && !anyone(func(m *placematch.Child) bool { return adult(m) && !lives(m) })
	if stayingPut {
		rest := *p
		rest.Residents = slices.DeleteFunc(slices.Clone(p.Residents), func(r placematch.Resident) bool {
			return slices.ContainsFunc(group, func(m *placematch.Child) bool { return m.ID == r.ChildID })
		})
		n := len(p.Residents) - len(rest.Residents)
		rest.Filled, rest.Vacancies = p.Filled-n, p.Vacancies+n
		p = &rest
	}
	approved := p.Carer == nil || p.Carer.Status == placematch.CarerApproved
	lo, hi := p.AgeMin, p.AgeMax
	if p.Hub != nil {
		lo, hi = p.Hub.BedAges()
	}
	// A young person staying put is not a fostered child: the carer's approved
	// ages apply to the other members only.
	add(anyone(func(m *placematch.Child) bool {
		return !(stayingPut && adult(m)) && (age(m) < lo || age(m) > hi)
	}), CodeAgeOutOfRange)
	add(p.Unit != nil && anyone(func(m *placematch.Child) bool { return age(m) < 16 }), CodeUnder16Supported)
	add(p.Unit != nil && p.Unit.RegistrationStatus == placematch.NotRegistered &&
		anyone(func(m *placematch.Child) bool { return age(m) == 16 || age(m) == 17 }), CodeUnitNotRegistered)
	_, rating, _ := p.OfstedOf()
	add(rating.Grade == placematch.OfstedInadequate, CodeOfstedInadequate)
	offered := slices.DeleteFunc(slices.Clone(p.OfferedTypes()), func(t placematch.PlacementType) bool {
		return p.Carer == nil && t == placematch.PlacementConnectedPerson
	})
	add(anyone(func(m *placematch.Child) bool {
		t := m.PlacementType
		return t != "" && !slices.Contains(offered, t) && !(t == placematch.PlacementEmergency && approved && p.Carer != nil)
	}), CodePlacementType)
	pending := p.Carer != nil && p.Carer.Status == placematch.CarerInAssessment
	add(!approved && !pending, CodeNotApproved)
	add(pending && !opt.IncludePending, CodePendingApproval)
	needed := req.Today
	for _, m := range group {
		if m.RequiredFrom.After(needed) {
			needed = m.RequiredFrom
		}
	}
	connected := p.Carer != nil && p.Carer.ConnectedWith()
	add(connected && anyone(func(m *placematch.Child) bool { return !p.Carer.IsConnectedTo(m.ID) }), CodeNotConnected)
	add(connected && p.Carer.TemporaryApproval != nil && p.Carer.TemporaryApproval.ExpiresOn.Before(needed), CodeTemporaryExpired)
	add(p.Hub != nil && anyone(adult), CodeCareLeaverHub)
	add(p.Carer != nil && anyone(adult) && !stayingPut, CodeNotStayingPut)
	add(p.Availability.Status == placematch.Unavailable, CodeUnavailable)
	add(p.Availability.AvailableFrom.After(needed), CodeAvailableTooLate)
	vac := p.Vacancies
	if !approved || p.Availability.Status == placematch.Unavailable {
		vac = p.Places - p.Filled
		if p.ReportedVacancies != nil {
			vac = min(vac, *p.ReportedVacancies)
		}
	}
	if p.Hub != nil && !anyone(func(m *placematch.Child) bool { return m.Urgency == "emergency" }) {
		vac = min(vac, p.Hub.Beds-p.Filled)
	}
	add(vac < len(group), CodeInsufficientVacancy)
	// The sibling exception: the group and the residents, one family through
	// their links (either record, through each other), computed as a closure.
	type kid struct {
		id   string
		sibs []string
	}
	var inHome []kid
	for _, m := range group {
		inHome = append(inHome, kid{m.ID, m.Siblings})
	}
	for _, res := range p.Residents {
		inHome = append(inHome, kid{res.ChildID, res.Siblings})
	}
	family := map[string]bool{inHome[0].id: true}
	for range inHome {
		for _, a := range inHome {
			for _, b := range inHome {
				if family[b.id] && (slices.Contains(a.sibs, b.id) || slices.Contains(b.sibs, a.id)) {
					family[a.id] = true
				}
			}
		}
	}
	// Children counted twice (a member recorded as living there already, not
	// staying put) are not a family of distinct children.
	sibHome := len(p.Residents) == p.Filled
	counted := map[string]bool{}
	for _, k := range inHome {
		sibHome = sibHome && k.id != "" && family[k.id] && !counted[k.id]
		counted[k.id] = true
	}
	exempt := p.Carer != nil && slices.ContainsFunc(p.Carer.Exemptions, func(e placematch.Exemption) bool {
		return !e.Legacy && (e.ExpiresOn.IsZero() || !e.ExpiresOn.Before(req.Today)) &&
			!anyone(func(m *placematch.Child) bool { return !slices.Contains(e.Children, m.ID) })
	})
	// The limit counts foster children: residents and members under 18.
	fostered := p.Filled
	for _, res := range p.Residents {
		if res.Age >= 18 {
			fostered--
		}
	}
	for _, m := range group {
		if !adult(m) {
			fostered++
		}
	}
	add(p.Carer != nil && fostered > 3 && !exempt && !sibHome, CodeFosteringLimit)
	add(p.Unit != nil && slices.Contains(p.Unit.Features, placematch.FeatureFemaleOnly) &&
		anyone(func(m *placematch.Child) bool { return m.Sex != "female" }), CodeFemaleOnlyUnit)
	accessible := p.Carer != nil && p.Carer.Household.WheelchairAccessible ||
		p.Unit != nil && slices.Contains(p.Unit.Features, placematch.FeatureWheelchairAccessible)
	add(anyone(func(m *placematch.Child) bool { return m.WheelchairUser }) && !accessible, CodeNotWheelchair)
	var raw []json.RawMessage
	for _, m := range group {
		raw = append(raw, m.AvoidAreas...)
	}
	areas, err := geo.ParseAreas(raw)
	if err != nil {
		panic(err)
	}
	add(areas.Contains(p.Location), CodeInAvoidArea)
	var home *placematch.Point
	var maxKM *float64
	for _, m := range group {
		if home == nil {
			home = m.Location
		}
		if m.MaxDistanceKM != nil && (maxKM == nil || *m.MaxDistanceKM < *maxKM) {
			maxKM = m.MaxDistanceKM
		}
	}
	if opt.MaxDistanceKM != nil {
		maxKM = opt.MaxDistanceKM
	}
	add(home != nil && maxKM != nil && geo.DistanceKM(*home, p.Location) > *maxKM, CodeBeyondMaxDistance)

	// The household rules, pair by pair: each member against each other child in
	// the home (the carer's own and the residents), and each resident against each
	// member; the members are never checked against each other.
	type person struct {
		age   int
		needs []string
		risks []placematch.Risk
	}
	var others []person
	var pets, smoking bool
	if p.Carer != nil {
		pets, smoking = p.Carer.Household.Pets, p.Carer.Household.Smoking
		for _, a := range p.Carer.Household.OtherChildrenAges {
			others = append(others, person{age: a})
		}
	}
	for _, r := range p.Residents {
		others = append(others, person{age: r.Age, needs: r.Needs, risks: r.Risks})
	}
	high := func(risks []placematch.Risk, types ...string) bool {
		return slices.ContainsFunc(risks, func(r placematch.Risk) bool { return r.Level == "high" && slices.Contains(types, r.Type) })
	}
	off := func(code string) bool { return slices.Contains(opt.Policy.Off, code) }
	pair := func(f func(m *placematch.Child, o person) bool) bool {
		for _, m := range group {
			for _, o := range others {
				if f(m, o) {
					return true
				}
			}
		}
		return false
	}
	add(!off(CodeHouseholdLiveAlone) && pair(func(m *placematch.Child, o person) bool {
		return slices.Contains(m.Needs, "live_alone") || slices.Contains(o.needs, "live_alone")
	}), CodeHouseholdLiveAlone)
	add(!off(CodeHouseholdOnlyOlder) && pair(func(m *placematch.Child, o person) bool {
		return slices.Contains(m.Needs, "only_older_children") && !(o.age > age(m)) ||
			slices.Contains(o.needs, "only_older_children") && !(age(m) > o.age)
	}), CodeHouseholdOnlyOlder)
	add(!off(CodeHouseholdOnlyYounger) && pair(func(m *placematch.Child, o person) bool {
		return slices.Contains(m.Needs, "only_younger_children") && !(o.age < age(m)) ||
			slices.Contains(o.needs, "only_younger_children") && !(age(m) < o.age)
	}), CodeHouseholdOnlyYounger)
	harm := []string{"sexual_harm_to_others", "physical_harm_to_others"}
	add(!off(CodeHouseholdHarmYounger) && pair(func(m *placematch.Child, o person) bool {
		return high(m.Risks, harm...) && o.age < age(m) || high(o.risks, harm...) && age(m) < o.age
	}), CodeHouseholdHarmYounger)
	add(!off(CodeHouseholdFireUnder5) && pair(func(m *placematch.Child, o person) bool {
		return high(m.Risks, "fire_setting") && o.age < 5 || high(o.risks, "fire_setting") && age(m) < 5
	}), CodeHouseholdFireUnder5)
	add(!off(CodeHouseholdPets) && pets && anyone(func(m *placematch.Child) bool {
		return slices.Contains(m.Needs, "no_pets") || high(m.Risks, "harm_to_animals")
	}), CodeHouseholdPets)
	add(!off(CodeHouseholdSmokingUnder) && smoking && anyone(func(m *placematch.Child) bool { return age(m) < 5 }),
		CodeHouseholdSmokingUnder)
	var skills []string
	switch {
	case p.Carer != nil:
		skills = p.Carer.Skills
	case p.Unit != nil:
		skills = p.Unit.Skills
	case p.Hub != nil:
		for code, services := range serviceFor {
			if slices.ContainsFunc(services, func(s string) bool { return slices.Contains(p.Hub.Services, s) }) {
				skills = append(skills, code)
			}
		}
	}
	add(opt.RequireHighRiskSkills && anyone(func(m *placematch.Child) bool {
		return slices.ContainsFunc(m.Risks, func(r placematch.Risk) bool {
			return r.Level == "high" && !slices.Contains(skills, r.Type)
		})
	}), CodeHighRiskSkills)
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
