package matching

import (
	"encoding/json"
	"slices"
	"strings"
	"testing"

	"placematch"
)

func needsOf(t *testing.T, req Request, opt Options, p *placematch.Provider) (Factor, Match) {
	t.Helper()
	r := rank(t, req, opt, p)
	if len(r.Matches) != 1 {
		t.Fatalf("excluded %+v", r.Excluded)
	}
	return factor(r.Matches[0], FactorNeeds), r.Matches[0]
}

// A high risk weighs twice a low one or a need: covering it is worth twice as much.
func TestNeedsWeighRisksByLevel(t *testing.T) {
	c := newChild("c", 13)
	c.Needs = []string{"autism"}
	c.Risks = []placematch.Risk{high("fire_setting"), {Type: "self_harm", Level: "low"}, {Type: "substances", Level: "none"}}
	p := newCarer("p", 2)
	for _, tc := range []struct {
		skills []string
		value  float64
	}{
		{nil, 0},
		{[]string{"autism"}, 0.25},
		{[]string{"self_harm"}, 0.25},
		{[]string{"fire_setting"}, 0.5},
		{[]string{"substances"}, 0}, // a risk graded none is no item
		{[]string{"autism", "fire_setting", "self_harm"}, 1},
	} {
		p.Carer.Skills = tc.skills
		f, m := needsOf(t, request(c), Options{}, p)
		if f.Value != tc.value {
			t.Errorf("skills %v: needs %v, want %v (%s)", tc.skills, f.Value, tc.value, f.Detail)
		}
		uncovered := !slices.Contains(tc.skills, "fire_setting")
		if slices.Contains(m.Flags, FlagHighRiskNotCovered) != uncovered {
			t.Errorf("skills %v: flags %v", tc.skills, m.Flags)
		}
		if uncovered && m.Reasons[0] != "Does not cover REF-c's high risk of fire setting." {
			t.Errorf("skills %v: first reason %q", tc.skills, m.Reasons[0])
		}
	}
	// The household needs are rules, not items; a code given twice is one item at
	// its highest level.
	c.Needs = []string{"autism", NeedNoPets, NeedLiveAlone}
	c.Risks = []placematch.Risk{{Type: "fire_setting", Level: "low"}, high("fire_setting")}
	p.Carer.Skills = []string{"autism", NeedNoPets}
	if f, _ := needsOf(t, request(c), Options{}, p); f.Value != round4(1.0/3) || f.Detail != "covers 1 of 2 needs (weighted 1 of 3); not covered: high risk of fire setting" {
		t.Errorf("%+v", f)
	}
}

// A need is covered for the member who has it: two siblings with one need each
// are two items, and the explanation names each member by case reference.
func TestNeedsPerMember(t *testing.T) {
	a, b := newChild("a", 13), newChild("b", 11)
	a.Reference, b.Reference = "K-2041", "K-2042"
	a.Needs = []string{"autism"}
	b.Needs = []string{"autism", "speech_and_language"}
	b.Risks = []placematch.Risk{high("physical_harm_to_others")}
	p := newCarer("p", 2)
	p.Filled, p.Carer.MaxChildren = 0, 2
	p.Carer.Skills = []string{"autism"}
	f, m := needsOf(t, request(siblings(b, a)...), Options{}, p)
	if f.Value != 0.4 {
		t.Errorf("needs %v: autism twice covered (2) of 1+1+1+2", f.Value)
	}
	want := "Covers 2 of 4 needs (weighted 2 of 5): autism (K-2041) and autism (K-2042). Not covered: speech and language (K-2042) and high risk of physical harm to others (K-2042)."
	if !slices.Contains(m.Reasons, want) {
		t.Errorf("reasons %q\nwant %q", m.Reasons, want)
	}
	if m.Reasons[0] != "Does not cover K-2042's high risk of physical harm to others." {
		t.Errorf("first reason %q", m.Reasons[0])
	}
	var children []string
	for _, n := range m.Needs {
		children = append(children, n.Child+":"+n.Code+":"+n.CoveredBy)
	}
	if w := []string{"K-2041:autism:provider", "K-2042:autism:provider", "K-2042:speech_and_language:none",
		"K-2042:physical_harm_to_others:none"}; !slices.Equal(children, w) {
		t.Errorf("needs %v, want %v", children, w)
	}
}

