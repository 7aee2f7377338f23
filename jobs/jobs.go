// Package jobs keeps vacancy data true overnight: the nightly jobs (reconcile
// vacancies, import provider feeds, flag stale availability, snapshot sufficiency)
// as plain types with Run, and a Scheduler that runs them on cron schedules in
// Europe/London, once across replicas (a leader lock per job), without overlap,
// recording every run with its counts and errors.
//
// It imports the root package, store and reports (the snapshot job runs the report's
// one aggregation); it must not import api or cmd, and knows nothing of HTTP.
package jobs

import (
	"context"
	"fmt"
	"time"

	"placematch"
	"placematch/reports"
	"placematch/store"
)

// Job names.
const (
	NameReconcile = "reconcile-vacancies"
	NameFeeds     = "import-provider-feeds"
	NameStale     = "flag-stale-availability"
	NameSnapshot  = "snapshot-sufficiency"
)

// Job is one idempotent piece of nightly work. Run returns what it counted and the
// issues it met even when it fails: a failed import still lists the feeds that failed
// and the rows it rejected.
type Job interface {
	Name() string
	Run(ctx context.Context) (Result, error)
}

// Result is what a run counted and could not do.
type Result struct {
	Counts map[string]int
	Issues []placematch.RunIssue
}

// Func adapts a function to a Job (tests and one-off jobs).
type Func struct {
	JobName string
	Fn      func(ctx context.Context) (Result, error)
}

// Name returns the job's name.
func (f Func) Name() string { return f.JobName }

// Run calls the function.
func (f Func) Run(ctx context.Context) (Result, error) { return f.Fn(ctx) }

func clock(now func() time.Time) time.Time {
	if now == nil {
		return time.Now().UTC()
	}
	return now().UTC()
}

// Reconcile recomputes every provider's filled places from its active placements
// and ends placements whose end date has passed (in London). It also flags, as
// issues and the count placements_past_emergency_limit, the active emergency
// placements outside a carer's terms of approval that have run past their sixth
// working day (reg 23): the officer must move the child or have the carer's terms
// changed.
type Reconcile struct {
	Store    *store.DB
	Now      func() time.Time
	Location *time.Location
}

// Name returns reconcile-vacancies.
func (Reconcile) Name() string { return NameReconcile }

// Run reconciles and counts what it corrected.
func (j Reconcile) Run(ctx context.Context) (Result, error) {
	today := placematch.DateOf(clock(j.Now).In(orUTC(j.Location)))
	res, err := j.Store.ReconcileVacancies(ctx, today)
	out := Result{Counts: map[string]int{"placements_ended": res.PlacementsEnded, "providers_checked": res.ProvidersChecked,
		"providers_corrected": res.ProvidersCorrected, "drift_corrected": res.Drift}, Issues: res.Issues}
	if err != nil {
		return out, err
	}
	late, err := j.Store.PlacementsPastEmergencyLimit(ctx, today)
	out.Counts["placements_past_emergency_limit"] = len(late)
	for _, p := range late {
		out.Issues = append(out.Issues, placematch.RunIssue{Scope: "placement " + p.ID,
			Message: fmt.Sprintf("emergency placement outside the carer's terms of approval (%s %s) ran past its 6-working-day limit on %s (reg 23)",
				p.Provider.Kind, p.Provider.ID, p.OutsideTermsUntil)})
	}
	return out, err
}

// FlagStale marks availability not confirmed for After as unconfirmed.
type FlagStale struct {
	Store *store.DB
	Now   func() time.Time
	After time.Duration
}

// Name returns flag-stale-availability.
func (FlagStale) Name() string { return NameStale }

// Run flags and counts the providers it flagged.
func (j FlagStale) Run(ctx context.Context) (Result, error) {
	n, err := j.Store.FlagStaleAvailability(ctx, placematch.StaleCutoff(clock(j.Now), j.After))
	return Result{Counts: map[string]int{"providers_flagged": n}}, err
}

// Snapshot stores today's sufficiency snapshot (the date in London), replacing any
// already stored for today.
type Snapshot struct {
	Store    *store.DB
	Now      func() time.Time
	Location *time.Location
}

// Name returns snapshot-sufficiency.
func (Snapshot) Name() string { return NameSnapshot }

// Run takes the snapshot and counts its rows.
func (j Snapshot) Run(ctx context.Context) (Result, error) {
	date := placematch.DateOf(clock(j.Now).In(orUTC(j.Location)))
	// The report's own aggregation computes the rows, so trend and report agree.
	rows, err := (&reports.Service{Store: j.Store, Now: j.Now}).SnapshotRows(ctx, date)
	if err != nil {
		return Result{}, err
	}
	n, err := j.Store.ReplaceSnapshot(ctx, date, rows)
	return Result{Counts: map[string]int{"snapshot_rows": n}}, err
}

func orUTC(loc *time.Location) *time.Location {
	if loc == nil {
		return time.UTC
	}
	return loc
}
