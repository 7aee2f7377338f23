package matching

import "placematch"

// Eligible is one provider that passed every hard rule for a group, ranked and
// scored exactly as Rank ranks and scores it, without the explanation.
type Eligible struct {
	Rank     int
	Provider placematch.ProviderRef
	// Score is Rank's score, 0–100 rounded to 2 places.
	Score float64
	// Candidate is the provider's position in the candidates given.
	Candidate int
	// Tier is Rank's tier (TierConnected, TierUsual, TierOutsideTerms, TierPending).
	Tier int8
}

// Shortlist is Rank without the explanations: the best opt.Limit providers for the
// request, in Rank's order, with the rank and score Rank gives each. An allocation
// ranks every group of a queue this way, so that a rank it reports is the rank the
// group's own search shows. It also returns the versions of the weights and the
// household rules it applied; a nil Child lists nothing and names them all the same.
func Shortlist(req Request, cands []Candidate, w Weights, opt Options) (list []Eligible, weightsVersion, rulesVersion string) {
	if req.Child == nil {
		_, _, wv := w.coefficients()
		_, rv := opt.Policy.compile()
		return nil, wv, rv
	}
	q := newQuery(req, w, opt)
	p := &pool{base: cands}
	st := q.scanAll(p, false)
	best := st.top.sorted()
	list = make([]Eligible, len(best))
	for i, e := range best {
		list[i] = Eligible{Rank: i + 1, Provider: p.at(e.idx).P.Ref(), Score: e.score, Candidate: int(e.idx), Tier: e.tier}
	}
	return list, q.version, q.rulesVersion
}
