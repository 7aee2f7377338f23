package matching

import (
	"cmp"
	"encoding/json"
	"math"
	"slices"

	"github.com/paulmach/orb"

	"placematch"
	"placematch/geo"
)

// query is a Request and Options boiled down to the numbers the first pass compares:
// the group's extreme ages, one bit per placement type, unit vectors, masks. Every
// group-level value is derived from all members in canonical order, never from
// Request.Child, so that any member of a group gives the same search.
type query struct {
	members []*placematch.Child // canonical order: eldest first, then id
	ages    []int16             // the members' ages, in that order
	kinds   uint8
	limit   int

	g           int16 // group size
	minAge      int16
	maxAge      int16
	minors      int16   // members under 18: the fostered children of the group
	maxMinorAge int16   // the eldest of them
	teen        bool    // a member is 16 or 17
	adult       bool    // a member is 18 or over: a care leaver
	kinBits     []uint8 // each member's kinBit, in members' order
	nonFemale   bool
	wheelchair  bool
	types       uint8 // the members' placement types other than emergency, as typeBit bits
	badType     bool  // a member's placement type is outside the list: never approved
	emergency   bool  // a member's placement type is emergency: reg 23 allows any approved carer
	typeNames   []placematch.PlacementType
	urgent      bool // a member's urgency is emergency: hubs' emergency beds may be used
	required    int32
	today       int32
	day         placematch.Date // the search date, for exemptions' expiry
	ids         []string        // the members' ids, for the exemptions that must name them
	family      bool            // the members alone are one family (see oneFamily)
	memIDs      uint64          // blooms of the members' ids and of their sibling links (idBloom)
	memLinks    uint64
	allowed     reason   // static rules the options let pass (IncludePending)
	masks       []uint32 // Options.Masks, by candidate position; nil when not asked

	home       bool
	hx, hy, hz float64
	schools    []school
	hasMax     bool
	maxKM      float64
	maxC2      float64

	areas    geo.Areas
	hasAreas bool
	areasBad bool
	areaBox  orb.Bound // union of the areas' bounding boxes

	// The needs factor's items: each member's distinct needs (household needs
	// aside) and risks graded low or high. itemMask[i] and highMask[i] are member
	// i's known items and high risks as needBit bits; an item weighs 1, a high
	// risk 2, so a set s of member i's items weighs popcount(s&itemMask[i]) +
	// popcount(s&highMask[i]). Unknown codes weigh in total only.
	items       []item
	itemMask    []uint64
	highMask    []uint64
	needs       uint64 // every member's known items
	highAll     uint64 // every member's known high risks
	unknownHigh bool   // a high risk with a code outside the taxonomy: nobody covers it
	totalW      int
	requireHigh bool

	hh  groupHousehold
	off reason // household rules the policy switches off

	langs    []string
	langMask uint64

	now            int64
	stale          int64
	staleAfter     float64
	areaConfigured bool

	coef         [nFactors]float64
	weights      [nFactors]float64
	version      string
	rulesVersion string

	hubs hubIndex
}

// school is one member's school, for the distance factor.
type school struct {
	member  int
	x, y, z float64
}

// item is one need or graded risk of one member.
type item struct {
	member int
	code   string
	level  string // "", "low" or "high"
	bit    uint64 // the code's needBit bit; 0 for a code outside the taxonomies
}

// weight is the item's part in the needs factor's total.
func (it item) weight() int {
	if it.level == "high" {
		return 2
	}
	return 1
}

func newQuery(req Request, w Weights, opt Options) *query {
	return newQueryHubs(req, w, opt, nil)
}

// newQueryHubs is newQuery with the hubs' outreach index built for every group
// (an Index's); nil builds it from opt.Hubs for this group.
func newQueryHubs(req Request, w Weights, opt Options, hubs *hubIndex) *query {
	q, today := newRules(req, opt)
	q.limit = opt.Limit
	if q.limit <= 0 {
		q.limit = DefaultLimit
	}
	q.coef, q.weights, q.version = w.coefficients()
	for i, m := range q.members {
		if m.SchoolLocation != nil {
			s := school{member: i}
			s.x, s.y, s.z = unitVector(*m.SchoolLocation)
			q.schools = append(q.schools, s)
		}
		for _, l := range m.Languages {
			if n := normLang(l); n != "" && !slices.Contains(q.langs, n) {
				q.langs = append(q.langs, n)
				q.langMask |= langBit(n)
			}
		}
	}

	q.now = req.Now.Unix()
	if req.Now.IsZero() {
		q.now = today.Time().Unix()
	}
	stale := opt.StaleAfter
	if stale <= 0 {
		stale = DefaultStaleAfter
	}
	q.stale = int64(stale.Seconds())
	q.staleAfter = float64(q.stale)
	q.areaConfigured = opt.AreaConfigured
	if hubs == nil {
		q.hubs = newHubIndex(opt.Hubs, q.ages, q.inAvoidArea)
	} else {
		q.hubs = *hubs
		if q.hasAreas {
			q.hubs.avoid = q.inAvoidArea
		}
	}
	return q
}

