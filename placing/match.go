package placing

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"slices"
	"strings"
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
}

// Run is a match run as the officer sees it. It is stored encoded exactly as it is
// sent (Body), beside its typed record, so that reading it back returns the same
// bytes and a booking can check a cited rank without decoding them.
type Run struct {
	MatchID     string             `json:"match_id"`
	ChildID     string             `json:"child_id"`
	Group       []string           `json:"group"`
	GeneratedAt time.Time          `json:"generated_at"`
	Weights     map[string]float64 `json:"weights"`
	InputHash   string             `json:"input_hash"`
	matching.Result
	// Body is the run encoded as JSON, as stored and shown.
	Body []byte `json:"-"`
}

// Match ranks the providers for a child and its siblings still awaiting, and stores
// the run. An archived child is a conflict; a child that does not exist is
// ErrNotFound.
func (s *Service) Match(ctx context.Context, req MatchRequest) (*Run, error) {
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
	res, err := s.rank(ctx, matching.Request{Child: child, Group: group, Today: placematch.DateOf(now), Now: now}, req.Options)
	if err != nil {
		return nil, err
	}
	run := &Run{MatchID: store.NewMatchID(), ChildID: child.ID, GeneratedAt: now, Weights: s.weights().Values, Result: res}
	for _, g := range group {
		run.Group = append(run.Group, g.ID)
	}
	run.InputHash = inputHash(group, req.Query, res.WeightsVersion+";"+res.RulesVersion, now)
	if run.Body, err = json.Marshal(run); err != nil {
		return nil, err
	}
	stored := &store.MatchRun{ID: run.MatchID, ChildID: child.ID, Group: run.Group, InputHash: run.InputHash,
		WeightsVersion: res.WeightsVersion, Ranked: make([]store.RankedProvider, len(res.Matches)), Result: run.Body}
	for i, m := range res.Matches {
		stored.Ranked[i] = store.RankedProvider{Rank: m.Rank, Provider: m.Provider, Score: m.Score}
	}
	if err := s.Store.SaveMatchRun(ctx, stored); err != nil {
		return nil, err
	}
	return run, nil
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

// rank ranks the index's providers for a group. When a maximum distance applies,
// only the providers inside it are taken from the grid; the others of the requested
// kinds are counted as considered and excluded (outside_search_radius) without being
// listed, so that considered = eligible + excluded_count whether or not the grid
// narrowed the search.
func (s *Service) rank(ctx context.Context, req matching.Request, opt matching.Options) (matching.Result, error) {
	set, err := s.index.current(ctx, s.Store, s.FullReloadAfter, s.now())
	if err != nil {
		return matching.Result{}, err
	}
	cands := s.searchSet(set, req, &opt)
	res := matching.Rank(req, cands, s.weights(), opt)
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
	return res, nil
}

// searchSet sets the service's part of a search's options and returns the
// candidates the search ranks: the group's circle from the grid when a maximum
// distance applies, whichever sibling was asked for, or else every live provider.
func (s *Service) searchSet(set *candidateSet, req matching.Request, opt *matching.Options) []matching.Candidate {
	opt.Hubs, opt.AreaConfigured, opt.StaleAfter, opt.Policy = set.hubs, s.AreaConfigured, s.StaleAfter, s.Policy
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
