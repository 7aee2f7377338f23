package matching

import (
	"math"
	"math/bits"
	"sync"

	"placematch"
)

// RankIndex ranks the index's candidates for req: the same Result as
// Rank(req, candidates, w, opt) for the same candidates and with the index's hubs
// as opt.Hubs (opt.Hubs itself is not read), in less time. Searches it
// does not speed up (a group with a care leaver, whose staying-put rule judges each
// carer's household without the group; a maximum distance, which callers answer
// from a spatial prefilter; every exclusion listed) are ranked by Rank on the
// index's candidates; with Options.Masks the masks are by position in
// Candidates().
func RankIndex(req Request, x *Index, w Weights, opt Options) Result {
	if x == nil {
		opt.Hubs = nil
		return Rank(req, nil, w, opt)
	}
	opt.Hubs = x.hubCands
	if opt.Masks != nil {
		// Masks are by position in the list ranked: Candidates' order.
		return Rank(req, x.Candidates(), w, opt)
	}
	if req.Child == nil {
		return Rank(req, x.cands, w, opt)
	}
	q := newQueryHubs(req, w, opt, &x.hubs)
	res := Result{ExcludedSummary: map[string]int{}, Matches: []Match{}, Excluded: []Exclusion{}, NearMisses: []NearMiss{}}
	res.WeightsVersion, res.RulesVersion = q.version, q.rulesVersion
	if !x.ok || q.adult || q.hasMax || opt.IncludeExcluded {
		st := q.scanAll(&x.pool, opt.IncludeExcluded)
		q.finish(&res, st, &x.pool, opt.IncludeExcluded)
		return res
	}

	sc := scratchFor(x.words)
	defer scratchPool.Put(sc)
	st := &scanState{top: topK{k: q.limit, pool: &x.pool},
		want: make([]uint64, len(q.members)), got: make([]uint64, len(q.members))}
	x.judge(q, sc, st)
	x.score(q, sc, st)
	q.finish(&res, st, &x.pool, false)
	return res
}

// scratch is one search's bit sets: a rule's set, then the running unions.
type scratch struct {
	sel, slow, fast, rule, once, twice, bad []uint64
	// notConn and limit are the candidates outside the slow set that break the
	// connected-person rule and the fostering limit, found in judge.
	notConn, limit []uint64
	buf            []uint64
}

const scratchSets = 9

var scratchPool sync.Pool

func scratchFor(words int) *scratch {
	sc, _ := scratchPool.Get().(*scratch)
	if sc == nil {
		sc = &scratch{}
	}
	if cap(sc.buf) < scratchSets*words {
		sc.buf = make([]uint64, scratchSets*words)
	}
	b := sc.buf[:scratchSets*words]
	clear(b)
	part := func(i int) []uint64 { return b[i*words : (i+1)*words : (i+1)*words] }
	sc.sel, sc.slow, sc.fast, sc.rule = part(0), part(1), part(2), part(3)
	sc.once, sc.twice, sc.bad = part(4), part(5), part(6)
	sc.notConn, sc.limit = part(7), part(8)
	return sc
}

// Word-wide set operations on dst; a nil operand is the empty set.
func or(dst, a []uint64) {
	if a == nil {
		return
	}
	for i := range dst {
		dst[i] |= a[i]
	}
}

// orAndNot sets dst |= a &^ b.
func orAndNot(dst, a, b []uint64) {
	if a == nil {
		return
	}
	if b == nil {
		or(dst, a)
		return
	}
	for i := range dst {
		dst[i] |= a[i] &^ b[i]
	}
}

