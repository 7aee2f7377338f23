package matching

import (
	"encoding/json"
	"slices"
	"testing"

	"placematch"
)

// ruleCase puts the otherwise best provider in breach of one rule. best (6 km, the
// only one covering the child's need) would rank first; next (a carer 2 km away)
// must rank first instead, and best must be excluded with exactly want.
type ruleCase struct {
	name  string
	kind  placematch.ProviderKind // best's kind; next is always a carer
	age   int                     // child's age; 0 means 12
	group int                     // sibling group size; 0 means 1
	setup func(c *placematch.Child, best, next *placematch.Provider, opt *Options)
	want  []string
}

func (rc ruleCase) run(t *testing.T, breach bool) Result {
	t.Helper()
	age := rc.age
	if age == 0 {
		age = 12
	}
	child := newChild("c1", age)
	child.Needs = []string{"trauma"}
	group := []*placematch.Child{child}
	for i := 1; i < max(rc.group, 1); i++ {
		group = append(group, newChild("c"+string(rune('1'+i)), age))
	}
	group = siblings(group...)
	var best *placematch.Provider
	switch rc.kind {
	case placematch.KindUnit:
		best = newUnit("best", 6)
		best.Unit.Skills = []string{"trauma"}
	case placematch.KindHub:
		best = newHub("best", north(norwich, 6), "clinical_psychology")
	default:
		best = newCarer("best", 6)
		best.Carer.Skills = []string{"trauma"}
	}
	next := newCarer("next", 2)
	next.Filled = 0
	next.Carer.MaxChildren = max(rc.group, 1)
	if rc.group > 1 && best.Carer != nil {
		best.Filled, best.Carer.MaxChildren = 0, rc.group
	}
	var opt Options
	if breach {
		rc.setup(child, best, next, &opt)
	}
	return rank(t, request(group...), opt, best, next)
}

