package jobs

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"os"
	"sync"
	"time"

	"github.com/robfig/cron/v3"

	"placematch"
	"placematch/store"
)

// Scheduler runs jobs on cron schedules and on demand. Runs of one job never
// overlap: an in-process flag guards this replica, the store's leader lock guards
// the others, and the store records at most one run per schedule slot, so replicas
// firing for the same moment record one run.
type Scheduler struct {
	store    *store.DB
	jobs     map[string]Job
	order    []string
	specs    map[string]string
	scheds   map[string]cron.Schedule
	loc      *time.Location
	cron     *cron.Cron
	metrics  *Metrics
	instance string

	// Now is the clock; tests fix it. robfig's timer still uses the real clock.
	Now func() time.Time

	mu      sync.Mutex
	running map[string]bool
	stopped bool
	wg      sync.WaitGroup
	ctx     context.Context // ends the runs when Stop gives up waiting
	cancel  context.CancelFunc
}

// Config says what a Scheduler runs and when.
type Config struct {
	Store *store.DB
	Jobs  []Job
	// Specs maps a job name to its cron spec; a missing name gets DefaultSpec and
	// SpecOff disables the schedule.
	Specs    map[string]string
	Location *time.Location
	Metrics  *Metrics
	// Now is the clock the binary injects into every part; nil is time.Now.
	Now func() time.Time
}

// New checks every spec and returns a scheduler that has not started.
func New(cfg Config) (*Scheduler, error) {
	loc := cfg.Location
	if loc == nil {
		loc = time.UTC
	}
	now := cfg.Now
	if now == nil {
		now = time.Now
	}
	host, _ := os.Hostname()
	ctx, cancel := context.WithCancel(context.Background())
	s := &Scheduler{store: cfg.Store, jobs: map[string]Job{}, specs: map[string]string{}, scheds: map[string]cron.Schedule{},
		loc: loc, metrics: cfg.Metrics, instance: fmt.Sprintf("%s/%d", host, os.Getpid()), running: map[string]bool{},
		ctx: ctx, cancel: cancel, Now: now}
	for _, j := range cfg.Jobs {
		name := j.Name()
		if _, dup := s.jobs[name]; dup {
			return nil, fmt.Errorf("jobs: %s listed twice", name)
		}
		spec := cfg.Specs[name]
		if spec == "" {
			spec = DefaultSpec
		}
		if spec != SpecOff {
			sched, err := parseSpec(spec, loc)
			if err != nil {
				return nil, fmt.Errorf("jobs: %s: %w", name, err)
			}
			s.scheds[name] = sched
		}
		s.jobs[name], s.specs[name] = j, spec
		s.order = append(s.order, name)
		cfg.Metrics.declare(name)
	}
	s.cron = cron.New(cron.WithLocation(loc))
	for _, name := range s.order {
		if sched, ok := s.scheds[name]; ok {
			s.cron.Schedule(sched, cron.FuncJob(func() { s.fire(name) }))
		}
	}
	return s, nil
}

func (s *Scheduler) now() time.Time { return s.Now().UTC() }

// Start marks runs left running by a dead process as interrupted, starts a catch-up
// run of every scheduled job whose last success is older than its latest scheduled
// time (the server was down), and starts the cron.
func (s *Scheduler) Start(ctx context.Context) error {
	for _, name := range s.order {
		if err := s.recoverInterrupted(ctx, name); err != nil {
			return err
		}
	}
	now := s.now()
	for _, name := range s.order {
		sched, ok := s.scheds[name]
		if !ok {
			continue
		}
		slot := prevSlot(sched, now)
		last, err := s.store.LastJobRun(ctx, name, placematch.RunSucceeded)
		if err != nil && !errors.Is(err, placematch.ErrNotFound) {
			return err
		}
		if !slot.IsZero() && (last == nil || last.StartedAt.Before(slot)) {
			slog.InfoContext(ctx, "job catch-up", "job", name, "missed_slot", slot)
			b, err := s.begin(ctx, name, placematch.TriggerCatchUp, &slot)
			if err != nil {
				s.logSkip(name, err)
				continue
			}
			go s.execute(b)
		}
	}
	s.cron.Start()
	return nil
}

// recoverInterrupted marks runs of name still recorded as running as interrupted,
// when this process can prove none is alive: it holds the job's lock and is not
// running the job itself.
func (s *Scheduler) recoverInterrupted(ctx context.Context, name string) error {
	lock, ok, err := s.store.TryJobLock(ctx, name)
	if err != nil || !ok {
		return err
	}
	defer lock.Release()
	n, err := s.store.MarkInterrupted(ctx, name)
	if n > 0 {
		slog.WarnContext(ctx, "job runs interrupted by a stop", "job", name, "runs", n)
	}
	return err
}

// Stop stops the cron and waits for running jobs until ctx ends; then it cancels
// them, waits a moment for them to record their end, and returns ctx's error.
func (s *Scheduler) Stop(ctx context.Context) error {
	// Not waiting on cron's own Stop: it would wait for a scheduled run without
	// any bound. s.wg counts every run, scheduled or not, and is bounded below.
	s.cron.Stop()
	s.mu.Lock()
	s.stopped = true
	s.mu.Unlock()
	done := make(chan struct{})
	go func() { s.wg.Wait(); close(done) }()
	select {
	case <-done:
		s.cancel()
		return nil
	case <-ctx.Done():
	}
	s.cancel()
	select {
	case <-done:
	case <-time.After(5 * time.Second):
	}
	return fmt.Errorf("jobs: stop: running jobs did not finish in time: %w", ctx.Err())
}

// fire is the cron callback: one run for the slot that is due now.
func (s *Scheduler) fire(name string) {
	slot := prevSlot(s.scheds[name], s.now())
	b, err := s.begin(s.ctx, name, placematch.TriggerSchedule, &slot)
	if err != nil {
		s.logSkip(name, err)
		return
	}
	s.execute(b)
}

func (s *Scheduler) logSkip(name string, err error) {
	if errors.Is(err, store.ErrSlotTaken) || errors.Is(err, placematch.ErrConflict) {
		s.metrics.skipped(name)
		slog.Info("job run skipped", "job", name, "reason", err.Error())
		return
	}
	slog.Error("job run could not start", "job", name, "error", err.Error())
}