// Outreach is support nearby: half credit, never from a hub inside an avoid-area,
// never for a member outside the hub's ages, never for a risk no service addresses,
// and it never clears high_risk_not_covered.
func TestOutreachIsSupportNotSkill(t *testing.T) {
	kinds := []placematch.ProviderKind{placematch.KindCarer}
	scene := func() (*placematch.Child, *placematch.Provider, *placematch.Provider) {
		c := newChild("c", 14)
		c.Risks = []placematch.Risk{high("sexual_exploitation")}
		p := newCarer("p", 2)
		hub := newHub("h", north(norwich, 10), "police_liaison", "clinical_psychology")
		hub.Name = "New Roads Norwich"
		return c, p, hub
	}
	c, p, hub := scene()
	f, m := needsOf(t, request(c), Options{Kinds: kinds, Hubs: prepare(hub)}, p)
	if f.Value != 0.5 || !strings.Contains(f.Detail, "outreach: high risk of sexual exploitation via New Roads Norwich hub outreach (8.0 km, half credit)") {
		t.Errorf("outreach: %+v", f)
	}
	if !slices.Contains(m.Flags, FlagHighRiskNotCovered) || m.Needs[0].CoveredBy != CoveredByOutreach || m.Needs[0].Hub != "New Roads Norwich hub" {
		t.Errorf("outreach clears nothing: flags %v needs %+v", m.Flags, m.Needs)
	}
	if r := rank(t, request(c), Options{Kinds: kinds, Hubs: prepare(hub), RequireHighRiskSkills: true}, p); !slices.Equal(exclusionOf(r, "p"), []string{CodeHighRiskSkills}) {
		t.Errorf("required skills: outreach must not count: %+v", r.Excluded)
	}

	// A hub inside the child's avoid-area gives nothing.
	c, p, hub = scene()
	c.AvoidAreas = []json.RawMessage{square(hub.Location, 1)}
	if f, _ := needsOf(t, request(c), Options{Kinds: kinds, Hubs: prepare(hub)}, p); f.Value != 0 || strings.Contains(f.Detail, "outreach") {
		t.Errorf("hub in an avoid-area: %+v", f)
	}
	// ...nor inside a sibling's.
	c, p, hub = scene()
	s := newChild("s", 13)
	s.AvoidAreas = []json.RawMessage{square(hub.Location, 1)}
	p.Filled = 0
	if f, _ := needsOf(t, request(siblings(c, s)...), Options{Kinds: kinds, Hubs: prepare(hub)}, p); f.Value != 0 {
		t.Errorf("hub in a sibling's avoid-area: %+v", f)
	}

	// Ages are per member: the hub serves the 14-year-old, not the 9-year-old sister.
	c, p, hub = scene()
	s = newChild("s", 9)
	s.Risks = []placematch.Risk{high("going_missing")}
	p.Filled = 0
	f, m = needsOf(t, request(siblings(c, s)...), Options{Kinds: kinds, Hubs: prepare(hub)}, p)
	if f.Value != 0.25 || m.Needs[0].CoveredBy != CoveredByOutreach || m.Needs[1].CoveredBy != CoveredByNone {
		t.Errorf("per-member ages: %+v %+v", f, m.Needs)
	}

	// No service addresses a risk of physical harm to others: no outreach credit.
	c, p, hub = scene()
	c.Risks = []placematch.Risk{high("physical_harm_to_others")}
	hub.Hub.Services = placematch.HubServices
	if f, _ := needsOf(t, request(c), Options{Kinds: kinds, Hubs: prepare(hub)}, p); f.Value != 0 {
		t.Errorf("physical harm to others by outreach: %+v", f)
	}
	for code := range serviceFor {
		if code == "physical_harm_to_others" || code == "sexual_harm_to_others" || code == "fire_setting" ||
			code == "harm_to_animals" || slices.Contains(HouseholdNeeds, code) {
			t.Errorf("serviceFor maps %s, which no outreach service addresses", code)
		}
	}
}

func TestRequireHighRiskSkills(t *testing.T) {
	c := newChild("c", 12)
	c.Risks = []placematch.Risk{high("going_missing"), {Type: "fire_setting", Level: "low"}}
	p := newCarer("p", 2)
	if r := rank(t, request(c), Options{}, p); len(r.Matches) != 1 {
		t.Fatalf("without the option, a flag only: %+v", r.Excluded)
	}
	if r := rank(t, request(c), Options{RequireHighRiskSkills: true}, p); !slices.Equal(exclusionOf(r, "p"), []string{CodeHighRiskSkills}) {
		t.Errorf("required: %+v", r.Excluded)
	}
	p.Carer.Skills = []string{"going_missing"} // the low risk does not count
	if r := rank(t, request(c), Options{RequireHighRiskSkills: true}, p); len(r.Matches) != 1 || slices.Contains(r.Matches[0].Flags, FlagHighRiskNotCovered) {
		t.Errorf("covered: %+v", r)
	}
}