var ruleCases = []ruleCase{
	{name: "age", setup: func(c *placematch.Child, b, n *placematch.Provider, o *Options) { b.AgeMax = 10 },
		want: []string{CodeAgeOutOfRange}},
	{name: "under 16 in supported accommodation", kind: placematch.KindUnit, age: 16,
		setup: func(c *placematch.Child, b, n *placematch.Provider, o *Options) {
			c.DateOfBirth = newChild("", 15).DateOfBirth
			b.AgeMin = 15
		},
		want: []string{CodeUnder16Supported}},
	{name: "16-17 in unregistered unit", kind: placematch.KindUnit, age: 16,
		setup: func(c *placematch.Child, b, n *placematch.Provider, o *Options) {
			b.Unit.RegistrationStatus = placematch.NotRegistered
		},
		want: []string{CodeUnitNotRegistered}},
	{name: "placement type", setup: func(c *placematch.Child, b, n *placematch.Provider, o *Options) {
		b.Carer.PlacementTypes = []placematch.PlacementType{placematch.PlacementLongTerm}
	}, want: []string{CodePlacementType}},
	{name: "carer suspended", setup: func(c *placematch.Child, b, n *placematch.Provider, o *Options) {
		b.Carer.Status = placematch.CarerSuspended
	}, want: []string{CodeNotApproved}},
	{name: "unavailable", setup: func(c *placematch.Child, b, n *placematch.Provider, o *Options) {
		b.Availability.Status = placematch.Unavailable
	}, want: []string{CodeUnavailable}},
	{name: "available too late", setup: func(c *placematch.Child, b, n *placematch.Provider, o *Options) {
		c.RequiredFrom = testToday.AddDays(3)
		b.Availability.AvailableFrom = testToday.AddDays(10)
	}, want: []string{CodeAvailableTooLate}},
	{name: "vacancies for the sibling group", group: 2,
		setup: func(c *placematch.Child, b, n *placematch.Provider, o *Options) { b.Filled = 1 },
		want:  []string{CodeInsufficientVacancy}},
	{name: "fostering limit", group: 2, setup: func(c *placematch.Child, b, n *placematch.Provider, o *Options) {
		b.Filled, b.Carer.MaxChildren = 2, 5
	}, want: []string{CodeFosteringLimit}},
	{name: "female-only unit", kind: placematch.KindUnit, age: 17,
		setup: func(c *placematch.Child, b, n *placematch.Provider, o *Options) {
			b.Unit.Features = []string{placematch.FeatureFemaleOnly}
		},
		want: []string{CodeFemaleOnlyUnit}},
	{name: "wheelchair, carer", setup: func(c *placematch.Child, b, n *placematch.Provider, o *Options) {
		c.WheelchairUser = true
		n.Carer.Household.WheelchairAccessible = true
	}, want: []string{CodeNotWheelchair}},
	{name: "wheelchair, unit", kind: placematch.KindUnit, age: 17,
		setup: func(c *placematch.Child, b, n *placematch.Provider, o *Options) {
			c.WheelchairUser = true
			n.Carer.Household.WheelchairAccessible = true
			b.Unit.Features = []string{placematch.FeatureStaffed247}
		},
		want: []string{CodeNotWheelchair}},
	{name: "wheelchair, hub", kind: placematch.KindHub,
		setup: func(c *placematch.Child, b, n *placematch.Provider, o *Options) {
			c.WheelchairUser = true
			n.Carer.Household.WheelchairAccessible = true
		},
		want: []string{CodeNotWheelchair}},
	{name: "planned child, hub's planned beds full", kind: placematch.KindHub,
		setup: func(c *placematch.Child, b, n *placematch.Provider, o *Options) { b.Filled = 4 },
		want:  []string{CodeInsufficientVacancy}},
	{name: "avoid area", setup: func(c *placematch.Child, b, n *placematch.Provider, o *Options) {
		c.AvoidAreas = []json.RawMessage{square(b.Location, 1)}
	}, want: []string{CodeInAvoidArea}},
	{name: "max distance from the child", setup: func(c *placematch.Child, b, n *placematch.Provider, o *Options) {
		c.MaxDistanceKM = ptr(4.0)
	}, want: []string{CodeBeyondMaxDistance}},
	{name: "max distance from the options overrides the child's",
		setup: func(c *placematch.Child, b, n *placematch.Provider, o *Options) {
			c.MaxDistanceKM = ptr(50.0)
			o.MaxDistanceKM = ptr(4.0)
		}, want: []string{CodeBeyondMaxDistance}},
	{name: "unreadable avoid areas exclude everyone",
		setup: func(c *placematch.Child, b, n *placematch.Provider, o *Options) {
			c.AvoidAreas = []json.RawMessage{json.RawMessage(`{"type":"Point","coordinates":[1,52]}`)}
		}, want: []string{CodeAvoidAreasUnreadable}},
	{name: "two breaches, two codes", setup: func(c *placematch.Child, b, n *placematch.Provider, o *Options) {
		b.AgeMax = 10
		b.Carer.Status = placematch.CarerOnHold
	}, want: []string{CodeAgeOutOfRange, CodeNotApproved}},
	{name: "five breaches, five codes, in ReasonCodes order", group: 2,
		setup: func(c *placematch.Child, b, n *placematch.Provider, o *Options) {
			c.AvoidAreas = []json.RawMessage{square(b.Location, 1)}
			b.Availability.Status = placematch.Unavailable
			b.Carer.PlacementTypes = nil
			b.Filled = 2
		}, want: []string{CodePlacementType, CodeUnavailable, CodeInsufficientVacancy, CodeFosteringLimit, CodeInAvoidArea}},
}

func TestHardRulesExclude(t *testing.T) {
	for _, rc := range ruleCases {
		t.Run(rc.name, func(t *testing.T) {
			base := rc.run(t, false)
			if ids := matchIDs(base); len(ids) != 2 || ids[0] != "best" {
				t.Fatalf("without the breach: matches %v, excluded %+v; want best first", ids, base.Excluded)
			}
			r := rc.run(t, true)
			if got := exclusionOf(r, "best"); !slices.Equal(got, rc.want) {
				t.Errorf("best excluded for %v, want %v", got, rc.want)
			}
			if slices.Contains(matchIDs(r), "best") {
				t.Errorf("best is still ranked: %v", matchIDs(r))
			}
			if rc.want[0] == CodeAvoidAreasUnreadable {
				if len(r.Matches) != 0 || r.ExcludedCount != 2 {
					t.Errorf("matches %v, excluded %d; want none, 2", matchIDs(r), r.ExcludedCount)
				}
				return
			}
			if ids := matchIDs(r); len(ids) != 1 || ids[0] != "next" {
				t.Errorf("matches %v, want [next]", ids)
			}
			for _, code := range rc.want {
				if r.ExcludedSummary[code] != 1 {
					t.Errorf("summary %v: want %s counted once", r.ExcludedSummary, code)
				}
			}
			if r.ExcludedCount != 1 || r.Considered != 2 {
				t.Errorf("excluded %d of %d considered, want 1 of 2", r.ExcludedCount, r.Considered)
			}
		})
	}
}

