package demo

import (
	"fmt"
	"slices"
	"strings"

	"placematch"
)

// unitOrgs are invented supported-accommodation providers. They are deliberately
// fictional: the demo must not suggest anything about a real company.
var unitOrgs = []string{
	"Wensum Valley Housing Support Ltd", "Brecks Youth Pathways CIC", "Saltmarsh Supported Living Ltd",
	"Yare Gateway Homes Ltd", "Northgate Young People's Housing Ltd", "Fenedge Transitions Ltd",
	"Glaven Futures Trust", "Tasvale Step-Up Ltd",
}

// unitHouseNames are invented house names after Norfolk rivers and landmarks.
var unitHouseNames = []string{
	"Wensum", "Yare", "Bure", "Waveney", "Tas", "Nar", "Wissey", "Thet", "Glaven", "Ant", "Chet",
	"Tiffey", "Stiffkey", "Burn", "Mun", "Tud", "Blackwater", "Heacham", "Ingol", "Babingley",
	"Hun", "Spring", "Gaywood", "Yarmouth Road", "Mill Lane",
}

var unitHouseKinds = map[string][]string{
	"shared_house":       {"House", "Lodge", "Court"},
	"self_contained":     {"Flats", "Court", "Mews"},
	"supported_lodgings": {"Lodgings"},
	"foyer":              {"Foyer"},
}

// unitTowns are where supported accommodation is: the larger towns, where young
// people have colleges, jobs and transport.
var unitTowns = []string{"Norwich", "Norwich", "Norwich", "King's Lynn", "Great Yarmouth", "Gorleston-on-Sea",
	"Thetford", "Dereham", "Wymondham", "North Walsham", "Cromer", "Downham Market", "Attleborough", "Diss"}

// unitSkills are the needs and risks supported-accommodation staff commonly work with.
var unitSkills = []opt[string]{
	{"mental_health", 14}, {"substances", 12}, {"going_missing", 10}, {"criminal_exploitation", 10},
	{"education_support", 10}, {"trauma", 10}, {"self_harm", 8}, {"sexual_exploitation", 8},
	{"learning_disability", 5}, {"esol", 4}, {"parent_and_child", 2},
}

// unitNotes are the reasons a unit gives for taking nobody new.
var unitNotes = []string{
	"Refurbishment of shared areas", "Staff vacancies; no new admissions", "Beds held for planned moves",
	"Awaiting Ofsted monitoring visit", "Reviewing the mix of residents",
}

// units builds n supported-accommodation units for young people aged 16–25, about
// one in six of them not taking anyone new; outside of them are over the county
// border (the last ones, so the Norfolk units keep their draws).
func (g *gen) units(n, outside int) []*placematch.Provider {
	urns := map[string]bool{}
	unavailable := g.subset(n, n/6)
	out := make([]*placematch.Provider, n)
	for i := range out {
		oi := -1
		if i >= n-outside {
			oi = g.r.IntN(len(outOfCounty))
		}
		out[i] = g.unit(i, urns, unavailable[i], oi)
	}
	return out
}

// unit draws one unit, near oi in outOfCounty when oi is not -1.
func (g *gen) unit(i int, urns map[string]bool, unavailable bool, oi int) *placematch.Provider {
	u := &placematch.UnitDetails{
		ProviderName: unitOrgs[g.r.IntN(len(unitOrgs))],
		RegistrationStatus: choose(g, []opt[placematch.RegistrationStatus]{
			{placematch.Registered, 80}, {placematch.ApplicationAccepted, 12}, {placematch.NotRegistered, 8}}),
		AccommodationType: choose(g, []opt[string]{{"shared_house", 45}, {"self_contained", 25},
			{"supported_lodgings", 15}, {"foyer", 15}}),
		SupportLevel: choose(g, []opt[string]{{"low", 30}, {"medium", 45}, {"high", 25}}),
	}
	ages := choose(g, []opt[[2]int]{{[2]int{16, 25}, 50}, {[2]int{16, 21}, 30}, {[2]int{18, 25}, 20}})
	switch u.RegistrationStatus {
	case placematch.Registered:
		u.OfstedURN = g.urn(urns)
	case placematch.NotRegistered:
		// Unregistered accommodation may only house care leavers of 18 and over.
		ages = [2]int{18, 25}
	}
	switch u.AccommodationType {
	case "supported_lodgings":
		u.Beds = g.between(1, 2)
	case "foyer":
		u.Beds = g.between(6, 8)
	case "self_contained":
		u.Beds = g.between(1, 4)
	default:
		u.Beds = g.between(2, 5)
	}
	if u.SupportLevel == "high" || u.AccommodationType == "foyer" || g.chance(0.1) {
		u.Features = append(u.Features, placematch.FeatureStaffed247)
	}
	if g.chance(0.12) {
		u.Features = append(u.Features, placematch.FeatureFemaleOnly)
	}
	if g.chance(0.2) {
		u.Features = append(u.Features, placematch.FeatureWheelchairAccessible)
	}
	slices.Sort(u.Features)
	// Weekly costs rise with support: low-support lodgings cost a few hundred pounds,
	// staffed high-support units well over a thousand.
	cost := map[string][2]int{"low": {120, 190}, "medium": {180, 300}, "high": {280, 500}}[u.SupportLevel]
	u.WeeklyCostPence = int64(g.between(cost[0], cost[1])) * 500 // £5 steps: £600–£2,500 a week
	u.Skills = sample(g, unitSkills, g.between(1, 4))
	// Every unit takes emergency, short-term and long-term stays (the default, said
	// here); supported lodgings, a room in a host's home, also take respite stays.
	u.PlacementTypes = slices.Clone(placematch.DefaultUnitPlacementTypes)
	if u.AccommodationType == "supported_lodgings" {
		u.PlacementTypes = append(u.PlacementTypes, placematch.PlacementRespite)
	}

	ti := townIndex(unitTowns[g.r.IntN(len(unitTowns))])
	at, place := g.near(ti, 2.5), towns[ti].name
	if oi >= 0 {
		at, place = g.nearOut(oi, 2), outOfCounty[oi].name
	}
	name := unitHouseNames[i%len(unitHouseNames)]
	kinds := unitHouseKinds[u.AccommodationType]
	return &placematch.Provider{
		Kind:      placematch.KindUnit,
		Reference: fmt.Sprintf("SA-%03d", i+1),
		Name:      fmt.Sprintf("%s %s, %s", name, kinds[g.r.IntN(len(kinds))], place),
		Location:  at,
		AgeMin:    ages[0], AgeMax: ages[1],
		Availability: g.availability(unavailable, []opt[string]{{placematch.SourceFeed, 40},
			{placematch.SourceProvider, 40}, {placematch.SourceOfficer, 20}}, unitNotes),
		Contact: demoContact(200+i, fmt.Sprintf("sa-%03d", i+1)),
		Unit:    u,
		Sector:  unitSector(i),
	}
}

