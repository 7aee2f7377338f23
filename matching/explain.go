package matching

import (
	"fmt"
	"math/bits"
	"strings"

	"placematch"
	"placematch/geo"
)

// explain builds the Match for one ranked candidate: the same factor values the
// first pass scored, now with details, reasons and flags. It runs only for the
// matches returned, so it may format strings freely.
func (q *query) explain(c *Candidate, rank int, score float64) Match {
	p := c.P
	_, vac, c2 := q.check(c)
	km := 0.0
	if q.home {
		km = chordKM(c2)
	}
	var v [nFactors]float64
	q.values(c, vac, km, &v)
	needs := q.explainNeeds(c)
	v[fNeeds] = needsValue(needs.covered, q.needTotal)

	m := Match{Rank: rank, Provider: p.Ref(), Score: q.score(&v), Vacancies: int(vac),
		Reasons: []string{}, Flags: []string{}}
	if m.Score != score {
		// The first pass and this one share every formula; a difference is a bug
		// worth failing loudly in tests rather than a score nobody can explain.
		panic(fmt.Sprintf("matching: score of %s changed from %v to %v", c.P.ID, score, m.Score))
	}
	if q.home {
		m.DistanceKM = round4(km)
		m.DistanceMiles = geo.Miles(km)
		m.Within20Miles = m.DistanceMiles <= placematch.NearMiles
	}

	dist := q.distanceText(c, km)
	fresh, stale := q.freshnessText(c)
	details := [nFactors]string{
		fNeeds:     needs.detail,
		fDistance:  dist.detail,
		fCapacity:  capacityText(vac, q.g),
		fLanguage:  q.languageText(c),
		fFreshness: fresh.detail,
		fInArea:    q.areaText(c),
	}
	m.Factors = make([]Factor, nFactors)
	for i, name := range FactorNames {
		m.Factors[i] = Factor{Name: name, Value: round4(v[i]), Weight: q.weights[i],
			Contribution: round4(q.coef[i] * v[i]), Detail: details[i]}
	}

	m.Reasons = append(m.Reasons, q.approvalText(c))
	m.Reasons = append(m.Reasons, dist.reason...)
	m.Reasons = append(m.Reasons, vacancyReason(vac, q.g), needs.reason)
	if len(q.langs) > 0 {
		m.Reasons = append(m.Reasons, upperFirst(details[fLanguage])+".")
	}
	m.Reasons = append(m.Reasons, fresh.reason...)
	flags, said := q.ruleFlags(c)
	m.Reasons = append(m.Reasons, said...)

	if stale {
		m.Flags = append(m.Flags, FlagAvailabilityStale)
	}
	if q.areaConfigured && c.props&pInDistrict == 0 {
		m.Flags = append(m.Flags, FlagOutOfArea)
	}
	if q.home && !m.Within20Miles {
		m.Flags = append(m.Flags, FlagBeyond20Miles)
	}
	if !q.home {
		m.Flags = append(m.Flags, FlagDistanceUnknown)
	}
	m.Flags = append(m.Flags, flags...)
	return m
}

// ruleFlags flags the hard rules passed only through an exception, and says so in
// a sentence where the approval sentence has not already.
func (q *query) ruleFlags(c *Candidate) (flags, reasons []string) {
	switch c.kind {
	case kindCarer:
		if q.checkType && c.types&q.typeBit == 0 {
			flags = append(flags, FlagEmergencyOutsideTerms)
		}
		if after := int(c.filled) + int(q.g); after > placematch.FosteringLimit {
			if c.filled == 0 && q.siblings {
				flags = append(flags, FlagSiblingGroupOverLimit)
				reasons = append(reasons, fmt.Sprintf("The %d siblings may live here together: the fostering limit of %d does not apply when all the children are siblings.", q.g, placematch.FosteringLimit))
			} else {
				flags = append(flags, FlagLimitExemption)
				reasons = append(reasons, fmt.Sprintf("%d foster children after placement, above the limit of %d, under the carer's exemption; check that it names these children.", after, placematch.FosteringLimit))
			}
		}
	case kindUnit:
		if q.teen && c.props&pRegPending != 0 {
			flags = append(flags, FlagRegistrationPending)
		}
	}
	return flags, reasons
}

// needsExplained is the needs factor in words.
type needsExplained struct {
	covered uint64
	detail  string
	reason  string
}

