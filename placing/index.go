package placing

import (
	"context"
	"maps"
	"runtime"
	"slices"
	"sync"
	"sync/atomic"
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
	// pending, when set, is closed once the manifest of snapshot, recorded in the
	// background since warm built it, is stored (pendingErr: why not).
	pending    chan struct{}
	pendingErr error
	// recording is true while that record is being written; read without mu,
	// which a search waiting for the record holds (Service.Recorded).
	recording atomic.Bool
}

// candidateSet is an immutable view of the providers; searches read it without locks.
type candidateSet struct {
	all    []matching.Candidate // live providers, in id order
	hubs   []matching.Candidate
	grid   *geo.Grid
	index  map[string]int // id → position in all
	byKind map[placematch.ProviderKind]int
	hubAt  []int // positions of the hubs in all
	// idx is all prepared for searches over every provider (matching.RankIndex).
	idx *matching.Index
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
	return x.refresh(ctx, db, fullAfter, now, false)
}

// warm builds the set now and returns once the candidates are prepared, leaving
// its manifest to be recorded in the background: every later call of current
// waits for that record first (settle), so no search reads a set without its
// manifest.
func (x *index) warm(ctx context.Context, db *store.DB, fullAfter time.Duration, now time.Time) error {
	x.mu.Lock()
	defer x.mu.Unlock()
	_, err := x.refresh(ctx, db, fullAfter, now, true)
	return err
}

// settle waits for a manifest being recorded in the background. When that
// record failed, the set it was for is dropped (the next refresh loads everything
// again) and the error returned. x.mu is held.
func (x *index) settle() error {
	if x.pending == nil {
		return nil
	}
	<-x.pending
	x.pending = nil
	if err := x.pendingErr; err != nil {
		x.pendingErr, x.snapshot, x.byID, x.cursor = nil, nil, nil, store.ChangeCursor{}
		return err
	}
	return nil
}

// refresh reads the providers written since the last read and builds the set
// they make; with background its manifest is recorded after it returns (warm).
// x.mu is held.
func (x *index) refresh(ctx context.Context, db *store.DB, fullAfter time.Duration, now time.Time, background bool) (*candidateSet, error) {
	if err := x.settle(); err != nil {
		return nil, err
	}
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
	record := func(ctx context.Context) (string, error) {
		if x.hashes == nil {
			if err := x.resume(ctx, db); err != nil {
				return "", err
			}
		}
		if reload {
			for id := range x.hashes {
				if _, ok := byID[id]; !ok {
					removed = append(removed, id)
				}
			}
		}
		return x.record(ctx, db, live, removed)
	}
	var manifest string
	if !background {
		if manifest, err = record(ctx); err != nil {
			return nil, err
		}
	}
	if reload {
		x.loadedAt = now
	}
	x.byID, x.cursor = byID, next
	prev, ids := x.snapshot, make([]string, len(changed))
	if reload {
		prev = nil
	}
	for i, p := range changed {
		ids[i] = p.ID
	}
	set := buildSet(prev, byID, ids)
	x.snapshot = set
	if !background {
		set.manifest = manifest
		return set, nil
	}
	done := make(chan struct{})
	x.pending = done
	x.recording.Store(true)
	go func() {
		defer close(done)
		set.manifest, x.pendingErr = record(context.WithoutCancel(ctx))
		x.recording.Store(false)
	}()
	return set, nil
}

// buildSet turns the providers held (byID) into the candidate set searches read.
// With prev nil every provider is prepared; otherwise only those named in changed
// (written since prev was built: in byID when live, absent when archived) are
// prepared again, and everything prev holds is reused. prev is never modified, so
// searches still reading it are unaffected (copy-on-write).
func buildSet(prev *candidateSet, byID map[string]*placematch.Provider, changed []string) *candidateSet {
	if prev == nil {
		return fullSet(byID)
	}
	set := layOut(prev, byID, changed)
	set.idx = indexOf(prev, set, changed)
	return set
}

// maxReplaced is how many providers written since a matching.Index was built it
// takes in place (Index.Replace) before it is built again: each costs a search
// a candidate judged one by one, and a build costs about 0.2 s at 100,000.
const maxReplaced = 2048

// indexOf is set's matching.Index: prev's with the changed providers replaced, or
// a new one when prev has none or enough have changed since it was built.
func indexOf(prev, set *candidateSet, changed []string) *matching.Index {
	if prev.idx == nil || prev.idx.Replaced()+len(changed) > maxReplaced {
		return matching.NewIndex(set.all, set.hubs)
	}
	var live []matching.Candidate
	var gone []string
	for _, id := range changed {
		if i, ok := set.index[id]; ok {
			live = append(live, set.all[i])
		} else {
			gone = append(gone, id)
		}
	}
	return prev.idx.Replace(live, gone, set.hubs)
}

