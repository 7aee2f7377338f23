package matching

import (
	"fmt"
	"strconv"
	"strings"
	"time"

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
	v[fNeeds] = needsValue(needs.own, needs.outreach, q.totalW)

	m := Match{Rank: rank, Provider: p.Ref(), Score: q.score(&v), Vacancies: int(vac),
		Reasons: []string{}, Flags: []string{}, Household: q.householdAfter(c),
		Skills: skillsOf(p), Needs: needs.items, Act: act(p)}
	if m.Score != score {
		// The first pass and this one share every formula; a difference is a bug
		// worth failing loudly in tests rather than a score nobody can explain.
		panic(fmt.Sprintf("matching: score of %s changed from %v to %v", c.P.ID, score, m.Score))
	}
	if skm, member := q.farthestSchool(c); member >= 0 {
		m.SchoolDistanceKM = round4(skm)
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

	m.Band, m.Tier = BandOf(m.Score), q.tier(c)
	// An uncovered high risk is the first thing the officer must see, then why the
	// match sits in its tier.
	m.Reasons = append(m.Reasons, needs.high...)
	m.Reasons = append(m.Reasons, q.tierText(c, m.Tier)...)
	m.Reasons = append(m.Reasons, q.approvalText(c))
	m.Reasons = append(m.Reasons, dist.reason...)
	m.Reasons = append(m.Reasons, vacancyReason(vac, q.g), needs.reason)
	if len(q.langs) > 0 {
		m.Reasons = append(m.Reasons, upperFirst(details[fLanguage])+".")
	}
	m.Reasons = append(m.Reasons, fresh.reason...)
	if s := householdText(m.Household, q.g); s != "" {
		m.Reasons = append(m.Reasons, s)
	}
	// The exceptions are read off the home as the rules judged it: for a care
	// leaver staying put, without the group's members placed there now.
	flags, said := q.ruleFlags(q.judged(c))
	m.Reasons = append(m.Reasons, said...)

	if q.highUncovered(c.cover) {
		m.Flags = append(m.Flags, FlagHighRiskNotCovered)
	}
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

// tierText says why a match ranks above or below the usual tier, and names a
// care leaver staying put.
func (q *query) tierText(c *Candidate, tier int8) []string {
	var out []string
	switch tier {
	case TierConnected:
		var who []string
		for i, m := range q.members {
			s := q.ref(i)
			for _, k := range c.P.Carer.ConnectedTo {
				if k.ChildID == m.ID && k.Relationship != "" {
					s += " (" + k.Relationship + ")"
				}
			}
			who = append(who, s)
		}
		out = append(out, fmt.Sprintf("Connected person for %s: ranked above every provider that is not, because the council must give preference to a relative, friend or other connected person who is a local authority foster parent (Children Act 1989 s22C(7)(a)).", joinAnd(who)))
		if t := c.P.Carer.TemporaryApproval; t != nil {
			ext := ""
			if t.Extended {
				ext = ", extended under reg 25"
			}
			out = append(out, fmt.Sprintf("Temporary approval as a connected person (reg 24%s) until %s.", ext, t.ExpiresOn))
		}
		// The preference does not lift reg 23's limit on an emergency outside the
		// carer's terms.
		if q.emergency && c.types&emergencyBit == 0 {
			out = append(out, q.reg23Text("Emergency care is outside this connected person's terms of approval"))
		}
	case TierOutsideTerms:
		out = append(out, q.reg23Text("Ranked below every provider inside its terms: emergency care is outside this carer's terms of approval"))
	case TierPending:
		out = append(out, "Ranked below every provider that can be booked: the carer's assessment is in progress.")
	}
	if q.adult && c.kind == kindCarer {
		var who []string
		for i := range q.members {
			if q.ages[i] >= placematch.AdultAge {
				who = append(who, q.ref(i))
			}
		}
		out = append(out, fmt.Sprintf("Staying put: %s, 18 or over, already %s here; staying put is arranged with the carer, not booked here.", joinAnd(who), plural(len(who), "lives", "live")))
	}
	return out
}

// reg23Text completes lead with the reg 23 limit and the last permitted day of an
// emergency placement outside a carer's terms of approval.
func (q *query) reg23Text(lead string) string {
	s := lead + ", which allows the placement for up to 6 working days only (Care Planning Regulations 2010 reg 23)"
	start := placematch.DateOf(time.Unix(int64(q.required)*86400, 0).UTC())
	if end, err := placematch.NthWorkingDay(start, placematch.EmergencyOutsideTermsDays); err == nil {
		s += fmt.Sprintf(": from %s, until %s at the latest", start, end)
	}
	return s + "."
}

// skillsOf lists a provider's own skills: a carer's or a unit's skills, a hub's
// services.
func skillsOf(p *placematch.Provider) []string {
	var s []string
	switch {
	case p.Carer != nil:
		s = p.Carer.Skills
	case p.Unit != nil:
		s = p.Unit.Skills
	case p.Hub != nil:
		s = p.Hub.Services
	}
	return append([]string{}, s...)
}

// householdText says who else lives there, when anyone does, and the household
// facts the rules looked at.
func householdText(h Household, g int16) string {
	others := len(h.ChildrenAges) - int(g)
	var facts []string
	if others > 0 {
		// The group's ages are among ChildrenAges; say the others' only when the
		// group is one child, where they are plain to read off.
		facts = append(facts, strconv.Itoa(others)+" other "+plural(others, "child lives", "children live")+" there")
	}
	if h.Pets {
		facts = append(facts, "the household has pets")
	}
	if h.Smoking {
		facts = append(facts, "the household smokes")
	}
	if len(facts) == 0 {
		return ""
	}
	ages := make([]string, len(h.ChildrenAges))
	for i, a := range h.ChildrenAges {
		ages[i] = strconv.Itoa(a)
	}
	return upperFirst(joinAnd(facts)) + " (ages after placement: " + strings.Join(ages, ", ") + ")."
}

// ruleFlags flags the hard rules passed only through an exception, and says so in
// a sentence where the approval sentence has not already.
func (q *query) ruleFlags(c *Candidate) (flags, reasons []string) {
	switch c.kind {
	case kindCarer:
		if q.emergency && c.types&emergencyBit == 0 {
			flags = append(flags, FlagEmergencyOutsideTerms)
		}
		if after := q.fosteredAfter(c); after > placematch.FosteringLimit {
			switch {
			case q.siblingHome(c) && c.filled == 0:
				flags = append(flags, FlagSiblingGroupOverLimit)
				reasons = append(reasons, fmt.Sprintf("The %d siblings may live here together: the fostering limit of %d does not apply when all the children are siblings.", q.g, placematch.FosteringLimit))
			case q.siblingHome(c):
				flags = append(flags, FlagSiblingGroupOverLimit)
				reasons = append(reasons, fmt.Sprintf("%d foster children after placement, all siblings of each other with the %d placed here now: the fostering limit of %d does not apply.", after, c.filled, placematch.FosteringLimit))
			default:
				e, _ := placematch.ExemptionFor(c.P.Carer.Exemptions, q.day, q.ids)
				flags = append(flags, FlagLimitExemption)
				reasons = append(reasons, exemptionText(e, after))
			}
		}
		if c.static&rPending != 0 {
			flags = append(flags, FlagPendingApproval)
		}
	case kindUnit:
		if q.teen && c.props&pRegPending != 0 {
			flags = append(flags, FlagRegistrationPending)
		}
	}
	if _, r, ok := c.P.OfstedOf(); ok {
		switch {
		case !r.Inspected():
			flags = append(flags, FlagOfstedNotInspected)
			reasons = append(reasons, "Not yet inspected by Ofsted.")
		case r.Grade == placematch.OfstedRequiresImprovement:
			flags = append(flags, FlagOfstedRequiresImprovement)
			reasons = append(reasons, fmt.Sprintf("Ofsted: requires improvement to be good (inspected %s); read the report before booking.", r.InspectedOn))
		default:
			reasons = append(reasons, "Ofsted: "+string(r.Grade)+" (inspected "+r.InspectedOn.String()+").")
		}
	}
	return flags, reasons
}

// exemptionText says which exemption allows after foster children, with what the
// officer must check: who granted it, until when, on what conditions.
func exemptionText(e placematch.Exemption, after int) string {
	s := fmt.Sprintf("%d foster children after placement, above the limit of %d, under the exemption granted by %s",
		after, placematch.FosteringLimit, e.GrantedBy)
	if !e.GrantedOn.IsZero() {
		s += " on " + e.GrantedOn.String()
	}
	s += fmt.Sprintf(", which names these children (%d named)", len(e.Children))
	if !e.ExpiresOn.IsZero() {
		s += " and runs until " + e.ExpiresOn.String()
	}
	if e.Conditions != "" {
		return s + "; its conditions: " + strings.TrimRight(e.Conditions, ".") + "."
	}
	return s + "; it has no conditions."
}

// act gathers what the officer needs to act on a match from the provider's record.
func act(p *placematch.Provider) Act {
	a := Act{Contact: p.Contact}
	switch {
	case p.Carer != nil:
		if w := p.Carer.SupervisingSocialWorker; w != nil {
			cp := *w
			a.SupervisingSocialWorker = &cp
		}
		if b := p.Carer.FeeBand; b != "" {
			a.FeeBand = &b
		}
	case p.Unit != nil && p.Unit.WeeklyCostPence > 0:
		cost := p.Unit.WeeklyCostPence
		a.WeeklyCostPence = &cost
	}
	if urn, r, ok := p.OfstedOf(); ok {
		o := &OfstedSeen{}
		if urn != "" {
			o.URN = &urn
		}
		if r.Inspected() {
			g, d := r.Grade, r.InspectedOn
			o.Rating, o.InspectionDate = &g, &d
		}
		a.Ofsted = o
	}
	return a
}

// needsExplained is the needs factor in words.
type needsExplained struct {
	own, outreach int // weights covered by the provider and by outreach
	detail        string
	reason        string
	high          []string // sentences on uncovered high risks, said first
	items         []NeedCover
}

// ref names member i by case reference, never by name (its id when it has none).
func (q *query) ref(i int) string {
	if r := q.members[i].Reference; r != "" {
		return r
	}
	return q.members[i].ID
}

// explainNeeds says which items the provider covers itself, which a nearby hub's
// outreach covers at half credit (the nearest such hub), and which nobody covers,
// each with the member's case reference when the group has more than one.
func (q *query) explainNeeds(c *Candidate) needsExplained {
	var e needsExplained
	e.items = make([]NeedCover, 0, len(q.items))
	for i := range q.members {
		var open []string
		for _, it := range q.items {
			if it.member == i && it.level == "high" && c.cover&it.bit == 0 {
				open = append(open, Label(it.code))
			}
		}
		if len(open) > 0 {
			e.high = append(e.high, fmt.Sprintf("Does not cover %s's high %s of %s.", q.ref(i),
				plural(len(open), "risk", "risks"), joinAnd(open)))
		}
	}
	who := "the child"
	if q.g > 1 {
		who = "the group"
	}
	if len(q.items) == 0 {
		e.detail = "no needs or graded risks recorded"
		e.reason = fmt.Sprintf("No needs or graded risks are recorded for %s.", who)
		return e
	}
	var covered, via, missing []string
	// The hubs asked about: each item the provider's own skills leave open.
	var askBuf [16]hubAsk
	asks := askBuf[:0]
	for _, it := range q.items {
		if it.bit != 0 && c.cover&it.bit == 0 {
			asks = append(asks, hubAsk{bit: it.bit, age: q.ages[it.member]})
		}
	}
	q.hubs.nearestEach(c, asks)
	for _, it := range q.items {
		name := itemText(it.code, it.level)
		if q.g > 1 {
			name += " (" + q.ref(it.member) + ")"
		}
		nc := NeedCover{Child: q.ref(it.member), Code: it.code, Label: Label(it.code), Level: it.level,
			CoveredBy: CoveredByNone}
		switch {
		case it.bit != 0 && c.cover&it.bit != 0:
			nc.CoveredBy = CoveredByProvider
			e.own += it.weight()
			covered = append(covered, name)
		case it.bit != 0:
			a := asks[0]
			asks = asks[1:]
			if hub := a.best; hub != nil {
				km := chordKM(a.c2)
				nc.CoveredBy, nc.Hub = CoveredByOutreach, hubName(hub.P)
				e.outreach += it.weight()
				v := name + " via " + nc.Hub + " outreach (" + f1(km) + " km, half credit)"
				covered, via = append(covered, v), append(via, v)
				break
			}
			missing = append(missing, name)
		default:
			missing = append(missing, name)
		}
		e.items = append(e.items, nc)
	}
	n, total := len(covered), len(q.items)
	weighted := ""
	if q.totalW != total || e.outreach > 0 {
		weighted = fmt.Sprintf(" (weighted %g of %d)", float64(2*e.own+e.outreach)/2, q.totalW)
	}
	e.detail = "covers " + strconv.Itoa(n) + " of " + strconv.Itoa(total) + " " + plural(total, "need", "needs") + weighted
	if len(via) > 0 {
		e.detail += "; outreach: " + strings.Join(via, "; ")
	}
	if len(missing) > 0 {
		e.detail += "; not covered: " + strings.Join(missing, ", ")
	}
	switch {
	case n == total && total == 1:
		e.reason = fmt.Sprintf("Covers its one need: %s.", covered[0])
	case n == total && total == 2:
		e.reason = fmt.Sprintf("Covers both needs%s: %s.", weighted, joinAnd(covered))
	case n == total:
		e.reason = fmt.Sprintf("Covers all %d needs%s: %s.", total, weighted, joinAnd(covered))
	case n == 0 && total == 1:
		e.reason = fmt.Sprintf("Does not cover its one need: %s.", missing[0])
	case n == 0 && total == 2:
		e.reason = fmt.Sprintf("Covers neither need: %s.", joinAnd(missing))
	case n == 0:
		e.reason = fmt.Sprintf("Covers none of the %d needs: %s.", total, joinAnd(missing))
	default:
		e.reason = fmt.Sprintf("Covers %d of %d needs%s: %s. Not covered: %s.", n, total, weighted,
			joinAnd(covered), joinAnd(missing))
	}
	return e
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
	ages := "ages " + strconv.Itoa(p.AgeMin) + "–" + strconv.Itoa(p.AgeMax)
	switch c.kind {
	case kindCarer:
		if c.static&rPending != 0 {
			panel := "no panel date recorded"
			if d := p.Carer.PanelDate; !d.IsZero() {
				panel = "fostering panel on " + d.String()
			}
			return fmt.Sprintf("Assessment in progress (%s), not yet approved, for %s: shown for planning only; it cannot be booked until approved.", panel, ages)
		}
		if c.types&connectedBit != 0 {
			return fmt.Sprintf("Approved as a connected person for the named %s, %s.", plural(len(c.P.Carer.ConnectedTo), "child", "children"), ages)
		}
		var names, in []string
		for _, t := range q.typeNames {
			names = append(names, string(t))
			if t != placematch.PlacementEmergency || c.types&emergencyBit != 0 {
				in = append(in, string(t))
			}
		}
		switch {
		case len(names) == 0:
			return fmt.Sprintf("Approved foster carer for %s.", ages)
		case len(in) < len(names) && len(in) == 0:
			return fmt.Sprintf("Approved for %s, not for emergency care: an emergency placement outside the terms of approval may last up to 6 working days.", ages)
		case len(in) < len(names):
			return fmt.Sprintf("Approved for %s care for %s, not for emergency care: an emergency placement outside the terms of approval may last up to 6 working days.", joinAnd(in), ages)
		}
		return "Approved for " + joinAnd(names) + " care for " + ages + "."
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
	lo, hi := p.Hub.BedAges()
	return fmt.Sprintf("New Roads hub, beds for ages %d–%d; %s.", lo, hi, beds)
}

func vacancyReason(vac, g int16) string {
	if g == 1 {
		return "Has " + strconv.Itoa(int(vac)) + " " + plural(int(vac), "vacancy", "vacancies") + " for one child."
	}
	return fmt.Sprintf("Has %d %s for a group of %d.", vac, plural(int(vac), "vacancy", "vacancies"), g)
}

func capacityText(vac, g int16) string {
	s := strconv.Itoa(int(vac)) + " " + plural(int(vac), "vacancy", "vacancies") + " for a group of " + strconv.Itoa(int(g))
	if spare := vac - g; spare > 0 {
		s += " (" + strconv.Itoa(int(spare)) + " spare)"
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
