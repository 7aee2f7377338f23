package matching

import (
	"runtime"
	"slices"
	"sync"

	"placematch"
)

// Rank checks every candidate against the hard rules, scores the rest and returns
// the best Options.Limit of them, explained. It is deterministic: the same request,
// candidates (in any order) and weights give the same result. Matches are ordered
// by tier first (a connected person for the group, then the usual, then an
// emergency outside a carer's terms), then by score in whole TieMargin steps;
// scores in the same step are ordered by distance from home, then from the
// farthest school, then provider id.
//
// Invalid weights (see Weights.Validate) are replaced by DefaultWeights, and
// Result.WeightsVersion says so; callers should validate first. A nil Child gives an
// empty result.
func Rank(req Request, cands []Candidate, w Weights, opt Options) Result {
	res := Result{ExcludedSummary: map[string]int{}, Matches: []Match{}, Excluded: []Exclusion{}, NearMisses: []NearMiss{}}
	if req.Child == nil {
		res.WeightsVersion = DefaultWeights().Version
		_, res.RulesVersion = opt.Policy.compile()
		return res
	}
	q := newQuery(req, w, opt)
	res.WeightsVersion, res.RulesVersion = q.version, q.rulesVersion
	if opt.Masks != nil {
		q.masks = zeroed(opt.Masks, len(cands))
	}

	p := &pool{base: cands}
	st := q.scanAll(p, opt.IncludeExcluded)
	q.finish(&res, st, p, opt.IncludeExcluded)
	return res
}

// finish fills res from a finished pass over the candidates of p.
func (q *query) finish(res *Result, st *scanState, p *pool, listExcluded bool) {
	res.Considered = st.considered
	res.ExcludedCount = st.excluded
	res.Eligible = st.considered - st.excluded
	for i, n := range st.counts {
		if n > 0 {
			res.ExcludedSummary[ReasonCodes[i].Code] = n
		}
	}
	best := st.top.sorted()
	res.Matches = make([]Match, len(best))
	for i, e := range best {
		res.Matches[i] = q.explain(p.at(e.idx), i+1, e.score)
	}
	res.NearMisses = q.nearMisses(&st.near)
	if listExcluded {
		res.Excluded = exclusions(p, st.excl, q.nearMissText)
	}
}

// scanState is what one pass over candidates accumulates.
type scanState struct {
	top          topK
	counts       [nReasons]int
	considered   int
	excluded     int
	listExcluded bool
	excl         []excluded
	near         nearTop
	// want and got are per-member scratch for the outreach lookup.
	want, got []uint64
}

// excluded is kept with the id's sort key inline, so sorting tens of thousands of
// exclusions does not chase a pointer per comparison.
type excluded struct {
	key  uint64
	idx  int32
	mask reason
}

// scan is the first pass: for each candidate a rule mask, and for those that pass,
// the factor values and score, offered to the top-k heap. No allocation and no
// strings here; base offsets indexes when cands is a slice of a larger list, and
// the candidates at those indexes in dead (when not nil) are skipped.
func (q *query) scan(cands []Candidate, base int32, dead bitset, st *scanState) {
	for i := range cands {
		c := &cands[i]
		if c.kind&q.kinds == 0 || c.props&pArchived != 0 {
			continue
		}
		if p := base + int32(i); dead != nil && dead[p>>6]&(1<<(p&63)) != 0 {
			continue
		}
		q.visit(c, base+int32(i), st)
	}
}

// visit judges one considered candidate at index idx: its rule mask counted, and,
// when it passes, its score offered to the top-k heap.
func (q *query) visit(c *Candidate, idx int32, st *scanState) {
	st.considered++
	m, vac, c2 := q.check(c)
	if m != 0 {
		st.excluded++
		for r := m; r != 0; r &= r - 1 {
			st.counts[trailingZeros(r)]++
		}
		if st.listExcluded {
			st.excl = append(st.excl, excluded{c.idKey, idx, m})
		}
		if q.masks != nil {
			q.masks[idx] = uint32(m) // chunks write disjoint positions
		}
		if nearMissable(m) {
			st.near.offer(nearEntry{c: c, c2: c2, mask: m})
		}
		return
	}
	q.offer(c, idx, vac, c2, st)
}

