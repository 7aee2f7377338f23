package matching

import (
	"fmt"
	"math"
	"strings"

	"placematch"
)

// A near miss is an excluded provider that breaks exactly one hard rule, with what
// would have to change for it to pass: an officer who has no match, or too few,
// sees what is closest and why ("would pass from 12 January 2027", "needs a
// fostering-limit exemption"). A near miss is never ranked or scored.

// NearMissLimit is the most near misses a Result lists.
const NearMissLimit = 5

// NearMiss is one excluded provider that breaks exactly one rule.
type NearMiss struct {
	Provider placematch.ProviderRef `json:"provider"`
	// Reason is the code of the one rule it breaks.
	Reason string `json:"reason"`
	// Change says what would have to change for it to pass.
	Change string `json:"change"`
	// DistanceKM is from the child's home; 0 when the home is not known.
	DistanceKM float64 `json:"distance_km"`
}

// noNearMiss are the rules no change to the provider, or to the officer's search,
// should be offered for: the child's safety (locations to avoid), the law on age
// (no supported accommodation under 16, no children's home from 18, foster care
// from 18 only staying put), a female-only unit, and the child's unreadable
// avoid-areas, which exclude every provider alike.
const noNearMiss = rUnder16 | rCareLeaverHub | rNotStayingPut | rFemaleOnly | rAvoidArea | rAreasUnreadable | rOutsideSearch

// nearMissable reports whether a rule mask is a near miss: exactly one rule, and
// one a change could meet.
func nearMissable(m reason) bool { return m != 0 && m&(m-1) == 0 && m&noNearMiss == 0 }

// nearEntry is a near miss found by the first pass, before its sentence is made.
type nearEntry struct {
	c    *Candidate
	c2   float64
	mask reason
}

// nearTop keeps the NearMissLimit nearest near misses, nearest first, then by id.
type nearTop struct {
	e []nearEntry
}

func (t *nearTop) less(a, b nearEntry) bool {
	if a.c2 != b.c2 {
		return a.c2 < b.c2
	}
	if a.c.idKey != b.c.idKey {
		return a.c.idKey < b.c.idKey
	}
	return compareIDs(a.c, b.c) < 0
}

// offer adds e when it is among the nearest; the list stays sorted and short, so
// an insertion is a few comparisons.
func (t *nearTop) offer(e nearEntry) {
	if len(t.e) == NearMissLimit && !t.less(e, t.e[len(t.e)-1]) {
		return
	}
	i := len(t.e)
	for i > 0 && t.less(e, t.e[i-1]) {
		i--
	}
	if len(t.e) < NearMissLimit {
		t.e = append(t.e, nearEntry{})
	}
	copy(t.e[i+1:], t.e[i:len(t.e)-1])
	t.e[i] = e
}

// nearMisses turns the first pass's near misses into sentences.
func (q *query) nearMisses(t *nearTop) []NearMiss {
	out := make([]NearMiss, len(t.e))
	for i, e := range t.e {
		c := e.c
		out[i] = NearMiss{Provider: c.P.Ref(), Reason: ReasonCodes[trailingZeros(e.mask)].Code, Change: q.nearMissText(c, e.mask)}
		if q.home {
			out[i].DistanceKM = round4(chordKM(e.c2))
		}
	}
	return out
}

