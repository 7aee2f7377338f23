package matching

import (
	"cmp"
	"math"
	"slices"
)

// hubIndex finds the hubs whose outreach team reaches a provider. Hubs are sorted by
// latitude, so a lookup is a binary search and a scan of the band of latitudes the
// widest outreach radius spans — a handful of hubs even at national scale.
type hubIndex struct {
	hubs   []outHub
	maxDeg float64 // widest radius in degrees of latitude
	cover  uint64  // every need some hub could cover
}

type outHub struct {
	lat     float64
	x, y, z float64
	r2      float64 // squared chord of the outreach radius
	cover   uint64
	c       *Candidate
}

// newHubIndex keeps the hubs that can reach out to a child of age: not archived,
// with a radius, with a service that meets some need, and whose age range (New
// Roads works with 12–25 year olds) includes the child. Outreach serves the child,
// so the siblings' ages do not matter here.
func newHubIndex(hubs []Candidate, age int) hubIndex {
	var h hubIndex
	for i := range hubs {
		c := &hubs[i]
		if c.P == nil || c.P.Hub == nil || c.props&pArchived != 0 || c.cover == 0 {
			continue
		}
		r := c.P.Hub.OutreachRadiusKM
		if r <= 0 || int32(age) < c.ageMin || int32(age) > c.ageMax {
			continue
		}
		h.hubs = append(h.hubs, outHub{lat: c.lat, x: c.x, y: c.y, z: c.z,
			r2: kmChord2(r), cover: c.cover, c: c})
		h.cover |= c.cover
		h.maxDeg = max(h.maxDeg, r/(earthKM*math.Pi/180))
	}
	// Sorted by latitude for the window; id and kind break ties so the order, and
	// with it which of two equally near hubs is named, never depends on input order.
	slices.SortFunc(h.hubs, func(a, b outHub) int {
		return cmp.Or(cmp.Compare(a.lat, b.lat), cmp.Compare(a.c.id, b.c.id))
	})
	h.maxDeg *= 1.0001 // float slack; the chord test decides
	return h
}

// window returns the hubs whose latitude is within the widest radius of lat.
func (h *hubIndex) window(lat float64) []outHub {
	lo, _ := slices.BinarySearchFunc(h.hubs, lat-h.maxDeg, func(o outHub, t float64) int {
		return cmp.Compare(o.lat, t)
	})
	hi := lo
	for hi < len(h.hubs) && h.hubs[hi].lat <= lat+h.maxDeg {
		hi++
	}
	return h.hubs[lo:hi]
}

// covers returns the needs in want that a hub reaching c covers.
func (h *hubIndex) covers(c *Candidate, want uint64) uint64 {
	var got uint64
	w := h.window(c.lat)
	for i := range w {
		o := &w[i]
		if o.cover&want&^got == 0 {
			continue
		}
		if chord2(o.x, o.y, o.z, c.x, c.y, c.z) <= o.r2 {
			got |= o.cover & want
			if got == want {
				break
			}
		}
	}
	return got
}

// nearest returns the nearest hub reaching c that covers need bit b, and its
// distance; ties go to the lower id.
func (h *hubIndex) nearest(c *Candidate, b uint64) (*Candidate, float64) {
	var best *Candidate
	bestC2 := math.Inf(1)
	for _, o := range h.window(c.lat) {
		if o.cover&b == 0 {
			continue
		}
		c2 := chord2(o.x, o.y, o.z, c.x, c.y, c.z)
		if c2 <= o.r2 && (c2 < bestC2 || c2 == bestC2 && o.c.id < best.id) {
			best, bestC2 = o.c, c2
		}
	}
	if best == nil {
		return nil, 0
	}
	return best, chordKM(bestC2)
}
