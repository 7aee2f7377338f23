package matching

import (
	"math"
	"slices"

	"github.com/paulmach/orb"

	"placematch"
	"placematch/geo"
)

// query is a Request and Options boiled down to the numbers the first pass compares:
// the group's extreme ages, one bit per placement type, unit vectors, masks.
type query struct {
	child *placematch.Child
	kinds uint8
	limit int

	g          int16 // group size
	minAge     int16
	maxAge     int16
	teen       bool // a member is 16 or 17
	nonFemale  bool
	wheelchair bool
	siblings   bool // every pair in the group lists the other as a sibling
	checkType  bool
	typeBit    uint8
	emergency  bool // placement type emergency: reg 23 allows any approved carer
	urgent     bool // urgency emergency: hubs' emergency beds may be used
	required   int32
	today      int32

	home       bool
	hx, hy, hz float64
	school     bool
	sx, sy, sz float64
	hasMax     bool
	maxKM      float64
	maxC2      float64

	areas    geo.Areas
	hasAreas bool
	areasBad bool
	areaBox  orb.Bound // union of the areas' bounding boxes

	needs     uint64   // known needs and graded risks, as needBit bits
	needTotal int      // how many distinct needs, known or not
	needItems []string // distinct needs in the child's order, for the detail text

	langs    []string
	langMask uint64

	now            int64
	stale          int64
	staleAfter     float64
	areaConfigured bool

	coef    [nFactors]float64
	weights [nFactors]float64
	version string

	hubs hubIndex
}

func newQuery(req Request, w Weights, opt Options) *query {
	q, today := newRules(req, opt)
	q.limit = opt.Limit
	if q.limit <= 0 {
		q.limit = DefaultLimit
	}
	q.coef, q.weights, q.version = w.coefficients()
	c := req.Child
	if c.SchoolLocation != nil {
		q.school = true
		q.sx, q.sy, q.sz = unitVector(*c.SchoolLocation)
	}
	q.collectNeeds(c)
	for _, l := range c.Languages {
		if n := normLang(l); n != "" && !slices.Contains(q.langs, n) {
			q.langs = append(q.langs, n)
			q.langMask |= langBit(n)
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
	q.hubs = newHubIndex(opt.Hubs, c.AgeOn(today))
	return q
}

// newRules fills the part of a query the hard rules read (query.check), and nothing
// the scores or explanations need; it returns the search date as well.
func newRules(req Request, opt Options) (*query, placematch.Date) {
	q := &query{child: req.Child}
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
	q.group(req, today)

	c := req.Child
	q.checkType = c.PlacementType != ""
	q.typeBit = typeBit(c.PlacementType)
	q.emergency = c.PlacementType == placematch.PlacementEmergency
	q.urgent = c.Urgency == "emergency"
	// A date already past means "as soon as possible": a provider available since
	// yesterday is not too late for a child needed since last week.
	q.today = dayNumber(today)
	q.required = q.today
	if !c.RequiredFrom.IsZero() {
		q.required = max(q.required, dayNumber(c.RequiredFrom))
	}

	if c.Location != nil {
		q.home = true
		q.hx, q.hy, q.hz = unitVector(*c.Location)
	}
	maxKM := c.MaxDistanceKM
	if opt.MaxDistanceKM != nil {
		maxKM = opt.MaxDistanceKM
	}
	if maxKM != nil && q.home {
		q.hasMax, q.maxKM, q.maxC2 = true, *maxKM, kmChord2(*maxKM)
	}
	if len(c.AvoidAreas) > 0 {
		a, err := geo.ParseAreas(c.AvoidAreas)
		// Fail closed: areas are validated on input, so this is a stored record
		// gone bad, and showing providers that might sit inside an exploitation
		// risk area would be worse than showing none.
		q.areasBad = err != nil
		q.areas, q.hasAreas = a, err == nil && !a.Empty()
		q.areaBox = a.Bound()
	}
	return q, today
}

// group summarises the sibling group: size, youngest and oldest, and the facts the
// hard rules ask about any member.
func (q *query) group(req Request, today placematch.Date) {
	members := make([]*placematch.Child, 0, max(1, len(req.Group)))
	for _, m := range req.Group {
		if m != nil {
			members = append(members, m)
		}
	}
	if len(members) == 0 {
		members = append(members, req.Child)
	}
	q.g = small(len(members))
	q.minAge, q.maxAge = math.MaxInt16, math.MinInt16
	q.siblings = true
	for i, m := range members {
		age := small(m.AgeOn(today))
		q.minAge, q.maxAge = min(q.minAge, age), max(q.maxAge, age)
		q.teen = q.teen || age == 16 || age == 17
		q.nonFemale = q.nonFemale || m.Sex != "female"
		q.wheelchair = q.wheelchair || m.WheelchairUser
		for _, o := range members[:i] {
			if m.ID == "" || o.ID == "" || m.ID == o.ID ||
				!(slices.Contains(m.Siblings, o.ID) || slices.Contains(o.Siblings, m.ID)) {
				q.siblings = false
			}
		}
	}
}

// collectNeeds lists the child's needs and the risk types graded low or high,
// without repeats. Codes outside the taxonomies count as needs nobody covers: the
// store validates codes, so this only keeps a bad record from looking well met.
func (q *query) collectNeeds(c *placematch.Child) {
	add := func(code string) {
		if slices.Contains(q.needItems, code) {
			return
		}
		q.needItems = append(q.needItems, code)
		q.needTotal++
		if b, ok := needBit[code]; ok {
			q.needs |= 1 << b
		}
	}
	for _, n := range c.Needs {
		add(n)
	}
	for _, r := range c.Risks {
		if r.Level == "low" || r.Level == "high" {
			add(r.Type)
		}
	}
}
