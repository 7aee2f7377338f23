package reports

import (
	"cmp"
	"math"
	"slices"
	"strconv"
	"strings"
	"time"

	"placematch"
	"placematch/store"
)

// RecRun is one match run as the recommendations report counts it: the group it
// ranked for, described on the run's day, and what it ranked.
type RecRun struct {
	At time.Time
	// Group is every child ranked for, in id order; runs for the same group
	// (a sibling searched for another) are one search.
	Group []string
	// AgeBand is the eldest member's on the run's day; Size the group's size;
	// Wheelchair says a member uses a wheelchair; Urgency is emergency when any
	// member's referral is, else planned.
	AgeBand    string
	Size       int
	Wheelchair bool
	Urgency    string
	Ranked     []store.RankedProvider
	// TopMiles is rank 1's distance from home in DfE miles, as the run showed
	// it; TopKnown is false with no match or no home recorded.
	TopMiles float64
	TopKnown bool
}

// RecInput is what the recommendations report is made from.
type RecInput struct {
	Runs        []RecRun
	Allocations int
	// Assignments are every allocation's proposals in the period.
	Assignments []store.Assignment
	// Providers are the live providers now.
	Providers []placematch.ProviderRef
	// Reasons say, for each provider never recommended, why in how many of the
	// groups judged (GroupsJudged): a hard rule's code, ReasonStale or
	// ReasonRankedBelow.
	Reasons      map[string]map[string]int
	GroupsJudged int
	Suppress     bool
	// Contacts are the homes contacted about a match run in the period (by
	// ContactedAt), with their answers.
	Contacts []*placematch.HomeContact
}

// Reasons a provider never recommended was passed over, beside the hard rules'
// codes.
const (
	// ReasonStale: eligible, but its availability was stale, which lowers it.
	ReasonStale = "availability_stale"
	// ReasonRankedBelow: eligible and fresh, but others ranked above it.
	ReasonRankedBelow = "eligible_ranked_below_others"
)

// The dimensions of the no-match table, in order.
const (
	DimAgeBand    = "age_band"
	DimGroupSize  = "sibling_group_size"
	DimWheelchair = "wheelchair_user"
	DimUrgency    = "urgency"
)

// Recommendations are the concentration and reach of the engine's
// recommendations over a period.
type Recommendations struct {
	Runs, Allocations, Assignments int
	// Providers are those counted: live now, or recommended in the period.
	Providers, ProvidersRecommended int
	// TopK is the number of providers in the top 10% (ceil of a tenth).
	TopK                       int
	Share1, Share3, Gini       float64
	Share1OK, Share3OK, GiniOK bool
	Never                      []NeverRecommended
	NoMatch                    []NoMatchRow
	Gaps                       []DistanceGap
	GroupsJudged               int
	Suppress                   bool
	// Contacted and Declined count the contacts in the period and those declined;
	// DeclineReasons count the declines by reason, commonest first; Decliners are
	// the providers that declined at least once, most declines first.
	Contacted, Declined int
	DeclineReasons      []DeclineCount
	Decliners           []Decliner
}

// DeclineCount is a decline reason and how many declines gave it.
type DeclineCount struct {
	Reason   string
	Declines int
}

// Decliner is a provider that declined at least one referral in the period: how
// often it was contacted, how often it declined, and why.
type Decliner struct {
	Provider            placematch.ProviderRef
	Contacted, Declined int
	Reasons             []DeclineCount
}

// NeverRecommended is a live provider no run listed and no allocation proposed,
// with its commonest reasons (at most three).
type NeverRecommended struct {
	Provider placematch.ProviderRef
	Reasons  []ReasonCount
}

// ReasonCount is a reason and the groups judged it applied to.
type ReasonCount struct {
	Code   string
	Groups int
}

// NoMatchRow is one group of one dimension: children searched for, those whose
// latest search in the period had no match, and the median distance of the
// first match of the others.
type NoMatchRow struct {
	Dimension, Group  string
	Children, NoMatch int
	MedianMiles       float64
	MedianOK          bool
	// matched counts the children with a known distance to rank 1.
	matched int
}

// DistanceGap is the gap between the largest and smallest median distance of a
// dimension's groups.
type DistanceGap struct {
	Dimension         string
	GapMiles          float64
	OK                bool
	Nearest, Farthest string
}