// offer scores a candidate that passed every hard rule and offers it to the heap;
// vac are its vacancies for this request and c2 its squared chord from home.
func (q *query) offer(c *Candidate, idx int32, vac int16, c2 float64, st *scanState) {
	km := 0.0
	if q.home {
		km = chordKM(c2)
	}
	var v [nFactors]float64
	q.values(c, vac, km, &v)
	e := entry{idx: idx, dist: km, tier: q.tier(c)}
	e.school, _ = q.farthestSchool(c)
	if open := q.needs &^ c.cover; open&q.hubs.cover != 0 {
		// Outreach can only add half credits. Score with every open item some
		// hub could cover credited; if even that cannot enter the top k, the
		// hub lookup is skipped.
		own := q.weightOf(c.cover)
		v[fNeeds] = needsValue(own, q.weightOf(open&q.hubs.cover), q.totalW)
		e.score = q.score(&v)
		e.band = bandIndex(e.score)
		if !st.top.wants(e) {
			return
		}
		v[fNeeds] = needsValue(own, q.outreachWeight(c, st.want, st.got), q.totalW)
	}
	e.score = q.score(&v)
	e.band = bandIndex(e.score)
	st.top.offer(e)
}

// check applies every hard rule to c and returns the breached ones, the vacancies
// that count for this request, and the squared chord from home (0 when unknown).
//
// A group with a member of 18 or over (a care leaver) may stay in foster care only
// with the carer every such member lives with now (staying put); that carer is
// judged as its home would be without the group's members already placed there,
// who neither need another place nor count twice in the household.
func (q *query) check(c *Candidate) (m reason, vac int16, c2 float64) {
	if q.adult && c.kind == kindCarer {
		if !q.stayingPut(c) {
			m, vac, c2 = q.rules(c, false)
			return m | rNotStayingPut, vac, c2
		}
		without := q.withoutMembers(c)
		return q.rules(&without, true)
	}
	return q.rules(c, false)
}

// judged is the candidate the hard rules judged for this group: c itself, or, for
// a carer a care leaver stays put with, c without the group's members (see check).
// The explanations read the same one, so that nobody is counted twice.
func (q *query) judged(c *Candidate) *Candidate {
	if q.adult && c.kind == kindCarer && q.stayingPut(c) {
		w := q.withoutMembers(c)
		return &w
	}
	return c
}

// fosteredAfter is the number of foster children in c's home after placement, the
// number the fostering limit (Children Act 1989 Schedule 7) counts: the residents
// and the members under 18. A young person of 18 or over staying put is no longer
// a fostered child.
func (q *query) fosteredAfter(c *Candidate) int {
	return int(c.filled-c.adults) + int(q.minors)
}

// isMember reports whether a resident is one of the group.
func (q *query) isMember(r *placematch.Resident) bool {
	return r.ChildID != "" && slices.ContainsFunc(q.members, func(m *placematch.Child) bool { return m.ID == r.ChildID })
}

// stayingPut reports whether every member of 18 or over lives with c's provider now.
func (q *query) stayingPut(c *Candidate) bool {
	if c.filled == 0 {
		return false
	}
	for i, m := range q.members {
		if q.ages[i] >= placematch.AdultAge && (m.ID == "" ||
			!slices.ContainsFunc(c.P.Residents, func(r placematch.Resident) bool { return r.ChildID == m.ID })) {
			return false
		}
	}
	return true
}

// withoutMembers is c as its home would be without the group's members placed
// there now: their places free, their ages and needs gone from the household. It
// allocates nothing, like the rest of the first pass.
func (q *query) withoutMembers(c *Candidate) Candidate {
	out := *c
	n := int16(0)
	for i := range c.P.Residents {
		if q.isMember(&c.P.Residents[i]) {
			n++
		}
	}
	out.filled, out.vac, out.vacPlan = c.filled-n, c.vac+n, c.vacPlan+n
	out.props &^= pOthers | pResLiveAlone | pResFire | pResOlder | pResYounger | pResHarm
	out.hhMin, out.hhMax, out.rOlderMax, out.rYoungerMin, out.rHarmMax, out.adults = 0, 0, 0, 0, 0, 0
	if d := c.P.Carer; d != nil {
		for _, a := range d.Household.OtherChildrenAges {
			out.addOther(a)
		}
	}
	prepareResidents(&out, c.P.Residents, q.isMember)
	return out
}

