package matching

import (
	"math"
	"math/bits"
	"slices"
	"sync/atomic"
)

// Index is a candidate list prepared for many searches: the candidates in cells of
// a latitude-longitude grid, and, per hard rule input, bit sets over them (which
// take a placement type, which are accessible, whose youngest approved age is at
// least a, ...). RankIndex turns a request into one bit set per rule with a few
// word-wide operations, so the rules of most candidates are judged 64 at a time and
// counted with popcounts; only the candidates whose rules need their record (a
// connected person, a home at the fostering limit, a home inside an avoid-area's
// box) are judged one by one, as Rank judges every candidate. Scores are computed
// for the candidates that pass, cell by cell nearest first, until no candidate in
// the remaining cells could enter the top k.
//
// An Index never changes after NewIndex; build a new one when candidates change.
type Index struct {
	// pool's base is the candidates in cell order; an index made by Replace also
	// has dead and extra.
	pool     pool
	cands    []Candidate // pool.base
	byID     map[string]int32
	hubCands []Candidate // the hubs given, for Rank when RankIndex falls back to it
	hubs     hubIndex    // their outreach index, for every group
	words    int
	ok       bool // false when a field has too many distinct values: RankIndex ranks with Rank

	all      bitset
	kind     [3]bitset // kindCarer, kindUnit, kindHub by bit position
	archived bitset
	static   [nReasons]bitset // nil when no candidate has the rule
	notType  [8]bitset
	notCover [64]bitset

	notAccessible bitset
	unitNotReg    bitset    // units not registered (nor application accepted)
	femaleOnly    bitset    // units for young women only
	connected     bitset    // carers approved for connected-person care
	kin           [8]bitset // connected carers by kin bit
	// For carers, by bloom bit (idBloom): the ids of the children placed there
	// and of their siblings, and of the children their exemptions name; whether
	// no child is placed there, and whether an exemption may be current.
	resIDs, resLinks, exIDs [bloomBits]bitset
	empty, exempt           bitset
	temporary               bitset // connected carers with a temporary approval recorded
	others                  bitset // homes with other children (pOthers)
	resLiveAlone            bitset
	resFire                 bitset
	pets                    bitset
	smoking                 bitset

	ageMin, ageMax steps // every candidate
	vac            steps // every candidate
	vacPlan        steps // hubs
	fostered       steps // carers: filled − adults
	hhMin, hhMax   steps // homes with other children
	olderMax       steps // homes with a resident who may live only with older children
	youngerMin     steps // ... only with younger children
	harmMax        steps // ... a resident with a high risk of harm to others

	from []fromAt // candidates with an available-from date, latest first
	// tooLate keeps the candidates available only after the last day asked for:
	// nearly every search asks for today. Shared by the indexes Replace makes,
	// which share from.
	tooLate *lastTooLate
	lats    []latAt // every candidate by latitude

	cells []cell
}

// bitset has a bit per candidate position; nil is the empty set.
type bitset []uint64

func (b bitset) set(i int) { b[i>>6] |= 1 << (i & 63) }

// steps is an integer field of the candidates in a set, as the bit sets of those
// whose value is at least each distinct value: "at least t" is one of them.
type steps struct {
	vals []int16  // distinct values, ascending
	ge   []bitset // ge[i]: the set's candidates with a value ≥ vals[i]
	set  bitset
}

// maxSteps bounds the distinct values of a field the index keeps bit sets for.
const maxSteps = 96

// atLeast returns the set's candidates whose value is ≥ t (nil for none).
func (s *steps) atLeast(t int) bitset {
	i, _ := slices.BinarySearchFunc(s.vals, t, func(v int16, t int) int { return int(v) - t })
	if i == len(s.vals) {
		return nil
	}
	return s.ge[i]
}

// lastTooLate holds the set of candidates in from later than one day.
type lastTooLate struct{ p atomic.Pointer[tooLateSet] }

type tooLateSet struct {
	day int32
	set bitset
}

type fromAt struct {
	day int32
	pos int32
}

type latAt struct {
	lat float64
	pos int32
}

