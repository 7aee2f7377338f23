package jobs

import (
	"context"
	"time"

	"placematch/store"
)

// NamePrune is the job that expires old match runs.
const NamePrune = "prune-match-runs"

// DefaultMatchRunRetention is how long an uncited match run is kept by default.
const DefaultMatchRunRetention = 90 * 24 * time.Hour

// PruneMatchRuns deletes the match runs older than Retention that no placement
// cites. Every request for matches stores a run, so without it the table grows
// without bound; a run a placement cites is the record of the decision and stays
// as long as the placement.
type PruneMatchRuns struct {
	Store     *store.DB
	Now       func() time.Time
	Retention time.Duration
}

// Name returns prune-match-runs.
func (PruneMatchRuns) Name() string { return NamePrune }

// Run deletes and counts the expired runs.
func (j PruneMatchRuns) Run(ctx context.Context) (Result, error) {
	keep := j.Retention
	if keep <= 0 {
		keep = DefaultMatchRunRetention
	}
	n, err := j.Store.DeleteUncitedMatchRuns(ctx, clock(j.Now).Add(-keep))
	return Result{Counts: map[string]int{"match_runs_deleted": n}}, err
}
