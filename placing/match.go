package placing

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"math/bits"
	"slices"
	"strings"
	"sync"
	"time"

	"placematch"
	"placematch/matching"
	"placematch/store"
)

// MatchRequest asks where a child, and its siblings still awaiting, can go.
type MatchRequest struct {
	ChildID string
	Options matching.Options
	// Query is the options as the caller wrote them (the URL query); it is part of
	// the run's input hash.
	Query string
	// By is who asks: the run records it, and a panel or a court reads it.
	By *placematch.Actor
	// Audit, when set, is the audit row of the request: stored with the run in
	// one transaction (store.SaveMatchRun), naming the run's group as the records
	// it showed. Its failure stores no run (store.ErrAuditUnwritten).
	Audit *store.AuditEvent
}

// Run is a match run as the officer sees it. It is stored encoded exactly as it is
// sent (Body), beside its typed record, so that reading it back returns the same
// bytes and a booking can check a cited rank without decoding them.
type Run struct {
	MatchID     string    `json:"match_id"`
	ChildID     string    `json:"child_id"`
	Group       []string  `json:"group"`
	GeneratedAt time.Time `json:"generated_at"`
	// RequestedBy is who ran the search; left out of a run nobody was named for
	// (the API, which always names one, shows null for runs stored before runs
	// recorded it).
	RequestedBy *Requester         `json:"requested_by,omitempty"`
	Weights     map[string]float64 `json:"weights"`
	InputHash   string             `json:"input_hash"`
	// WishesAndFeelings are each child's of the group, beside the ranking: matching
	// never reads them; the officer's reason can address them.
	WishesAndFeelings []MemberWishes `json:"wishes_and_feelings"`
	matching.Result
	// Body is the run encoded as JSON, as stored and shown.
	Body []byte `json:"-"`
}

// Requester is who ran a search, as the run shows it: the subject of the bearer
// token or of the person signed in, their name when the pages knew it (null from
// the API, whose tokens carry none) and their role.
type Requester struct {
	Subject string  `json:"subject"`
	Name    *string `json:"name"`
	Role    string  `json:"role"`
}

// requesterOf is how a run shows the actor who asked; nil for nobody.
func requesterOf(a *placematch.Actor) *Requester {
	if a == nil {
		return nil
	}
	r := &Requester{Subject: a.Subject, Role: a.Role}
	if a.Name != "" {
		name := a.Name
		r.Name = &name
	}
	return r
}

// MemberWishes are one child's wishes and feelings as recorded when the run was
// made; Wishes is nil when none were, which the officer should see too.
type MemberWishes struct {
	ChildID   string             `json:"child_id"`
	Reference string             `json:"reference"`
	Wishes    *placematch.Wishes `json:"wishes"`
}

