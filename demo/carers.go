package demo

import (
	"fmt"
	"math"
	"slices"
	"strings"

	"placematch"
)

// surnames name the demo households. They are common surnames, several of Polish,
// Portuguese or Lithuanian origin to go with the languages some households speak; no
// real household is meant.
var surnames = []string{
	"Adams", "Baker", "Barnes", "Bell", "Brooks", "Carter", "Chapman", "Clarke", "Cole", "Cooper",
	"Davies", "Dawson", "Ellis", "Fisher", "Fletcher", "Gray", "Hall", "Harper", "Howard", "Hughes",
	"Jarvis", "Kelly", "Knight", "Lambert", "Marsh", "Mason", "Newman", "Osborne", "Palmer", "Payne",
	"Reeve", "Russell", "Sadler", "Thorpe", "Turner", "Walsh", "Webb", "Wright", "Kowalski", "Nowak",
	"Silva", "Ferreira", "Kazlauskas", "Okafor", "Begum", "Patel",
}

// ageRanges are the usual terms of approval for age; 0–17 ("any age") is the commonest.
var ageRanges = []opt[[2]int]{
	{[2]int{0, 4}, 12}, {[2]int{0, 10}, 20}, {[2]int{5, 17}, 20}, {[2]int{11, 17}, 18}, {[2]int{0, 17}, 30},
}

// needSkills are the needs a carer may be trained or experienced in. Needs about the
// household itself (pets, who else lives there) are derived from the household
// instead, so the two never contradict each other.
var needSkills = []opt[string]{
	{"trauma", 30}, {"education_support", 18}, {"autism", 14}, {"learning_disability", 12},
	{"mental_health", 12}, {"therapeutic", 10}, {"speech_and_language", 6}, {"complex_health", 6},
	{"physical_disability", 5}, {"cultural_faith", 6}, {"esol", 5}, {"makaton", 4},
}

// riskSkills are the risks a carer has been prepared to manage; the ones that worry
// carers most (fire-setting, sexual harm) are the rarest, as in real panels.
var riskSkills = []opt[string]{
	{"going_missing", 20}, {"self_harm", 16}, {"criminal_exploitation", 12}, {"sexual_exploitation", 10},
	{"substances", 10}, {"physical_harm_to_others", 8}, {"eating_disorder", 5}, {"harm_to_animals", 3},
	{"fire_setting", 2}, {"sexual_harm_to_others", 2},
}

// otherLanguages are spoken in some Norfolk households besides English (Polish,
// Portuguese and Lithuanian are the largest non-English languages in the county).
var otherLanguages = []opt[string]{{"polish", 6}, {"portuguese", 4}, {"lithuanian", 3}, {"bsl", 3}}

// carerNotes are the reasons carers give when they cannot take a child.
var carerNotes = []string{
	"Family holiday", "Carer recovering from an operation", "Settling the current placement",
	"Household changes under review", "Caring for a relative", "Taking a break after a long placement",
}

// carers builds n fostering households. About 17% have said they are unavailable,
// the national share of fostering places "not available" (Ofsted, Fostering in
// England). Two are granted an exemption from the usual fostering limit (for large
// sibling groups) and are always approved; the first of them was approved only
// recently and has no child yet, the one home in the demo that can take a large
// sibling group today. outside of them live over the county border, households of
// independent fostering agencies that Norfolk uses.
//
// It returns the households and the index of the newly approved one.
func (g *gen) carers(n, outside int) ([]*placematch.Provider, int) {
	exempt := g.subset(n, 2)
	fresh := n
	for i := range exempt {
		fresh = min(fresh, i)
	}
	// The new household is available; every other may be among the unavailable.
	var others, plain []int
	for i := range n {
		if i != fresh {
			others = append(others, i)
		}
		if !exempt[i] {
			plain = append(plain, i)
		}
	}
	unavailable := map[int]bool{}
	for _, k := range g.r.Perm(len(others))[:int(math.Round(0.17*float64(n)))] {
		unavailable[others[k]] = true
	}
	over := map[int]int{} // household index → index in outOfCounty
	for _, k := range g.r.Perm(len(plain))[:outside] {
		over[plain[k]] = g.r.IntN(len(outOfCounty))
	}
	out := make([]*placematch.Provider, n)
	for i := range out {
		oi, ok := over[i]
		if !ok {
			oi = -1
		}
		out[i] = g.carer(i, exempt[i], i == fresh, unavailable[i], oi)
	}
	// A wheelchair user among the referrals needs at least one accessible home; the 6%
	// draw nearly always gives several, this makes it certain. Whether one of them
	// has a free place depends on the seed, as it would in Norfolk.
	if !slices.ContainsFunc(out, func(p *placematch.Provider) bool { return p.Carer.Household.WheelchairAccessible }) {
		out[fresh].Carer.Household.WheelchairAccessible = true
	}
	return out, fresh
}

