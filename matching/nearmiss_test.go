package matching

import (
	"slices"
	"testing"

	"placematch"
)

// Each single-rule exclusion a change could meet says what would have to change,
// in the short list and on the why-not list; rules no change should be offered for
// (the law on age, a female-only unit, the child's safety) and exclusions with two
// rules or more say nothing.
func TestNearMissSentences(t *testing.T) {
	want := map[string]string{
		"age":                                    "2 years outside the approved age range (ages 0–10): would pass if the approval were changed.",
		"16-17 in unregistered unit":             "Would pass for a 16- or 17-year-old once the unit is registered with Ofsted or its application is accepted.",
		"placement type":                         "Outside the terms of approval: an emergency placement for up to 6 working days is possible (Care Planning Regulations 2010 reg 23), or the terms of approval could be changed.",
		"carer suspended":                        "The carer's approval is suspended: would pass if approval were restored.",
		"unavailable":                            "Has said it is unavailable: would pass if it confirmed it can take a child.",
		"available too late":                     "Would pass from 3 December 2026, when it is available, if the placement can start then.",
		"vacancies for the sibling group":        "Has 1 vacant place for a group of 2: would pass when a place frees.",
		"fostering limit":                        "Needs a fostering-limit exemption (Children Act 1989 Sch 7) from the council where the carer lives: 4 fostered children after placement.",
		"wheelchair, carer":                      "Would pass if the home were recorded as wheelchair accessible.",
		"wheelchair, unit":                       "Would pass if the home were recorded as wheelchair accessible.",
		"wheelchair, hub":                        "Would pass if the home were recorded as wheelchair accessible.",
		"planned child, hub's planned beds full": "Has no vacant places for one child: would pass when a place frees.",
		"max distance from the child":            "6.0 km from home, 2.0 km beyond the maximum distance of 4 km: would pass with a maximum of 6.0 km.",
		"max distance from the options overrides the child's": "6.0 km from home, 2.0 km beyond the maximum distance of 4 km: would pass with a maximum of 6.0 km.",
		"under 16 in supported accommodation":                 "",
		"female-only unit":                                    "",
		"avoid area":                                          "",
		"unreadable avoid areas exclude everyone":             "",
		"two breaches, two codes":                             "",
		"five breaches, five codes, in ReasonCodes order":     "",
	}
	cases := append(slices.Clone(ruleCases),
		ruleCase{name: "high risk not covered by own skills", setup: func(c *placematch.Child, b, n *placematch.Provider, o *Options) {
			c.Risks = []placematch.Risk{{Type: "sexual_exploitation", Level: "high"}}
			o.RequireHighRiskSkills = true
		}, want: []string{CodeHighRiskSkills}},
		ruleCase{name: "household pets", setup: func(c *placematch.Child, b, n *placematch.Provider, o *Options) {
			c.Needs = append(c.Needs, NeedNoPets)
			b.Carer.Household.Pets = true
		}, want: []string{CodeHouseholdPets}})
	cases = append(cases,
		ruleCase{name: "Ofsted inadequate", kind: placematch.KindHub, setup: func(c *placematch.Child, b, n *placematch.Provider, o *Options) {
			b.Hub.Ofsted = placematch.OfstedRating{Grade: placematch.OfstedInadequate, InspectedOn: testToday.AddDays(-30)}
		}, want: []string{CodeOfstedInadequate}},
		ruleCase{name: "carer in assessment", setup: func(c *placematch.Child, b, n *placematch.Provider, o *Options) {
			b.Carer.Status = placematch.CarerInAssessment
		}, want: []string{CodePendingApproval}})
	want["Ofsted inadequate"] = "Rated inadequate by Ofsted (inspected 24 October 2026), below the council's rating gateway: would pass after a better inspection."
	want["carer in assessment"] = "The carer's assessment is in progress: would pass once approved."
	want["high risk not covered by own skills"] = "Its own skills do not cover a high risk: would pass if they did, or as a flag when high-risk skills are not required."
	want["household pets"] = "Breaks one rule: the household has pets and a child in the group cannot live with pets or has a high risk of harm to animals. Would pass only if that changed."
	for _, rc := range cases {
		t.Run(rc.name, func(t *testing.T) {
			sentence, ok := want[rc.name]
			if !ok {
				t.Fatalf("no sentence is expected for rule case %q: add one", rc.name)
			}
			r := rc.run(t, true)
			var listed string
			for _, e := range r.Excluded {
				if e.Provider.ID == "best" {
					listed = e.NearMiss
				}
			}
			if listed != sentence {
				t.Errorf("why-not list: %q, want %q", listed, sentence)
			}
			var short []NearMiss
			for _, nm := range r.NearMisses {
				if nm.Provider.ID == "best" {
					short = append(short, nm)
				}
			}
			switch {
			case sentence == "" && len(short) != 0:
				t.Errorf("near misses %+v, want none for best", short)
			case sentence != "" && (len(short) != 1 || short[0].Change != sentence || short[0].Reason != rc.want[0] ||
				short[0].DistanceKM != 6):
				t.Errorf("near misses %+v, want best for %s at 6 km", r.NearMisses, rc.want[0])
			}
		})
	}
}

