package matching

import (
	"math"
	"slices"
	"strings"
	"testing"
	"time"

	"placematch"
)

// outreachScene: a 13-year-old with four needs; a carer 3.2 miles away covering
// two; a Norwich hub 12.3 km beyond the carer offering speech and language therapy.
func outreachScene() (Request, *placematch.Provider, *placematch.Provider) {
	c := newChild("c", 13)
	c.Needs = []string{"autism", "speech_and_language", "trauma"}
	c.Risks = []placematch.Risk{{Type: "going_missing", Level: "high"}, {Type: "substances", Level: "none"}}
	c.Languages = []string{"Polish"}
	school := north(norwich, -5)
	c.SchoolLocation = &school
	p := newCarer("p", 5.15)
	p.AgeMin, p.AgeMax = 8, 14
	p.Availability.ConfirmedAt = confirmedAgo(3*24*time.Hour + time.Hour)
	p.Carer.Skills = []string{"autism", "trauma", "fire_setting"}
	p.Carer.Languages = []string{"english", "polish"}
	hub := newHub("h1", north(norwich, 5.15+12.3), "speech_and_language_therapy")
	hub.Name = "Norwich"
	return request(c), p, hub
}

func TestExplainedMatch(t *testing.T) {
	req, p, hub := outreachScene()
	opt := Options{Kinds: []placematch.ProviderKind{placematch.KindCarer}, AreaConfigured: true,
		Hubs: prepare(hub)}
	r := rank(t, req, opt, p)
	if len(r.Matches) != 1 {
		t.Fatalf("excluded %+v", r.Excluded)
	}
	m := r.Matches[0]
	wantReasons := []string{
		"Does not cover REF-c's high risk of going missing.",
		"Approved for short_term care for ages 8–14.",
		"3.2 miles from home, inside the council area.",
		"6.3 miles from school.",
		"Has 1 vacancy for one child.",
		"Covers 3 of 4 needs (weighted 2.5 of 5): autism, speech and language via Norwich hub outreach (12.3 km, half credit) and trauma. Not covered: high risk of going missing.",
		"Speaks polish, the child's language.",
		"Availability last confirmed 3 days ago.",
	}
	if !slices.Equal(m.Reasons, wantReasons) {
		t.Errorf("reasons:\n%s\nwant:\n%s", strings.Join(m.Reasons, "\n"), strings.Join(wantReasons, "\n"))
	}
	if want := "covers 3 of 4 needs (weighted 2.5 of 5); outreach: speech and language via Norwich hub outreach (12.3 km, half credit); not covered: high risk of going missing"; factor(m, FactorNeeds).Detail != want {
		t.Errorf("needs detail %q\nwant %q", factor(m, FactorNeeds).Detail, want)
	}
	// autism and trauma by the carer (1 + 1), speech and language by outreach at
	// half credit (½), the high going_missing risk by nobody (0 of 2): 2.5 of 5.
	if got := factor(m, FactorNeeds).Value; got != 0.5 {
		t.Errorf("needs value %v, want 0.5", got)
	}
	wantDist := 1 - 0.15*(5.15+10.15)/32.19
	if got := factor(m, FactorDistance).Value; math.Abs(got-wantDist) > 1e-4 {
		t.Errorf("distance value %v, want %v", got, wantDist)
	}
	if m.DistanceMiles != 3.2 || !m.Within20Miles || math.Abs(m.DistanceKM-5.15) > 1e-6 || m.Vacancies != 1 {
		t.Errorf("distance %v km %v miles within %v vacancies %d", m.DistanceKM, m.DistanceMiles, m.Within20Miles, m.Vacancies)
	}
	if !slices.Equal(m.Flags, []string{FlagHighRiskNotCovered}) {
		t.Errorf("flags %v", m.Flags)
	}
	wantNeeds := []NeedCover{
		{Child: "REF-c", Code: "autism", Label: "autism", CoveredBy: CoveredByProvider},
		{Child: "REF-c", Code: "speech_and_language", Label: "speech and language", CoveredBy: CoveredByOutreach, Hub: "Norwich hub"},
		{Child: "REF-c", Code: "trauma", Label: "trauma", CoveredBy: CoveredByProvider},
		{Child: "REF-c", Code: "going_missing", Label: "going missing", Level: "high", CoveredBy: CoveredByNone},
	}
	if !slices.Equal(m.Needs, wantNeeds) {
		t.Errorf("needs %+v\nwant %+v", m.Needs, wantNeeds)
	}
	if !slices.Equal(m.Skills, []string{"autism", "trauma", "fire_setting"}) {
		t.Errorf("skills %v", m.Skills)
	}
	if h := m.Household; !slices.Equal(h.ChildrenAges, []int{13}) || h.Pets || h.Smoking || h.Residents != 0 {
		t.Errorf("household %+v", h)
	}
	names := make([]string, len(m.Factors))
	sum := 0.0
	for i, f := range m.Factors {
		names[i] = f.Name
		sum += f.Contribution
		if f.Weight != DefaultWeights().Values[f.Name] {
			t.Errorf("%s weight %v", f.Name, f.Weight)
		}
	}
	if !slices.Equal(names, FactorNames) {
		t.Errorf("factors %v", names)
	}
	if want := 15 + 25*wantDist + 45; math.Abs(m.Score-want) > 0.01 || math.Abs(m.Score-sum) > 0.005 {
		t.Errorf("score %v, contributions sum %v, want %v", m.Score, sum, want)
	}
	if r.WeightsVersion != DefaultWeightsVersion {
		t.Errorf("weights version %q", r.WeightsVersion)
	}
}

