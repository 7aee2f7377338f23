package matching

import (
	"slices"
	"strings"

	"placematch"
)

// DefaultPolicyVersion names the rules as this package declares them: the council's
// household rules and the hard rules beside them. Change it whenever a rule's meaning
// changes, so that a recorded match run says which rules made it. household-3: one
// placement-type rule for every kind, hub bed ages, connected persons for named
// children only, the care-leaver rules; the fostering limit's exemptions are records
// (named children, expiry) and its sibling exception counts the children placed
// there; the Ofsted gateway; carers in assessment.
const DefaultPolicyVersion = "2026-12-household-3"

// PolicyCodes are the rules a Policy holds, in ReasonCodes order: the council's
// household-compatibility policy (fostering matching guidance, the RCC "who the
// child can live alongside" field), not statute. Each can be switched off by code.
var PolicyCodes = []string{CodeHouseholdLiveAlone, CodeHouseholdOnlyOlder, CodeHouseholdOnlyYounger,
	CodeHouseholdHarmYounger, CodeHouseholdFireUnder5, CodeHouseholdPets, CodeHouseholdSmokingUnder}

// Policy is the declared, versioned set of household rules a search applies. Every
// rule in PolicyCodes is on unless its code is in Off. The version in force is
// recorded in Result.RulesVersion.
type Policy struct {
	// Version names the set; empty means DefaultPolicyVersion.
	Version string
	// Off lists the codes (from PolicyCodes) of rules switched off.
	Off []string
}

// DefaultPolicy returns every household rule switched on.
func DefaultPolicy() Policy { return Policy{Version: DefaultPolicyVersion} }

// Validate reports codes in Off that are not household rules. The error is a
// *placematch.ValidationError on field "rules".
func (p Policy) Validate() error {
	v := &placematch.ValidationError{}
	for _, code := range p.Off {
		if !slices.Contains(PolicyCodes, code) {
			v.Add("rules", "unknown rule %q; the rules that can be switched off: %s", code, strings.Join(PolicyCodes, ", "))
		}
	}
	return v.Err()
}

// compile returns the reason bits switched off and the version to record: the
// policy's version, followed by "+off:" and the switched-off codes in ReasonCodes
// order when any are, so that the record says what ran whatever the caller named
// it. An invalid policy runs as DefaultPolicy, as invalid weights run as the
// defaults; callers should validate first.
func (p Policy) compile() (off reason, version string) {
	if p.Validate() != nil {
		p = DefaultPolicy()
	}
	version = p.Version
	if version == "" {
		version = DefaultPolicyVersion
	}
	for i, rc := range ReasonCodes {
		if slices.Contains(p.Off, rc.Code) {
			off |= 1 << i
		}
	}
	if off != 0 {
		version += "+off:" + strings.Join(off.codes(nil), ",")
	}
	return off & householdRules, version
}
