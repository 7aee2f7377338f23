package web

import (
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"

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

// auditPage is how many audit events one page of the search shows.
const auditPage = 50

type auditData struct {
	Subject, Resource, From, To string
	Events                      []store.AuditEvent
	Searched                    bool
	Next                        string
}

// consoleAudit searches the audit trail by subject, resource (an id or a type) and
// time range, oldest first, a page at a time. A time it cannot read is the error
// summary linked to its field, and nothing is searched.
func (s *Server) consoleAudit(w http.ResponseWriter, r *http.Request, _ *Person) {
	q := r.URL.Query()
	d := auditData{Subject: strings.TrimSpace(q.Get("subject")), Resource: strings.TrimSpace(q.Get("resource")),
		From: strings.TrimSpace(q.Get("from")), To: strings.TrimSpace(q.Get("to"))}
	var errs []fieldError
	from, ok := parseInstant(d.From, false)
	if !ok {
		errs = append(errs, fieldError{Field: "from", ID: "from", Message: "Enter the start as a date, or a date and time, such as 2026-12-01 or 2026-12-01 14:30"})
	}
	to, ok := parseInstant(d.To, true)
	if !ok {
		errs = append(errs, fieldError{Field: "to", ID: "to", Message: "Enter the end as a date, or a date and time, such as 2026-12-02 or 2026-12-02 09:00"})
	}
	if len(errs) == 0 && !from.IsZero() && !to.IsZero() && !to.After(from) {
		errs = append(errs, fieldError{Field: "to", ID: "to", Message: "The end must be after the start"})
	}
	if len(errs) > 0 {
		s.render(w, r, http.StatusUnprocessableEntity, "console-audit", view{Title: "Audit trail", Section: "console", Errors: errs, Data: d})
		return
	}
	page, err := s.Store.ListAudit(r.Context(), store.AuditFilter{Subject: d.Subject, Resource: d.Resource, From: from, To: to,
		Limit: auditPage, Cursor: q.Get("cursor")})
	if errors.Is(err, placematch.ErrInvalid) { // a cursor edited by hand
		s.render(w, r, http.StatusUnprocessableEntity, "console-audit", view{Title: "Audit trail", Section: "console", Data: d,
			Errors: []fieldError{{ID: "subject", Message: "The page asked for cannot be found; search again"}}})
		return
	}
	if err != nil {
		s.fail(w, r, err)
		return
	}
	d.Events, d.Searched = page.Items, true
	if page.NextCursor != "" {
		d.Next = "/console/audit?" + url.Values{"subject": {d.Subject}, "resource": {d.Resource}, "from": {d.From}, "to": {d.To},
			"cursor": {page.NextCursor}}.Encode()
	}
	s.render(w, r, http.StatusOK, "console-audit", view{Title: "Audit trail", Section: "console", Data: d})
}

// instantLayouts are the times the audit search reads, in London time unless the
// text carries its own offset.
var instantLayouts = []string{"2006-01-02 15:04", "2006-01-02T15:04", "2006-01-02 15:04:05", "2006-01-02T15:04:05"}

// parseInstant reads a time of the audit search: empty is no bound; a date alone is
// the start of that day in London, or with end the start of the next (so that "to
// 2 December" takes in the whole of the 2nd).
func parseInstant(s string, end bool) (time.Time, bool) {
	if s == "" {
		return time.Time{}, true
	}
	if t, err := time.Parse(time.RFC3339, s); err == nil {
		return t.UTC(), true
	}
	if d, err := time.ParseInLocation("2006-01-02", s, london); err == nil {
		if end {
			d = d.AddDate(0, 0, 1)
		}
		return d.UTC(), true
	}
	for _, l := range instantLayouts {
		if t, err := time.ParseInLocation(l, s, london); err == nil {
			return t.UTC(), true
		}
	}
	return time.Time{}, false
}

// signedIn is one person with a live session, as the identity provider (or the
// demo sign-in) described them when they signed in.
type signedIn struct {
	Person
	Sessions         int
	SignedIn, SeenAt time.Time
}

type peopleData struct {
	People []signedIn
	OIDC   bool
	Demo   bool
}

// consolePeople lists the people signed in now, one row per subject, with the role
// the identity provider's claims gave them: Placematch keeps no list of users of
// its own.
func (s *Server) consolePeople(w http.ResponseWriter, r *http.Request, _ *Person) {
	sessions, err := s.Store.LiveSessions(r.Context(), s.now())
	if err != nil {
		s.fail(w, r, err)
		return
	}
	d := peopleData{OIDC: s.OIDC != nil, Demo: len(s.Demo) > 0}
	bySubject := map[string]int{}
	for _, sess := range sessions {
		var p Person
		if json.Unmarshal(sess.Data, &p) != nil || p.Subject == "" || p.Role == "" {
			continue // a sign-in under way, not yet anyone
		}
		i, ok := bySubject[p.Subject]
		if !ok {
			bySubject[p.Subject] = len(d.People)
			d.People = append(d.People, signedIn{Person: p, SignedIn: sess.CreatedAt, SeenAt: sess.SeenAt})
			i = len(d.People) - 1
		}
		e := &d.People[i]
		e.Sessions++
		if sess.CreatedAt.Before(e.SignedIn) {
			e.SignedIn = sess.CreatedAt
		}
		if sess.SeenAt.After(e.SeenAt) { // the newest session says who they are now
			e.SeenAt, e.Person = sess.SeenAt, p
		}
	}
	s.render(w, r, http.StatusOK, "console-people", view{Title: "People signed in", Section: "console", Data: d})
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
