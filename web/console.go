package web

import (
	"context"
	"errors"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"

	"placematch"
	"placematch/auth"
	"placematch/store"
)

// Jobs is the nightly jobs as the admins' console shows and starts them. cmd gives
// the scheduler (jobs.Scheduler), the one the API's run-a-job endpoint starts runs
// with, so a run started from the console is the same use case.
type Jobs interface {
	// Statuses lists every job with its schedule, next run and last run.
	Statuses(ctx context.Context) ([]placematch.JobStatus, error)
	// Has says whether name is a job.
	Has(name string) bool
	// Trigger starts a run of name now, in the background, and returns it as
	// recorded (running): ErrConflict when the job is already running, here or
	// on another replica; ErrNotFound for an unknown job.
	Trigger(ctx context.Context, name string, trigger placematch.RunTrigger) (*placematch.JobRun, error)
}

// feedJob is the job that fetches the provider feeds (jobs.NameFeeds; web may not
// import jobs, and a test checks the two agree).
const feedJob = "import-provider-feeds"

// maxIssuesShown bounds the errors a job's or a feed's row lists; the rest are
// counted.
const maxIssuesShown = 5

// admins lets administrators in: anyone else signed in is refused with the 403
// page, and a visitor not signed in is sent to sign in.
func (s *Server) admins(h func(w http.ResponseWriter, r *http.Request, p *Person)) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		p := personOf(r)
		switch {
		case p == nil:
			http.Redirect(w, r, "/sign-in", http.StatusSeeOther)
		case p.Role != auth.Admin:
			s.renderError(w, r, http.StatusForbidden, "You cannot use the admins’ console",
				"These pages are for administrators. You are signed in as "+p.Name+" ("+roleLabel(p.Role)+").")
		default:
			h(w, r, p)
		}
	})
}

// countItem is one of a run's counts, as the page lists them.
type countItem struct {
	Name  string
	Value int
}

func countsOf(m map[string]int) []countItem {
	out := make([]countItem, 0, len(m))
	for k, v := range m {
		out = append(out, countItem{k, v})
	}
	slices.SortFunc(out, func(a, b countItem) int { return strings.Compare(a.Name, b.Name) })
	return out
}

// issuesShown is the first few issues and how many more there are.
type issuesShown struct {
	Items []placematch.RunIssue
	More  int
}

func firstIssues(all []placematch.RunIssue) issuesShown {
	n := min(len(all), maxIssuesShown)
	return issuesShown{Items: all[:n], More: len(all) - n}
}

// jobRow is one job on the console.
type jobRow struct {
	placematch.JobStatus
	Counts []countItem
	Errors issuesShown
}

type jobsData struct {
	Jobs []jobRow
	// Scheduler is false when this server runs no jobs.
	Scheduler bool
	// Started is the run just started from the console, when the page follows it.
	Started *placematch.JobRun
}

// consoleJobs shows every job: its schedule, last and next run, how the last run
// ended with its counts and errors, and a button to run it now.
func (s *Server) consoleJobs(w http.ResponseWriter, r *http.Request, _ *Person) {
	s.showJobs(w, r, http.StatusOK, nil)
}

func (s *Server) showJobs(w http.ResponseWriter, r *http.Request, status int, errs []fieldError) {
	d := jobsData{Scheduler: s.Jobs != nil}
	if s.Jobs != nil {
		sts, err := s.Jobs.Statuses(r.Context())
		if err != nil {
			s.fail(w, r, err)
			return
		}
		for _, st := range sts {
			row := jobRow{JobStatus: st}
			if st.LastRun != nil {
				row.Counts, row.Errors = countsOf(st.LastRun.Counts), firstIssues(st.LastRun.Errors)
			}
			d.Jobs = append(d.Jobs, row)
		}
	}
	if id := r.URL.Query().Get("started"); id != "" && errs == nil {
		run, err := s.Store.GetJobRun(r.Context(), id)
		switch {
		case err == nil:
			d.Started = run
		case !errors.Is(err, placematch.ErrNotFound):
			s.fail(w, r, err)
			return
		}
	}
	s.render(w, r, status, "console-jobs", view{Title: "Jobs", Section: "console", Errors: errs, Data: d})
}