// Match ranks the providers for a child and its siblings still awaiting, and stores
// the run. An archived child is a conflict; a child that does not exist is
// ErrNotFound. It reads and ranks when its turn comes (Searches at once), or fails
// with ctx's error if ctx ends first, and gives the turn back before the run is
// written.
func (s *Service) Match(ctx context.Context, req MatchRequest) (*Run, error) {
	release, err := s.searchTurn(ctx)
	if err != nil {
		return nil, err
	}
	var once sync.Once
	done := func() { once.Do(release) }
	defer done()
	child, err := s.Store.GetChild(ctx, req.ChildID)
	if err != nil {
		return nil, err
	}
	if child.ArchivedAt != nil {
		return nil, placematch.Errorf(placematch.ErrConflict, "The child's record is archived")
	}
	group, err := s.group(ctx, child)
	if err != nil {
		return nil, err
	}
	now := s.now()
	mreq := matching.Request{Child: child, Group: group, Today: placematch.DateOf(now), Now: now}
	set, err := s.index.current(ctx, s.Store, s.FullReloadAfter, now)
	if err != nil {
		return nil, err
	}
	opt := s.options(req.Options)
	w := s.weights()
	// Every exclusion can be listed later, for "why not": the run's replay
	// record determines them (Exclusions ranks it again, with a mask per
	// provider of the manifest), so the run stores no list of them; the answer
	// lists them only when asked.
	res, _ := rankCands(set, mreq, w, opt)
	excluded := &store.ExcludedSet{Derived: true}
	if err := s.markScarce(ctx, set, group, res.Matches, now); err != nil {
		return nil, err
	}
	run := &Run{MatchID: store.NewMatchID(), ChildID: child.ID, GeneratedAt: now, Weights: w.Values,
		RequestedBy: requesterOf(req.By)}
	for _, g := range group {
		run.Group = append(run.Group, g.ID)
	}
	run.InputHash = inputHash(group, req.Query, res.WeightsVersion+";"+res.RulesVersion, now)
	if err := run.fill(group, res); err != nil {
		return nil, err
	}
	rec := replayRecord{Manifest: set.manifest, Now: now, Today: mreq.Today, Child: child.ID, Group: group,
		Options: opt, Weights: recordedWeights{Version: w.Version, Values: w.Values}, Query: req.Query,
		Scarce: scarceOf(res.Matches)}
	replay, err := json.Marshal(rec)
	if err != nil {
		return nil, err
	}
	stored := &store.MatchRun{ID: run.MatchID, ChildID: child.ID, Group: run.Group, InputHash: run.InputHash,
		WeightsVersion: res.WeightsVersion, Ranked: make([]store.RankedProvider, len(res.Matches)), Result: run.Body,
		Replay: replay, RequestedBy: req.By, Kept: excluded, Audit: req.Audit}
	if req.Audit != nil {
		req.Audit.ResourceIDs = run.Group // the run shows every child of the group, not only the one asked for
	}
	for i, m := range res.Matches {
		stored.Ranked[i] = store.RankedProvider{Rank: m.Rank, Provider: m.Provider, Score: m.Score}
	}
	// Writing the run waits mostly for the database's commit to reach the disk, not
	// for a processor: the next search may take the turn meanwhile.
	done()
	s.writing.Add(1)
	err = s.Store.SaveMatchRun(ctx, stored)
	s.writing.Add(-1)
	if err != nil {
		return nil, err
	}
	return run, nil
}

// maskBuffers are reason masks by candidate position (matching.Options.Masks),
// reused across runs: at national scale a run's masks are hundreds of kilobytes.
var maskBuffers = sync.Pool{New: func() any { return new([]uint32) }}

// reasonCodes names the bits of a reason mask: bit i is reasonCodes[i].
var reasonCodes = func() []string {
	out := make([]string, len(matching.ReasonCodes))
	for i, r := range matching.ReasonCodes {
		out[i] = r.Code
	}
	return out
}()

// kept is what a run keeps of its exclusions, given the candidates it ranked and
// their masks: a mask per provider of the set. When the run ranked a part of the
// set (a search circle), the masks are spread over the set in a pooled buffer,
// returned as spare for the caller to put back once the run is stored.
func (set *candidateSet) kept(cands []matching.Candidate, masks []uint32) (*store.ExcludedSet, *[]uint32) {
	if len(cands) == len(set.all) { // the whole set, in its order
		return &store.ExcludedSet{Codes: reasonCodes, Masks: masks}, nil
	}
	spare := maskBuffers.Get().(*[]uint32)
	all := *spare
	if cap(all) < len(set.all) {
		all = make([]uint32, len(set.all))
	} else {
		all = all[:len(set.all)]
		clear(all)
	}
	*spare = all
	for i, m := range masks {
		if m != 0 {
			all[set.index[cands[i].P.ID]] = m
		}
	}
	return &store.ExcludedSet{Codes: reasonCodes, Masks: all}, spare
}