func TestKindsArchivedAndSummary(t *testing.T) {
	bad := newCarer("bad", 1)
	bad.Carer.Status = placematch.CarerDeregistered
	bad.AgeMax = 5
	old := newCarer("old", 1)
	old.ArchivedAt = &testNow
	ps := []*placematch.Provider{newCarer("a", 2), newUnit("u", 2), bad, old}
	r := rank(t, request(newChild("c", 12)), Options{Kinds: []placematch.ProviderKind{placematch.KindCarer}}, ps...)
	if r.Considered != 2 || r.ExcludedCount != 1 || !slices.Equal(matchIDs(r), []string{"a"}) {
		t.Fatalf("considered %d excluded %d matches %v", r.Considered, r.ExcludedCount, matchIDs(r))
	}
	want := map[string]int{CodeAgeOutOfRange: 1, CodeNotApproved: 1}
	if len(r.ExcludedSummary) != 2 || r.ExcludedSummary[CodeAgeOutOfRange] != 1 || r.ExcludedSummary[CodeNotApproved] != 1 {
		t.Errorf("summary %v, want %v", r.ExcludedSummary, want)
	}
	r = Rank(request(newChild("c", 12)), prepare(ps...), DefaultWeights(), Options{})
	if len(r.Excluded) != 0 || r.ExcludedCount != 2 || r.ExcludedSummary[CodeAgeOutOfRange] != 2 {
		t.Errorf("without IncludeExcluded: %+v", r)
	}
}

func TestReasonCodesMatchBits(t *testing.T) {
	if len(ReasonCodes) != nReasons {
		t.Fatalf("%d codes, %d bits", len(ReasonCodes), nReasons)
	}
	pairs := map[reason]string{rAge: CodeAgeOutOfRange, rUnder16: CodeUnder16Supported,
		rUnitNotReg: CodeUnitNotRegistered, rOfstedInadequate: CodeOfstedInadequate, rPlacementType: CodePlacementType,
		rNotApproved: CodeNotApproved, rPending: CodePendingApproval,
		rNotConnected: CodeNotConnected, rTempExpired: CodeTemporaryExpired, rCareLeaverHub: CodeCareLeaverHub,
		rNotStayingPut: CodeNotStayingPut,
		rUnavailable:   CodeUnavailable, rTooLate: CodeAvailableTooLate, rVacancies: CodeInsufficientVacancy,
		rFosterLimit: CodeFosteringLimit, rFemaleOnly: CodeFemaleOnlyUnit, rWheelchair: CodeNotWheelchair,
		rAvoidArea: CodeInAvoidArea, rBeyondMax: CodeBeyondMaxDistance, rAreasUnreadable: CodeAvoidAreasUnreadable,
		rOutsideSearch: CodeOutsideSearchRadius, rLiveAlone: CodeHouseholdLiveAlone, rOnlyOlder: CodeHouseholdOnlyOlder,
		rOnlyYounger: CodeHouseholdOnlyYounger, rHarmYounger: CodeHouseholdHarmYounger, rFireUnder5: CodeHouseholdFireUnder5,
		rPets: CodeHouseholdPets, rSmokingUnder5: CodeHouseholdSmokingUnder, rHighRiskSkills: CodeHighRiskSkills}
	if len(pairs) != nReasons {
		t.Errorf("%d bits paired with codes, %d codes", len(pairs), nReasons)
	}
	var policy []string
	for r := reason(1); r != 0 && r < 1<<nReasons; r <<= 1 {
		if r&householdRules != 0 {
			policy = append(policy, r.codes(nil)...)
		}
	}
	if !slices.Equal(policy, PolicyCodes) {
		t.Errorf("policy codes %v, household bits %v", PolicyCodes, policy)
	}
	for r, code := range pairs {
		if got := r.codes(nil); !slices.Equal(got, []string{code}) {
			t.Errorf("bit %b gives %v, want %s", r, got, code)
		}
	}
	for _, rc := range ReasonCodes {
		if rc.Description == "" {
			t.Errorf("%s has no description", rc.Code)
		}
	}
}
