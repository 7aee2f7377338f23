package jobs

import (
	"context"
	"fmt"
	"log/slog"
	"runtime/debug"
	"time"

	"placematch"
	"placematch/store"
)

// begun is a run recorded as running, holding its job's guards until it ends.
type begun struct {
	job  Job
	run  *placematch.JobRun
	lock *store.JobLock
}

// begin takes the job's guards and records a running run. It returns ErrConflict
// when the job is running here or on another replica, ErrNotFound for an unknown
// job, and store.ErrSlotTaken when the slot already has its run.
func (s *Scheduler) begin(ctx context.Context, name string, trigger placematch.RunTrigger, slot *time.Time) (b *begun, err error) {
	job, ok := s.jobs[name]
	if !ok {
		return nil, placematch.Errorf(placematch.ErrNotFound, "No job is called %q", name)
	}
	s.mu.Lock()
	switch {
	case s.stopped:
		s.mu.Unlock()
		return nil, placematch.Errorf(placematch.ErrConflict, "The scheduler is stopping")
	case s.running[name]:
		s.mu.Unlock()
		return nil, placematch.Errorf(placematch.ErrConflict, "Job %s is already running", name)
	}
	s.running[name] = true
	s.wg.Add(1)
	s.mu.Unlock()
	defer func() {
		if err != nil {
			s.done(name, nil)
		}
	}()
	lock, ok, err := s.store.TryJobLock(ctx, name)
	if err != nil {
		return nil, err
	}
	if !ok {
		return nil, placematch.Errorf(placematch.ErrConflict, "Job %s is running on another instance", name)
	}
	if lock.Exclusive {
		// Holding the lock proves that a run still marked running is dead.
		if _, err := s.store.MarkInterrupted(ctx, name); err != nil {
			lock.Release()
			return nil, err
		}
	}
	run := &placematch.JobRun{Job: name, Trigger: trigger, ScheduledFor: slot, Instance: s.instance}
	if err := s.store.StartJobRun(ctx, run); err != nil {
		lock.Release()
		return nil, err
	}
	return &begun{job: job, run: run, lock: lock}, nil
}

// done releases the guards begin took.
func (s *Scheduler) done(name string, lock *store.JobLock) {
	if err := lock.Release(); err != nil {
		slog.Warn("job lock release failed", "job", name, "error", err.Error())
	}
	s.mu.Lock()
	delete(s.running, name)
	s.mu.Unlock()
	s.wg.Done()
}

// execute runs a begun job to its end and records how it ended. A panic in the job
// is recovered and recorded as a failure; the scheduler carries on.
func (s *Scheduler) execute(b *begun) {
	name := b.run.Job
	defer s.done(name, b.lock)
	start := time.Now()
	res, err := safeRun(withProgress(s.ctx, s.progressRecorder(s.ctx, b.run.ID, name)), b.job)
	took := time.Since(start)
	b.run.Counts, b.run.Errors = res.Counts, res.Issues
	if b.run.Counts == nil {
		b.run.Counts = map[string]int{}
	}
	outcome := "succeeded"
	b.run.Status = placematch.RunSucceeded
	if err != nil {
		b.run.Status, outcome = placematch.RunFailed, "failed"
		b.run.Errors = append(b.run.Errors, placematch.RunIssue{Scope: "run", Message: err.Error()})
	}
	// The run's end is recorded even when Stop has cancelled the run's context.
	ctx, cancel := context.WithTimeout(context.WithoutCancel(s.ctx), 10*time.Second)
	defer cancel()
	if ferr := s.store.FinishJobRun(ctx, b.run); ferr != nil {
		slog.Error("job run end not recorded", "job", name, "run_id", b.run.ID, "error", ferr.Error())
	}
	s.metrics.observe(name, outcome, took, b.run.Counts, s.now())
	attrs := []any{"job", name, "run_id", b.run.ID, "trigger", string(b.run.Trigger), "status", string(b.run.Status),
		"duration_ms", took.Milliseconds(), "counts", b.run.Counts, "issues", len(b.run.Errors)}
	if err != nil {
		slog.Error("job run failed", append(attrs, "error", err.Error())...)
		return
	}
	slog.Info("job run finished", attrs...)
}

func safeRun(ctx context.Context, j Job) (res Result, err error) {
	defer func() {
		if r := recover(); r != nil {
			slog.Error("job panicked", "job", j.Name(), "panic", fmt.Sprint(r), "stack", string(debug.Stack()))
			err = fmt.Errorf("the job panicked: %v", r)
		}
	}()
	return j.Run(ctx)
}

// Trigger starts a run of name now, in the background, and returns it as recorded
// (running). It is ErrConflict when the job is already running, here or elsewhere,
// and ErrNotFound for an unknown job.
func (s *Scheduler) Trigger(ctx context.Context, name string, trigger placematch.RunTrigger) (*placematch.JobRun, error) {
	b, err := s.begin(ctx, name, trigger, nil)
	if err != nil {
		return nil, err
	}
	run := *b.run
	go s.execute(b)
	return &run, nil
}

// RunNow runs name once and returns the run as recorded when it has ended.
func (s *Scheduler) RunNow(ctx context.Context, name string, trigger placematch.RunTrigger) (*placematch.JobRun, error) {
	b, err := s.begin(ctx, name, trigger, nil)
	if err != nil {
		return nil, err
	}
	s.execute(b)
	return s.store.GetJobRun(ctx, b.run.ID)
}
