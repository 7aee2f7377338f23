package placing

import (
	"context"
	"maps"
	"slices"
	"sync"
	"time"

	"placematch"
	"placematch/geo"
	"placematch/matching"
	"placematch/store"
)

// index keeps every live provider prepared for ranking in memory and keeps that copy
// coherent with the database: before each search it asks the store for the
// providers written since its last read (one indexed query, empty when nothing
// changed on any replica), and loads only those. A search therefore never
// loads provider rows it already holds, which keeps matching fast at national scale.
type index struct {
	mu       sync.Mutex // serialises refreshes
	snapshot *candidateSet
	byID     map[string]*placematch.Provider
	cursor   store.ChangeCursor
	loadedAt time.Time
	// hashes is the state hash of every provider held, as the last manifest
	// recorded it; manifest is that manifest's id and depth its distance from the
	// last full one (record.go).
	hashes   map[string]string
	manifest string
	depth    int
	maxDepth int // 0: maxManifestDepth
}

// candidateSet is an immutable view of the providers; searches read it without locks.
type candidateSet struct {
	all    []matching.Candidate // live providers, in id order
	hubs   []matching.Candidate
	grid   *geo.Grid
	index  map[string]int // id → position in all
	byKind map[placematch.ProviderKind]int
	// manifest names the providers' states this set holds, so that a run ranked on
	// it can be replayed.
	manifest string
}

// current returns a current view of the providers. fullAfter bounds how long derived
// values that age without a write (reported vacancies going stale) are trusted
// before everything is reloaded, on the service's clock (now); zero trusts them
// until the next write. The residents' ages are such values too.
func (x *index) current(ctx context.Context, db *store.DB, fullAfter time.Duration, now time.Time) (*candidateSet, error) {
	x.mu.Lock()
	defer x.mu.Unlock()
	reload := x.snapshot == nil || (fullAfter > 0 && now.Sub(x.loadedAt) > fullAfter)
	since := x.cursor
	if reload {
		since = store.ChangeCursor{}
	}
	changed, next, err := db.ProviderChanges(ctx, since)
	if err != nil {
		return nil, err
	}
	if !reload && len(changed) == 0 {
		x.cursor = next
		return x.snapshot, nil
	}
	byID := x.byID
	if reload {
		byID = map[string]*placematch.Provider{}
	} else {
		byID = maps.Clone(byID)
	}
	live, removed := make([]*placematch.Provider, 0, len(changed)), []string{}
	for _, p := range changed {
		if p.ArchivedAt != nil {
			delete(byID, p.ID)
			removed = append(removed, p.ID)
		} else {
			byID[p.ID] = p
			live = append(live, p)
		}
	}
	if reload {
		for id := range x.hashes {
			if _, ok := byID[id]; !ok {
				removed = append(removed, id)
			}
		}
	}
	manifest, err := x.record(ctx, db, live, removed)
	if err != nil {
		return nil, err
	}
	if reload {
		x.loadedAt = now
	}
	x.byID, x.cursor = byID, next
	x.snapshot = buildSet(byID)
	x.snapshot.manifest = manifest
	return x.snapshot, nil
}

func buildSet(byID map[string]*placematch.Provider) *candidateSet {
	ids := slices.Sorted(maps.Keys(byID))
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

// ofKinds counts the live providers of the kinds asked for (every kind when none).
func (s *candidateSet) ofKinds(kinds []placematch.ProviderKind) int {
	total := 0
	for k, n := range s.byKind {
		if len(kinds) == 0 || slices.Contains(kinds, k) {
			total += n
		}
	}
	return total
}
