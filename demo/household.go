package demo

import (
	"slices"

	"placematch"
)

// resident is someone under 18 living in a home: one of the carer's own children
// (an age only) or a child already placed there.
type resident struct {
	age   int
	child *placematch.Child // nil for the carer's own children
}

// compatible reports whether child c, aged age, can join a household with pets (or
// not) and the residents, checking both directions as the council's matching
// policy does (see DOMAIN: the household a child would join): who each child can
// live alongside, high risks to others against younger or very young children and
// against pets, and no smoking household for an under-5. The demo uses it so that
// the homes it fills are homes an officer could have chosen; it cannot use the
// matching engine's rules (the demo imports neither matching nor its policy), so it
// keeps this small copy of the rules and a test checks the seeded homes against
// them.
func compatible(hh placematch.Household, residents []resident, c *placematch.Child, age int) bool {
	if hh.Smoking && age < 5 {
		return false
	}
	if hh.Pets && (highRisk(c, "harm_to_animals") || slices.Contains(c.Needs, "no_pets")) {
		return false
	}
	for _, r := range residents {
		if !accepts(c, age, r.age) {
			return false
		}
		if r.child != nil && !accepts(r.child, r.age, age) {
			return false
		}
	}
	return true
}

// accepts reports whether child c, aged age, can live with another child aged other.
func accepts(c *placematch.Child, age, other int) bool {
	switch {
	case slices.Contains(c.Needs, "live_alone"):
		return false
	case slices.Contains(c.Needs, "only_older_children") && other <= age:
		return false
	case slices.Contains(c.Needs, "only_younger_children") && other >= age:
		return false
	case (highRisk(c, "sexual_harm_to_others") || highRisk(c, "physical_harm_to_others")) && other < age:
		return false
	case highRisk(c, "fire_setting") && other < 5:
		return false
	}
	return true
}

// highRisk reports whether c has a risk of type t graded high.
func highRisk(c *placematch.Child, t string) bool {
	return slices.ContainsFunc(c.Risks, func(r placematch.Risk) bool { return r.Type == t && r.Level == "high" })
}