func TestHubOutreach(t *testing.T) {
	needs := func(r Result) Factor { return factor(r.Matches[0], FactorNeeds) }
	kinds := []placematch.ProviderKind{placematch.KindCarer}

	req, p, hub := outreachScene()
	if v := needs(rank(t, req, Options{Kinds: kinds}, p)).Value; v != 0.4 {
		t.Errorf("no hubs given: needs %v, want 0.4", v)
	}
	hub.Hub.OutreachRadiusKM = 12
	if f := needs(rank(t, req, Options{Kinds: kinds, Hubs: prepare(hub)}, p)); f.Value != 0.4 || strings.Contains(f.Detail, "outreach") {
		t.Errorf("hub out of reach: %+v", f)
	}
	hub.Hub.OutreachRadiusKM = 20
	req.Child.DateOfBirth = newChild("", 10).DateOfBirth
	if f := needs(rank(t, req, Options{Kinds: kinds, Hubs: prepare(hub)}, p)); f.Value != 0.4 {
		t.Errorf("child of 10 is outside the hub's 12–25: %+v", f)
	}

	// Two hubs reach the carer; the nearer is named, and a hub near the child's
	// home but out of the carer's reach does not count.
	req, p, hub = outreachScene()
	far := newHub("h0", north(norwich, 5.15+15), "speech_and_language_therapy", "police_liaison")
	far.Name = "Dereham hub"
	home := newHub("h2", north(norwich, -16), "education_support")
	f := needs(rank(t, req, Options{Kinds: kinds, Hubs: prepare(far, hub, home)}, p))
	want := "covers 4 of 4 needs (weighted 3.5 of 5); outreach: speech and language via Norwich hub outreach (12.3 km, half credit); high risk of going missing via Dereham hub outreach (15.0 km, half credit)"
	if f.Value != 0.7 || f.Detail != want {
		t.Errorf("detail %q value %v\nwant %q", f.Detail, f.Value, want)
	}

	// A hub ranked as a placement covers needs through its own services.
	req, _, hub = outreachScene()
	hub.Location = north(norwich, 4)
	hub.Hub.Services = []string{"clinical_psychology", "speech_and_language_therapy"}
	r := rank(t, req, Options{}, hub)
	if f := needs(r); f.Value != 0.4 || f.Detail != "covers 2 of 4 needs (weighted 2 of 5); not covered: autism, high risk of going missing" {
		t.Errorf("hub's own services: %+v", f)
	}
	if lang := factor(r.Matches[0], FactorLanguage); lang.Value != 0.5 {
		t.Errorf("hub language %+v", lang)
	}
}

func TestNeedsCountDistinctAndGraded(t *testing.T) {
	c := newChild("c", 12)
	c.Needs = []string{"autism", "autism", "not_a_code"}
	c.Risks = []placematch.Risk{{Type: "self_harm", Level: "low"}, {Type: "fire_setting", Level: "none"}}
	p := newCarer("p", 1)
	p.Carer.Skills = []string{"autism", "self_harm", "fire_setting", "not_a_code"}
	f := factor(rank(t, request(c), Options{}, p).Matches[0], FactorNeeds)
	if f.Value != round4(2.0/3) || f.Detail != "covers 2 of 3 needs; not covered: not_a_code (unknown code)" {
		t.Errorf("%+v", f)
	}
	c.Needs, c.Risks = nil, nil
	if f := factor(rank(t, request(c), Options{}, p).Matches[0], FactorNeeds); f.Value != 1 {
		t.Errorf("no needs: %+v", f)
	}
}

func TestFlagsAndAreas(t *testing.T) {
	c := newChild("c", 12)
	p := newCarer("p", 40)
	p.District = ""
	p.Availability.ConfirmedAt = nil
	r := rank(t, request(c), Options{AreaConfigured: true}, p)
	m := r.Matches[0]
	if want := []string{FlagAvailabilityStale, FlagOutOfArea, FlagBeyond20Miles}; !slices.Equal(m.Flags, want) {
		t.Errorf("flags %v, want %v", m.Flags, want)
	}
	if f := factor(m, FactorInArea); f.Value != 0 || f.Detail != "outside the council area" {
		t.Errorf("in_area %+v", f)
	}
	if f := factor(m, FactorFreshness); f.Value != 0 {
		t.Errorf("freshness %+v", f)
	}
	if !slices.Contains(m.Reasons, "24.9 miles from home, outside the council area.") {
		t.Errorf("reasons %q", m.Reasons)
	}
	r = rank(t, request(c), Options{}, p)
	if f := factor(r.Matches[0], FactorInArea); f.Value != 1 || f.Detail != "no council boundary configured" {
		t.Errorf("no boundary: %+v", f)
	}
	if slices.Contains(r.Matches[0].Flags, FlagOutOfArea) {
		t.Errorf("flags %v", r.Matches[0].Flags)
	}
}
