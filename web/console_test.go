package web_test

import (
	"context"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"placematch"
	"placematch/jobs"
	"placematch/store"
	"placematch/store/storetest"
)

// consolePages are every page of the admins' console.
var consolePages = []string{"/console", "/console/jobs", "/console/feeds", "/console/audit", "/console/people"}

// Only administrators use the console: an officer, a commissioner, a carer and a
// provider are shown the 403 page on every console page and on "run now", which
// starts nothing; a visitor not signed in is sent to sign in.
func TestConsoleRefusesEveryOtherRole(t *testing.T) {
	s := newSite(t, store.SQLite, withEveryRole, withAdmin, withJobs(t))
	anon := s.client(t)
	for _, path := range consolePages {
		if p := s.get(t, anon, path); p.StatusCode != http.StatusSeeOther || p.Header.Get("Location") != "/sign-in" {
			t.Errorf("GET %s not signed in: %d to %q", path, p.StatusCode, p.Header.Get("Location"))
		}
	}
	if p := s.post(t, anon, "/console/jobs/"+jobs.NameStale+"/run", nil, nil); p.StatusCode != http.StatusSeeOther {
		t.Errorf("POST run not signed in: %d", p.StatusCode)
	}
	for _, role := range []string{"officer", "commissioner", "carer", "provider"} {
		t.Run(role, func(t *testing.T) {
			c := s.client(t)
			s.signIn(t, c, role)
			for _, path := range consolePages {
				if p := s.get(t, c, path); p.StatusCode != http.StatusForbidden || !strings.Contains(p.Body, "for administrators") ||
					!strings.Contains(p.Body, `class="govuk-heading-l">You cannot use the admins’ console`) {
					t.Errorf("GET %s: %d", path, p.StatusCode)
				}
			}
			if p := s.post(t, c, "/console/jobs/"+jobs.NameStale+"/run", nil, nil); p.StatusCode != http.StatusForbidden {
				t.Errorf("POST run: %d", p.StatusCode)
			}
			if p := s.get(t, c, "/docs"); p.StatusCode != http.StatusOK || strings.Contains(p.Body, `href="/console/jobs"`) {
				t.Errorf("the API reference for %s: %d, or its navigation offers the console", role, p.StatusCode)
			}
		})
	}
	if _, err := s.DB.LastJobRun(ctx, jobs.NameStale); err == nil {
		t.Fatal("a refused run was started")
	}
}

// "Run now" is a form like the others: sent from another site it is refused with
// the cross-site page and starts nothing; sent from the console it starts one
// manual run, records it in the audit trail and shows it; sent again while that
// run is still going it is the error summary (409), not a second run.
func TestConsoleRunNow(t *testing.T) {
	release := make(chan struct{}) // the job "hold" runs until the test ends
	defer close(release)
	hold := jobs.Func{JobName: "hold", Fn: func(context.Context) (jobs.Result, error) {
		<-release
		return jobs.Result{}, nil
	}}
	s := newSite(t, store.SQLite, withAdmin, withJobs(t, hold))
	c := s.client(t)
	s.signIn(t, c, "admin")
	path := "/console/jobs/" + jobs.NameStale + "/run"
	if p := s.post(t, c, path, nil, http.Header{"Sec-Fetch-Site": {"cross-site"}}); p.StatusCode != http.StatusForbidden ||
		!strings.Contains(p.Body, "This form was sent from another site") {
		t.Fatalf("cross-site POST: %d", p.StatusCode)
	}
	if _, err := s.DB.LastJobRun(ctx, jobs.NameStale); err == nil {
		t.Fatal("a cross-site form started a run")
	}
	if p := s.post(t, c, "/console/jobs/no-such-job/run", nil, nil); p.StatusCode != http.StatusNotFound {
		t.Fatalf("unknown job: %d", p.StatusCode)
	}
	p := s.post(t, c, path, nil, nil)
	loc := p.Header.Get("Location")
	if p.StatusCode != http.StatusSeeOther || !strings.HasPrefix(loc, "/console/jobs?started=") {
		t.Fatalf("run now: %d to %q", p.StatusCode, loc)
	}
	u, err := url.Parse(loc)
	must(t, err)
	run := s.waitRun(t, u.Query().Get("started"))
	if run.Job != jobs.NameStale || run.Trigger != placematch.TriggerManual || run.Status != placematch.RunSucceeded {
		t.Fatalf("the run started: %+v", run)
	}
	shown := s.get(t, c, loc)
	if shown.StatusCode != http.StatusOK || !strings.Contains(shown.Body, "A run of "+jobs.NameStale+" was started") ||
		!strings.Contains(shown.Body, `data-last-run="`+run.ID+`"`) {
		t.Fatalf("the jobs page after the run: %d\n%s", shown.StatusCode, shown.Body)
	}
	trail, err := s.DB.ListAudit(ctx, store.AuditFilter{Resource: run.ID})
	must(t, err)
	if len(trail.Items) != 1 || trail.Items[0].Action != "web.job.run" || trail.Items[0].Subject != "demo-admin" {
		t.Fatalf("audit of the run: %+v", trail.Items)
	}

	// While a run is going, another of the same job is refused.
	holdPath := "/console/jobs/hold/run"
	if p := s.post(t, c, holdPath, nil, nil); p.StatusCode != http.StatusSeeOther {
		t.Fatalf("first run of hold: %d", p.StatusCode)
	}
	again := s.post(t, c, holdPath, nil, nil)
	if again.StatusCode != http.StatusConflict || !strings.Contains(again.Body, "is already running") ||
		!strings.Contains(again.Body, `<a href="#run-hold">`) || !strings.Contains(again.Body, `id="run-hold"`) {
		t.Fatalf("run while running: %d\n%s", again.StatusCode, again.Body)
	}
	page, err := s.DB.ListJobRuns(ctx, "hold", time.Time{}, 10, "")
	must(t, err)
	if len(page.Items) != 1 {
		t.Fatalf("%d runs of hold, want 1", len(page.Items))
	}
}