// Exclusions returns a page of the providers a stored run excluded, with their
// reasons: "why not this carer?" asked of the run. A run that kept its masks is
// listed from the providers of its manifest, as they were at the run: the index's
// set while it still is that manifest's, else the states the manifest names; only
// the page's exclusions are described.
func (s *Service) Exclusions(ctx context.Context, id string, f store.ExclusionFilter) (store.Page[store.Exclusion], error) {
	after, err := store.ExclusionCursor(f.Cursor)
	if err != nil {
		return store.Page[store.Exclusion]{}, err
	}
	k, err := s.Store.MatchRunExcluded(ctx, id)
	if err != nil {
		return store.Page[store.Exclusion]{}, err
	}
	if !f.Since.IsZero() && k.CreatedAt.Before(f.Since) { // a run never changes
		return store.Page[store.Exclusion]{Items: []store.Exclusion{}}, nil
	}
	if k.Set == nil {
		return store.PageExclusions(k.List, f)
	}
	rec, err := decodeRecord(k.Replay)
	if err != nil {
		return store.Page[store.Exclusion]{}, fmt.Errorf("placing: match run %s replay record: %w", id, err)
	}
	set, err := s.setOf(ctx, rec.Manifest)
	if err != nil {
		return store.Page[store.Exclusion]{}, err
	}
	if k.Set.Derived {
		// Rank the run again, as its replay does, keeping every mask.
		masks := maskBuffers.Get().(*[]uint32)
		defer maskBuffers.Put(masks)
		opt := rec.Options
		opt.Masks = masks
		_, cands := rankCands(set, rec.request(), rec.Weights.weights(), opt)
		var spare *[]uint32
		if k.Set, spare = set.kept(cands, *masks); spare != nil {
			defer maskBuffers.Put(spare)
		}
	}
	if len(set.all) != len(k.Set.Masks) {
		return store.Page[store.Exclusion]{}, fmt.Errorf("placing: match run %s keeps %d masks for the %d providers of manifest %s",
			id, len(k.Set.Masks), len(set.all), rec.Manifest)
	}
	// The stored bits name the codes of the run; today's bits may differ.
	today := make([]uint32, len(k.Set.Codes))
	var want uint32 // the stored bit of f.Reason
	for i, code := range k.Set.Codes {
		if j := slices.Index(reasonCodes, code); j >= 0 {
			today[i] = 1 << j
		}
		if code == f.Reason {
			want = 1 << i
		}
	}
	if f.Reason != "" && want == 0 {
		return store.Page[store.Exclusion]{Items: []store.Exclusion{}}, nil
	}
	limit := f.Limit
	if limit <= 0 {
		limit = store.DefaultLimit
	}
	q := strings.ToLower(strings.TrimSpace(f.Query))
	start := 0
	if after != "" {
		start, _ = slices.BinarySearchFunc(set.all, after, func(c matching.Candidate, id string) int { return strings.Compare(c.P.ID, id) })
	}
	var page []matching.Masked
	for pos := start; pos < len(set.all) && len(page) <= limit; pos++ {
		m := k.Set.Masks[pos]
		if m == 0 || m&want != want {
			continue
		}
		p := set.all[pos].P
		if p.ID <= after || q != "" && !store.MatchesQuery(q, p.Name, p.Reference) {
			continue
		}
		var mask uint32
		for r := m; r != 0; r &= r - 1 {
			if i := bits.TrailingZeros32(r); i < len(today) {
				mask |= today[i]
			}
		}
		page = append(page, matching.Masked{Pos: pos, Mask: mask})
	}
	opt := rec.Options
	opt.Hubs = set.hubs
	described := matching.Describe(rec.request(), set.all, rec.Weights.weights(), opt, page)
	out := make([]store.Exclusion, len(described))
	for i, e := range described {
		out[i] = store.Exclusion{Provider: e.Provider, Reference: set.all[page[i].Pos].P.Reference, Reasons: e.Reasons, NearMiss: e.NearMiss}
	}
	f.Cursor = "" // out starts after it
	return store.PageExclusions(out, f)
}

// setOf is the candidate set a manifest names: the index's own while it is that
// manifest's, else rebuilt from the states the manifest names.
func (s *Service) setOf(ctx context.Context, manifest string) (*candidateSet, error) {
	s.index.mu.Lock()
	set := s.index.snapshot
	s.index.mu.Unlock()
	if set != nil && set.manifest == manifest {
		return set, nil
	}
	byID, _, err := providersAt(ctx, s.Store, manifest)
	if err != nil {
		return nil, err
	}
	set = buildSet(nil, byID, nil)
	set.manifest = manifest
	return set, nil
}

// fill sets the run's result, and what is shown beside it, and encodes it: the
// same for a run and for its replay, so that both give the same bytes.
func (r *Run) fill(group []*placematch.Child, res matching.Result) error {
	r.Result = res
	r.WishesAndFeelings = make([]MemberWishes, len(group))
	for i, c := range group {
		r.WishesAndFeelings[i] = MemberWishes{ChildID: c.ID, Reference: c.Reference, Wishes: c.Wishes}
	}
	var err error
	r.Body, err = json.Marshal(r)
	return err
}

// Run returns a stored match run: its typed record and the bytes shown.
func (s *Service) Run(ctx context.Context, id string) (*store.MatchRun, error) {
	return s.Store.GetMatchRun(ctx, id)
}