// judge applies the hard rules: every candidate considered is either judged one by
// one (the slow set, through visit as Rank does) or counted per rule from bit sets;
// sc.fast &^ sc.once is then the fast candidates that pass, and sc.once &^
// sc.twice &^ sc.bad those that break exactly one rule a change could meet.
func (x *Index) judge(q *query, sc *scratch, st *scanState) {
	for k := range x.kind {
		if q.kinds&(1<<k) != 0 {
			or(sc.sel, x.kind[k])
		}
	}
	dead := x.pool.dead
	for i := range sc.sel {
		sc.sel[i] &^= x.archived[i]
		if dead != nil {
			sc.sel[i] &^= dead[i]
		}
	}
	// The slow set: rules that read the provider's record. A connected-person
	// carer is not connected to a member whose kin bit it lacks; only those that
	// may be connected to every member, and those whose temporary approval may
	// have expired, are read.
	copy(sc.rule, x.connected)
	for i, m := range q.members {
		if m.ID == "" {
			clear(sc.rule)
			break
		}
		k := x.kin[bits.TrailingZeros8(q.kinBits[i])]
		for j := range sc.rule {
			sc.rule[j] &= k[j]
		}
	}
	for i := range sc.slow {
		sc.slow[i] = (sc.rule[i] | x.temporary[i]) & sc.sel[i]
		sc.notConn[i] = x.connected[i] &^ sc.rule[i]
	}
	// A carer at the fostering limit breaks it unless every child there would be
	// siblings (impossible when no id or link of theirs meets the group's: the
	// blooms) or an exemption names the group: only those that might are read.
	if over := x.fostered.atLeast(placematch.FosteringLimit - int(q.minors) + 1); over != nil {
		// may: the carers whose children might all be the group's siblings, or
		// whose exemption might name the group (built in sc.limit, then replaced).
		may := sc.limit
		copy(may, x.exempt)
		for m := q.memIDs; m != 0; m &= m - 1 {
			e := x.exIDs[bits.TrailingZeros64(m)]
			for i := range may {
				may[i] &= e[i]
			}
		}
		or(may, x.empty)
		for m := q.memLinks; m != 0; m &= m - 1 {
			or(may, x.resIDs[bits.TrailingZeros64(m)])
		}
		for m := q.memIDs; m != 0; m &= m - 1 {
			or(may, x.resLinks[bits.TrailingZeros64(m)])
		}
		for i := range may {
			o := over[i] & sc.sel[i]
			sc.slow[i] |= o & may[i]
			may[i] = o &^ may[i]
		}
	}
	if q.hasAreas {
		x.inBox(q, sc.slow)
	}
	for i := range sc.fast {
		sc.sel[i] &= x.all[i]
		sc.slow[i] &= sc.sel[i]
		sc.fast[i] = sc.sel[i] &^ sc.slow[i]
	}
	for i := range x.words {
		for w := sc.slow[i]; w != 0; w &= w - 1 {
			p := i<<6 | bits.TrailingZeros64(w)
			q.visit(&x.cands[p], int32(p), st)
		}
	}
	for j := range x.pool.extra {
		if c := &x.pool.extra[j]; c.kind&q.kinds != 0 && c.props&pArchived == 0 {
			q.visit(c, int32(len(x.cands)+j), st)
		}
	}

	var fastConsidered int
	for _, w := range sc.fast {
		fastConsidered += bits.OnesCount64(w)
	}
	for r := range nReasons {
		rule := reason(1) << r
		set := x.rule(q, sc, rule)
		if set == nil {
			continue
		}
		n := 0
		once, twice, fast := sc.once, sc.twice, sc.fast
		set = set[:len(fast)]
		for i, w := range set {
			w &= fast[i]
			n += bits.OnesCount64(w)
			twice[i] |= once[i] & w
			once[i] |= w
		}
		if n == 0 {
			continue
		}
		st.counts[r] += n
		if rule&noNearMiss != 0 {
			or(sc.bad, set)
		}
	}
	excluded := 0
	for _, w := range sc.once {
		excluded += bits.OnesCount64(w)
	}
	st.considered += fastConsidered
	st.excluded += excluded
}

// inBox adds to dst every candidate inside the bounding box of q's avoid-areas.
func (x *Index) inBox(q *query, dst []uint64) {
	b := &q.areaBox
	i, _ := slicesSearchLat(x.lats, b.Min[1])
	for ; i < len(x.lats) && x.lats[i].lat <= b.Max[1]; i++ {
		p := int(x.lats[i].pos)
		if c := &x.cands[p]; c.lon >= b.Min[0] && c.lon <= b.Max[0] {
			bitset(dst).set(p)
		}
	}
}

// slicesSearchLat is the first position whose latitude is ≥ lat.
func slicesSearchLat(lats []latAt, lat float64) (int, bool) {
	lo, hi := 0, len(lats)
	for lo < hi {
		m := int(uint(lo+hi) >> 1)
		if lats[m].lat < lat {
			lo = m + 1
		} else {
			hi = m
		}
	}
	return lo, lo < len(lats) && lats[lo].lat == lat
}

