package matching

// Masked is one excluded candidate of a list, by its position in the list, with
// its reason mask as Options.Masks gives it (bit i is ReasonCodes[i]).
type Masked struct {
	Pos  int
	Mask uint32
}

// Describe turns masks kept from a Rank of req over cands (Options.Masks) back
// into the Exclusions that Rank lists with Options.IncludeExcluded, in the order
// given: the provider, every code and, for one rule a change could meet, what would
// have to change. req, w and opt must be the ranking's own, so that the sentences
// are the ones the run would have listed.
func Describe(req Request, cands []Candidate, w Weights, opt Options, ex []Masked) []Exclusion {
	if len(ex) == 0 || req.Child == nil {
		return []Exclusion{}
	}
	q := newQuery(req, w, opt)
	in := make([]excluded, len(ex))
	for i, e := range ex {
		in[i] = excluded{key: cands[e.Pos].idKey, idx: int32(e.Pos), mask: reason(e.Mask)}
	}
	return exclusions(&pool{base: cands}, in, q.nearMissText)
}

// zeroed is *buf at length n, all zero, reusing its array when it is long enough.
func zeroed(buf *[]uint32, n int) []uint32 {
	b := *buf
	if cap(b) < n {
		b = make([]uint32, n)
	} else {
		b = b[:n]
		clear(b)
	}
	*buf = b
	return b
}
