package matching

import (
	"encoding/json"
	"slices"
	"strings"
	"testing"

	"placematch"
)

// hhCase is one household rule in one direction: the same child and provider, set
// up once to break the rule and once, differing as little as possible, to pass it.
type hhCase struct {
	name  string
	age   int                     // the child's age
	kind  placematch.ProviderKind // the provider's; empty means a carer
	setup func(c *placematch.Child, p *placematch.Provider, breach bool)
	want  string
}

func high(t string) placematch.Risk { return placematch.Risk{Type: t, Level: "high"} }

func (hc hhCase) run(t *testing.T, breach bool, opt Options) Result {
	t.Helper()
	c := newChild("c", hc.age)
	var p *placematch.Provider
	if hc.kind == placematch.KindUnit {
		p = newUnit("p", 3)
		p.Unit.Beds = 3
	} else {
		p = newCarer("p", 3)
		p.Filled, p.Carer.MaxChildren = 0, 3
	}
	hc.setup(c, p, breach)
	if hc.kind == placematch.KindUnit {
		p.Filled = len(p.Residents)
	}
	return rank(t, request(c), opt, p)
}

var hhCases = []hhCase{
	{name: "member must live alone, carer's own child", age: 10, want: CodeHouseholdLiveAlone,
		setup: func(c *placematch.Child, p *placematch.Provider, breach bool) {
			c.Needs = []string{NeedLiveAlone}
			p.Carer.Household.Pets = true // nothing else in the home may matter
			if breach {
				p.Carer.Household.OtherChildrenAges = []int{15}
			}
		}},
	{name: "member must live alone, child placed there", age: 10, want: CodeHouseholdLiveAlone,
		setup: func(c *placematch.Child, p *placematch.Provider, breach bool) {
			c.Needs = []string{NeedLiveAlone}
			if breach {
				p.Residents = []placematch.Resident{{Reference: "R-1", Age: 12}}
				p.Filled = 1
			}
		}},
	{name: "resident must live alone", age: 10, want: CodeHouseholdLiveAlone,
		setup: func(c *placematch.Child, p *placematch.Provider, breach bool) {
			p.Residents = []placematch.Resident{{Reference: "R-1", Age: 12}}
			if breach {
				p.Residents[0].Needs = []string{NeedLiveAlone}
			}
		}},
	{name: "member only with older children: same age is not older", age: 10, want: CodeHouseholdOnlyOlder,
		setup: func(c *placematch.Child, p *placematch.Provider, breach bool) {
			c.Needs = []string{NeedOnlyOlder}
			p.Carer.Household.OtherChildrenAges = []int{11, 14}
			if breach {
				p.Carer.Household.OtherChildrenAges = []int{10, 14}
			}
		}},
	{name: "resident only with older children", age: 11, want: CodeHouseholdOnlyOlder,
		setup: func(c *placematch.Child, p *placematch.Provider, breach bool) {
			p.Residents = []placematch.Resident{{Reference: "R-1", Age: 10, Needs: []string{NeedOnlyOlder}}}
			if breach {
				p.Residents[0].Age = 11
			}
		}},
	{name: "member only with younger children", age: 10, want: CodeHouseholdOnlyYounger,
		setup: func(c *placematch.Child, p *placematch.Provider, breach bool) {
			c.Needs = []string{NeedOnlyYounger}
			p.Carer.Household.OtherChildrenAges = []int{3, 9}
			if breach {
				p.Carer.Household.OtherChildrenAges = []int{3, 10}
			}
		}},
	{name: "resident only with younger children", age: 9, want: CodeHouseholdOnlyYounger,
		setup: func(c *placematch.Child, p *placematch.Provider, breach bool) {
			p.Residents = []placematch.Resident{{Reference: "R-1", Age: 10, Needs: []string{NeedOnlyYounger}}}
			if breach {
				c.DateOfBirth = newChild("", 10).DateOfBirth
			}
		}},
	{name: "member with a high risk of physical harm, younger child there", age: 15, want: CodeHouseholdHarmYounger,
		setup: func(c *placematch.Child, p *placematch.Provider, breach bool) {
			c.Risks = []placematch.Risk{{Type: "physical_harm_to_others", Level: "low"}}
			p.Carer.Household.OtherChildrenAges = []int{4}
			if breach {
				c.Risks[0].Level = "high"
			}
		}},
	{name: "member with a high risk of sexual harm, child of the same age there", age: 12, want: CodeHouseholdHarmYounger,
		setup: func(c *placematch.Child, p *placematch.Provider, breach bool) {
			c.Risks = []placematch.Risk{high("sexual_harm_to_others")}
			p.Residents = []placematch.Resident{{Reference: "R-1", Age: 12}}
			if breach {
				p.Residents[0].Age = 11
			}
		}},
	{name: "resident with a high risk of harm to others, younger child placed", age: 11, want: CodeHouseholdHarmYounger,
		setup: func(c *placematch.Child, p *placematch.Provider, breach bool) {
			p.Residents = []placematch.Resident{{Reference: "R-1", Age: 11, Risks: []placematch.Risk{high("sexual_harm_to_others")}}}
			if breach {
				p.Residents[0].Age = 12
			}
		}},
	{name: "unit resident with a high risk of harm to others", age: 17, kind: placematch.KindUnit, want: CodeHouseholdHarmYounger,
		setup: func(c *placematch.Child, p *placematch.Provider, breach bool) {
			p.Residents = []placematch.Resident{{Reference: "R-1", Age: 17, Risks: []placematch.Risk{high("physical_harm_to_others")}}}
			if breach {
				p.Residents[0].Age = 19
			}
		}},
	{name: "member with a high fire-setting risk, child under 5 there", age: 12, want: CodeHouseholdFireUnder5,
		setup: func(c *placematch.Child, p *placematch.Provider, breach bool) {
			c.Risks = []placematch.Risk{high("fire_setting")}
			p.Carer.Skills = []string{"fire_setting"}
			p.Carer.Household.OtherChildrenAges = []int{5}
			if breach {
				p.Carer.Household.OtherChildrenAges = []int{4}
			}
		}},
	{name: "resident with a high fire-setting risk, child under 5 placed", age: 5, want: CodeHouseholdFireUnder5,
		setup: func(c *placematch.Child, p *placematch.Provider, breach bool) {
			p.Residents = []placematch.Resident{{Reference: "R-1", Age: 4, Risks: []placematch.Risk{high("fire_setting")}}}
			if breach {
				c.DateOfBirth = newChild("", 4).DateOfBirth
			}
		}},
	{name: "member cannot live with pets", age: 10, want: CodeHouseholdPets,
		setup: func(c *placematch.Child, p *placematch.Provider, breach bool) {
			c.Needs = []string{NeedNoPets}
			p.Carer.Household.Pets = breach
		}},
	{name: "member with a high risk of harm to animals", age: 10, want: CodeHouseholdPets,
		setup: func(c *placematch.Child, p *placematch.Provider, breach bool) {
			c.Risks = []placematch.Risk{{Type: "harm_to_animals", Level: "low"}}
			p.Carer.Household.Pets = true
			if breach {
				c.Risks[0].Level = "high"
			}
		}},
	{name: "smoking household, child under 5", age: 5, want: CodeHouseholdSmokingUnder,
		setup: func(c *placematch.Child, p *placematch.Provider, breach bool) {
			p.Carer.Household.Smoking = true
			if breach {
				c.DateOfBirth = newChild("", 4).DateOfBirth
			}
		}},
}