// Recommend aggregates the input. Every figure is defined in Notes.
func Recommend(in RecInput) *Recommendations {
	r := &Recommendations{Runs: len(in.Runs), Allocations: in.Allocations, Assignments: len(in.Assignments),
		GroupsJudged: in.GroupsJudged, Suppress: in.Suppress, Never: []NeverRecommended{}}
	first, top3, listed := map[string]int{}, map[string]int{}, map[string]bool{}
	refs := map[string]placematch.ProviderRef{}
	for _, p := range in.Providers {
		refs[p.ID] = p
	}
	for _, run := range in.Runs {
		for _, m := range run.Ranked {
			listed[m.Provider.ID] = true
			if _, ok := refs[m.Provider.ID]; !ok {
				refs[m.Provider.ID] = m.Provider
			}
			if m.Rank == 1 {
				first[m.Provider.ID]++
			}
			if m.Rank <= 3 {
				top3[m.Provider.ID]++
			}
		}
	}
	for _, a := range in.Assignments {
		listed[a.Provider.ID] = true
		if _, ok := refs[a.Provider.ID]; !ok {
			refs[a.Provider.ID] = a.Provider
		}
		first[a.Provider.ID]++
		top3[a.Provider.ID]++
	}
	ids := make([]string, 0, len(refs))
	for id := range refs {
		ids = append(ids, id)
	}
	r.Providers, r.ProvidersRecommended = len(ids), len(listed)
	// Most recommended first: top-3 appearances, then first places, then id.
	slices.SortFunc(ids, func(a, b string) int {
		return cmp.Or(cmp.Compare(top3[b], top3[a]), cmp.Compare(first[b], first[a]), strings.Compare(a, b))
	})
	if n := len(ids); n > 0 {
		r.TopK = (n + 9) / 10
		var s1, s3, t1, t3 int
		for i, id := range ids {
			t1, t3 = t1+first[id], t3+top3[id]
			if i < r.TopK {
				s1, s3 = s1+first[id], s3+top3[id]
			}
		}
		if t1 > 0 {
			r.Share1, r.Share1OK = round(float64(s1)/float64(t1), 4), true
		}
		if t3 > 0 {
			r.Share3, r.Share3OK = round(float64(s3)/float64(t3), 4), true
			xs := make([]int, n)
			for i, id := range ids {
				xs[i] = top3[id]
			}
			r.Gini, r.GiniOK = round(gini(xs), 4), true
		}
	}
	for _, p := range in.Providers {
		if listed[p.ID] {
			continue
		}
		nr := NeverRecommended{Provider: p, Reasons: []ReasonCount{}}
		for code, n := range in.Reasons[p.ID] {
			nr.Reasons = append(nr.Reasons, ReasonCount{code, n})
		}
		slices.SortFunc(nr.Reasons, func(a, b ReasonCount) int {
			return cmp.Or(cmp.Compare(b.Groups, a.Groups), strings.Compare(a.Code, b.Code))
		})
		nr.Reasons = nr.Reasons[:min(3, len(nr.Reasons))]
		r.Never = append(r.Never, nr)
	}
	slices.SortFunc(r.Never, func(a, b NeverRecommended) int {
		return cmp.Or(strings.Compare(string(a.Provider.Kind), string(b.Provider.Kind)),
			strings.Compare(a.Provider.Name, b.Provider.Name), strings.Compare(a.Provider.ID, b.Provider.ID))
	})
	r.NoMatch, r.Gaps = noMatch(in.Runs, in.Suppress)
	r.Contacted, r.Declined, r.DeclineReasons, r.Decliners = declines(in.Contacts)
	return r
}

// declines counts the contacts' answers: declines by reason over all, and per
// provider that declined at least once.
func declines(cs []*placematch.HomeContact) (contacted, declined int, reasons []DeclineCount, out []Decliner) {
	all := map[string]int{}
	type acc struct {
		ref                 placematch.ProviderRef
		contacted, declined int
		reasons             map[string]int
	}
	by := map[string]*acc{}
	for _, c := range cs {
		a := by[c.Provider.ID]
		if a == nil {
			a = &acc{ref: c.Provider, reasons: map[string]int{}}
			by[c.Provider.ID] = a
		}
		a.contacted++
		if c.Answer == placematch.AnswerDeclined {
			a.declined++
			a.reasons[string(c.DeclineReason)]++
			all[string(c.DeclineReason)]++
			declined++
		}
	}
	counts := func(m map[string]int) []DeclineCount {
		out := []DeclineCount{}
		for r, n := range m {
			out = append(out, DeclineCount{r, n})
		}
		slices.SortFunc(out, func(a, b DeclineCount) int {
			return cmp.Or(cmp.Compare(b.Declines, a.Declines), strings.Compare(a.Reason, b.Reason))
		})
		return out
	}
	out = []Decliner{}
	for _, a := range by {
		if a.declined > 0 {
			out = append(out, Decliner{Provider: a.ref, Contacted: a.contacted, Declined: a.declined, Reasons: counts(a.reasons)})
		}
	}
	slices.SortFunc(out, func(a, b Decliner) int {
		return cmp.Or(cmp.Compare(b.Declined, a.Declined), cmp.Compare(a.Contacted, b.Contacted),
			strings.Compare(a.Provider.ID, b.Provider.ID))
	})
	return len(cs), declined, counts(all), out
}