// members returns the group in canonical order: eldest first by date of birth,
// then by id. Request.Child is added when Group does not hold it.
func members(req Request) []*placematch.Child {
	out := make([]*placematch.Child, 0, max(1, len(req.Group)+1))
	for _, m := range req.Group {
		if m != nil {
			out = append(out, m)
		}
	}
	if !slices.ContainsFunc(out, func(m *placematch.Child) bool {
		return m == req.Child || m.ID != "" && m.ID == req.Child.ID
	}) {
		out = append(out, req.Child)
	}
	slices.SortStableFunc(out, func(a, b *placematch.Child) int {
		if c := a.DateOfBirth.Time().Compare(b.DateOfBirth.Time()); c != 0 {
			return c
		}
		return cmp.Compare(a.ID, b.ID)
	})
	return out
}

// newRules fills the part of a query the hard rules read (query.check), and nothing
// the scores or explanations need; it returns the search date as well.
func newRules(req Request, opt Options) (*query, placematch.Date) {
	q := &query{members: members(req)}
	for _, k := range opt.Kinds {
		q.kinds |= kindBit(k)
	}
	if len(opt.Kinds) == 0 {
		q.kinds = kindCarer | kindUnit | kindHub
	}
	today := req.Today
	if today.IsZero() {
		today = placematch.DateOf(req.Now)
	}
	q.group(today)
	q.off, q.rulesVersion = opt.Policy.compile()
	q.requireHigh = opt.RequireHighRiskSkills
	if opt.IncludePending {
		q.allowed |= rPending
	}
	q.day = today
	for _, m := range q.members {
		q.ids = append(q.ids, m.ID)
		q.memIDs |= idBloom(m.ID)
		for _, s := range m.Siblings {
			q.memLinks |= idBloom(s)
		}
	}
	q.family = oneFamily(len(q.members), func(i int) (string, []string) { return q.members[i].ID, q.members[i].Siblings })

	// A date already past means "as soon as possible": a provider available since
	// yesterday is not too late for a child needed since last week.
	q.today = dayNumber(today)
	q.required = q.today
	var maxKM *float64
	var areas []json.RawMessage
	for i, m := range q.members {
		if t := m.PlacementType; t != "" {
			switch {
			case t == placematch.PlacementEmergency:
				q.emergency = true
			case typeBit(t) == 0:
				q.badType = true
			default:
				q.types |= typeBit(t)
			}
			if !slices.Contains(q.typeNames, t) {
				q.typeNames = append(q.typeNames, t)
			}
		}
		q.urgent = q.urgent || m.Urgency == "emergency"
		if !m.RequiredFrom.IsZero() {
			q.required = max(q.required, dayNumber(m.RequiredFrom))
		}
		if m.Location != nil && !q.home {
			q.home = true
			q.hx, q.hy, q.hz = unitVector(*m.Location)
		}
		if m.MaxDistanceKM != nil && (maxKM == nil || *m.MaxDistanceKM < *maxKM) {
			maxKM = m.MaxDistanceKM
		}
		areas = append(areas, m.AvoidAreas...)
		q.collectNeeds(i, m)
	}
	if opt.MaxDistanceKM != nil {
		maxKM = opt.MaxDistanceKM
	}
	if maxKM != nil && q.home {
		q.hasMax, q.maxKM, q.maxC2 = true, *maxKM, kmChord2(*maxKM)
	}
	if len(areas) > 0 {
		a, err := parseAreas(areas)
		// Fail closed: areas are validated on input, so this is a stored record
		// gone bad, and showing providers that might sit inside an exploitation
		// risk area would be worse than showing none. One member's bad record
		// closes the search for the whole group.
		q.areasBad = err != nil
		q.areas, q.hasAreas = a, err == nil && !a.Empty()
		q.areaBox = a.Bound()
	}
	return q, today
}

