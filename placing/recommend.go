package placing

import (
	"context"
	"slices"

	"placematch/matching"
	"placematch/reports"
)

// Recommendations makes the recommendations report: how concentrated the
// engine's recommendations were over the period, who it never recommended and
// why, and which children it found no match for.
func (s *Service) Recommendations(ctx context.Context, o reports.RecOptions) (*reports.RecReport, error) {
	return s.Report().Recommendations(ctx, o, s.passedOver)
}

// passedOver judges, now, why each provider named was passed over for each
// group: it ranks those providers alone for the group, as the group's search
// would with its default options, and counts each hard rule that excluded a
// provider, or that it was eligible and stale, or eligible and ranked below.
func (s *Service) passedOver(ctx context.Context, groups [][]string, providers []string) (map[string]map[string]int, int, error) {
	now := s.now()
	set, err := s.index.current(ctx, s.Store, s.FullReloadAfter, now)
	if err != nil {
		return nil, 0, err
	}
	var cands []matching.Candidate
	for _, id := range providers {
		if i, ok := set.index[id]; ok {
			cands = append(cands, set.all[i])
		}
	}
	out := map[string]map[string]int{}
	count := func(id, code string) {
		if out[id] == nil {
			out[id] = map[string]int{}
		}
		out[id][code]++
	}
	judged := 0
	for _, ids := range groups {
		members, err := s.Store.ChildrenByIDs(ctx, ids)
		if err != nil {
			return nil, 0, err
		}
		if len(members) == 0 || len(cands) == 0 {
			continue // no longer on record
		}
		judged++
		req := matching.Request{Child: members[0], Group: members, Now: now}
		opt := matching.Options{Limit: len(cands), IncludeExcluded: true}
		opt.Hubs, opt.AreaConfigured, opt.StaleAfter, opt.Policy = set.hubs, s.AreaConfigured, s.StaleAfter, s.Policy
		res := matching.Rank(req, cands, s.weights(), opt)
		for _, m := range res.Matches {
			if slices.Contains(m.Flags, matching.FlagAvailabilityStale) {
				count(m.Provider.ID, reports.ReasonStale)
			} else {
				count(m.Provider.ID, reports.ReasonRankedBelow)
			}
		}
		for _, e := range res.Excluded {
			for _, code := range e.Reasons {
				count(e.Provider.ID, code)
			}
		}
	}
	return out, judged, nil
}