// rules is check without the staying-put rule. The rules an officer asked to see
// anyway (q.allowed: carers in assessment) are not breaches. With stayingPut (a
// carer every member of 18 or over lives with now), the approved age range applies
// to the members under 18 only: a young person staying put is not fostered.
func (q *query) rules(c *Candidate, stayingPut bool) (m reason, vac int16, c2 float64) {
	m = c.static &^ q.allowed
	switch {
	case !stayingPut:
		if q.minAge < c.ageMin || q.maxAge > c.ageMax {
			m |= rAge
		}
	case q.minors > 0:
		if q.minAge < c.ageMin || q.maxMinorAge > c.ageMax {
			m |= rAge
		}
	}
	vac = c.vac
	// One rule for every kind: each member's placement type must be one the
	// provider takes. The exception is emergency care with an approved carer:
	// reg 23 lets it take a child outside its terms of approval for up to six
	// working days; ranked below the carers inside their terms and flagged.
	if q.badType || q.types&^c.types != 0 ||
		q.emergency && c.types&emergencyBit == 0 && (c.kind != kindCarer || c.static&(rNotApproved|rPending) != 0) {
		m |= rPlacementType
	}
	switch c.kind {
	case kindCarer:
		if c.types&connectedBit != 0 {
			m |= q.kinship(c)
		}
		if q.fosteredAfter(c) > placematch.FosteringLimit && !q.siblingHome(c) && !q.exempt(c) {
			m |= rFosterLimit
		}
	case kindUnit:
		if q.minAge < 16 {
			m |= rUnder16
		}
		if q.teen && c.props&pRegOK == 0 {
			m |= rUnitNotReg
		}
		if q.nonFemale && c.props&pFemaleOnly != 0 {
			m |= rFemaleOnly
		}
	case kindHub:
		if !q.urgent {
			vac = c.vacPlan
		}
		if q.adult {
			m |= rCareLeaverHub
		}
	}
	if c.from > q.required {
		m |= rTooLate
	}
	if vac < q.g {
		m |= rVacancies
	}
	// Hubs record no accessibility, so they are never assumed accessible: better to
	// exclude a hub that could have taken a wheelchair user than to send the child
	// to one that cannot.
	if q.wheelchair && c.props&pAccessible == 0 {
		m |= rWheelchair
	}
	if q.home {
		c2 = chord2(q.hx, q.hy, q.hz, c.x, c.y, c.z)
		if q.hasMax && q.beyond(c2) {
			m |= rBeyondMax
		}
	}
	if q.areasBad {
		m |= rAreasUnreadable
	} else if q.inAvoidArea(c) {
		m |= rAvoidArea
	}
	if c.props&pHousehold != 0 {
		m |= q.household(c) &^ q.off
	}
	if q.requireHigh && q.highUncovered(c.cover) {
		m |= rHighRiskSkills
	}
	return m, vac, c2
}

// siblingHome reports whether everyone fostered in c's home after placement would be
// siblings of each other (the Schedule 7 sibling exception): the group and every
// child placed there now, all linked by sibling links among themselves, directly or
// through another of them, each link read from either child's record (a sibling's
// sibling is a sibling, as placematch.Siblings follows them). The carer's own
// children are not fostered and do not count. A home whose residents could not all
// be read (fewer than its filled places) is not taken to qualify.
func (q *query) siblingHome(c *Candidate) bool {
	if c.filled == 0 {
		return q.family
	}
	// Without a link between a resident and a member (by the blooms of their ids
	// and links) they cannot be one family; only a possible one reads P.
	if c.resIDs&q.memLinks == 0 && c.resLinks&q.memIDs == 0 {
		return false
	}
	// A member staying put is judged without its own place (withoutMembers), so
	// the residents counted are the others.
	rs := c.P.Residents
	others := 0
	for i := range rs {
		if !q.isMember(&rs[i]) {
			others++
		}
	}
	if others != int(c.filled) {
		return false
	}
	return oneFamily(len(q.members)+others, func(i int) (string, []string) {
		if i < len(q.members) {
			return q.members[i].ID, q.members[i].Siblings
		}
		i -= len(q.members)
		for j := range rs {
			if q.isMember(&rs[j]) {
				continue
			}
			if i == 0 {
				return rs[j].ChildID, rs[j].Siblings
			}
			i--
		}
		return "", nil // not reached: i < others
	})
}

