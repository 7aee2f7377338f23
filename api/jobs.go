package api

import (
	"net/http"
	"time"

	"github.com/gin-gonic/gin"

	"placematch"
)

// jobOut is a job as GET /api/v1/jobs shows it.
type jobOut struct {
	Name     string     `json:"name"`
	Schedule string     `json:"schedule"`
	NextRun  *time.Time `json:"next_run"`
	LastRun  *runOut    `json:"last_run"`
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

// noJob answers an unknown job name (or a server without a scheduler).
func (s *Server) noJob(c *gin.Context) bool {
	if s.Jobs == nil || !s.Jobs.Has(c.Param("name")) {
		fail(c, placematch.Errorf(placematch.ErrNotFound, "No job is called %q", c.Param("name")))
		return true
	}
	return false
}

func (s *Server) listJobs(c *gin.Context) {
	if err := knownQuery(c); err != nil {
		fail(c, err)
		return
	}
	items := []any{}
	if s.Jobs != nil {
		sts, err := s.Jobs.Statuses(c.Request.Context())
		if err != nil {
			fail(c, err)
			return
		}
		for _, st := range sts {
			items = append(items, jobOut{Name: st.Name, Schedule: st.Schedule, NextRun: st.NextRun, LastRun: toRunOut(st.LastRun)})
		}
	}
	c.JSON(http.StatusOK, listOut{Items: items})
}

func (s *Server) listJobRuns(c *gin.Context) {
	if s.noJob(c) {
		return
	}
	if err := knownQuery(c, pageQuery...); err != nil {
		fail(c, err)
		return
	}
	v := &placematch.ValidationError{}
	limit, cursor := pageParams(c, v)
	if err := v.Err(); err != nil {
		fail(c, err)
		return
	}
	page, err := s.Jobs.Runs(c.Request.Context(), c.Param("name"), limit, cursor)
	if err != nil {
		fail(c, err)
		return
	}
	items := make([]any, len(page.Items))
	for i, r := range page.Items {
		items[i] = toRunOut(r)
	}
	c.JSON(http.StatusOK, listOut{Items: items, NextCursor: page.NextCursor})
}

// createJobRun starts a run now and answers 202 with the run, still running; poll
// its Location for the end. A job already running (here or on another replica) is
// 409.
func (s *Server) createJobRun(c *gin.Context) {
	if s.noJob(c) {
		return
	}
	run, err := s.Jobs.Trigger(c.Request.Context(), c.Param("name"), placematch.TriggerManual)
	if err != nil {
		fail(c, err)
		return
	}
	c.Header("Location", "/api/v1/jobs/"+run.Job+"/runs/"+run.ID)
	c.JSON(http.StatusAccepted, toRunOut(run))
}

func (s *Server) getJobRun(c *gin.Context) {
	if s.noJob(c) {
		return
	}
	run, err := s.Store.GetJobRun(c.Request.Context(), c.Param("id"))
	if err == nil && run.Job != c.Param("name") {
		err = placematch.Errorf(placematch.ErrNotFound, "Run %s is not a run of %s", run.ID, c.Param("name"))
	}
	if err != nil {
		fail(c, err)
		return
	}
	c.JSON(http.StatusOK, toRunOut(run))
}