// ownChildren draws the ages of the carer's own children living at home: none in
// a little under half of households (many carers foster once their own have grown
// up), young children in one in five, school-age or teenage children in one in four,
// and sometimes a grown-up son or daughter still at home.
func (g *gen) ownChildren() []int {
	var ages []int
	switch choose(g, []opt[int]{{0, 45}, {1, 20}, {2, 25}, {3, 10}}) {
	case 1:
		for range g.between(1, 2) {
			ages = append(ages, g.between(0, 9))
		}
	case 2:
		for range g.between(1, 2) {
			ages = append(ages, g.between(8, 17))
		}
	case 3:
		ages = append(ages, g.between(18, 24))
	}
	slices.Sort(ages)
	return ages
}

// carer draws one household. exempt households hold an exemption from the usual
// fostering limit; fresh is the newly approved one; oi is the out-of-county town the
// household lives near, or -1 for a Norfolk household.
func (g *gen) carer(i int, exempt, fresh, unavailable bool, oi int) *placematch.Provider {
	ti := g.pickTown(nil)
	if fresh {
		ti = townIndex("Norwich")
	}
	ages := choose(g, ageRanges)
	hh := placematch.Household{Pets: g.chance(0.4), Smoking: g.chance(0.1), WheelchairAccessible: g.chance(0.06)}
	if hh.Smoking {
		// Smokers are not approved for under-5s (fostering standards guidance).
		ages = choose(g, []opt[[2]int]{{[2]int{5, 17}, 1}, {[2]int{11, 17}, 2}})
	}
	hh.OtherChildrenAges = g.ownChildren()
	if fresh {
		// A couple approved for sibling groups once their own children had left home.
		hh.Smoking, hh.OtherChildrenAges = false, nil
	}

	d := &placematch.CarerDetails{
		Status:         choose(g, []opt[placematch.CarerStatus]{{placematch.CarerApproved, 88}, {placematch.CarerOnHold, 7}, {placematch.CarerSuspended, 5}}),
		PlacementTypes: g.placementTypes(ages),
		MaxChildren:    choose(g, []opt[int]{{1, 30}, {2, 45}, {3, 25}}),
		Languages:      []string{"english"},
		Household:      hh,
	}
	if exempt {
		// Approved for a sibling group above the usual limit: no exemption is
		// needed when all the children are siblings of each other.
		d.Status, d.SiblingsOverLimit, d.MaxChildren = placematch.CarerApproved, true, g.between(4, 5)
		ages = [2]int{0, 17}
		if hh.Smoking {
			ages = [2]int{5, 17}
		}
		d.PlacementTypes = []placematch.PlacementType{placematch.PlacementShortTerm, placematch.PlacementLongTerm}
	}
	if oi >= 0 {
		// Norfolk lists the households over the border that it places children with.
		d.Status = placematch.CarerApproved
	}
	if g.chance(0.15) {
		d.Languages = append(d.Languages, choose(g, otherLanguages))
	}
	d.Skills = slices.Concat(sample(g, needSkills, g.between(1, 4)), sample(g, riskSkills, g.between(0, 3)))
	if slices.Contains(d.Languages, "bsl") && !slices.Contains(d.Skills, "bsl") {
		d.Skills = append(d.Skills, "bsl")
	}
	// Who a child can live alongside (no pets, alone, only older or younger
	// children) is checked against the household by the matching engine's rules;
	// it is not a skill a carer lists.

	a := g.availability(unavailable, []opt[string]{{placematch.SourceCarer, 55}, {placematch.SourceOfficer, 45}}, carerNotes)
	if fresh {
		a.AvailableFrom, a.Note = placematch.Date{}, ""
	}
	surname, at, place := surnames[g.r.IntN(len(surnames))], g.near(ti, 3), towns[ti].name
	if oi >= 0 {
		at, place = g.nearOut(oi, 2), outOfCounty[oi].name
	}
	demoOfficerFields(i, d)
	return &placematch.Provider{
		Kind:      placematch.KindCarer,
		Reference: fmt.Sprintf("FC-%04d", i+1),
		Name:      fmt.Sprintf("%s household, %s", surname, place),
		Location:  at,
		AgeMin:    ages[0], AgeMax: ages[1],
		Availability: a,
		Contact:      demoContact(i, fmt.Sprintf("fc-%04d", i+1)),
		Carer:        d,
		Sector:       carerSector(i, oi >= 0),
	}
}