// oneFamily reports whether the n children child(i) returns (an id and its sibling
// links) are one family: ids known and distinct, and each reachable from the first
// through links among them, read from either child's record. At most 64 children.
// No allocation: it runs in the first pass for homes over the limit.
func oneFamily(n int, child func(i int) (string, []string)) bool {
	if n == 0 || n > 64 {
		return false
	}
	for i := range n {
		id, _ := child(i)
		for j := range i {
			if other, _ := child(j); id == "" || other == id {
				return false
			}
		}
		if id == "" {
			return false
		}
	}
	var reached uint64 = 1
	for grown := true; grown; {
		grown = false
		for i := range n {
			if reached&(1<<i) != 0 {
				continue
			}
			id, links := child(i)
			for j := range n {
				if other, back := child(j); reached&(1<<j) != 0 && (slices.Contains(links, other) || slices.Contains(back, id)) {
					reached, grown = reached|1<<i, true
					break
				}
			}
		}
	}
	return reached == 1<<n-1 // for n = 64, 1<<n is 0 and this is every bit
}

// bloomBits is the width of the blooms of children's ids (idBloom). A home at the
// fostering limit is read one by one when one of its residents' bits meets one of
// the group's, so the width sets how many homes full of siblings are read: with 16
// bits, most of them in a world where many residents have sibling links
// (docs/benchmarks.md).
const bloomBits = 64

// idBloom is the bit of id in a bloomBits-bit bloom filter (FNV-1a), 0 for no id.
func idBloom(id string) uint64 {
	if id == "" {
		return 0
	}
	h := uint32(2166136261)
	for i := 0; i < len(id); i++ {
		h = (h ^ uint32(id[i])) * 16777619
	}
	return 1 << (h % bloomBits)
}

// exempt reports whether an exemption current on the search date names every child
// of the group (the children this placement adds).
func (q *query) exempt(c *Candidate) bool {
	// An exemption names every member, so each member's bloom bit is among those
	// of the children its exemptions name.
	if c.props&pExempt == 0 || q.memIDs&^c.exBloom != 0 {
		return false
	}
	_, ok := placematch.ExemptionFor(c.P.Carer.Exemptions, q.day, q.ids)
	return ok
}

// tier is the rank tier of a candidate that passed every hard rule: a connected
// person for the group first (s22C(7)(a) preference), an approved carer taking an
// emergency outside its terms of approval after the usual (reg 23: only for 6
// working days), and a carer still in assessment (shown with IncludePending, never
// bookable) below every provider that can be booked.
func (q *query) tier(c *Candidate) int8 {
	switch {
	case c.kind != kindCarer:
		return TierUsual
	case c.static&rPending != 0:
		return TierPending
	case c.types&connectedBit != 0:
		// It passed the rules, so the approval names every member.
		return TierConnected
	case q.emergency && c.types&emergencyBit == 0:
		return TierOutsideTerms
	}
	return TierUsual
}

// kinship applies a connected-person approval: it is for the children it names,
// so every member must be one of them, and a temporary approval (reg 24) must
// still be in force on the day the placement is needed.
// The candidate's kin bits settle most children without reading the provider.
func (q *query) kinship(c *Candidate) reason {
	var m reason
	for i, mem := range q.members {
		if mem.ID == "" || c.kin&q.kinBits[i] == 0 || !c.P.Carer.IsConnectedTo(mem.ID) {
			m |= rNotConnected
			break
		}
	}
	if c.props&pTemporary != 0 {
		if t := c.P.Carer.TemporaryApproval; t != nil && dayNumber(t.ExpiresOn) < q.required {
			m |= rTempExpired
		}
	}
	return m
}

// inAreaBox reports whether c may lie in an avoid-area (edges included, as geo does).
func (q *query) inAreaBox(c *Candidate) bool {
	b := &q.areaBox
	return c.lon >= b.Min[0] && c.lon <= b.Max[0] && c.lat >= b.Min[1] && c.lat <= b.Max[1]
}

// beyond reports whether a squared chord is further than the maximum distance. Near
// the threshold it decides on kilometres, so a provider shown at exactly the
// maximum is never excluded for exceeding it by a rounding error.
func (q *query) beyond(c2 float64) bool {
	switch {
	case c2 > q.maxC2*(1+1e-9):
		return true
	case c2 < q.maxC2*(1-1e-9):
		return false
	}
	return chordKM(c2) > q.maxKM
}

