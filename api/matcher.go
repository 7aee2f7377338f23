package api

import (
	"context"
	"slices"
	"sync"
	"time"

	"placematch"
	"placematch/geo"
	"placematch/matching"
	"placematch/store"
)

// Matcher keeps every live provider prepared for ranking in memory and keeps that
// copy coherent with the database: before each search it asks the store for the
// providers written since its last read (one indexed query, empty when nothing
// changed on any replica), and loads only those. A search therefore never
// loads provider rows it already holds, which keeps matching fast at national scale.
type Matcher struct {
	Store          *store.DB
	Weights        matching.Weights
	AreaConfigured bool
	StaleAfter     time.Duration
	// FullReloadAfter bounds how long derived values that age without a write
	// (reported vacancies going stale) are trusted before everything is reloaded.
	FullReloadAfter time.Duration

	mu       sync.Mutex // serialises refreshes
	snapshot *candidateSet
	byID     map[string]*placematch.Provider
	cursor   store.ChangeCursor
	loadedAt time.Time
}

// candidateSet is an immutable view of the providers; searches read it without locks.
type candidateSet struct {
	all    []matching.Candidate // live providers, in id order
	hubs   []matching.Candidate
	grid   *geo.Grid
	index  map[string]int // id → position in all
	byKind map[placematch.ProviderKind]int
}

// weights returns the weights in force: the configured set, or the defaults when
// none is configured.
func (m *Matcher) weights() matching.Weights {
	if len(m.Weights.Values) == 0 {
		return matching.DefaultWeights()
	}
	return m.Weights
}

// candidates returns a current view of the providers.
func (m *Matcher) candidates(ctx context.Context) (*candidateSet, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	reload := m.snapshot == nil || (m.FullReloadAfter > 0 && time.Since(m.loadedAt) > m.FullReloadAfter)
	since := m.cursor
	if reload {
		since = store.ChangeCursor{}
	}
	changed, next, err := m.Store.ProviderChanges(ctx, since)
	if err != nil {
		return nil, err
	}
	if reload {
		m.byID, m.loadedAt = map[string]*placematch.Provider{}, time.Now()
	} else if len(changed) == 0 {
		m.cursor = next
		return m.snapshot, nil
	}
	for _, p := range changed {
		if p.ArchivedAt != nil {
			delete(m.byID, p.ID)
		} else {
			m.byID[p.ID] = p
		}
	}
	m.cursor = next
	m.snapshot = buildSet(m.byID)
	return m.snapshot, nil
}

func buildSet(byID map[string]*placematch.Provider) *candidateSet {
	ids := sortedKeys(byID)
	set := &candidateSet{all: make([]matching.Candidate, len(ids)), grid: geo.NewGrid(0.1),
		index: make(map[string]int, len(ids)), byKind: map[placematch.ProviderKind]int{}}
	for i, id := range ids {
		p := byID[id]
		set.all[i] = matching.Prepare(p)
		set.index[id] = i
		set.byKind[p.Kind]++
		set.grid.Insert(id, p.Location)
		if p.Kind == placematch.KindHub {
			set.hubs = append(set.hubs, set.all[i])
		}
	}
	return set
}

// within returns the candidates within km of a point (the spatial prefilter), in id
// order so that ranking stays deterministic.
func (s *candidateSet) within(center placematch.Point, km float64) []matching.Candidate {
	var pos []int
	s.grid.Within(center, km, func(id string, _ placematch.Point) { pos = append(pos, s.index[id]) })
	slices.Sort(pos)
	out := make([]matching.Candidate, len(pos))
	for i, p := range pos {
		out[i] = s.all[p]
	}
	return out
}

// search ranks providers for a group. When a maximum distance applies, only the
// providers inside it are loaded from the grid; the others of the requested kinds
// are counted as outside_search_radius without being listed.
func (m *Matcher) search(ctx context.Context, req matching.Request, opt matching.Options) (matching.Result, error) {
	set, err := m.candidates(ctx)
	if err != nil {
		return matching.Result{}, err
	}
	opt.Hubs, opt.AreaConfigured, opt.StaleAfter = set.hubs, m.AreaConfigured, m.StaleAfter
	maxKM := opt.MaxDistanceKM
	if maxKM == nil {
		maxKM = req.Child.MaxDistanceKM
	}
	cands := set.all
	if maxKM != nil && req.Child.Location != nil {
		cands = set.within(*req.Child.Location, *maxKM)
	}
	res := matching.Rank(req, cands, m.weights(), opt)
	if len(cands) < len(set.all) {
		total := 0
		for k, n := range set.byKind {
			if len(opt.Kinds) == 0 || slices.Contains(opt.Kinds, k) {
				total += n
			}
		}
		if outside := total - res.Considered; outside > 0 {
			if res.ExcludedSummary == nil {
				res.ExcludedSummary = map[string]int{}
			}
			res.ExcludedSummary[matching.CodeOutsideSearchRadius] += outside
			res.ExcludedCount += outside
		}
	}
	return res, nil
}

// check applies the hard rules to one provider for a booking, on the rows the
// booking transaction holds; it returns a ruleError listing every rule broken.
func (m *Matcher) check(group []*placematch.Child, p *placematch.Provider, start placematch.Date, now time.Time) error {
	req := matching.Request{Child: group[0], Group: group, Today: start, Now: now}
	res := matching.Rank(req, []matching.Candidate{matching.Prepare(p)}, m.weights(),
		matching.Options{IncludeExcluded: true, AreaConfigured: m.AreaConfigured, StaleAfter: m.StaleAfter, Limit: 1})
	if len(res.Excluded) > 0 {
		return &ruleError{reasons: res.Excluded[0].Reasons}
	}
	return nil
}