// nearMissText says what would have to change for c, which breaks only rule m, to
// pass; "" when m is not a near miss.
func (q *query) nearMissText(c *Candidate, m reason) string {
	if !nearMissable(m) {
		return ""
	}
	p := c.P
	switch m {
	case rAge:
		years := max(int(c.ageMin)-int(q.minAge), int(q.maxAge)-int(c.ageMax))
		return fmt.Sprintf("%s outside the approved age range (ages %d–%d): would pass if the approval were changed.",
			upperFirst(yearsText(years)), c.ageMin, c.ageMax)
	case rPlacementType:
		if c.kind != kindCarer {
			return "Does not take the placement type asked for: would pass if it declared that type."
		}
		return "Outside the terms of approval: an emergency placement for up to 6 working days is possible " +
			"(Care Planning Regulations 2010 reg 23), or the terms of approval could be changed."
	case rNotApproved:
		status := "not approved"
		if p.Carer != nil {
			status = string(p.Carer.Status)
		}
		return fmt.Sprintf("The carer's approval is %s: would pass if approval were restored.", strings.ReplaceAll(status, "_", " "))
	case rOfstedInadequate:
		return fmt.Sprintf("Rated inadequate by Ofsted (inspected %s), below the council's rating gateway: would pass after a better inspection.",
			ofstedDate(p))
	case rNotConnected:
		return "Approved as a connected person for other named children: would pass if the approval named every child of the group."
	case rTempExpired:
		return "Its temporary approval as a connected person ends before the placement is needed: would pass if extended (Care Planning Regulations 2010 reg 25) or fully approved."
	case rPending:
		return "The carer's assessment is in progress: would pass once approved."
	case rUnavailable:
		return "Has said it is unavailable: would pass if it confirmed it can take a child."
	case rTooLate:
		return fmt.Sprintf("Would pass from %s, when it is available, if the placement can start then.",
			p.Availability.AvailableFrom.Time().Format("2 January 2006"))
	case rVacancies:
		vac := max(int(c.vac), 0)
		if c.kind == kindHub && !q.urgent {
			vac = max(int(c.vacPlan), 0)
		}
		short := int(q.g) - vac
		return fmt.Sprintf("Has %s for %s: would pass when %s.", placesText(vac, "vacant place"), groupText(int(q.g)),
			freeText(short))
	case rFosterLimit:
		return fmt.Sprintf("Needs a fostering-limit exemption (Children Act 1989 Sch 7) from the council where the carer lives: "+
			"%d fostered children after placement.", int(c.filled)+int(q.g))
	case rUnitNotReg:
		return "Would pass for a 16- or 17-year-old once the unit is registered with Ofsted or its application is accepted."
	case rWheelchair:
		return "Would pass if the home were recorded as wheelchair accessible."
	case rBeyondMax:
		km := 0.0
		if q.home {
			km = chordKM(chord2(q.hx, q.hy, q.hz, c.x, c.y, c.z))
		}
		km = round4(km)
		return fmt.Sprintf("%.1f km from home, %.1f km beyond the maximum distance of %g km: would pass with a maximum of %.1f km.",
			km, km-q.maxKM, q.maxKM, math.Ceil(km*10)/10)
	case rHighRiskSkills:
		return "Its own skills do not cover a high risk: would pass if they did, or as a flag when high-risk skills are not required."
	}
	if i := trailingZeros(m); i < len(ReasonCodes) {
		return "Breaks one rule: " + lowerFirst(ReasonCodes[i].Description) + " Would pass only if that changed."
	}
	return ""
}

// nearKey is everything a near-miss sentence depends on but the distance, so that
// providers with the same values share one sentence instead of formatting it again.
type nearKey struct {
	mask                      reason
	ageMin, ageMax, vac, plan int16
	filled                    int16
	from                      int32
	kind                      uint8
	status                    placematch.CarerStatus
}

// keyOf is c's key for rule m, and false when the sentence depends on more than
// the key holds (the distance beyond the maximum, the date of an inspection) and
// is not shared.
func keyOf(c *Candidate, m reason) (nearKey, bool) {
	if m == rBeyondMax || m == rOfstedInadequate {
		return nearKey{}, false
	}
	k := nearKey{mask: m, ageMin: c.ageMin, ageMax: c.ageMax, vac: c.vac, plan: c.vacPlan, filled: c.filled,
		from: c.from, kind: c.kind}
	if c.P.Carer != nil {
		k.status = c.P.Carer.Status
	}
	return k, true
}

// ofstedDate is when a unit's or hub's latest rating was given, in words.
func ofstedDate(p *placematch.Provider) string {
	_, r, _ := p.OfstedOf()
	if r.InspectedOn.IsZero() {
		return "date not recorded"
	}
	return r.InspectedOn.Time().Format("2 January 2006")
}

func yearsText(n int) string {
	if n == 1 {
		return "one year"
	}
	return fmt.Sprintf("%d years", n)
}

func placesText(n int, what string) string {
	switch n {
	case 0:
		return "no " + what + "s"
	case 1:
		return "1 " + what
	}
	return fmt.Sprintf("%d %ss", n, what)
}

func groupText(g int) string {
	if g == 1 {
		return "one child"
	}
	return fmt.Sprintf("a group of %d", g)
}

func freeText(n int) string {
	if n == 1 {
		return "a place frees"
	}
	return fmt.Sprintf("%d more places free", n)
}

func lowerFirst(s string) string {
	if s == "" {
		return s
	}
	return strings.ToLower(s[:1]) + s[1:]
}