// supervisingSocialWorkers are invented names of the fostering team's social workers.
var supervisingSocialWorkers = []string{"Alex Morgan", "Jordan Price", "Priya Shah", "Tom Wells", "Grace Okafor", "Ewan Reid"}

// demoContact is a contact that can reach nobody: Ofcom's numbers for drama
// (01632 960000–960999) and example.org addresses. It is derived from i, not drawn,
// so that adding it changes no other value of the demo.
func demoContact(i int, name string) placematch.Contact {
	return placematch.Contact{Phone: fmt.Sprintf("01632 960%03d", i%1000), Email: name + "@example.org"}
}

// demoOfficerFields fills what an officer needs to act on a carer's match: its
// supervising social worker and fee band, derived from i as demoContact is.
func demoOfficerFields(i int, d *placematch.CarerDetails) {
	name := supervisingSocialWorkers[i%len(supervisingSocialWorkers)]
	d.SupervisingSocialWorker = &placematch.Person{Name: name,
		Phone: fmt.Sprintf("01632 960%03d", (500+i%len(supervisingSocialWorkers))%1000),
		Email: strings.ToLower(strings.ReplaceAll(name, " ", ".")) + "@example.org"}
	d.FeeBand = fmt.Sprintf("level_%d", 1+i%3)
}

// placementTypes draws a carer's terms of approval. Short-term and emergency care are
// the bulk of approvals; parent-and-child (babies only) and remand (teenagers only)
// are specialist and rare.
func (g *gen) placementTypes(ages [2]int) []placematch.PlacementType {
	var out []placematch.PlacementType
	add := func(t placematch.PlacementType, p float64) {
		if g.chance(p) {
			out = append(out, t)
		}
	}
	add(placematch.PlacementEmergency, 0.5)
	add(placematch.PlacementShortTerm, 0.8)
	add(placematch.PlacementLongTerm, 0.4)
	add(placematch.PlacementRespite, 0.25)
	if ages[0] == 0 {
		add(placematch.PlacementParentAndChild, 0.04)
	}
	if ages[1] == 17 && ages[0] >= 5 {
		add(placematch.PlacementRemand, 0.08)
	}
	if !slices.ContainsFunc(out, coreType) {
		out = append(out, placematch.PlacementShortTerm)
	}
	slices.SortFunc(out, func(a, b placematch.PlacementType) int {
		return slices.Index(placematch.PlacementTypes, a) - slices.Index(placematch.PlacementTypes, b)
	})
	return out
}

// coreType reports whether t is one of the everyday placement types every demo carer
// offers at least one of, so a placed child always has a type to be placed under.
func coreType(t placematch.PlacementType) bool {
	return t == placematch.PlacementEmergency || t == placematch.PlacementShortTerm || t == placematch.PlacementLongTerm
}

// availability draws what a provider last said: unavailable (with one of notes as the
// reason, and sometimes a return date), or available, now or from a date soon.
func (g *gen) availability(unavailable bool, sources []opt[string], notes []string) placematch.Availability {
	a := placematch.Availability{Status: placematch.Available, ConfirmedAt: g.confirmedAt(), Source: choose(g, sources)}
	switch {
	case unavailable:
		a.Status = placematch.Unavailable
		a.Note = notes[g.r.IntN(len(notes))]
		if g.chance(0.6) {
			a.AvailableFrom = g.today.AddDays(g.between(7, 60))
		}
	case g.chance(0.06):
		a.AvailableFrom = g.today.AddDays(g.between(3, 20))
		a.Note = "Available once current plans settle"
	}
	return a
}