// group summarises the sibling group: size, youngest and oldest, and the facts the
// hard rules ask about any member.
func (q *query) group(today placematch.Date) {
	q.g = small(len(q.members))
	q.minAge, q.maxAge = math.MaxInt16, math.MinInt16
	for _, m := range q.members {
		age := small(m.AgeOn(today))
		q.ages = append(q.ages, age)
		q.minAge, q.maxAge = min(q.minAge, age), max(q.maxAge, age)
		q.teen = q.teen || age == 16 || age == 17
		q.adult = q.adult || age >= placematch.AdultAge
		if age < placematch.AdultAge {
			q.minors++
			q.maxMinorAge = max(q.maxMinorAge, age)
		}
		q.kinBits = append(q.kinBits, kinBit(m.ID))
		q.nonFemale = q.nonFemale || m.Sex != "female"
		q.wheelchair = q.wheelchair || m.WheelchairUser
		q.hh.add(age, householdFacts(m.Needs, m.Risks))
	}
}

// collectNeeds lists member i's needs and the risk types it has graded low or
// high, one item per code (a code given twice keeps its highest level). The
// household needs are not items: they are rules about the home (household.go).
// Codes outside the taxonomies count as items nobody covers: the store validates
// codes, so this only keeps a bad record from looking well met.
func (q *query) collectNeeds(i int, c *placematch.Child) {
	start := len(q.items)
	add := func(code, level string) {
		if j := slices.IndexFunc(q.items[start:], func(it item) bool { return it.code == code }); j >= 0 {
			if it := &q.items[start+j]; levelRank(level) > levelRank(it.level) {
				it.level = level
			}
			return
		}
		it := item{member: i, code: code, level: level}
		if b, ok := needBit[code]; ok {
			it.bit = 1 << b
		}
		q.items = append(q.items, it)
	}
	for _, n := range c.Needs {
		if !slices.Contains(HouseholdNeeds, n) {
			add(n, "")
		}
	}
	for _, r := range c.Risks {
		if r.Level == "low" || r.Level == "high" {
			add(r.Type, r.Level)
		}
	}
	var mask, high uint64
	for _, it := range q.items[start:] {
		q.totalW += it.weight()
		switch {
		case it.bit == 0 && it.level == "high":
			q.unknownHigh = true
		case it.bit == 0:
		case it.level == "high":
			mask, high = mask|it.bit, high|it.bit
		default:
			mask |= it.bit
		}
	}
	q.itemMask, q.highMask = append(q.itemMask, mask), append(q.highMask, high)
	q.needs, q.highAll = q.needs|mask, q.highAll|high
}

func levelRank(level string) int {
	switch level {
	case "low":
		return 1
	case "high":
		return 2
	}
	return 0
}

// weightOf is the weight of the items covered by the skills in s, summed over
// members: two popcounts a member, no allocation.
func (q *query) weightOf(s uint64) int {
	w := 0
	for i, m := range q.itemMask {
		w += bits64(s&m) + bits64(s&q.highMask[i])
	}
	return w
}

// highUncovered reports whether some high risk is not covered by the skills in s.
func (q *query) highUncovered(s uint64) bool {
	return q.unknownHigh || q.highAll&^s != 0
}

// inAvoidArea reports whether c lies in one of the group's avoid-areas.
func (q *query) inAvoidArea(c *Candidate) bool {
	return q.hasAreas && q.inAreaBox(c) && q.areas.Contains(placematch.Point{Lat: c.lat, Lon: c.lon})
}

// SearchCircle returns the circle Rank's maximum distance applies to for req and
// opt: the group's home (the first member in canonical order with a location) and
// the maximum distance (opt's, else the smallest a member has). ok is false when no
// maximum applies. A caller that loads only the providers inside a circle must use
// this one, so that every member of a group gives the same search.
func SearchCircle(req Request, opt Options) (home placematch.Point, maxKM float64, ok bool) {
	if req.Child == nil {
		return home, 0, false
	}
	var max *float64
	found := false
	for _, m := range members(req) {
		if m.Location != nil && !found {
			home, found = *m.Location, true
		}
		if m.MaxDistanceKM != nil && (max == nil || *m.MaxDistanceKM < *max) {
			max = m.MaxDistanceKM
		}
	}
	if opt.MaxDistanceKM != nil {
		max = opt.MaxDistanceKM
	}
	if max == nil || !found {
		return placematch.Point{}, 0, false
	}
	return home, *max, true
}