// Reasons read well: one need, two needs, none, labels not codes.
func TestNeedsSentences(t *testing.T) {
	c := newChild("c", 12)
	p := newCarer("p", 2)
	say := func() string {
		t.Helper()
		_, m := needsOf(t, request(c), Options{}, p)
		for _, s := range m.Reasons {
			if strings.HasPrefix(s, "Covers") || strings.HasPrefix(s, "No needs") || strings.HasPrefix(s, "Does not cover its") {
				return s
			}
		}
		t.Fatalf("no needs sentence in %q", m.Reasons)
		return ""
	}
	for _, tc := range []struct {
		needs, skills []string
		want          string
	}{
		{nil, nil, "No needs or graded risks are recorded for the child."},
		{[]string{"speech_and_language"}, []string{"speech_and_language"}, "Covers its one need: speech and language."},
		{[]string{"bsl"}, nil, "Does not cover its one need: British Sign Language."},
		{[]string{"autism", "trauma"}, []string{"autism", "trauma"}, "Covers both needs: autism and trauma."},
		{[]string{"autism", "trauma"}, nil, "Covers neither need: autism and trauma."},
		{[]string{"autism", "trauma", "esol"}, []string{"autism", "trauma", "esol"}, "Covers all 3 needs: autism, trauma and English for speakers of other languages."},
		{[]string{"autism", "trauma", "esol"}, []string{"trauma"}, "Covers 1 of 3 needs: trauma. Not covered: autism and English for speakers of other languages."},
	} {
		c.Needs, p.Carer.Skills = tc.needs, tc.skills
		if got := say(); got != tc.want {
			t.Errorf("needs %v skills %v:\n%q\nwant %q", tc.needs, tc.skills, got, tc.want)
		}
	}
	if Label("fire_setting") != "fire setting" || Label("nope") != "nope (unknown code)" {
		t.Errorf("labels %q %q", Label("fire_setting"), Label("nope"))
	}
}

// Group-level values come from every member: each member's placement type must be
// approved, the smallest maximum distance and the latest date needed apply, one
// member's emergency opens a hub's emergency beds.
func TestGroupValuesFromEveryMember(t *testing.T) {
	a, b := newChild("a", 12), newChild("b", 9)
	b.PlacementType = placematch.PlacementLongTerm
	p := newCarer("p", 6)
	p.Filled, p.Carer.MaxChildren = 0, 2
	p.Carer.PlacementTypes = []placematch.PlacementType{placematch.PlacementShortTerm}
	if r := rank(t, request(siblings(a, b)...), Options{}, p); !slices.Equal(exclusionOf(r, "p"), []string{CodePlacementType}) {
		t.Errorf("sibling's type: %+v", r.Excluded)
	}
	p.Carer.PlacementTypes = append(p.Carer.PlacementTypes, placematch.PlacementLongTerm)
	m := rank(t, request(a, b), Options{}, p).Matches[0]
	if m.Reasons[0] != "Approved for short_term and long_term care for ages 0–17." {
		t.Errorf("approval %q", m.Reasons[0])
	}
	b.MaxDistanceKM, a.MaxDistanceKM = ptr(5.0), ptr(50.0)
	if r := rank(t, request(a, b), Options{}, p); !slices.Equal(exclusionOf(r, "p"), []string{CodeBeyondMaxDistance}) {
		t.Errorf("sibling's max distance: %+v", r.Excluded)
	}
	b.MaxDistanceKM = nil
	b.RequiredFrom = testToday.AddDays(20)
	p.Availability.AvailableFrom = testToday.AddDays(10)
	if r := rank(t, request(a, b), Options{}, p); len(r.Matches) != 1 {
		t.Errorf("the latest date needed applies: %+v", r.Excluded)
	}
	b.AvoidAreas = []json.RawMessage{json.RawMessage(`{"type":"Point","coordinates":[1,52]}`)}
	if r := rank(t, request(a, b), Options{}, p); !slices.Equal(exclusionOf(r, "p"), []string{CodeAvoidAreasUnreadable}) {
		t.Errorf("a sibling's unreadable areas close the search: %+v", r.Excluded)
	}
	a, b = newChild("a", 14), newChild("b", 13)
	b.Urgency = "emergency"
	hub := newHub("h", north(norwich, 3))
	hub.Filled = 4
	if r := rank(t, request(siblings(a, b)...), Options{}, hub); len(r.Matches) != 1 {
		t.Errorf("a member's emergency opens emergency beds: %+v", r.Excluded)
	}
	home, km, ok := SearchCircle(request(a, b), Options{})
	if ok || km != 0 || home != (placematch.Point{}) {
		t.Errorf("no maximum: %v %v %v", home, km, ok)
	}
	b.MaxDistanceKM, a.MaxDistanceKM = ptr(7.0), ptr(9.0)
	b.Location = nil
	if home, km, ok := SearchCircle(Request{Child: b, Group: []*placematch.Child{b, a}}, Options{}); !ok || km != 7 || home != *a.Location {
		t.Errorf("circle %v %v %v", home, km, ok)
	}
}
