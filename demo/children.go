package demo

import (
	"encoding/json"
	"fmt"
	"math"
	"slices"

	"placematch"
)

// referral is a child to create and, for a sibling, the earlier referrals (by index)
// it is a sibling of; the store mirrors the link on them.
type referral struct {
	c        *placematch.Child
	siblings []int
}

// childNeeds weights the needs taxonomy roughly as school-age looked-after children
// present: trauma and education first; parent-and-child and physical disability are
// set only by the cases that call for them. The household needs (live_alone,
// only_older_children, only_younger_children, no_pets) are not drawn here but follow
// from a child's risks (householdNeeds).
var childNeeds = []opt[string]{
	{"trauma", 30}, {"education_support", 18}, {"mental_health", 12}, {"autism", 10},
	{"learning_disability", 9}, {"speech_and_language", 8}, {"therapeutic", 8}, {"cultural_faith", 5},
	{"complex_health", 4}, {"makaton", 2},
}

// infantNeeds are the needs recorded for under-5s: mostly developmental and health
// needs (developmental delay is recorded as learning_disability), then the effects of
// early trauma.
var infantNeeds = []opt[string]{
	{"complex_health", 20}, {"speech_and_language", 18}, {"learning_disability", 10}, {"trauma", 10},
	{"physical_disability", 4}, {"autism", 4}, {"therapeutic", 4}, {"cultural_faith", 3}, {"makaton", 2},
}

// youngRisks are the risks recorded for children of 5 to 7, always graded low or
// none: a young child's hitting out or playing with matches is not a high risk to
// others.
var youngRisks = []opt[string]{
	{"physical_harm_to_others", 4}, {"harm_to_animals", 2}, {"fire_setting", 1},
}

// middleRisks are the risks recorded for children of 8 to 10: risks to others, and
// going missing only as a low risk; exploitation and substances belong to older
// children.
var middleRisks = []opt[string]{
	{"physical_harm_to_others", 8}, {"going_missing", 3}, {"harm_to_animals", 3}, {"fire_setting", 3},
	{"self_harm", 2}, {"sexual_harm_to_others", 1},
}

var olderRisks = []opt[string]{
	{"going_missing", 20}, {"self_harm", 14}, {"criminal_exploitation", 12}, {"sexual_exploitation", 10},
	{"substances", 10}, {"physical_harm_to_others", 9}, {"eating_disorder", 5}, {"fire_setting", 2},
	{"harm_to_animals", 2}, {"sexual_harm_to_others", 2},
}

// Ages at which risks become plausible: no risk to others is graded high below
// highRiskToOthersAge, and exploitation, substance and eating-disorder risks are
// recorded only from olderRisksAge (going missing as a low risk from 8).
const (
	highRiskToOthersAge = 8
	olderRisksAge       = 11
)

func caseRef(year, n int) string { return fmt.Sprintf("NCC-%d-%05d", year, n) }

// child draws the parts of a referral that belong to the child: birth date, sex,
// needs, risks and languages, a home near town ti and, for school-age children, a
// school nearby. The caller sets the reference and the placement request. Needs and
// risks follow the child's age: under-5s have mostly developmental and health needs
// and no risks; 5–7-year-olds only low risks to others; 8–10-year-olds may have high
// risks to others; exploitation risks start at 11.
func (g *gen) child(age, ti int) *placematch.Child {
	home := g.near(ti, 4)
	c := &placematch.Child{
		DateOfBirth: g.dateOfBirth(age),
		Sex:         choose(g, []opt[string]{{"female", 48}, {"male", 50}, {"other", 2}}),
		Location:    &home,
		Languages:   []string{"english"},
		Status:      placematch.ChildAwaiting,
	}
	if age >= 5 && age <= 16 {
		school := g.near(ti, 3)
		c.SchoolLocation = &school
	}
	pool, counts := childNeeds, []opt[int]{{0, 15}, {1, 30}, {2, 30}, {3, 15}, {4, 10}}
	if age < 5 {
		pool, counts = infantNeeds, []opt[int]{{0, 25}, {1, 40}, {2, 25}, {3, 10}}
	}
	c.Needs = sample(g, pool, choose(g, counts))
	var risks []opt[string]
	var n int
	level := g.riskLevel
	switch {
	case age < 5:
	case age < highRiskToOthersAge:
		risks, n = youngRisks, choose(g, []opt[int]{{0, 75}, {1, 25}})
		level = func() string { return choose(g, []opt[string]{{"low", 9}, {"none", 1}}) }
	case age < olderRisksAge:
		risks, n = middleRisks, choose(g, []opt[int]{{0, 55}, {1, 35}, {2, 10}})
	default:
		risks, n = olderRisks, choose(g, []opt[int]{{0, 25}, {1, 35}, {2, 25}, {3, 15}})
	}
	for _, t := range sample(g, risks, n) {
		l := level()
		if t == "going_missing" && age < olderRisksAge {
			l = "low"
		}
		c.Risks = append(c.Risks, placematch.Risk{Type: t, Level: l})
	}
	c.Needs = g.householdNeeds(c.Needs, c.Risks, age)
	switch {
	case g.chance(0.03):
		// A child who speaks little English yet: the plan asks for ESOL support.
		c.Languages = []string{choose(g, otherLanguages[:3])}
		c.Needs = appendNew(c.Needs, "esol")
	case g.chance(0.08):
		c.Languages = append(c.Languages, choose(g, otherLanguages[:3]))
	}
	return c
}

