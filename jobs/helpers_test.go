package jobs

import (
	"context"
	"io"
	"log/slog"
	"os"
	"testing"
	"time"

	"placematch"
	"placematch/store"
	"placematch/store/storetest"
)

var ctx = context.Background()

func TestMain(m *testing.M) {
	slog.SetDefault(slog.New(slog.NewTextHandler(io.Discard, nil)))
	os.Exit(m.Run())
}

var eachDialect = storetest.Each

func must(t *testing.T, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}

func fixed() time.Time { return storetest.Clock }

// newScheduler makes a scheduler over db with the clock at storetest.Clock.
func newScheduler(t *testing.T, db *store.DB, jobs ...Job) *Scheduler {
	t.Helper()
	loc, err := time.LoadLocation("Europe/London")
	must(t, err)
	s, err := New(Config{Store: db, Jobs: jobs, Location: loc})
	must(t, err)
	s.Now = fixed
	t.Cleanup(func() {
		c, cancel := context.WithTimeout(ctx, 10*time.Second)
		defer cancel()
		_ = s.Stop(c)
	})
	return s
}

// runs lists every recorded run of job, newest first.
func runs(t *testing.T, db *store.DB, job string) []*placematch.JobRun {
	t.Helper()
	page, err := db.ListJobRuns(ctx, job, time.Time{}, 100, "")
	must(t, err)
	return page.Items
}

// waitRuns waits until job has n finished runs and returns them.
func waitRuns(t *testing.T, db *store.DB, job string, n int) []*placematch.JobRun {
	t.Helper()
	deadline := time.Now().Add(15 * time.Second)
	for {
		rs := runs(t, db, job)
		finished := 0
		for _, r := range rs {
			if r.Status != placematch.RunRunning {
				finished++
			}
		}
		if finished >= n {
			return rs
		}
		if time.Now().After(deadline) {
			t.Fatalf("%s: %d finished runs, want %d", job, finished, n)
		}
		time.Sleep(10 * time.Millisecond)
	}
}
