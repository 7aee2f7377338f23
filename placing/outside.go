package placing

import (
	"context"
	"slices"
	"strings"

	"placematch"
	"placematch/geo"
	"placematch/matching"
)

// Outside is a provider a run counted under outside_search_radius without listing
// it: further from the group's home than the maximum distance.
type Outside struct {
	Provider   placematch.ProviderRef
	Reference  string
	DistanceKM float64
	// DistanceMiles and MaxMiles are the distance and the maximum it exceeds, in
	// miles, as officers read them.
	DistanceMiles, MaxMiles float64
}

// OutsideRadius names the live providers whose name or reference holds q (ignoring
// case) and that lie further from the group's home than its maximum distance (the
// smallest a member has): the providers a run with a maximum distance counts under
// outside_search_radius without loading them. It answers a search by name over
// every provider of the index, so that the officer is told why a home they expected
// is missing; the run's counts are not changed. maxKM is the distance applied, zero
// (and no providers) when no maximum applies or q is empty. At most limit providers
// are returned, nearest first.
func (s *Service) OutsideRadius(ctx context.Context, group []*placematch.Child, q string, limit int) (found []Outside, maxKM float64, err error) {
	q = strings.ToLower(strings.TrimSpace(q))
	if q == "" || len(group) == 0 {
		return nil, 0, nil
	}
	home, km, ok := matching.SearchCircle(matching.Request{Child: group[0], Group: group}, matching.Options{})
	if !ok {
		return nil, 0, nil
	}
	set, err := s.index.current(ctx, s.Store, s.FullReloadAfter, s.now())
	if err != nil {
		return nil, 0, err
	}
	for _, c := range set.all {
		p := c.P
		if !strings.Contains(strings.ToLower(p.Name), q) && !strings.Contains(strings.ToLower(p.Reference), q) {
			continue
		}
		if d := geo.DistanceKM(home, p.Location); d > km {
			found = append(found, Outside{Provider: placematch.ProviderRef{Kind: p.Kind, ID: p.ID, Name: p.Name}, Reference: p.Reference, DistanceKM: d,
				DistanceMiles: geo.Miles(d), MaxMiles: geo.Miles(km)})
		}
	}
	slices.SortFunc(found, func(a, b Outside) int {
		if a.DistanceKM != b.DistanceKM {
			if a.DistanceKM < b.DistanceKM {
				return -1
			}
			return 1
		}
		return strings.Compare(a.Provider.ID, b.Provider.ID)
	})
	if limit > 0 && len(found) > limit {
		found = found[:limit]
	}
	return found, km, nil
}