func TestHouseholdRules(t *testing.T) {
	for _, hc := range hhCases {
		t.Run(hc.name, func(t *testing.T) {
			if r := hc.run(t, false, Options{}); !slices.Equal(matchIDs(r), []string{"p"}) {
				t.Fatalf("passing case: matches %v, excluded %+v", matchIDs(r), r.Excluded)
			}
			r := hc.run(t, true, Options{})
			if got := exclusionOf(r, "p"); !slices.Equal(got, []string{hc.want}) {
				t.Fatalf("breach: excluded for %v, want [%s]", got, hc.want)
			}
			if r.RulesVersion != DefaultPolicyVersion {
				t.Errorf("rules version %q", r.RulesVersion)
			}
			// Switched off by the policy, the rule excludes nobody, and the run
			// records which rules were off.
			r = hc.run(t, true, Options{Policy: Policy{Off: []string{hc.want}}})
			if len(r.Matches) != 1 || r.RulesVersion != DefaultPolicyVersion+"+off:"+hc.want {
				t.Errorf("rule off: matches %v, excluded %+v, version %q", matchIDs(r), r.Excluded, r.RulesVersion)
			}
		})
	}
}

// Check applies the household rules as Rank does, on a provider read with residents.
func TestCheckHouseholdRules(t *testing.T) {
	for _, hc := range hhCases {
		c := newChild("c", hc.age)
		p := newCarer("p", 3)
		if hc.kind == placematch.KindUnit {
			p = newUnit("p", 3)
		}
		hc.setup(c, p, true)
		if got := Check(request(c), p, Options{}); !slices.Contains(got, hc.want) {
			t.Errorf("%s: Check %v, want %s among them", hc.name, got, hc.want)
		}
	}
}

