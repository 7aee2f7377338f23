package matching

import "placematch"

// Check applies every hard rule to one provider for req, exactly as Rank does, and
// returns the codes of the rules it breaks in ReasonCodes order; none means the
// provider may take the group. It neither scores nor explains, and reads no other
// provider, so it is cheap enough to run inside a booking's transaction on the rows
// the booking has locked. Options.Kinds, Limit, IncludeExcluded and Hubs are not
// used: the caller names the provider, and outreach never decides a hard rule;
// IncludePending is not either: a carer in assessment is never bookable;
// Policy and RequireHighRiskSkills are, as in Rank. An
// archived provider breaks no rule here; the caller refuses archived records itself.
func Check(req Request, p *placematch.Provider, opt Options) []string {
	if req.Child == nil || p == nil {
		return nil
	}
	opt.Kinds, opt.IncludePending = nil, false
	q, _ := newRules(req, opt)
	c := Prepare(p)
	m, _, _ := q.check(&c)
	return m.codes(nil)
}