// cell is a run of candidates in one grid cell, with a sphere around them: every
// candidate's unit vector lies within r (chord) of the centre's.
// It also keeps the best each factor but distance could be for its candidates
// (the union of their skills and languages, the latest confirmation, ...), for an
// upper bound on their scores.
type cell struct {
	lo, hi  int32
	x, y, z float64
	r       float64

	cover     uint64 // union of the candidates' skills
	lang      uint64 // union of the carers' languages
	nonCarer  bool   // a unit or hub (language unknown)
	confirmed int64  // latest confirmation; noConfirm when none
	district  bool   // a candidate inside the council's area
}

// Grid cell size in degrees: about 28 km by 27 km in England.
const (
	cellLat = 0.25
	cellLon = 0.4
)

// NewIndex prepares cands (as Prepare made them) for RankIndex, with hubs as
// Options.Hubs would give them (every hub whose outreach may cover a need). It
// copies cands and keeps hubs.
func NewIndex(cands, hubs []Candidate) *Index {
	type keyed struct {
		row, col int32
		i        int
	}
	keys := make([]keyed, len(cands))
	for i := range cands {
		c := &cands[i]
		keys[i] = keyed{int32(math.Floor(c.lat / cellLat)), int32(math.Floor(c.lon / cellLon)), i}
	}
	slices.SortFunc(keys, func(a, b keyed) int {
		switch {
		case a.row != b.row:
			return int(a.row - b.row)
		case a.col != b.col:
			return int(a.col - b.col)
		}
		return a.i - b.i
	})
	n := len(cands)
	x := &Index{cands: make([]Candidate, n), words: (n + 63) / 64, ok: true, hubCands: hubs, tooLate: &lastTooLate{},
		hubs: newHubIndex(hubs, nil, nil)}
	x.pool.base = x.cands
	x.byID = make(map[string]int32, n)
	for j, k := range keys {
		x.cands[j] = cands[k.i]
		if p := x.cands[j].P; p != nil {
			x.byID[p.ID] = int32(j)
		}
		if j == 0 || k.row != keys[j-1].row || k.col != keys[j-1].col {
			x.cells = append(x.cells, cell{lo: int32(j)})
		}
		x.cells[len(x.cells)-1].hi = int32(j + 1)
	}
	for i := range x.cells {
		x.cells[i].sphere(x.cands)
	}
	x.bits()
	return x
}

// sphere sets the cell's centre (the mean of its unit vectors, normalised) and
// radius (the farthest candidate, with a little slack for rounding).
func (cl *cell) sphere(cands []Candidate) {
	var sx, sy, sz float64
	for i := cl.lo; i < cl.hi; i++ {
		c := &cands[i]
		sx, sy, sz = sx+c.x, sy+c.y, sz+c.z
	}
	l := math.Sqrt(sx*sx + sy*sy + sz*sz)
	cl.x, cl.y, cl.z = sx/l, sy/l, sz/l
	for i := cl.lo; i < cl.hi; i++ {
		c := &cands[i]
		cl.r = max(cl.r, math.Sqrt(chord2(cl.x, cl.y, cl.z, c.x, c.y, c.z)))
	}
	cl.r = cl.r*(1+1e-9) + 1e-12
	cl.confirmed = noConfirm
	for i := cl.lo; i < cl.hi; i++ {
		c := &cands[i]
		cl.cover |= c.cover
		if c.kind == kindCarer {
			cl.lang |= c.lang
		} else {
			cl.nonCarer = true
		}
		cl.confirmed = max(cl.confirmed, c.confirmed)
		cl.district = cl.district || c.props&pInDistrict != 0
	}
}

func (x *Index) newSet() bitset { return make(bitset, x.words) }

