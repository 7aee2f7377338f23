package jobs

import (
	"context"
	"errors"
	"time"

	"placematch"
	"placematch/store"
)

// Status is what GET /api/v1/jobs and the admins' console show of a job.
type Status = placematch.JobStatus

// Names lists the jobs in the order they were given.
func (s *Scheduler) Names() []string { return append([]string(nil), s.order...) }

// Has reports whether name is a job of this scheduler.
func (s *Scheduler) Has(name string) bool { _, ok := s.jobs[name]; return ok }

// Statuses returns every job's schedule, next run and last run.
func (s *Scheduler) Statuses(ctx context.Context) ([]Status, error) {
	now := s.now()
	out := make([]Status, 0, len(s.order))
	for _, name := range s.order {
		st := Status{Name: name, Schedule: s.specs[name]}
		if sched, ok := s.scheds[name]; ok {
			n := sched.Next(now).UTC()
			st.NextRun = &n
		}
		last, err := s.store.LastJobRun(ctx, name)
		switch {
		case err == nil:
			st.LastRun = last
		case !errors.Is(err, placematch.ErrNotFound):
			return nil, err
		}
		out = append(out, st)
	}
	return out, nil
}

// Runs returns one page of name's runs, newest first (with since, those changed at
// or after it, in the order of their change); ErrNotFound for an unknown job.
func (s *Scheduler) Runs(ctx context.Context, name string, since time.Time, limit int, cursor string) (store.Page[*placematch.JobRun], error) {
	if !s.Has(name) {
		return store.Page[*placematch.JobRun]{}, placematch.Errorf(placematch.ErrNotFound, "No job is called %q", name)
	}
	return s.store.ListJobRuns(ctx, name, since, limit, cursor)
}
