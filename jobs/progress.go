package jobs

import (
	"context"
	"log/slog"
	"time"
)

type progressKey struct{}

// withProgress gives a run's context the hook reportProgress calls.
func withProgress(ctx context.Context, fn func(Result)) context.Context {
	return context.WithValue(ctx, progressKey{}, fn)
}

// reportProgress records what a job has committed so far. A job calls it after each
// step that committed (a feed applied): should the process die before the run ends,
// the run, marked interrupted at the next start, still holds these counts. Outside
// a scheduler's run it does nothing.
func reportProgress(ctx context.Context, res Result) {
	if fn, ok := ctx.Value(progressKey{}).(func(Result)); ok {
		fn(res)
	}
}

// progressRecorder stores a run's progress, even while its context is being
// cancelled: the counts of committed work are worth keeping most then.
func (s *Scheduler) progressRecorder(ctx context.Context, runID, job string) func(Result) {
	return func(res Result) {
		c, cancel := context.WithTimeout(context.WithoutCancel(ctx), 5*time.Second)
		defer cancel()
		if err := s.store.RecordJobProgress(c, runID, res.Counts, res.Issues); err != nil {
			slog.Warn("job progress not recorded", "job", job, "run_id", runID, "error", err.Error())
		}
	}
}