// runJob starts a run of a job now (the API's POST /api/v1/jobs/{name}/runs) and
// shows the jobs again with the run started (post, redirect, get). A job already
// running is the jobs page with the error summary saying so.
func (s *Server) runJob(w http.ResponseWriter, r *http.Request, p *Person) {
	name := r.PathValue("name")
	if s.Jobs == nil || !s.Jobs.Has(name) {
		s.notFound(w, r)
		return
	}
	run, err := s.Jobs.Trigger(r.Context(), name, placematch.TriggerManual)
	if errors.Is(err, placematch.ErrConflict) {
		s.audit(r, p, "job.run", "job", name, nil, http.StatusConflict)
		s.showJobs(w, r, http.StatusConflict, []fieldError{{ID: "run-" + name,
			Message: "The job " + name + " is already running, here or on another server; nothing new was started. Wait for it to end."}})
		return
	}
	if err != nil {
		s.fail(w, r, err)
		return
	}
	s.audit(r, p, "job.run", "job_run", run.ID, nil, http.StatusAccepted)
	http.Redirect(w, r, "/console/jobs?"+url.Values{"started": {run.ID}}.Encode()+"#job-"+name, http.StatusSeeOther)
}

// feedRow is one provider feed with what the feed import last did with it.
type feedRow struct {
	*placematch.Feed
	// Fetch is the feed's last fetch; nil when it has never been fetched.
	Fetch *store.FeedFetch
	// Errors are the last fetch's errors: the rows rejected (as the run listed
	// them) and why the feed failed as a whole.
	Errors issuesShown
}

type feedsData struct {
	Feeds   []feedRow
	LastRun *placematch.JobRun
	Counts  []countItem
}

// consoleFeeds shows every live provider feed with its last fetch: when, the rows
// applied and rejected, and the errors; and the last import run's counts.
func (s *Server) consoleFeeds(w http.ResponseWriter, r *http.Request, _ *Person) {
	feeds, err := s.Store.LiveFeeds(r.Context())
	if err != nil {
		s.fail(w, r, err)
		return
	}
	fetches, err := s.Store.FeedFetches(r.Context())
	if err != nil {
		s.fail(w, r, err)
		return
	}
	last, err := s.Store.LastJobRun(r.Context(), feedJob)
	if err != nil && !errors.Is(err, placematch.ErrNotFound) {
		s.fail(w, r, err)
		return
	}
	d := feedsData{LastRun: last}
	if last != nil {
		d.Counts = countsOf(last.Counts)
	}
	for _, f := range feeds {
		row := feedRow{Feed: f}
		if fetch, ok := fetches[f.ID]; ok {
			row.Fetch = &fetch
			var mine []placematch.RunIssue
			if last != nil && !last.StartedAt.After(fetch.FetchedAt) { // the fetch was the last run's
				for _, is := range last.Errors {
					if is.Scope == f.Name {
						mine = append(mine, is)
					}
				}
			}
			if len(mine) == 0 && fetch.Error != "" {
				mine = []placematch.RunIssue{{Message: fetch.Error}}
			}
			row.Errors = firstIssues(mine)
		}
		d.Feeds = append(d.Feeds, row)
	}
	s.render(w, r, http.StatusOK, "console-feeds", view{Title: "Provider feeds", Section: "console", Data: d})
}

// consoleHome is the console's first page: the jobs.
func (s *Server) consoleHome(w http.ResponseWriter, r *http.Request, _ *Person) {
	http.Redirect(w, r, "/console/jobs", http.StatusSeeOther)
}

// issueWhere says where an issue was met, for the console's lists.
func issueWhere(is placematch.RunIssue) string {
	parts := []string{}
	if is.Scope != "" {
		parts = append(parts, is.Scope)
	}
	if is.Row > 0 {
		parts = append(parts, "row "+strconv.Itoa(is.Row))
	}
	if is.Unit != "" {
		parts = append(parts, "unit "+is.Unit)
	}
	return strings.Join(parts, ", ")
}

// consoleNav is the console's own links, current marked.
func consoleNav(current string) []navItem {
	items := []navItem{{"/console/jobs", "Jobs", false}, {"/console/feeds", "Provider feeds", false},
		{"/console/audit", "Audit trail", false}, {"/console/people", "People signed in", false}}
	for i := range items {
		items[i].Current = strings.TrimPrefix(items[i].Href, "/console/") == current
	}
	return items
}