// rule returns the candidates that break rule for q, as query.rules judges them
// (for candidates outside the slow set): one of the index's sets, or one built
// in sc.rule; nil when none can.
func (x *Index) rule(q *query, sc *scratch, rule reason) []uint64 {
	all := []uint64(x.all)
	if rule&(rNotApproved|rPending|rUnavailable|rOfstedInadequate) != 0 {
		if q.allowed&rule != 0 {
			return nil
		}
		return x.static[trailingZeros(rule)]
	}
	dst := sc.rule
	clear(dst)
	hh := &q.hh
	switch rule {
	case rAge:
		or(dst, x.ageMin.atLeast(int(q.minAge)+1))
		orAndNot(dst, all, x.ageMax.atLeast(int(q.maxAge)))
	case rPlacementType:
		if q.badType {
			return all
		}
		for t := range x.notType {
			if q.types&(1<<t) != 0 {
				or(dst, x.notType[t])
			}
		}
		if q.emergency {
			nt, carer := x.notType[bits.TrailingZeros8(emergencyBit)], x.kind[bits.TrailingZeros8(kindCarer)]
			na, pe := x.static[trailingZeros(rNotApproved)], x.static[trailingZeros(rPending)]
			for i := range dst {
				blocked := ^carer[i]
				if na != nil {
					blocked |= na[i]
				}
				if pe != nil {
					blocked |= pe[i]
				}
				dst[i] |= nt[i] & blocked
			}
		}
	case rNotConnected:
		return sc.notConn
	case rFosterLimit:
		return sc.limit
	case rUnder16:
		if q.minAge >= 16 {
			return nil
		}
		return x.kind[bits.TrailingZeros8(kindUnit)]
	case rUnitNotReg:
		if !q.teen {
			return nil
		}
		return x.unitNotReg
	case rFemaleOnly:
		if !q.nonFemale {
			return nil
		}
		return x.femaleOnly
	case rTooLate:
		if len(x.from) == 0 || x.from[0].day <= q.required {
			return nil
		}
		if t := x.tooLate.p.Load(); t != nil && t.day == q.required {
			return t.set
		}
		late := x.newSet()
		for _, f := range x.from {
			if f.day <= q.required {
				break
			}
			late.set(int(f.pos))
		}
		x.tooLate.p.Store(&tooLateSet{q.required, late})
		return late
	case rVacancies:
		hub := x.kind[bits.TrailingZeros8(kindHub)]
		short := x.vac.atLeast(int(q.g))
		if q.urgent {
			orAndNot(dst, all, short)
			return dst
		}
		for i := range dst {
			s := uint64(0)
			if short != nil {
				s = short[i]
			}
			dst[i] |= all[i] &^ hub[i] &^ s
		}
		orAndNot(dst, x.vacPlan.set, x.vacPlan.atLeast(int(q.g)))
	case rWheelchair:
		if !q.wheelchair {
			return nil
		}
		return x.notAccessible
	case rAreasUnreadable:
		if !q.areasBad {
			return nil
		}
		return all
	case rHighRiskSkills:
		if !q.requireHigh || !q.highUncovered(0) {
			return nil
		}
		if q.unknownHigh {
			return all
		}
		for m := q.highAll; m != 0; m &= m - 1 {
			or(dst, x.notCover[bits.TrailingZeros64(m)])
		}
	case rLiveAlone, rOnlyOlder, rOnlyYounger, rHarmYounger, rFireUnder5, rPets, rSmokingUnder5:
		if q.off&rule != 0 {
			return nil
		}
		switch rule {
		case rLiveAlone:
			if hh.liveAlone {
				return x.others
			}
			return x.resLiveAlone
		case rOnlyOlder:
			or(dst, x.olderMax.atLeast(int(q.minAge)))
			if hh.older {
				orAndNot(dst, x.hhMin.set, x.hhMin.atLeast(int(hh.olderMax)+1))
			}
		case rOnlyYounger:
			orAndNot(dst, x.youngerMin.set, x.youngerMin.atLeast(int(q.maxAge)+1))
			if hh.younger {
				or(dst, x.hhMax.atLeast(int(hh.youngMin)))
			}
		case rHarmYounger:
			or(dst, x.harmMax.atLeast(int(q.minAge)+1))
			if hh.harm {
				orAndNot(dst, x.hhMin.set, x.hhMin.atLeast(int(hh.harmMax)))
			}
		case rFireUnder5:
			if q.minAge < 5 {
				or(dst, x.resFire)
			}
			if hh.fire {
				orAndNot(dst, x.hhMin.set, x.hhMin.atLeast(5))
			}
		case rPets:
			if !hh.pets {
				return nil
			}
			return x.pets
		case rSmokingUnder5:
			if q.minAge >= 5 {
				return nil
			}
			return x.smoking
		}
	default:
		// Judged in the slow set only (kinship, the fostering limit, avoid-areas),
		// or never in RankIndex (staying put, care leavers in hubs, the maximum
		// distance, outside the search).
		return nil
	}
	return dst
}