// group is the child and its siblings still awaiting a placement, following sibling
// links through other siblings (placematch.Siblings and AwaitingGroup, which the
// store's booking applies to the locked rows too).
func (s *Service) group(ctx context.Context, child *placematch.Child) ([]*placematch.Child, error) {
	return s.groupOf(ctx, child, nil)
}

// groupOf is group with the children already read (by id) looked up before the
// store is asked for the others.
func (s *Service) groupOf(ctx context.Context, child *placematch.Child, known map[string]*placematch.Child) ([]*placematch.Child, error) {
	sibs, err := placematch.Siblings(child, func(ids []string) ([]*placematch.Child, error) {
		var found []*placematch.Child
		var missing []string
		for _, id := range ids {
			if c, ok := known[id]; ok {
				found = append(found, c)
			} else {
				missing = append(missing, id)
			}
		}
		if len(missing) == 0 {
			return found, nil
		}
		more, err := s.Store.ChildrenByIDs(ctx, missing)
		found = append(found, more...)
		slices.SortFunc(found, func(a, b *placematch.Child) int { return strings.Compare(a.ID, b.ID) })
		return found, err // in id order, as the store gives them
	})
	if err != nil {
		return nil, err
	}
	return placematch.AwaitingGroup(child, sibs), nil
}

// options are the caller's search options with the service's own in force (the
// household rules, staleness, the council's area). Hubs are the set's, added by
// rankOn.
func (s *Service) options(opt matching.Options) matching.Options {
	opt.Hubs, opt.AreaConfigured, opt.StaleAfter, opt.Policy = nil, s.AreaConfigured, s.StaleAfter, s.Policy
	return opt
}

// rankOn ranks a candidate set's providers for a group. When a maximum distance
// applies, only the providers inside it are taken from the grid; the others of the
// requested kinds are counted as considered and excluded (outside_search_radius)
// without being listed, so that considered = eligible + excluded_count whether or
// not the grid narrowed the search. A run and its replay both rank here.
func rankOn(set *candidateSet, req matching.Request, w matching.Weights, opt matching.Options) matching.Result {
	res, _ := rankCands(set, req, w, opt)
	return res
}

// rankCands is rankOn, with the candidates it ranked.
func rankCands(set *candidateSet, req matching.Request, w matching.Weights, opt matching.Options) (matching.Result, []matching.Candidate) {
	cands := set.candidates(req, &opt)
	var res matching.Result
	if len(cands) == len(set.all) && set.idx != nil && opt.Masks == nil {
		res = matching.RankIndex(req, set.idx, w, opt)
	} else {
		res = matching.Rank(req, cands, w, opt)
	}
	if len(cands) < len(set.all) {
		if outside := set.ofKinds(opt.Kinds) - res.Considered; outside > 0 {
			if res.ExcludedSummary == nil {
				res.ExcludedSummary = map[string]int{}
			}
			res.ExcludedSummary[matching.CodeOutsideSearchRadius] += outside
			res.ExcludedCount += outside
			res.Considered += outside
		}
	}
	return res, cands
}

// searchSet sets the service's part of a search's options (options) and the set's
// hubs, and returns the candidates the search ranks: the group's circle from the
// grid when a maximum distance applies, whichever sibling was asked for, or else
// every live provider. A run, its replay (rankOn) and an allocation take the same.
func (s *Service) searchSet(set *candidateSet, req matching.Request, opt *matching.Options) []matching.Candidate {
	*opt = s.options(*opt)
	return set.candidates(req, opt)
}

// candidates sets the set's hubs in opt and returns the candidates a search ranks.
func (set *candidateSet) candidates(req matching.Request, opt *matching.Options) []matching.Candidate {
	opt.Hubs = set.hubs
	if home, km, ok := matching.SearchCircle(req, *opt); ok {
		return set.within(home, km)
	}
	return set.all
}

// inputHash identifies what a run was computed from: the records (by id and
// version), the options, the weights and household rules in force, and the day.
func inputHash(group []*placematch.Child, query, weights string, now time.Time) string {
	h := sha256.New()
	for _, g := range group {
		fmt.Fprintf(h, "%s:%d;", g.ID, g.Version)
	}
	fmt.Fprintf(h, "%s;%s;%s", query, weights, placematch.DateOf(now))
	return hex.EncodeToString(h.Sum(nil))
}