// The short list keeps the nearest near misses, at most NearMissLimit, nearest
// first, the same whether the exclusions are listed or not.
func TestNearMissesAreTheNearest(t *testing.T) {
	var ps []*placematch.Provider
	for i := range 8 {
		p := newCarer(string(rune('a'+i)), float64(8-i))
		p.Availability.Status = placematch.Unavailable
		ps = append(ps, p)
	}
	far := newCarer("z", 0.5)
	far.Availability.Status, far.AgeMax = placematch.Unavailable, 5 // two rules: not a near miss
	ps = append(ps, far)
	r := rank(t, request(newChild("c", 12)), Options{}, ps...)
	var ids []string
	for _, nm := range r.NearMisses {
		ids = append(ids, nm.Provider.ID)
	}
	if !slices.Equal(ids, []string{"h", "g", "f", "e", "d"}) {
		t.Fatalf("near misses %v", ids)
	}
	quiet := Rank(request(newChild("c", 12)), prepare(ps...), DefaultWeights(), Options{})
	if !slices.Equal(quiet.NearMisses, r.NearMisses) {
		t.Fatalf("without the list: %+v", quiet.NearMisses)
	}
}

// The kinship and care-leaver rules: a connected person for another child and an
// expired temporary approval say what would change; a hub for an 18-year-old and
// a carer a care leaver never lived with say nothing (no change to the home could).
func TestNearMissesForKinshipAndCareLeavers(t *testing.T) {
	nearOf := func(r Result, id string) string {
		for _, e := range r.Excluded {
			if e.Provider.ID == id {
				return e.NearMiss
			}
		}
		t.Fatalf("%s not excluded: %+v", id, r.Excluded)
		return ""
	}
	other := newChild("c2", 12)
	if got := nearOf(rank(t, request(other), Options{}, kinCarer("kin", "c1")), "kin"); got !=
		"Approved as a connected person for other named children: would pass if the approval named every child of the group." {
		t.Errorf("not connected: %q", got)
	}
	kin := kinCarer("kin", "c1")
	kin.Carer.TemporaryApproval = &placematch.TemporaryApproval{ApprovedOn: testToday.AddDays(-100), ExpiresOn: testToday.AddDays(-1)}
	if got := nearOf(rank(t, request(newChild("c1", 12)), Options{}, kin), "kin"); got !=
		"Its temporary approval as a connected person ends before the placement is needed: would pass if extended (Care Planning Regulations 2010 reg 25) or fully approved." {
		t.Errorf("temporary approval expired: %q", got)
	}
	adult := newChild("c3", 19)
	hub := newHub("hub", north(norwich, 5), "clinical_psychology")
	carer := newCarer("carer", 3)
	carer.AgeMax = 21
	r := rank(t, request(adult), Options{}, hub, carer)
	if got := exclusionOf(r, "hub"); !slices.Contains(got, CodeCareLeaverHub) {
		t.Fatalf("hub for an 18-year-old: %v", got)
	}
	if got := exclusionOf(r, "carer"); !slices.Equal(got, []string{CodeNotStayingPut}) {
		t.Fatalf("carer for a care leaver: %v", got)
	}
	if nearOf(r, "hub") != "" || nearOf(r, "carer") != "" || len(r.NearMisses) != 0 {
		t.Errorf("near misses offered: %+v", r.NearMisses)
	}
}
