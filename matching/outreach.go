package matching

import (
	"math"
	"slices"
)

// hubIndex finds the hubs whose outreach team reaches a provider. It is rebuilt for
// every Rank (which hubs count depends on the group), so it is a grid filled
// by counting sort — linear in the number of hubs, no comparisons — with cells as
// large as the widest outreach radius: every hub that can reach a point lies in the
// point's cell or one of its eight neighbours. Longitudes do not wrap; no hub is
// near the antimeridian.
type hubIndex struct {
	hubs       []outHub // grouped by cell, row-major
	start      []int32  // the hubs of cell i are hubs[start[i]:start[i+1]]
	lat0, lon0 float64  // south-west corner of the grid
	dLat, dLon float64  // cell size in degrees
	rows, cols int
	cover      uint64 // every need some hub could cover
	// avoid, when set, is a group's avoid-areas test for an index built for
	// every group (newHubIndex with no ages): a hub it reports is skipped.
	avoid func(c *Candidate) bool
}

type outHub struct {
	x, y, z        float64
	r2             float64 // squared chord of the outreach radius
	cover          uint64
	ageMin, ageMax int16
	c              *Candidate
}

// serves reports whether the hub's outreach works with a child of age.
func (o *outHub) serves(age int16) bool { return age >= o.ageMin && age <= o.ageMax }

// maxHubCells bounds the grid when hubs are spread far wider than their radii.
const maxHubCells = 1 << 16

// newHubIndex keeps the hubs that can reach out to a member of the group: not
// archived, with a radius, with a service that meets some need, whose age range
// (New Roads works with 12–25 year olds) includes some member's age, and not inside
// one of the group's avoid-areas (avoid reports that): support from a place the
// child must be kept away from is no support. With nil ages and avoid it keeps
// the hubs any group could use, for an Index: a hub's team whose ages no member
// has then credits nothing (outreachWeight and nearest check each member's age),
// and the group's avoid-areas are checked as hubs are visited (hubIndex.avoid). Outreach serves each member on its
// own, so which member a hub may serve is checked per member when it is used.
func newHubIndex(hubs []Candidate, ages []int16, avoid func(c *Candidate) bool) hubIndex {
	var h hubIndex
	var keep []int32
	minLat, maxLat, minLon, maxLon, maxR := math.Inf(1), math.Inf(-1), math.Inf(1), math.Inf(-1), 0.0
	for i := range hubs {
		c := &hubs[i]
		if c.kind != kindHub || c.props&pArchived != 0 || c.cover == 0 {
			continue
		}
		r := c.reach
		// The hub's own age range is its outreach team's (12–25); the candidate's
		// is its beds'.
		lo, hi := c.teamMin, c.teamMax
		if !(r > 0) || ages != nil && !slices.ContainsFunc(ages, func(a int16) bool { return a >= lo && a <= hi }) ||
			avoid != nil && avoid(c) {
			continue
		}
		keep = append(keep, int32(i))
		h.cover |= c.cover
		minLat, maxLat = min(minLat, c.lat), max(maxLat, c.lat)
		minLon, maxLon = min(minLon, c.lon), max(maxLon, c.lon)
		maxR = max(maxR, r)
	}
	if len(keep) == 0 {
		return h
	}
	// A point within r km of a hub is within r/kmPerDegree degrees of latitude,
	// and within that over cos(latitude) of longitude at the highest latitude in
	// play; the slack covers the great circle bowing poleward of the parallel.
	h.dLat = maxR / (earthKM * math.Pi / 180) * 1.001
	h.dLon = 360
	if cos := math.Cos((max(math.Abs(minLat), math.Abs(maxLat)) + h.dLat) * math.Pi / 180); cos > 0.01 {
		h.dLon = h.dLat / cos * 1.01
	}
	h.lat0, h.lon0 = minLat, minLon
	h.rows, h.cols = int((maxLat-minLat)/h.dLat)+1, int((maxLon-minLon)/h.dLon)+1
	if n := float64(h.rows) * float64(h.cols); n > maxHubCells {
		f := math.Sqrt(n/maxHubCells) * 1.01
		h.dLat, h.dLon = h.dLat*f, h.dLon*f
		h.rows, h.cols = int((maxLat-minLat)/h.dLat)+1, int((maxLon-minLon)/h.dLon)+1
	}
	// Counting sort: count per cell, prefix sums, then place each hub.
	cells := make([]int32, len(keep))
	h.start = make([]int32, h.rows*h.cols+1)
	for i, k := range keep {
		c := &hubs[k]
		cells[i] = int32(int((c.lat-h.lat0)/h.dLat)*h.cols + int((c.lon-h.lon0)/h.dLon))
		h.start[cells[i]+1]++
	}
	for i := 1; i < len(h.start); i++ {
		h.start[i] += h.start[i-1]
	}
	next := slices.Clone(h.start[:len(h.start)-1])
	h.hubs = make([]outHub, len(keep))
	for i, k := range keep {
		c := &hubs[k]
		h.hubs[next[cells[i]]] = outHub{x: c.x, y: c.y, z: c.z, r2: kmChord2(c.reach),
			cover: c.cover, ageMin: c.teamMin, ageMax: c.teamMax, c: c}
		next[cells[i]]++
	}
	return h
}

