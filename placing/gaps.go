package placing

import (
	"context"
	"math"

	"placematch"
	"placematch/geo"
	"placematch/matching"
	"placematch/reports"
)

// Sufficiency makes the sufficiency report with the sections that need the
// candidate index and the hard rules: the gaps by need judge every group awaiting
// against every live home, as its own search would.
func (s *Service) Sufficiency(ctx context.Context, o reports.Options) (*reports.Report, error) {
	return s.Report().SufficiencyWith(ctx, o, s.awaitingHomes)
}

// everywhere is a maximum distance no home is beyond: with it, SearchCircle names
// the group's home as matching takes it, whatever maximum the members have.
var everywhere = math.MaxFloat64

// awaitingHomes forms every group awaiting as an allocation does, and lists the
// homes that pass every hard rule for it on today (matching.FirstEligible over
// every live provider, with the service's search options), each with its
// distance from the group's home in DfE miles.
func (s *Service) awaitingHomes(ctx context.Context, today placematch.Date) ([]reports.AwaitingGroup, error) {
	now := s.now()
	children, err := s.queueChildren(ctx, nil)
	if err != nil {
		return nil, err
	}
	groups, err := s.formGroups(ctx, children)
	if err != nil {
		return nil, err
	}
	set, err := s.index.current(ctx, s.Store, s.FullReloadAfter, now)
	if err != nil {
		return nil, err
	}
	out := make([]reports.AwaitingGroup, 0, len(groups))
	for _, g := range groups {
		req := matching.Request{Child: g.members[0], Group: g.members, Today: today, Now: now}
		var opt matching.Options
		s.searchOptions(set, &opt)
		home, _, known := matching.SearchCircle(req, matching.Options{MaxDistanceKM: &everywhere})
		ag := reports.AwaitingGroup{Members: g.members, HomeKnown: known}
		for _, i := range matching.FirstEligible(req, set.all, opt, len(set.all)) {
			p := set.all[i].P
			h := reports.EligibleHome{ProviderID: p.ID}
			if known {
				h.Miles = geo.Miles(geo.DistanceKM(home, p.Location))
			}
			ag.Homes = append(ag.Homes, h)
		}
		out = append(out, ag)
	}
	return out, nil
}
