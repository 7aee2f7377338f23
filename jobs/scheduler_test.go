package jobs

import (
	"context"
	"errors"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"placematch"
	"placematch/store"
	"placematch/store/storetest"
)

func counting(name string, n *atomic.Int32, hold time.Duration) Job {
	return Func{JobName: name, Fn: func(ctx context.Context) (Result, error) {
		n.Add(1)
		time.Sleep(hold)
		return Result{Counts: map[string]int{"done": 1}}, nil
	}}
}

// Two replicas on one PostgreSQL fire for the same 02:00 slot at the same moment:
// exactly one run is recorded and the job body runs once. The job is quick, so the
// second replica may get the lock after the first released it: the slot index is
// what stops it then.
func TestTwoSchedulersOnePostgresRunOnce(t *testing.T) {
	cfg := storetest.Config(t, store.Postgres)
	open := func() *store.DB {
		db, err := store.Open(ctx, cfg)
		must(t, err)
		t.Cleanup(func() { db.Close() })
		db.Now = fixed
		return db
	}
	a, b := open(), open()
	must(t, a.Migrate(ctx))
	for _, hold := range []time.Duration{0, 200 * time.Millisecond} {
		var n atomic.Int32
		name := "nightly-" + hold.String()
		sa, sb := newScheduler(t, a, counting(name, &n, hold)), newScheduler(t, b, counting(name, &n, hold))
		var wg sync.WaitGroup
		start := make(chan struct{})
		for _, s := range []*Scheduler{sa, sb} {
			wg.Add(1)
			go func() { defer wg.Done(); <-start; s.fire(name) }()
		}
		close(start)
		wg.Wait()
		rs := runs(t, a, name)
		if len(rs) != 1 || n.Load() != 1 || rs[0].Status != placematch.RunSucceeded || rs[0].Trigger != placematch.TriggerSchedule {
			t.Fatalf("hold %s: %d runs recorded, body ran %d times", hold, len(rs), n.Load())
		}
		if want := time.Date(2026, 11, 23, 2, 0, 0, 0, time.UTC); !rs[0].ScheduledFor.Equal(want) {
			t.Fatalf("slot %s, want %s", rs[0].ScheduledFor, want)
		}
	}
}

func TestCatchUpAtStart(t *testing.T) {
	eachDialect(t, func(t *testing.T, db *store.DB) {
		var missed, current atomic.Int32
		// "current" succeeded after today's 02:00 slot; "missed" last ran yesterday.
		for name, at := range map[string]time.Time{"missed": storetest.Clock.Add(-30 * time.Hour), "current": storetest.Clock.Add(-time.Hour)} {
			db.Now = func() time.Time { return at }
			r := &placematch.JobRun{Job: name, Trigger: placematch.TriggerSchedule}
			must(t, db.StartJobRun(ctx, r))
			r.Status = placematch.RunSucceeded
			must(t, db.FinishJobRun(ctx, r))
		}
		db.Now = fixed
		s := newScheduler(t, db, counting("missed", &missed, 0), counting("current", &current, 0),
			counting("never", &atomic.Int32{}, 0))
		must(t, s.Start(ctx))
		rs := waitRuns(t, db, "missed", 2)
		if rs[0].Trigger != placematch.TriggerCatchUp || missed.Load() != 1 {
			t.Fatalf("missed job: trigger %s, ran %d", rs[0].Trigger, missed.Load())
		}
		waitRuns(t, db, "never", 1)
		must(t, s.Stop(ctx))
		if current.Load() != 0 || len(runs(t, db, "current")) != 1 {
			t.Fatal("a job that ran after its last slot was caught up")
		}
	})
}

func TestInterruptedRunRecordedAtNextStart(t *testing.T) {
	eachDialect(t, func(t *testing.T, db *store.DB) {
		dead := &placematch.JobRun{Job: "j", Trigger: placematch.TriggerSchedule, Instance: "gone/1"}
		must(t, db.StartJobRun(ctx, dead)) // a process died here
		s, err := New(Config{Store: db, Jobs: []Job{counting("j", &atomic.Int32{}, 0)}, Specs: map[string]string{"j": SpecOff}})
		must(t, err)
		s.Now = fixed
		must(t, s.Start(ctx))
		got, err := db.GetJobRun(ctx, dead.ID)
		must(t, err)
		if got.Status != placematch.RunInterrupted || got.FinishedAt == nil {
			t.Fatalf("dead run is %s", got.Status)
		}
		run, err := s.RunNow(ctx, "j", placematch.TriggerCLI)
		must(t, err)
		if run.Status != placematch.RunSucceeded {
			t.Fatalf("next run %s", run.Status)
		}
		must(t, s.Stop(ctx))
	})
}

func TestPanicIsRecordedAndSchedulerGoesOn(t *testing.T) {
	eachDialect(t, func(t *testing.T, db *store.DB) {
		boom := Func{JobName: "boom", Fn: func(context.Context) (Result, error) { panic("nil map") }}
		s := newScheduler(t, db, boom)
		s.fire("boom")
		rs := runs(t, db, "boom")
		if len(rs) != 1 || rs[0].Status != placematch.RunFailed || len(rs[0].Errors) == 0 {
			t.Fatalf("runs %+v", rs)
		}
		run, err := s.RunNow(ctx, "boom", placematch.TriggerManual)
		must(t, err)
		if run.Status != placematch.RunFailed {
			t.Fatalf("second run %s", run.Status)
		}
	})
}

func TestOverlappingTriggerConflictsAndStopWaits(t *testing.T) {
	eachDialect(t, func(t *testing.T, db *store.DB) {
		release := make(chan struct{})
		slow := Func{JobName: "slow", Fn: func(context.Context) (Result, error) { <-release; return Result{}, nil }}
		s := newScheduler(t, db, slow)
		first, err := s.Trigger(ctx, "slow", placematch.TriggerManual)
		must(t, err)
		if _, err := s.Trigger(ctx, "slow", placematch.TriggerManual); !errors.Is(err, placematch.ErrConflict) {
			t.Fatalf("overlap: %v", err)
		}
		if _, err := s.Trigger(ctx, "nope", placematch.TriggerManual); !errors.Is(err, placematch.ErrNotFound) {
			t.Fatalf("unknown job: %v", err)
		}
		go func() { time.Sleep(50 * time.Millisecond); close(release) }()
		must(t, s.Stop(ctx)) // waits for the running job
		got, err := db.GetJobRun(ctx, first.ID)
		must(t, err)
		if got.Status != placematch.RunSucceeded {
			t.Fatalf("after stop the run is %s", got.Status)
		}
	})
}

func TestStopIsBounded(t *testing.T) {
	db := storetest.Open(t, store.SQLite)
	stuck := Func{JobName: "stuck", Fn: func(ctx context.Context) (Result, error) { <-ctx.Done(); return Result{}, ctx.Err() }}
	s := newScheduler(t, db, stuck)
	run, err := s.Trigger(ctx, "stuck", placematch.TriggerManual)
	must(t, err)
	c, cancel := context.WithTimeout(ctx, 50*time.Millisecond)
	defer cancel()
	if err := s.Stop(c); err == nil {
		t.Fatal("stop did not report the job it gave up on")
	}
	got, _ := db.GetJobRun(ctx, run.ID)
	if got.Status != placematch.RunFailed {
		t.Fatalf("cancelled run is %s", got.Status)
	}
}