// The audit trail is searched by subject, by resource and by time (London time,
// a date alone taking in the whole day), a page of 50 at a time, on both engines;
// a time it cannot read, or an end before the start, is the error summary linked
// to the field and no search.
func TestConsoleAuditSearch(t *testing.T) {
	for _, d := range storetest.Dialects() {
		t.Run(d, func(t *testing.T) {
			t.Parallel()
			s := newSite(t, d, withAdmin)
			c := s.client(t)
			s.signIn(t, c, "admin")
			// 55 events by one subject on 20 November, 1 by another on the 21st
			// (10:30 in London, in winter UTC), all on child-7 or job runs.
			day := time.Date(2026, 11, 20, 9, 0, 0, 0, time.UTC)
			for i := range 55 {
				s.Clock.set(day.Add(time.Duration(i) * time.Minute))
				must(t, s.DB.AppendAudit(ctx, &store.AuditEvent{Subject: "auditor-a", Role: "admin", Action: "job.run",
					ResourceType: "job_run", ResourceID: "run-" + string(rune('a'+i%26)), Outcome: "success", Status: 202}))
			}
			s.Clock.set(time.Date(2026, 11, 21, 10, 30, 0, 0, time.UTC))
			must(t, s.DB.AppendAudit(ctx, &store.AuditEvent{Subject: "auditor-b", Role: "placement_officer", Action: "child.read",
				ResourceType: "child", ResourceID: "child-7", Outcome: "success", Status: 200}))
			s.Clock.set(storetest.Clock)
			rows := regexp.MustCompile(`<tr class="govuk-table__row">\s*<td`)
			count := func(path string) (int, page) {
				p := s.get(t, c, path)
				if p.StatusCode != http.StatusOK {
					t.Fatalf("GET %s: %d", path, p.StatusCode)
				}
				return len(rows.FindAllString(p.Body, -1)), p
			}
			if n, p := count("/console/audit?subject=auditor-a"); n != 50 || !strings.Contains(p.Body, `rel="next"`) {
				t.Fatalf("first page of auditor-a: %d rows", n)
			} else {
				next := regexp.MustCompile(`href="(/console/audit\?[^"]+)" rel="next"`).FindStringSubmatch(p.Body)
				if n, p := count(strings.ReplaceAll(next[1], "&amp;", "&")); n != 5 || strings.Contains(p.Body, `rel="next"`) {
					t.Fatalf("second page of auditor-a: %d rows", n)
				}
			}
			if n, p := count("/console/audit?resource=child-7"); n != 1 || !strings.Contains(p.Body, "auditor-b") {
				t.Fatalf("resource child-7: %d rows", n)
			}
			if n, _ := count("/console/audit?resource=job_run&from=2026-11-20+09:10&to=2026-11-20+09:20"); n != 10 {
				t.Fatalf("job runs 09:10 to 09:20: %d rows, want 10", n)
			}
			if n, _ := count("/console/audit?from=2026-11-21&to=2026-11-21"); n != 1 {
				t.Fatalf("21 November: %d rows, want 1", n)
			}
			if n, p := count("/console/audit?subject=nobody"); n != 0 || !strings.Contains(p.Body, "No events match") {
				t.Fatalf("nobody: %d rows", n)
			}
			for _, c2 := range []struct{ query, field, msg string }{
				{"from=yesterday", "from", "Enter the start as a date"},
				{"to=2026-13-01", "to", "Enter the end as a date"},
				{"from=2026-11-21&to=2026-11-20", "to", "The end must be after the start"},
			} {
				p := s.get(t, c, "/console/audit?"+c2.query)
				if p.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(p.Body, `<a href="#`+c2.field+`">`+c2.msg) ||
					!strings.Contains(p.Body, `id="`+c2.field+`-error"`) || strings.Contains(p.Body, "audit-events") {
					t.Errorf("%s: %d\n%s", c2.query, p.StatusCode, p.Body)
				}
			}
		})
	}
}

// The people page lists who has a session now, once per subject, with the role
// their sign-in gave; signing out takes them off it.
func TestConsolePeopleSignedIn(t *testing.T) {
	s := newSite(t, store.SQLite, withAdmin)
	admin, officer, again := s.client(t), s.client(t), s.client(t)
	s.signIn(t, admin, "admin")
	s.signIn(t, officer, "officer")
	s.signIn(t, again, "officer")
	p := s.get(t, admin, "/console/people")
	if p.StatusCode != http.StatusOK || !strings.Contains(p.Body, "2 people signed in") ||
		!regexp.MustCompile(`data-subject="demo-officer">\s*<th[^>]*>Sam Okafor</th>[\s\S]*?placement officer[\s\S]*?>2</td>`).MatchString(p.Body) ||
		!regexp.MustCompile(`data-subject="demo-admin">[\s\S]*?administrator`).MatchString(p.Body) {
		t.Fatalf("people: %d\n%s", p.StatusCode, p.Body)
	}
	s.post(t, officer, "/sign-out", nil, nil)
	s.post(t, again, "/sign-out", nil, nil)
	if p := s.get(t, admin, "/console/people"); !strings.Contains(p.Body, "1 person signed in") || strings.Contains(p.Body, "demo-officer") {
		t.Fatalf("after the officer signed out:\n%s", p.Body)
	}
}