// layOut is buildSet's candidate set without its matching.Index, from prev.
func layOut(prev *candidateSet, byID map[string]*placematch.Provider, changed []string) *candidateSet {
	var updated []int // positions in prev.all of the providers changed in place
	moved, resized := false, false
	for _, id := range changed {
		i, held := prev.index[id]
		p, live := byID[id]
		switch {
		case held && live:
			updated = append(updated, i)
			old := prev.all[i].P
			moved = moved || old.Location != p.Location
			resized = resized || old.Kind != p.Kind
		case held != live:
			resized = true
		}
	}
	if resized {
		return relaidSet(prev, byID, changed)
	}
	set := &candidateSet{all: slices.Clone(prev.all), grid: prev.grid, index: prev.index, byKind: prev.byKind,
		hubAt: prev.hubAt}
	for _, i := range updated {
		set.all[i] = matching.Prepare(byID[prev.all[i].P.ID])
	}
	if moved {
		set.grid = gridOf(set.all)
	}
	set.hubs = hubsOf(set.all, set.hubAt)
	return set
}

// fullSet prepares every provider of byID, in id order, and builds the set
// around them with its matching.Index.
func fullSet(byID map[string]*placematch.Provider) *candidateSet {
	ids := slices.Sorted(maps.Keys(byID))
	all := make([]matching.Candidate, len(ids))
	parallel(len(ids), func(lo, hi int) {
		for i := lo; i < hi; i++ {
			all[i] = matching.Prepare(byID[ids[i]])
		}
	})
	// The index, the grid and the id map read the candidates and nothing of each
	// other: a start builds them on every processor.
	var hubAt []int
	for i := range all {
		if all[i].P.Kind == placematch.KindHub {
			hubAt = append(hubAt, i)
		}
	}
	hubs := hubsOf(all, hubAt)
	var idx *matching.Index
	var grid *geo.Grid
	var wg sync.WaitGroup
	wg.Go(func() { idx = matching.NewIndex(all, hubs) })
	wg.Go(func() { grid = gridOf(all) })
	set := mapped(all)
	wg.Wait()
	set.hubAt, set.hubs, set.grid, set.idx = hubAt, hubs, grid, idx
	return set
}

// relaidSet builds a set whose providers are not prev's (some were added or
// removed): the candidates of providers not in changed are taken from prev as they
// are, the others prepared again.
func relaidSet(prev *candidateSet, byID map[string]*placematch.Provider, changed []string) *candidateSet {
	fresh := make(map[string]bool, len(changed))
	for _, id := range changed {
		fresh[id] = true
	}
	ids := slices.Sorted(maps.Keys(byID))
	all := make([]matching.Candidate, len(ids))
	for i, id := range ids {
		if j, ok := prev.index[id]; ok && !fresh[id] {
			all[i] = prev.all[j]
		} else {
			all[i] = matching.Prepare(byID[id])
		}
	}
	return laidOut(all)
}

// laidOut completes a set around its candidates, which are in id order.
func laidOut(all []matching.Candidate) *candidateSet {
	set := mapped(all)
	for i := range all {
		if all[i].P.Kind == placematch.KindHub {
			set.hubAt = append(set.hubAt, i)
		}
	}
	set.grid = gridOf(all)
	set.hubs = hubsOf(all, set.hubAt)
	return set
}

// mapped is a set of the candidates with their positions by id and counts by
// kind, and nothing else yet.
func mapped(all []matching.Candidate) *candidateSet {
	set := &candidateSet{all: all, index: make(map[string]int, len(all)), byKind: map[placematch.ProviderKind]int{}}
	for i := range all {
		p := all[i].P
		set.index[p.ID] = i
		set.byKind[p.Kind]++
	}
	return set
}

func gridOf(all []matching.Candidate) *geo.Grid {
	g := geo.NewGrid(0.1)
	for i := range all {
		g.Insert(all[i].P.ID, all[i].P.Location)
	}
	return g
}

func hubsOf(all []matching.Candidate, at []int) []matching.Candidate {
	var hubs []matching.Candidate
	for _, i := range at {
		hubs = append(hubs, all[i])
	}
	return hubs
}

// parallel calls fn on consecutive ranges covering [0, n), one per processor,
// and returns when all have returned.
func parallel(n int, fn func(lo, hi int)) {
	workers := min(runtime.GOMAXPROCS(0), max(n/1000, 1))
	var wg sync.WaitGroup
	for w := range workers {
		wg.Go(func() { fn(n*w/workers, n*(w+1)/workers) })
	}
	wg.Wait()
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