// explainNeeds names which needs the provider covers itself, which a nearby hub's
// outreach covers (the nearest such hub), and which nobody covers.
func (q *query) explainNeeds(c *Candidate) needsExplained {
	if q.needTotal == 0 {
		return needsExplained{detail: "no needs or graded risks recorded",
			reason: "No needs or graded risks are recorded for the child."}
	}
	own := c.cover & q.needs
	covered := own | q.hubs.covers(c, q.needs&^own)
	var names, via, missing []string
	for _, code := range q.needItems {
		b, known := needBit[code]
		switch {
		case known && own&(1<<b) != 0:
			names = append(names, code)
		case known && covered&(1<<b) != 0:
			hub, km := q.hubs.nearest(c, 1<<b)
			v := fmt.Sprintf("%s via %s outreach (%.1f km)", code, hubName(hub.P), km)
			names, via = append(names, v), append(via, v)
		default:
			missing = append(missing, code)
		}
	}
	n, total := bits.OnesCount64(covered), q.needTotal
	detail := fmt.Sprintf("covers %d of %d needs", n, total)
	if len(via) > 0 {
		detail += "; " + strings.Join(via, "; ")
	}
	if len(missing) > 0 {
		detail += "; not covered: " + strings.Join(missing, ", ")
	}
	var reason string
	switch {
	case n == 0:
		reason = fmt.Sprintf("Covers none of the child's %d needs (%s).", total, strings.Join(missing, ", "))
	case n == total:
		reason = fmt.Sprintf("Covers all %d needs: %s.", total, strings.Join(names, ", "))
	default:
		reason = fmt.Sprintf("Covers %d of %d needs: %s. Not covered: %s.", n, total,
			strings.Join(names, ", "), strings.Join(missing, ", "))
	}
	return needsExplained{covered: covered, detail: detail, reason: reason}
}

// hubName names a hub so that the text reads "Norwich hub outreach".
func hubName(p *placematch.Provider) string {
	name := p.Name
	if name == "" {
		name = p.ID
	}
	if !strings.Contains(strings.ToLower(name), "hub") {
		name += " hub"
	}
	return name
}

// approvalText says why the provider may take the group at all.
func (q *query) approvalText(c *Candidate) string {
	p := c.P
	ages := fmt.Sprintf("ages %d–%d", p.AgeMin, p.AgeMax)
	switch c.kind {
	case kindCarer:
		t := q.child.PlacementType
		switch {
		case !q.checkType:
			return fmt.Sprintf("Approved foster carer for %s.", ages)
		case c.types&q.typeBit == 0:
			return fmt.Sprintf("Approved for %s, not for emergency care: an emergency placement outside the terms of approval may last up to 6 working days.", ages)
		}
		return fmt.Sprintf("Approved for %s care for %s.", t, ages)
	case kindUnit:
		reg := "Ofsted registered"
		switch p.Unit.RegistrationStatus {
		case placematch.ApplicationAccepted:
			reg = "Ofsted application accepted, not yet registered"
		case placematch.NotRegistered:
			reg = "not Ofsted registered (allowed: everyone in the group is 18 or over)"
		}
		return fmt.Sprintf("Supported accommodation for %s, %s.", ages, reg)
	}
	beds := "planned beds only"
	if q.urgent {
		beds = "emergency beds may be used"
	}
	return fmt.Sprintf("New Roads hub for %s; %s.", ages, beds)
}

func vacancyReason(vac, g int16) string {
	if g == 1 {
		return fmt.Sprintf("Has %d %s for one child.", vac, plural(int(vac), "vacancy", "vacancies"))
	}
	return fmt.Sprintf("Has %d %s for a group of %d.", vac, plural(int(vac), "vacancy", "vacancies"), g)
}

func capacityText(vac, g int16) string {
	s := fmt.Sprintf("%d %s for a group of %d", vac, plural(int(vac), "vacancy", "vacancies"), g)
	if spare := vac - g; spare > 0 {
		s += fmt.Sprintf(" (%d spare)", spare)
	}
	return s
}

func plural(n int, one, many string) string {
	if n == 1 {
		return one
	}
	return many
}

func upperFirst(s string) string {
	if s == "" {
		return s
	}
	return strings.ToUpper(s[:1]) + s[1:]
}