// householdNeeds adds the needs about who the child can live with, as a care plan
// would set them: a child with a high risk of sexual harm to others lives with older
// children only, or alone; a high risk of physical harm sometimes calls for older
// children only; a high risk of harm to animals usually means no pets. A few other
// children of 8 and over need a home without pets (allergies) or with younger
// children only.
func (g *gen) householdNeeds(needs []string, risks []placematch.Risk, age int) []string {
	if age < highRiskToOthersAge {
		return needs
	}
	for _, r := range risks {
		if r.Level != "high" {
			continue
		}
		switch r.Type {
		case "sexual_harm_to_others":
			needs = appendNew(needs, choose(g, []opt[string]{{"only_older_children", 3}, {"live_alone", 2}}))
		case "physical_harm_to_others":
			if g.chance(0.35) {
				needs = appendNew(needs, "only_older_children")
			}
		case "harm_to_animals":
			if g.chance(0.8) {
				needs = appendNew(needs, "no_pets")
			}
		}
	}
	switch {
	case g.chance(0.03):
		needs = appendNew(needs, "no_pets")
	case g.chance(0.02) && !slices.Contains(needs, "only_older_children") && !slices.Contains(needs, "live_alone"):
		needs = appendNew(needs, "only_younger_children")
	}
	return needs
}

func (g *gen) riskLevel() string {
	return choose(g, []opt[string]{{"low", 65}, {"high", 30}, {"none", 5}})
}

// request sets what the referral asks for. Emergencies are needed today or tomorrow;
// planned moves within the month.
func (g *gen) request(c *placematch.Child, t placematch.PlacementType) {
	c.PlacementType, c.Urgency = t, "planned"
	if t == placematch.PlacementEmergency || (t == placematch.PlacementShortTerm && g.chance(0.15)) {
		c.Urgency = "emergency"
	}
	if c.Urgency == "emergency" {
		c.RequiredFrom = g.today.AddDays(g.between(0, 1))
	} else {
		c.RequiredFrom = g.today.AddDays(g.between(2, 30))
	}
}

// placementTypeFor draws the placement type a referral asks for: mostly short-term,
// emergency or long-term; respite and remand (teenagers only) are occasional.
func (g *gen) placementTypeFor(age int) placematch.PlacementType {
	if age >= 16 {
		return choose(g, []opt[placematch.PlacementType]{{placematch.PlacementShortTerm, 45},
			{placematch.PlacementLongTerm, 35}, {placematch.PlacementEmergency, 20}})
	}
	remand := 0
	if age >= 12 {
		remand = 4
	}
	return choose(g, []opt[placematch.PlacementType]{{placematch.PlacementShortTerm, 40}, {placematch.PlacementEmergency, 25},
		{placematch.PlacementLongTerm, 25}, {placematch.PlacementRespite, 6}, {placematch.PlacementRemand, remand}})
}

// randomAge follows the age profile of looked-after children: few babies, most aged
// 10–15, a minority of 16–17-year-olds.
func (g *gen) randomAge() int {
	switch choose(g, []opt[int]{{0, 20}, {1, 25}, {2, 45}, {3, 10}}) {
	case 0:
		return g.between(0, 4)
	case 1:
		return g.between(5, 9)
	case 2:
		return g.between(10, 15)
	}
	return g.between(16, 17)
}

