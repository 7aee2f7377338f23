package matching

import (
	"slices"

	"placematch"
)

// The household rules (Policy) compare the group with everyone else who would live
// in the home after placement: the carer's own children (their ages as recorded)
// and the children placed there now (Provider.Residents), in both directions — a
// member's household needs and high risks against the others, and each resident's
// against the members. "Older" and "younger" compare ages in whole years, strictly.
// The members are not checked against each other: placing siblings together is the
// officer's decision, and splitting them needs a reason of its own elsewhere.
//
// Each side is boiled down once (the query per search, the candidate in Prepare) to
// the extreme ages the rules compare, so a candidate costs a few comparisons:
// "some other child is not older than a member who needs only older children"
// holds exactly when the youngest other child is not older than the eldest such
// member, and so on for each rule. TestRulesAgreeWithOracle holds this summary to
// the rules written pairwise.

// The household needs: codes of the needs taxonomy that say whom the child can live
// with, checked against the home rather than covered by a skill.
const (
	NeedLiveAlone     = "live_alone"
	NeedOnlyOlder     = "only_older_children"
	NeedOnlyYounger   = "only_younger_children"
	NeedNoPets        = "no_pets"
	riskSexualHarm    = "sexual_harm_to_others"
	riskPhysicalHarm  = "physical_harm_to_others"
	riskFireSetting   = "fire_setting"
	riskHarmToAnimals = "harm_to_animals"
)

// HouseholdNeeds lists the household needs.
var HouseholdNeeds = []string{NeedLiveAlone, NeedOnlyOlder, NeedOnlyYounger, NeedNoPets}

// Household facts of one child.
const (
	hfLiveAlone uint8 = 1 << iota
	hfOnlyOlder
	hfOnlyYounger
	hfNoPets
	hfHarm    // high risk of sexual or physical harm to others
	hfFire    // high fire-setting risk
	hfAnimals // high risk of harm to animals
)

func householdFacts(needs []string, risks []placematch.Risk) uint8 {
	var f uint8
	for _, n := range needs {
		switch n {
		case NeedLiveAlone:
			f |= hfLiveAlone
		case NeedOnlyOlder:
			f |= hfOnlyOlder
		case NeedOnlyYounger:
			f |= hfOnlyYounger
		case NeedNoPets:
			f |= hfNoPets
		}
	}
	for _, r := range risks {
		if r.Level != "high" {
			continue
		}
		switch r.Type {
		case riskSexualHarm, riskPhysicalHarm:
			f |= hfHarm
		case riskFireSetting:
			f |= hfFire
		case riskHarmToAnimals:
			f |= hfAnimals
		}
	}
	return f
}

func residentFacts(r placematch.Resident) uint8 { return householdFacts(r.Needs, r.Risks) }

// groupHousehold is the group's side of the household rules.
type groupHousehold struct {
	any       bool  // a member has a household need or a rule-relevant high risk
	liveAlone bool  // a member must live alone
	older     bool  // a member may live only with older children...
	olderMax  int16 // ...the eldest of them
	younger   bool  // a member may live only with younger children...
	youngMin  int16 // ...the youngest of them
	harm      bool  // a member has a high risk of harm to others...
	harmMax   int16 // ...the eldest of them
	fire      bool  // a member has a high fire-setting risk
	pets      bool  // a member cannot live with pets or has a high risk of harm to animals
}

func (g *groupHousehold) add(age int16, f uint8) {
	if f == 0 {
		return
	}
	g.any = true
	g.liveAlone = g.liveAlone || f&hfLiveAlone != 0
	if f&hfOnlyOlder != 0 {
		g.olderMax = maxIf(g.older, g.olderMax, age)
		g.older = true
	}
	if f&hfOnlyYounger != 0 {
		g.youngMin = minIf(g.younger, g.youngMin, age)
		g.younger = true
	}
	if f&hfHarm != 0 {
		g.harmMax = maxIf(g.harm, g.harmMax, age)
		g.harm = true
	}
	g.fire = g.fire || f&hfFire != 0
	g.pets = g.pets || f&(hfNoPets|hfAnimals) != 0
}

// household returns the household rules c breaks for the group, before the policy
// switches any off. The caller skips it when c.props&pHousehold is 0.
func (q *query) household(c *Candidate) reason {
	var m reason
	p := c.props
	if p&pOthers != 0 {
		// The residents' side: a child placed there rules out a new one.
		if p&pResLiveAlone != 0 {
			m |= rLiveAlone
		}
		if p&pResOlder != 0 && q.minAge <= int16(c.rOlderMax) {
			m |= rOnlyOlder
		}
		if p&pResYounger != 0 && q.maxAge >= int16(c.rYoungerMin) {
			m |= rOnlyYounger
		}
		if p&pResHarm != 0 && q.minAge < int16(c.rHarmMax) {
			m |= rHarmYounger
		}
		if p&pResFire != 0 && q.minAge < 5 {
			m |= rFireUnder5
		}
		// The group's side.
		if g := &q.hh; g.any {
			lo, hi := int16(c.hhMin), int16(c.hhMax)
			if g.liveAlone {
				m |= rLiveAlone
			}
			if g.older && lo <= g.olderMax {
				m |= rOnlyOlder
			}
			if g.younger && hi >= g.youngMin {
				m |= rOnlyYounger
			}
			if g.harm && lo < g.harmMax {
				m |= rHarmYounger
			}
			if g.fire && lo < 5 {
				m |= rFireUnder5
			}
		}
	}
	if p&pPets != 0 && q.hh.pets {
		m |= rPets
	}
	if p&pSmoking != 0 && q.minAge < 5 {
		m |= rSmokingUnder5
	}
	return m
}

// householdAfter is the home after placement, for Match.Household.
func (q *query) householdAfter(c *Candidate) Household {
	p := c.P
	h := Household{ChildrenAges: []int{}}
	if d := p.Carer; d != nil {
		h.Pets, h.Smoking = d.Household.Pets, d.Household.Smoking
		h.ChildrenAges = append(h.ChildrenAges, d.Household.OtherChildrenAges...)
	}
	for i := range p.Residents {
		// A member staying put is counted once, as one of the group.
		if q.adult && q.isMember(&p.Residents[i]) {
			continue
		}
		h.Residents++
		h.ChildrenAges = append(h.ChildrenAges, p.Residents[i].Age)
	}
	for _, a := range q.ages {
		h.ChildrenAges = append(h.ChildrenAges, int(a))
	}
	slices.Sort(h.ChildrenAges)
	return h
}