// bits fills the index's bit sets and steps from its candidates.
func (x *Index) bits() {
	x.all = x.newSet()
	for i := range x.kind {
		x.kind[i] = x.newSet()
	}
	x.archived = x.newSet()
	sets := []*bitset{&x.notAccessible, &x.unitNotReg, &x.femaleOnly, &x.connected, &x.temporary, &x.others,
		&x.resLiveAlone, &x.resFire, &x.pets, &x.smoking}
	for i := range x.kin {
		sets = append(sets, &x.kin[i])
	}
	for i := range bloomBits {
		sets = append(sets, &x.resIDs[i], &x.resLinks[i], &x.exIDs[i])
	}
	sets = append(sets, &x.empty, &x.exempt)
	for _, s := range sets {
		*s = x.newSet()
	}
	for i := range x.notType {
		x.notType[i] = x.newSet()
	}
	for i := range x.cands {
		c := &x.cands[i]
		x.all.set(i)
		if c.kind != 0 {
			x.kind[bits.TrailingZeros8(c.kind)].set(i)
		}
		if c.props&pArchived != 0 {
			x.archived.set(i)
		}
		for r := c.static; r != 0; r &= r - 1 {
			b := trailingZeros(r)
			if x.static[b] == nil {
				x.static[b] = x.newSet()
			}
			x.static[b].set(i)
		}
		for t := range x.notType {
			if c.types&(1<<t) == 0 {
				x.notType[t].set(i)
			}
		}
		for m := ^c.cover; m != 0; m &= m - 1 {
			b := bits.TrailingZeros64(m)
			if x.notCover[b] == nil {
				x.notCover[b] = x.newSet()
			}
			x.notCover[b].set(i)
		}
		p := c.props
		flag := func(s bitset, on bool) {
			if on {
				s.set(i)
			}
		}
		flag(x.notAccessible, p&pAccessible == 0)
		flag(x.unitNotReg, c.kind == kindUnit && p&pRegOK == 0)
		flag(x.femaleOnly, c.kind == kindUnit && p&pFemaleOnly != 0)
		conn := c.kind == kindCarer && c.types&connectedBit != 0
		flag(x.connected, conn)
		flag(x.temporary, conn && p&pTemporary != 0)
		for b := range x.kin {
			flag(x.kin[b], conn && c.kin&(1<<b) != 0)
		}
		if c.kind == kindCarer {
			for b := range bloomBits {
				flag(x.resIDs[b], c.resIDs&(1<<b) != 0)
				flag(x.resLinks[b], c.resLinks&(1<<b) != 0)
				flag(x.exIDs[b], c.exBloom&(1<<b) != 0)
			}
			flag(x.empty, c.filled == 0)
			flag(x.exempt, p&pExempt != 0)
		}
		flag(x.others, p&pOthers != 0)
		flag(x.resLiveAlone, p&pOthers != 0 && p&pResLiveAlone != 0)
		flag(x.resFire, p&pOthers != 0 && p&pResFire != 0)
		flag(x.pets, p&pPets != 0)
		flag(x.smoking, p&pSmoking != 0)
		if c.from != math.MinInt32 {
			x.from = append(x.from, fromAt{c.from, int32(i)})
		}
		x.lats = append(x.lats, latAt{c.lat, int32(i)})
	}
	slices.SortFunc(x.from, func(a, b fromAt) int { return int(b.day) - int(a.day) })
	slices.SortFunc(x.lats, func(a, b latAt) int {
		switch {
		case a.lat < b.lat:
			return -1
		case a.lat > b.lat:
			return 1
		}
		return int(a.pos - b.pos)
	})
	every := func(*Candidate) bool { return true }
	of := func(k uint8) func(*Candidate) bool { return func(c *Candidate) bool { return c.kind == k } }
	resident := func(f uint32) func(*Candidate) bool {
		return func(c *Candidate) bool { return c.props&pOthers != 0 && c.props&f != 0 }
	}
	for _, f := range []struct {
		s   *steps
		in  func(*Candidate) bool
		val func(*Candidate) int16
	}{
		{&x.ageMin, every, func(c *Candidate) int16 { return c.ageMin }},
		{&x.ageMax, every, func(c *Candidate) int16 { return c.ageMax }},
		{&x.vac, every, func(c *Candidate) int16 { return c.vac }},
		{&x.vacPlan, of(kindHub), func(c *Candidate) int16 { return c.vacPlan }},
		{&x.fostered, of(kindCarer), func(c *Candidate) int16 { return c.filled - c.adults }},
		{&x.hhMin, resident(pOthers), func(c *Candidate) int16 { return int16(c.hhMin) }},
		{&x.hhMax, resident(pOthers), func(c *Candidate) int16 { return int16(c.hhMax) }},
		{&x.olderMax, resident(pResOlder), func(c *Candidate) int16 { return int16(c.rOlderMax) }},
		{&x.youngerMin, resident(pResYounger), func(c *Candidate) int16 { return int16(c.rYoungerMin) }},
		{&x.harmMax, resident(pResHarm), func(c *Candidate) int16 { return int16(c.rHarmMax) }},
	} {
		if !x.steps(f.s, f.in, f.val) {
			x.ok = false
		}
	}
}

