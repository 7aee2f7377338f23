package placing

import (
	"context"
	"errors"
	"strings"

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
// provider than it proposed needs the officer's decision_reason. The request's
// values are judged first (CheckBooking). req.Check is set here; a caller's is
// replaced.
func (s *Service) Book(ctx context.Context, req store.BookRequest) ([]*placematch.Placement, error) {
	v := &placematch.ValidationError{}
	CheckBooking(v, req, placematch.DateOf(s.now()))
	if err := v.Err(); err != nil {
		return nil, err
	}
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
		return s.checkDistanceReason(mreq, p, req.DistanceReason)
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

// maxBackdateYears is how far before today a booking may start: placements are
// recorded late sometimes, but never years late; a start long ago is a typing error
// that would distort every report of the period.
const maxBackdateYears = 1

// maxReason is the longest reason an officer may give, in characters.
const maxReason = 2000

// CheckBooking adds to v what is wrong with a booking request's values: a start more
// than a year ago, an end before the start, reasons too long, a rank below 1, and no
// decision reason when the chosen rank is not 1. Missing required fields are the
// caller's to report (a zero start date is not judged here). Both faces call it, so
// that a booking is refused for the same reasons whichever is used.
func CheckBooking(v *placematch.ValidationError, req store.BookRequest, today placematch.Date) {
	if !req.StartDate.IsZero() {
		if earliest := placematch.DateOf(today.Time().AddDate(-maxBackdateYears, 0, 0)); req.StartDate.Before(earliest) {
			v.Add("start_date", "must not be more than %d year before today (%s)", maxBackdateYears, earliest)
		}
	}
	if !req.StartDate.IsZero() && !req.EndDate.IsZero() && req.EndDate.Before(req.StartDate) {
		v.Add("end_date", "must not be before start_date")
	}
	v.CheckMaxLen("decision_reason", req.DecisionReason, maxReason)
	v.CheckMaxLen("split_reason", req.SplitReason, maxReason)
	if req.MatchID != "" && req.MatchRank < 1 {
		v.Add("match_rank", "must be at least 1")
	}
	if req.DistanceReason != "" {
		placematch.CheckOneOf(v, "distance_reason", req.DistanceReason, placematch.DistanceReasons)
	}
	if req.MatchRank > 1 && strings.TrimSpace(req.DecisionReason) == "" {
		v.Add("decision_reason", "is required when the chosen match is not rank 1")
	}
}

// ChangePlacement applies an officer's change to a placement (end it with an SSDA903
// reason, cancel it before it starts, plan its end, give the reason for the
// choice) on the locked row, by the domain's rules (Placement.Apply). ifVersion 0
// skips the version check.
func (s *Service) ChangePlacement(ctx context.Context, id string, ifVersion int, change placematch.PlacementChange) (*placematch.Placement, error) {
	today := placematch.DateOf(s.now())
	return s.Store.UpdatePlacement(ctx, id, ifVersion, func(p *placematch.Placement) error {
		return p.Apply(change, today)
	})
}
