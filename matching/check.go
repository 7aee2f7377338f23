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

// FirstEligible returns the positions, in cands, of the first n candidates of
// the requested kinds that pass every hard rule for req as Rank judges them, and
// stops there. It neither scores nor explains: it tells a group with few homes
// (fewer than n found) from one with more at the cost of the rules alone, and a
// group with many homes usually at the cost of a handful of candidates.
func FirstEligible(req Request, cands []Candidate, opt Options, n int) []int {
	return NewRules(req, opt).FirstEligible(cands, n)
}

// Rules are a group's hard rules on one day, compiled once (the group's ages and
// facts, the policy, the options) so that many candidate lists can be judged
// for it without compiling them again: a caller that asks of the same group, on
// the same day and with the same options, time after time (the scarce-place
// check asks of every group waiting, on each search) keeps them. They read
// Request.Child, Group and Today (Now when Today is zero), and of the options
// only those Rank's rules read (Kinds, Policy, RequireHighRiskSkills,
// IncludePending, MaxDistanceKM); nothing of the clock past the day. Rules are
// read only once made, so they may be used from several goroutines.
type Rules struct {
	q *query // nil when there is no child
}

// NewRules compiles req's hard rules under opt.
func NewRules(req Request, opt Options) *Rules {
	if req.Child == nil {
		return &Rules{}
	}
	q, _ := newRules(req, opt)
	return &Rules{q: q}
}

// FirstEligible is the package's FirstEligible for the rules' group.
func (r *Rules) FirstEligible(cands []Candidate, n int) []int {
	return r.AppendEligible(nil, cands, n)
}

// AppendEligible is FirstEligible appending the positions to dst, so that a
// caller asking many times reuses one buffer.
func (r *Rules) AppendEligible(dst []int, cands []Candidate, n int) []int {
	q := r.q
	if q == nil || n <= 0 {
		return dst
	}
	found := 0
	for i := range cands {
		c := &cands[i]
		if c.kind&q.kinds == 0 || c.props&pArchived != 0 {
			continue
		}
		if m, _, _ := q.check(c); m == 0 {
			dst = append(dst, i)
			if found++; found == n {
				break
			}
		}
	}
	return dst
}