// urn issues an Ofsted-style 7-digit unique reference number (supported
// accommodation registered from 2023 has URNs in the 27xxxxx range), never repeated.
func (g *gen) urn(used map[string]bool) string {
	for {
		s := fmt.Sprintf("27%05d", g.r.IntN(100000))
		if !used[s] {
			used[s] = true
			return s
		}
	}
}

// hubs builds the two New Roads hubs Norfolk opened in June 2021. Each is a small
// children's home (4 planned and 2 emergency beds) with an outreach team for young
// people aged 12–25 within about 25 km; the hub's "life coach" is a clinical
// psychologist, so both services are listed. Their beds take 12–17 year olds (the
// default) for emergency, short-term, respite and short-break care and, as both
// hubs say, long-term care too: the demo's hubs house long-term residents.
func (g *gen) hubs() []*placematch.Provider {
	services := []string{"speech_and_language_therapy", "life_coaching", "clinical_psychology",
		"education_support", "police_liaison"}
	mk := func(ref, name string, at placematch.Point, urn string, rating placematch.OfstedRating) *placematch.Provider {
		confirmed := g.ago(0, 3)
		return &placematch.Provider{
			Kind: placematch.KindHub, Reference: ref, Name: name, Location: at, AgeMin: 12, AgeMax: 25,
			Sector: placematch.SectorInHouse,
			Availability: placematch.Availability{Status: placematch.Available, ConfirmedAt: &confirmed,
				Source: placematch.SourceOfficer},
			// Ofcom's numbers for drama (01632 960xxx) and example.org: never real.
			Contact: placematch.Contact{Phone: "01632 96099" + urn[len(urn)-1:], Email: strings.ToLower(ref) + "@example.org"},
			Hub: &placematch.HubDetails{Services: slices.Clone(services), OutreachRadiusKM: 25, Beds: 4, EmergencyBeds: 2,
				OfstedURN: urn, Ofsted: rating,
				PlacementTypes: append(slices.Clone(placematch.DefaultHubPlacementTypes), placematch.PlacementLongTerm),
				BedAgeMin:      placematch.HubBedAgeMin, BedAgeMax: placematch.HubBedAgeMax},
		}
	}
	// The URNs and ratings are those of two Norfolk County Council children's homes
	// in Norwich North and Mid Norfolk in Ofsted's children's social care providers
	// list of 31 March 2023, so that import-ofsted finds them in that file. The demo
	// does not say these homes are the hubs; they stand in for their registrations.
	return []*placematch.Provider{
		mk("HUB-NORWICH", "New Roads Hub, Norwich", placematch.Point{Lat: 52.637, Lon: 1.283}, "2652383",
			placematch.OfstedRating{Grade: placematch.OfstedGood, InspectedOn: placematch.MustParseDate("2022-11-28")}),
		mk("HUB-DEREHAM", "New Roads Hub, Dereham", placematch.Point{Lat: 52.677, Lon: 0.945}, "SC034480",
			placematch.OfstedRating{Grade: placematch.OfstedGood, InspectedOn: placematch.MustParseDate("2022-12-06")}),
	}
}
