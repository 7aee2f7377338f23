package placing

import (
	"placematch"
	"placematch/geo"
	"placematch/matching"
)

// Far says how a home lies from a group: its straight-line distance from the
// group's home in DfE miles (known is false when no member's home is recorded),
// whether that is more than 20 miles, and whether the home is outside the
// council's area (only when a boundary is configured).
type Far struct {
	Miles       float64
	Known       bool
	Over20Miles bool
	OutOfArea   bool
}

// Needed says a booking of the home needs a distance reason.
func (f Far) Needed() bool { return f.Over20Miles || f.OutOfArea }

// farOf judges p for the group of req: the group's home is matching's (the first
// member in canonical order with a location).
func (s *Service) farOf(req matching.Request, p *placematch.Provider) Far {
	var f Far
	if home, _, ok := matching.SearchCircle(req, matching.Options{MaxDistanceKM: &everywhere}); ok {
		f.Miles, f.Known = geo.Miles(geo.DistanceKM(home, p.Location)), true
		f.Over20Miles = f.Miles > placematch.NearMiles
	}
	f.OutOfArea = s.AreaConfigured && p.District == ""
	return f
}

// checkDistanceReason refuses a booking of a home more than 20 miles from the
// child's home, or outside the council's area, that does not say why (Children
// Act 1989 s22C(9)): the reason is kept with the placement for the sufficiency
// report. It runs on the rows the booking has locked.
func (s *Service) checkDistanceReason(req matching.Request, p *placematch.Provider, reason placematch.DistanceReason) error {
	f := s.farOf(req, p)
	if !f.Needed() || reason != "" {
		return nil
	}
	switch {
	case f.Over20Miles && f.OutOfArea:
		return placematch.Invalid("distance_reason", "is required: %s is %.1f miles from the child's home and outside the council's area", p.Name, f.Miles)
	case f.Over20Miles:
		return placematch.Invalid("distance_reason", "is required: %s is %.1f miles from the child's home, more than 20", p.Name, f.Miles)
	}
	return placematch.Invalid("distance_reason", "is required: %s is outside the council's area", p.Name)
}