// values fills every factor value but needs' outreach part, which scan adds.
func (q *query) values(c *Candidate, vac int16, km float64, v *[nFactors]float64) {
	v[fNeeds] = needsValue(q.weightOf(c.cover), 0, q.totalW)
	homeKM := -1.0
	if q.home {
		homeKM = km
	}
	schoolKM, _ := q.farthestSchool(c)
	v[fDistance] = distanceValue(homeKM, len(q.schools) > 0, schoolKM)
	v[fCapacity] = capacityValue(vac, q.g)
	v[fLanguage] = q.language(c)
	v[fFreshness], _ = q.freshness(c)
	if !q.areaConfigured || c.props&pInDistrict != 0 {
		v[fInArea] = 1
	}
}

// language is 1 when the child has no languages recorded or a carer speaks one of
// them, 0 when a carer speaks none, and languageUnknown for units and hubs.
func (q *query) language(c *Candidate) float64 {
	switch {
	case len(q.langs) == 0:
		return 1
	case c.kind != kindCarer:
		return languageUnknown
	}
	switch shared := c.lang & q.langMask; {
	case shared&exactLangs != 0:
		return 1
	case shared != 0 && q.sharedLanguage(c) != "":
		return 1
	}
	return 0
}

// sharedLanguage returns the first of the carer's languages the child speaks.
func (q *query) sharedLanguage(c *Candidate) string {
	if c.P.Carer == nil {
		return ""
	}
	for _, l := range c.P.Carer.Languages {
		if slices.Contains(q.langs, normLang(l)) {
			return l
		}
	}
	return ""
}

// farthestSchool returns the distance to the farthest of the members' schools and
// which member's it is (-1 with no school): a home is only as near school as it is
// to the school furthest from it.
func (q *query) farthestSchool(c *Candidate) (km float64, member int) {
	best, member := -1.0, -1
	for _, s := range q.schools {
		if d := chord2(s.x, s.y, s.z, c.x, c.y, c.z); d > best {
			best, member = d, s.member
		}
	}
	if member < 0 {
		return 0, -1
	}
	return chordKM(best), member
}

func (q *query) freshness(c *Candidate) (float64, bool) {
	return freshnessValue(c.confirmed != noConfirm, float64(q.now-c.confirmed), q.staleAfter,
		c.props&pUnconfirmed != 0)
}

// exclusions turns the sorted excluded candidates into Exclusions. Reading each
// provider's name is a pointer chase per exclusion, so long lists are filled in
// parallel halves. Each part has one backing array for its code slices, each slice
// capped so that appending to one never overwrites another.
func exclusions(p *pool, ex []excluded, nearMiss func(*Candidate, reason) string) []Exclusion {
	out := make([]Exclusion, len(ex))
	fill := func(lo, hi int) {
		n := 0
		for _, e := range ex[lo:hi] {
			n += onesCount(e.mask)
		}
		codes := make([]string, 0, n)
		said := map[nearKey]string{} // most near misses share their sentence
		for i := lo; i < hi; i++ {
			start := len(codes)
			codes = ex[i].mask.codes(codes)
			c := p.at(ex[i].idx)
			out[i] = Exclusion{Provider: c.P.Ref(), Reasons: codes[start:len(codes):len(codes)]}
			if nearMissable(ex[i].mask) {
				k, ok := keyOf(c, ex[i].mask)
				if s, seen := said[k]; ok && seen {
					out[i].NearMiss = s
				} else {
					out[i].NearMiss = nearMiss(c, ex[i].mask)
					if ok {
						said[k] = out[i].NearMiss
					}
				}
			}
		}
	}
	parts := 1
	if len(ex) >= parallelMin {
		parts = max(1, min(runtime.GOMAXPROCS(0), len(ex)/(parallelMin/2)))
	}
	var wg sync.WaitGroup
	for p := range parts {
		lo, hi := p*len(ex)/parts, (p+1)*len(ex)/parts
		if p == parts-1 {
			fill(lo, hi)
		} else {
			wg.Go(func() { fill(lo, hi) })
		}
	}
	wg.Wait()
	return out
}
