package api

import (
	"context"
	"net/http"
	"slices"
	"time"

	"github.com/gin-gonic/gin"

	"placematch"
	"placematch/jobs"
	"placematch/store"
)

// jobOut is a job as GET /api/v1/jobs shows it.
type jobOut struct {
	Name     string     `json:"name"`
	Schedule string     `json:"schedule"`
	NextRun  *time.Time `json:"next_run"`
	LastRun  *runOut    `json:"last_run,omitempty"`
}

// runOut is a recorded job run.
type runOut struct {
	ID           string                `json:"id"`
	Job          string                `json:"job"`
	Status       placematch.RunStatus  `json:"status"`
	Trigger      placematch.RunTrigger `json:"trigger"`
	ScheduledFor *time.Time            `json:"scheduled_for"`
	StartedAt    time.Time             `json:"started_at"`
	FinishedAt   *time.Time            `json:"finished_at"`
	Counts       map[string]int        `json:"counts"`
	Errors       []placematch.RunIssue `json:"errors"`
	Instance     string                `json:"instance"`
}

func toRunOut(r *placematch.JobRun) *runOut {
	if r == nil {
		return nil
	}
	counts := r.Counts
	if counts == nil {
		counts = map[string]int{}
	}
	return &runOut{ID: r.ID, Job: r.Job, Status: r.Status, Trigger: r.Trigger, ScheduledFor: r.ScheduledFor,
		StartedAt: r.StartedAt, FinishedAt: r.FinishedAt, Counts: counts, Errors: nonNil(r.Errors), Instance: r.Instance}
}

// noJob refuses an unknown job name (or a server without a scheduler).
func (s *Server) noJob(c *gin.Context) error {
	if s.Jobs == nil || !s.Jobs.Has(c.Param("name")) {
		return placematch.Errorf(placematch.ErrNotFound, "No job is called %q", c.Param("name"))
	}
	return nil
}

// listJobs answers every job; with updated_since, only the jobs whose last run
// started or ended at or after it, in the order of that change.
func (s *Server) listJobs(c *gin.Context) error {
	if err := knownQuery(c, "updated_since"); err != nil {
		return err
	}
	v := &placematch.ValidationError{}
	since := queryInstant(c, v, "updated_since")
	if err := v.Err(); err != nil {
		return err
	}
	items := []any{}
	if s.Jobs != nil {
		sts, err := s.Jobs.Statuses(c.Request.Context())
		if err != nil {
			return err
		}
		if !since.IsZero() {
			sts = slices.DeleteFunc(sts, func(st jobs.Status) bool {
				return st.LastRun == nil || runChanged(st.LastRun).Before(since)
			})
			slices.SortStableFunc(sts, func(a, b jobs.Status) int { return runChanged(a.LastRun).Compare(runChanged(b.LastRun)) })
		}
		for _, st := range sts {
			items = append(items, jobOut{Name: st.Name, Schedule: st.Schedule, NextRun: st.NextRun, LastRun: toRunOut(st.LastRun)})
		}
	}
	c.JSON(http.StatusOK, listOut{Items: items})
	return nil
}

func (s *Server) listJobRuns(c *gin.Context) error {
	if err := s.noJob(c); err != nil {
		return err
	}
	var since time.Time
	return listPage(c, listing[*placematch.JobRun]{since: &since,
		fetch: func(ctx context.Context, limit int, cursor string) (store.Page[*placematch.JobRun], error) {
			return s.Jobs.Runs(ctx, c.Param("name"), since, limit, cursor)
		},
		show: func(r *placematch.JobRun) any { return toRunOut(r) },
	})
}

// createJobRun starts a run now and answers 202 with the run, still running; poll
// its Location for the end. A job already running (here or on another replica) is
// 409.
func (s *Server) createJobRun(c *gin.Context) error {
	if err := s.noJob(c); err != nil {
		return err
	}
	run, err := s.Jobs.Trigger(c.Request.Context(), c.Param("name"), placematch.TriggerManual)
	if err != nil {
		return err
	}
	c.Header("Location", "/api/v1/jobs/"+run.Job+"/runs/"+run.ID)
	c.JSON(http.StatusAccepted, toRunOut(run))
	return nil
}

func (s *Server) getJobRun(c *gin.Context) error {
	if err := s.noJob(c); err != nil {
		return err
	}
	run, err := s.Store.GetJobRun(c.Request.Context(), c.Param("id"))
	if err == nil && run.Job != c.Param("name") {
		err = placematch.Errorf(placematch.ErrNotFound, "Run %s is not a run of %s", run.ID, c.Param("name"))
	}
	if err != nil {
		return err
	}
	c.JSON(http.StatusOK, toRunOut(run))
	return nil
}

// runChanged is when a run last changed as far as a job's status shows it: its end,
// or its start while it runs.
func runChanged(r *placematch.JobRun) time.Time {
	if r.FinishedAt != nil {
		return *r.FinishedAt
	}
	return r.StartedAt
}