// Siblings are not checked against each other: a child who must live alone may be
// placed with its brother (the officer decides; splitting needs a reason elsewhere),
// but not with the carer's own child.
func TestHouseholdRulesIgnoreTheGroupItself(t *testing.T) {
	a, b := newChild("a", 4), newChild("b", 14)
	a.Needs = []string{NeedOnlyOlder}
	b.Needs = []string{NeedLiveAlone}
	b.Risks = []placematch.Risk{high("physical_harm_to_others")}
	p := newCarer("p", 3)
	p.Filled, p.Carer.MaxChildren = 0, 2
	p.Carer.Skills = []string{"physical_harm_to_others"}
	r := rank(t, request(siblings(a, b)...), Options{}, p)
	if len(r.Matches) != 1 {
		t.Fatalf("excluded %+v", r.Excluded)
	}
	if h := r.Matches[0].Household; !slices.Equal(h.ChildrenAges, []int{4, 14}) || h.Residents != 0 {
		t.Errorf("household %+v", h)
	}
	p.Carer.Household.OtherChildrenAges = []int{3}
	r = rank(t, request(a, b), Options{}, p)
	if got := exclusionOf(r, "p"); !slices.Equal(got, []string{CodeHouseholdLiveAlone, CodeHouseholdOnlyOlder, CodeHouseholdHarmYounger}) {
		t.Errorf("with the carer's 3-year-old: %v", got)
	}
}

func TestPolicy(t *testing.T) {
	if err := DefaultPolicy().Validate(); err != nil {
		t.Fatal(err)
	}
	err := Policy{Off: []string{CodeHouseholdPets, CodeAgeOutOfRange}}.Validate()
	if err == nil || !strings.Contains(err.Error(), CodeAgeOutOfRange) || strings.Contains(err.Error(), `"household_pets"`) {
		t.Errorf("a statutory rule cannot be switched off: %v", err)
	}
	// An invalid policy runs as the default and says so.
	c := newChild("c", 4)
	p := newCarer("p", 3)
	p.Carer.Household.Smoking = true
	r := rank(t, request(c), Options{Policy: Policy{Version: "mine", Off: []string{CodeAgeOutOfRange}}}, p)
	if r.RulesVersion != DefaultPolicyVersion || !slices.Equal(exclusionOf(r, "p"), []string{CodeHouseholdSmokingUnder}) {
		t.Errorf("invalid policy ran as %q: %+v", r.RulesVersion, r.Excluded)
	}
	r = rank(t, request(c), Options{Policy: Policy{Version: "council-7", Off: []string{CodeHouseholdSmokingUnder, CodeHouseholdLiveAlone}}}, p)
	if want := "council-7+off:household_live_alone,household_smoking_under_5"; r.RulesVersion != want || len(r.Matches) != 1 {
		t.Errorf("version %q, want %q; matches %v", r.RulesVersion, want, matchIDs(r))
	}
	if r := Rank(Request{}, nil, DefaultWeights(), Options{}); r.RulesVersion != DefaultPolicyVersion {
		t.Errorf("empty search: rules version %q", r.RulesVersion)
	}
	if got := jsonOf(Result{RulesVersion: "x"}); !strings.Contains(got, `"rules_version":"x"`) {
		t.Errorf("json %s", got)
	}
}

// The household a match shows: ages youngest first of the carer's own children, the
// residents and the group; pets, smoking, residents counted; said in a reason.
func TestMatchShowsHousehold(t *testing.T) {
	c := newChild("c", 9)
	p := newCarer("p", 3)
	p.Carer.Household = placematch.Household{Pets: true, OtherChildrenAges: []int{16, 2}}
	p.Residents = []placematch.Resident{{Reference: "R-1", Age: 11}}
	p.Carer.Skills = []string{"autism"}
	m := rank(t, request(c), Options{}, p).Matches[0]
	want := Household{ChildrenAges: []int{2, 9, 11, 16}, Pets: true, Residents: 1}
	if jsonOf(m.Household) != jsonOf(want) {
		t.Errorf("household %+v, want %+v", m.Household, want)
	}
	if s := "3 other children live there and the household has pets (ages after placement: 2, 9, 11, 16)."; !slices.Contains(m.Reasons, s) {
		t.Errorf("reasons %q", m.Reasons)
	}
	if !slices.Equal(m.Skills, []string{"autism"}) {
		t.Errorf("skills %v", m.Skills)
	}
	hub := newHub("h", norwich, "clinical_psychology")
	m = rank(t, request(newChild("c", 14)), Options{}, hub).Matches[0]
	var raw map[string]json.RawMessage
	if err := json.Unmarshal([]byte(jsonOf(m)), &raw); err != nil {
		t.Fatal(err)
	}
	if string(raw["skills"]) != `["clinical_psychology"]` || string(raw["household"]) != `{"children_ages":[14],"pets":false,"smoking":false,"residents":0}` {
		t.Errorf("hub: skills %s household %s", raw["skills"], raw["household"])
	}
}