// near calls fn for every hub in the 3×3 cells around c until fn returns false.
func (h *hubIndex) near(c *Candidate, fn func(o *outHub) bool) {
	if len(h.hubs) == 0 {
		return
	}
	fr, fc := math.Floor((c.lat-h.lat0)/h.dLat), math.Floor((c.lon-h.lon0)/h.dLon)
	if fr < -1 || fr > float64(h.rows) || fc < -1 || fc > float64(h.cols) {
		return
	}
	r, col := int(fr), int(fc)
	for rr := max(r-1, 0); rr <= min(r+1, h.rows-1); rr++ {
		row := rr * h.cols
		lo, hi := h.start[row+max(col-1, 0)], h.start[row+min(col+1, h.cols-1)+1]
		for i := lo; i < hi; i++ {
			if h.avoid != nil && h.avoid(h.hubs[i].c) {
				continue
			}
			if !fn(&h.hubs[i]) {
				return
			}
		}
	}
}

// outreachWeight is the weight of the open items of the group (those the
// provider's own skills leave) that a hub reaching c covers for the member who has
// them. want and got are scratch of one word per member.
func (q *query) outreachWeight(c *Candidate, want, got []uint64) int {
	left := 0
	for i, m := range q.itemMask {
		want[i], got[i] = m&^c.cover&q.hubs.cover, 0
		if want[i] != 0 {
			left++
		}
	}
	if left == 0 {
		return 0
	}
	q.hubs.near(c, func(o *outHub) bool {
		if chord2(o.x, o.y, o.z, c.x, c.y, c.z) > o.r2 {
			return true
		}
		for i, a := range q.ages {
			if w := want[i] &^ got[i]; w&o.cover != 0 && o.serves(a) {
				got[i] |= w & o.cover
				if got[i] == want[i] {
					left--
				}
			}
		}
		return left > 0
	})
	w := 0
	for i, g := range got {
		w += bits64(g) + bits64(g&q.highMask[i])
	}
	return w
}

// hubAsk is one item's question to nearestEach: the nearest hub reaching the
// candidate that covers need bit for a child of age (best nil when none; c2 its
// squared chord).
type hubAsk struct {
	bit  uint64
	age  int16
	best *Candidate
	c2   float64
}

// nearestEach answers every ask in one visit of the hubs near c: the nearest hub
// reaching c that covers the ask's need for a child of its age; ties go to the
// lower id, so input order never decides.
func (h *hubIndex) nearestEach(c *Candidate, asks []hubAsk) {
	if len(asks) == 0 {
		return
	}
	for i := range asks {
		asks[i].best, asks[i].c2 = nil, math.Inf(1)
	}
	h.near(c, func(o *outHub) bool {
		c2 := -1.0
		for i := range asks {
			a := &asks[i]
			if o.cover&a.bit == 0 || !o.serves(a.age) {
				continue
			}
			if c2 < 0 {
				c2 = chord2(o.x, o.y, o.z, c.x, c.y, c.z)
			}
			if c2 <= o.r2 && (c2 < a.c2 || c2 == a.c2 && compareIDs(o.c, a.best) < 0) {
				a.best, a.c2 = o.c, c2
			}
		}
		return true
	})
}