// steps fills s for the candidates in (in) by val; false when they have more than
// maxSteps distinct values. No sorting of candidates: each value's set, then
// unions from the largest value down.
func (x *Index) steps(s *steps, in func(*Candidate) bool, val func(*Candidate) int16) bool {
	s.set = x.newSet()
	slot := map[int16]int{}
	var eq []bitset
	for i := range x.cands {
		c := &x.cands[i]
		if !in(c) {
			continue
		}
		s.set.set(i)
		v := val(c)
		j, ok := slot[v]
		if !ok {
			if len(slot) == maxSteps {
				return false
			}
			j = len(eq)
			slot[v] = j
			eq = append(eq, x.newSet())
			s.vals = append(s.vals, v)
		}
		eq[j].set(i)
	}
	order := make([]int, len(s.vals))
	for i := range order {
		order[i] = i
	}
	slices.SortFunc(order, func(a, b int) int { return int(s.vals[a]) - int(s.vals[b]) })
	vals := make([]int16, len(order))
	s.ge = make([]bitset, len(order))
	for k := len(order) - 1; k >= 0; k-- {
		vals[k] = s.vals[order[k]]
		s.ge[k] = eq[order[k]]
		if k+1 < len(order) {
			or(s.ge[k], s.ge[k+1])
		}
	}
	s.vals = vals
	return true
}

// Len is the number of candidates held.
func (x *Index) Len() int {
	dead := 0
	for _, w := range x.pool.dead {
		dead += bits.OnesCount64(w)
	}
	return len(x.cands) - dead + len(x.pool.extra)
}

// Replace returns an index holding x's candidates with each of changed in place
// of the one with its provider id (or added), without those whose provider ids
// are in removed, and with hubs as its hubs. It shares x's bit sets and cells:
// the candidates replaced are marked dead, and the changed ones are judged and
// scored one by one as the slow set is, so each costs a search a little more
// than it would in the bit sets; NewIndex folds them in when Replaced grows.
func (x *Index) Replace(changed []Candidate, removed []string, hubs []Candidate) *Index {
	y := *x
	gone := make(map[string]bool, len(changed)+len(removed))
	for i := range changed {
		gone[changed[i].P.ID] = true
	}
	for _, id := range removed {
		gone[id] = true
	}
	y.pool.dead = slices.Clone(x.pool.dead)
	if y.pool.dead == nil {
		y.pool.dead = x.newSet()
	}
	for id := range gone {
		if p, ok := x.byID[id]; ok {
			y.pool.dead.set(int(p))
		}
	}
	y.pool.extra = make([]Candidate, 0, len(x.pool.extra)+len(changed))
	for _, c := range x.pool.extra {
		if !gone[c.P.ID] {
			y.pool.extra = append(y.pool.extra, c)
		}
	}
	y.pool.extra = append(y.pool.extra, changed...)
	y.hubCands, y.hubs = hubs, newHubIndex(hubs, nil, nil)
	return &y
}

// Replaced is the number of candidates written since the index was built: those
// RankIndex judges one by one.
func (x *Index) Replaced() int { return len(x.pool.extra) }

// Candidates returns every candidate held, in no particular order. It allocates
// only for an index made by Replace.
func (x *Index) Candidates() []Candidate {
	if x.pool.dead == nil {
		return x.cands
	}
	out := make([]Candidate, 0, x.Len())
	for i := range x.cands {
		if x.pool.dead[i>>6]&(1<<(i&63)) == 0 {
			out = append(out, x.cands[i])
		}
	}
	return append(out, x.pool.extra...)
}
