package placing

import (
	"sync/atomic"
	"time"

	"placematch/matching"
	"placematch/reports"
	"placematch/store"
)

// Service runs the use cases. Store and Now are required; the zero value of every
// other field is a working default.
type Service struct {
	Store *store.DB
	// Now is the clock, injected by the binary so that every part of the service
	// reads the same one; tests fix it.
	Now func() time.Time
	// Weights are the factor weights; none configured means matching's defaults.
	Weights matching.Weights
	// Policy is the council's household rule set in force for searches and the
	// booking-time check; the zero value is matching's default, every rule on.
	Policy matching.Policy
	// AreaConfigured says a council boundary is configured, so that a provider with
	// no district lies outside it.
	AreaConfigured bool
	// StaleAfter is how long a confirmation of availability stays fresh; zero is
	// matching's default.
	StaleAfter time.Duration
	// FullReloadAfter bounds how long the candidate index trusts derived values that
	// age without a write (reported vacancies going stale) before it reloads every
	// provider; zero trusts them until the next write.
	FullReloadAfter time.Duration
	// AllocationTimeLimit bounds an allocation's search
	// (PLACEMATCH_ALLOCATION_TIME_LIMIT); zero is DefaultAllocationTimeLimit.
	AllocationTimeLimit time.Duration
	// AllocationCandidates is how many of each group's best providers an
	// allocation chooses among; zero is DefaultAllocationCandidates.
	AllocationCandidates int
	// HoldEmergencyPlaces is the places an allocation keeps free per district and
	// kind when the request does not say (PLACEMATCH_HOLD_EMERGENCY_PLACES).
	HoldEmergencyPlaces int
	// Reports makes the sufficiency report and the map layer; nil makes them on
	// Store and Now without DfE figures or district names.
	Reports *reports.Service

	// Searches is how many searches (Match) run at once
	// (PLACEMATCH_SEARCH_CONCURRENCY); the others wait their turn, first come
	// first served, or until their request ends. Zero is
	// DefaultSearchesPerProcessor for each processor.
	Searches int
	// SearchQueue is how many searches may wait for a turn
	// (PLACEMATCH_SEARCH_QUEUE); one more is refused at once with ErrBusy.
	// Zero is DefaultWaitingPerTurn for each turn.
	SearchQueue int

	index  index
	scarce scarcity
	turns  turns
	// writing counts the searches writing their runs, past their turns.
	writing atomic.Int64
}

func (s *Service) now() time.Time { return s.Now().UTC() }

// weights returns the weights in force: the configured set, or the defaults when
// none is configured.
func (s *Service) weights() matching.Weights {
	if len(s.Weights.Values) == 0 {
		return matching.DefaultWeights()
	}
	return s.Weights
}

// Report returns the report service.
func (s *Service) Report() *reports.Service {
	if s.Reports != nil {
		return s.Reports
	}
	return &reports.Service{Store: s.Store, Now: s.Now}
}