// score offers the fast candidates that passed every rule to the heap, and those
// that broke one rule a change could meet to the near misses: cell by cell in
// bands of distance from home, nearest first, stopping for each once no candidate
// farther away could enter it.
func (x *Index) score(q *query, sc *scratch, st *scanState) {
	for i := range sc.fast {
		sc.sel[i] = sc.fast[i] &^ sc.once[i]                // passed
		sc.rule[i] = sc.once[i] &^ sc.twice[i] &^ sc.bad[i] // one rule
	}
	if !q.home {
		for ci := range x.cells {
			x.visitCell(q, sc, st, &x.cells[ci], true, true)
		}
		return
	}
	const bandKM, nBands = 10.0, 200
	type at struct {
		cell int32
		band int16
	}
	// lb is each cell's distance from home as a lower bound for its candidates'
	// distances, by cell index.
	lb := make([]float64, len(x.cells))
	order := make([]at, 0, len(x.cells))
	var count [nBands + 1]int32
	for ci := range x.cells {
		cl := &x.cells[ci]
		// A band's distance is a lower bound for every candidate of its cells: the
		// chord to the cell's sphere, in kilometres as chord·R, which never exceeds
		// the great-circle distance and needs no asin.
		d := math.Sqrt(chord2(q.hx, q.hy, q.hz, cl.x, cl.y, cl.z)) - cl.r
		b := int16(nBands - 1)
		if d > 0 {
			km := d * earthKM
			if km < bandKM*(nBands-1) {
				b = int16(km / bandKM)
			}
			lb[ci] = km*(1-1e-9) - 1e-9
		} else {
			b = 0
		}
		order = append(order, at{int32(ci), b})
		count[b+1]++
	}
	for b := 1; b <= nBands; b++ {
		count[b] += count[b-1]
	}
	sorted := make([]int32, len(order))
	for _, o := range order {
		sorted[count[o.band]] = o.cell
		count[o.band]++
	}
	prune := q.prunable()
	eligible, near := true, true
	for b := 0; b < nBands && (eligible || near); b++ {
		lo := 0
		if b > 0 {
			lo = int(count[b-1])
		}
		hi := int(count[b])
		if lo == hi {
			continue
		}
		lbKM := float64(b)*bandKM*(1-1e-9) - 1e-9
		if near && len(st.near.e) == NearMissLimit && kmChord2(max(lbKM, 0))*(1-1e-9) > st.near.e[NearMissLimit-1].c2 {
			near = false
		}
		// Once no candidate this far could beat the k-th score with every other
		// factor at its best, no farther band can either.
		if eligible && prune && len(st.top.e) == st.top.k && q.cannotBeatAt(st.top.e[0], q.upperAt(max(lbKM, 0)), lbKM) {
			eligible = false
			if !near {
				break
			}
		}
		for _, ci := range sorted[lo:hi] {
			cl := &x.cells[ci]
			offer := eligible
			if offer && prune && len(st.top.e) == st.top.k {
				offer = !q.cannotBeatAt(st.top.e[0], q.upper(cl), lb[ci])
			}
			x.visitCell(q, sc, st, cl, offer, near)
		}
	}
}

// visitCell offers one cell's passed candidates (when eligible) and near misses
// (when near).
func (x *Index) visitCell(q *query, sc *scratch, st *scanState, cl *cell, eligible, near bool) {
	lo, hi := int(cl.lo), int(cl.hi)
	for w := lo >> 6; w <= (hi-1)>>6; w++ {
		m := rangeMask(w, lo, hi)
		if eligible {
			for e := sc.sel[w] & m; e != 0; e &= e - 1 {
				p := w<<6 | bits.TrailingZeros64(e)
				c := &x.cands[p]
				vac := c.vac
				if c.kind == kindHub && !q.urgent {
					vac = c.vacPlan
				}
				c2 := 0.0
				if q.home {
					c2 = chord2(q.hx, q.hy, q.hz, c.x, c.y, c.z)
				}
				q.offer(c, int32(p), vac, c2, st)
			}
		}
		if near {
			for e := sc.rule[w] & m; e != 0; e &= e - 1 {
				p := w<<6 | bits.TrailingZeros64(e)
				c := &x.cands[p]
				c2 := 0.0
				if q.home {
					c2 = chord2(q.hx, q.hy, q.hz, c.x, c.y, c.z)
				}
				ne := nearEntry{c: c, c2: c2}
				if len(st.near.e) == NearMissLimit && !st.near.less(ne, st.near.e[NearMissLimit-1]) {
					continue
				}
				ne.mask = x.onlyRule(q, p)
				st.near.offer(ne)
			}
		}
	}
}