// gini is the Gini coefficient of the counts: Σᵢ Σⱼ |xᵢ − xⱼ| / (2 n² mean),
// computed on the counts sorted ascending as (2 Σ i·x₍ᵢ₎) / (n Σ x) − (n + 1) / n.
func gini(xs []int) float64 {
	s := slices.Clone(xs)
	slices.Sort(s)
	var sum, weighted float64
	for i, x := range s {
		sum += float64(x)
		weighted += float64(i+1) * float64(x)
	}
	n := float64(len(s))
	return 2*weighted/(n*sum) - (n+1)/n
}

func round(v float64, places int) float64 {
	p := math.Pow(10, float64(places))
	return math.Round(v*p) / p
}

// groupSizeName names a sibling group's size band.
func groupSizeName(n int) string {
	if n >= 4 {
		return "4+"
	}
	return strconv.Itoa(n)
}

// noMatch counts, for each dimension's groups, the children of each group
// searched in the period (by its latest run) and those with no match, and the
// median DfE miles to rank 1 of the others; then each dimension's gap.
func noMatch(runs []RecRun, suppress bool) ([]NoMatchRow, []DistanceGap) {
	latest := map[string]RecRun{}
	var keys []string
	for _, run := range runs { // oldest first: the last one wins
		k := strings.Join(run.Group, ",")
		if _, ok := latest[k]; !ok {
			keys = append(keys, k)
		}
		latest[k] = run
	}
	type acc struct {
		children, none int
		miles          []float64
	}
	dims := []string{DimAgeBand, DimGroupSize, DimWheelchair, DimUrgency}
	order := map[string][]string{
		DimAgeBand:    {},
		DimGroupSize:  {"1", "2", "3", "4+"},
		DimWheelchair: {"yes", "no"},
		DimUrgency:    {"emergency", "planned"},
	}
	for _, b := range AgeBands {
		order[DimAgeBand] = append(order[DimAgeBand], b.Name)
	}
	accs := map[string]map[string]*acc{}
	for _, d := range dims {
		accs[d] = map[string]*acc{}
		for _, g := range order[d] {
			accs[d][g] = &acc{}
		}
	}
	for _, k := range keys {
		run := latest[k]
		wheel := "no"
		if run.Wheelchair {
			wheel = "yes"
		}
		vals := map[string]string{DimAgeBand: run.AgeBand, DimGroupSize: groupSizeName(run.Size), DimWheelchair: wheel, DimUrgency: run.Urgency}
		for _, d := range dims {
			a := accs[d][vals[d]]
			if a == nil {
				a = &acc{}
				accs[d][vals[d]] = a
				order[d] = append(order[d], vals[d])
			}
			a.children += run.Size
			switch {
			case len(run.Ranked) == 0:
				a.none += run.Size
			case run.TopKnown:
				for range run.Size {
					a.miles = append(a.miles, run.TopMiles)
				}
			}
		}
	}
	c := cells{suppress: suppress}
	var rows []NoMatchRow
	var gaps []DistanceGap
	for _, d := range dims {
		start := len(rows)
		for _, g := range order[d] {
			a := accs[d][g]
			row := NoMatchRow{Dimension: d, Group: g, Children: a.children, NoMatch: a.none, matched: len(a.miles)}
			if m, ok := median(a.miles); ok && !c.small(row.matched) {
				row.MedianMiles, row.MedianOK = m, true
			}
			rows = append(rows, row)
		}
		gap := DistanceGap{Dimension: d}
		lo, hi := -1, -1
		for i := start; i < len(rows); i++ {
			if !rows[i].MedianOK {
				continue
			}
			if lo < 0 || rows[i].MedianMiles < rows[lo].MedianMiles {
				lo = i
			}
			if hi < 0 || rows[i].MedianMiles > rows[hi].MedianMiles {
				hi = i
			}
		}
		if lo >= 0 && lo != hi {
			gap.GapMiles, gap.OK = round(rows[hi].MedianMiles-rows[lo].MedianMiles, 1), true
			gap.Nearest, gap.Farthest = rows[lo].Group, rows[hi].Group
		}
		gaps = append(gaps, gap)
	}
	return rows, gaps
}

// median is the middle of the values (the mean of the two middle ones for an
// even count), to 0.1.
func median(xs []float64) (float64, bool) {
	if len(xs) == 0 {
		return 0, false
	}
	s := slices.Clone(xs)
	slices.Sort(s)
	n := len(s)
	if n%2 == 1 {
		return round(s[n/2], 1), true
	}
	return round((s[n/2-1]+s[n/2])/2, 1), true
}