// awaiting builds the referrals waiting for a home: sibling groups first, then single
// children, among whom fixed cases make sure the demo shows every hard rule: 16–17-
// year-olds for supported accommodation, wheelchair users, exploitation areas to
// avoid, a maximum distance, and a deaf child who signs.
//
// Siblings are of different ages (one to three years apart) and each has needs and
// risks of their own. The first group, the first referral listed, is a young pair
// wanting a short-term home; the second is led by a 12-year-old girl at high risk of
// going missing, criminal exploitation and fire-setting, so that one group brings a
// high risk the whole household must be safe with.
func (g *gen) awaiting(singles int, groups []int) []referral {
	var out []referral
	year := g.today.Time().Year()
	for gi, size := range groups {
		ti := g.pickTown(nil)
		t := choose(g, []opt[placematch.PlacementType]{{placematch.PlacementShortTerm, 45},
			{placematch.PlacementLongTerm, 30}, {placematch.PlacementEmergency, 25}})
		age := g.between(5, 15)
		switch gi {
		case 0:
			t, age = placematch.PlacementShortTerm, g.between(6, 7)
		case 1:
			age = 12
		}
		age = max(age, 3*(size-1)) // room for every younger sibling
		first := len(out)
		for k := range size {
			c := g.child(age, ti)
			c.Reference = g.reference(year)
			if gi == 1 && k == 0 {
				c.Sex = "female"
				c.Risks = []placematch.Risk{{Type: "criminal_exploitation", Level: "high"},
					{Type: "going_missing", Level: "high"}, {Type: "fire_setting", Level: "high"}}
			}
			if k == 0 {
				g.request(c, t)
			} else {
				// Siblings share a home, a request and a date: they are referred together.
				lead := out[first].c
				*c.Location = *lead.Location
				c.PlacementType, c.Urgency, c.RequiredFrom = lead.PlacementType, lead.Urgency, lead.RequiredFrom
			}
			var sibs []int
			for j := first; j < len(out); j++ {
				sibs = append(sibs, j)
			}
			out = append(out, referral{c: c, siblings: sibs})
			age -= g.between(1, 3)
		}
	}
	for i := range singles {
		ti, age := g.pickTown(nil), g.randomAge()
		switch {
		case i < 4:
			age = g.between(16, 17)
		case i == 4:
			age = 7
		case i == 5:
			age = 14
		case i == 6:
			ti, age = townIndex("Great Yarmouth"), 15
		case i == 7:
			ti, age = townIndex("Thetford"), 14
		case i == 12:
			age = 9
		}
		c := g.child(age, ti)
		c.Reference = g.reference(year)
		g.request(c, g.placementTypeFor(age))
		switch i {
		case 0:
			c.Sex = "female"
		case 4, 5:
			c.WheelchairUser = true
			c.Needs = appendNew(c.Needs, "physical_disability")
		case 6:
			c.Risks = []placematch.Risk{{Type: "criminal_exploitation", Level: "high"}, {Type: "going_missing", Level: "high"}}
			c.AvoidAreas = []json.RawMessage{squareAround(townIndex("Great Yarmouth"), 2)}
		case 7:
			c.Sex = "female"
			c.Risks = []placematch.Risk{{Type: "sexual_exploitation", Level: "high"}}
			c.AvoidAreas = []json.RawMessage{squareAround(townIndex("Norwich"), 1.5)}
		case 8, 9, 10, 11:
			// Kept near school or family: 20 miles is the DfE's "far from home" line.
			km := []float64{20, placematch.NearKm, 25, 40}[i-8]
			c.MaxDistanceKM = &km
		case 12:
			c.Languages = []string{"bsl", "english"}
			c.Needs = appendNew(c.Needs, "bsl")
		}
		out = append(out, referral{c: c})
	}
	return out
}

// squareAround returns a GeoJSON Polygon, a square of half-side km around town ti,
// wound anticlockwise as RFC 7946 recommends for exterior rings.
func squareAround(ti int, km float64) json.RawMessage {
	t := towns[ti]
	dLat := km / 111.2
	dLon := km / (111.2 * math.Cos(t.lat*math.Pi/180))
	r4 := func(x float64) float64 { return math.Round(x*1e4) / 1e4 }
	w, e, s, n := r4(t.lon-dLon), r4(t.lon+dLon), r4(t.lat-dLat), r4(t.lat+dLat)
	b, err := json.Marshal(map[string]any{
		"type":        "Polygon",
		"coordinates": [][][2]float64{{{w, s}, {e, s}, {e, n}, {w, n}, {w, s}}},
	})
	if err != nil {
		panic(err) // plain numbers always marshal
	}
	return b
}

func appendNew(list []string, v string) []string {
	if slices.Contains(list, v) {
		return list
	}
	return append(list, v)
}
