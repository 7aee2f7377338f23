package placing

import (
	"context"
	"errors"

	"placematch"
	"placematch/matching"
	"placematch/store"
)

// Book takes places for a child (and, asked, its siblings still awaiting) at one
// provider. A cited match run must be this child's and its cited rank must name this
// provider, judged on the run's typed record. The store books the whole group in one
// transaction, and the hard rules are judged there, on the rows it has locked, by
// matching.Check: a provider that breaks one is refused with a *placematch.RuleError.
// A cited allocation must have placed this child's group; booking another
// provider than it proposed needs the officer's decision_reason. req.Check is set
// here; a caller's is replaced.
func (s *Service) Book(ctx context.Context, req store.BookRequest) ([]*placematch.Placement, error) {
	if req.MatchID != "" || req.MatchRank != 0 { // an empty id cited with a rank names no run
		if err := s.checkCited(ctx, req); err != nil {
			return nil, err
		}
	}
	if req.AllocationID != "" {
		if err := s.checkAllocation(ctx, req); err != nil {
			return nil, err
		}
	}
	now := s.now()
	opt := matching.Options{AreaConfigured: s.AreaConfigured, StaleAfter: s.StaleAfter, Policy: s.Policy}
	req.Check = func(group []*placematch.Child, p *placematch.Provider) error {
		mreq := matching.Request{Child: group[0], Group: group, Today: req.StartDate, Now: now}
		if codes := matching.Check(mreq, p, opt); len(codes) > 0 {
			return &placematch.RuleError{Reasons: codes}
		}
		return nil
	}
	return s.Store.Book(ctx, req)
}

// checkAllocation makes sure a cited allocation proposed a provider for this
// child, and that a booking elsewhere says why.
func (s *Service) checkAllocation(ctx context.Context, req store.BookRequest) error {
	al, err := s.Store.GetAllocation(ctx, req.AllocationID)
	if errors.Is(err, placematch.ErrNotFound) {
		return placematch.Invalid("allocation_id", "no allocation has this id")
	}
	if err != nil {
		return err
	}
	as, ok := al.For(req.ChildID)
	if !ok {
		return placematch.Invalid("allocation_id", "that allocation proposed no provider for this child")
	}
	if (as.Provider.Kind != req.Provider.Kind || as.Provider.ID != req.Provider.ID) && req.DecisionReason == "" {
		return placematch.Invalid("decision_reason", "is required when the provider is not the one the allocation proposed (%s)", as.Provider.Name)
	}
	return nil
}

// checkCited makes sure a cited match run is this child's and that the rank chosen
// names this provider.
func (s *Service) checkCited(ctx context.Context, req store.BookRequest) error {
	run, err := s.Store.GetMatchRun(ctx, req.MatchID)
	if errors.Is(err, placematch.ErrNotFound) {
		return placematch.Invalid("match_id", "no match run has this id")
	}
	if err != nil {
		return err
	}
	if run.ChildID != req.ChildID {
		return placematch.Invalid("match_id", "is a match run for another child")
	}
	ranked, ok := run.AtRank(req.MatchRank)
	if !ok {
		return placematch.Invalid("match_rank", "that match run has no rank %d", req.MatchRank)
	}
	if ranked.Provider.Kind != req.Provider.Kind || ranked.Provider.ID != req.Provider.ID {
		return placematch.Invalid("match_rank", "rank %d of that match run is another provider", req.MatchRank)
	}
	return nil
}