// rangeMask is the bits of word w at positions in [lo, hi).
func rangeMask(w, lo, hi int) uint64 {
	m := ^uint64(0)
	if s := lo - w<<6; s > 0 {
		m &= ^uint64(0) << s
	}
	if e := hi - w<<6; e < 64 {
		m &= 1<<e - 1
	}
	return m
}

// onlyRule is the one rule a fast candidate at p breaks (it breaks exactly one).
func (x *Index) onlyRule(q *query, p int) reason {
	m, _, _ := q.rules(&x.cands[p], false)
	return m
}

// prunable reports whether scores have an upper bound by distance: every weight
// is non-negative, so a score grows with each factor's value.
func (q *query) prunable() bool {
	for _, c := range q.coef {
		if c < 0 || math.IsNaN(c) {
			return false
		}
	}
	return true
}

// upper is the highest score a candidate of cl outside the slow set could have:
// each factor at the best the cell's candidates could give it, distance from
// the nearest point of the cell's sphere.
func (q *query) upper(cl *cell) float64 {
	var v [nFactors]float64
	v[fNeeds] = 1
	if q.totalW > 0 {
		// An item counts twice when a provider's own skills cover it, once when
		// only a hub's outreach could.
		v[fNeeds] = min(1, float64(2*q.weightOf(cl.cover)+q.weightOf(q.hubs.cover&^cl.cover))/float64(2*q.totalW))
	}
	// The distance to the cell's sphere as chord·R: never more than the
	// great-circle distance to any of its candidates, so never less than their
	// distance values.
	lb := func(x, y, z float64) float64 {
		d := math.Sqrt(chord2(x, y, z, cl.x, cl.y, cl.z)) - cl.r
		if d <= 0 {
			return 0
		}
		return d * earthKM * (1 - 1e-9)
	}
	home := -1.0
	if q.home {
		home = lb(q.hx, q.hy, q.hz)
	}
	school := 0.0
	for _, s := range q.schools {
		school = max(school, lb(s.x, s.y, s.z))
	}
	v[fDistance] = distanceBound(home, len(q.schools) > 0, school)
	v[fCapacity] = 1
	switch {
	case len(q.langs) == 0 || cl.lang&q.langMask != 0:
		v[fLanguage] = 1
	case cl.nonCarer:
		v[fLanguage] = languageUnknown
	}
	v[fFreshness], _ = freshnessValue(cl.confirmed != noConfirm, float64(q.now-cl.confirmed), q.staleAfter, false)
	if !q.areaConfigured || cl.district {
		v[fInArea] = 1
	}
	return q.score(&v)
}

// upperAt is the highest score any candidate at least km from home could have:
// every factor but distance at its best, the school (if any) at no distance.
func (q *query) upperAt(km float64) float64 {
	var v [nFactors]float64
	for i := range v {
		v[i] = 1
	}
	v[fDistance] = distanceValue(km, len(q.schools) > 0, 0)
	return q.score(&v)
}

// cannotBeatAt is cannotBeat for candidates farther than km from home: one whose
// score can at best round to worst's whole step, in worst's band, is then farther
// than worst, and ranks below it on distance.
func (q *query) cannotBeatAt(worst entry, ub, km float64) bool {
	if q.cannotBeat(worst, ub) {
		return true
	}
	return worst.tier == TierUsual && km > worst.dist && bandIndex(ub) == worst.band && tieStep(ub) == tieStep(worst.score)
}

// cannotBeat reports whether no candidate outside the slow set scoring at most ub
// could rank above worst: such candidates are of TierUsual or below.
func (q *query) cannotBeat(worst entry, ub float64) bool {
	switch {
	case worst.tier < TierUsual:
		return true
	case worst.tier > TierUsual:
		return false
	}
	if b := bandIndex(ub); b != worst.band {
		return b > worst.band
	}
	return tieStep(ub) < tieStep(worst.score)
}
