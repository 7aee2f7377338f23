package api_test

import (
	"context"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/prometheus/client_golang/prometheus"

	"placematch"
	"placematch/api"
	"placematch/jobs"
	"placematch/placing"
	"placematch/store/storetest"
)

// newJobsEnv is newEnv with a scheduler of the given jobs and a metrics registry.
func newJobsEnv(t *testing.T, dialect string, js ...jobs.Job) *env {
	t.Helper()
	db := storetest.Open(t, dialect)
	e := &env{t: t, db: db, clock: storetest.Clock}
	e.keys = testKeys(e)
	reg := prometheus.NewRegistry()
	loc, _ := time.LoadLocation("Europe/London")
	sched, err := jobs.New(jobs.Config{Store: db, Jobs: js, Location: loc, Metrics: jobs.NewMetrics(reg),
		Specs: map[string]string{"manual-only": jobs.SpecOff}})
	if err != nil {
		t.Fatal(err)
	}
	sched.Now = func() time.Time { return e.clock }
	t.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 100*time.Millisecond)
		defer cancel()
		_ = sched.Stop(ctx) // gives up on the held job and cancels it
	})
	s := &api.Server{Store: db, OpenAPI: placematch.OpenAPI, Version: "test",
		Placing: &placing.Service{Store: db, Now: func() time.Time { return e.clock }}, Jobs: sched, Metrics: reg, Verifier: e.keys}
	e.srv = httptest.NewServer(s.Handler())
	t.Cleanup(e.srv.Close)
	return e
}

func eachJobsDialect(t *testing.T, js func() []jobs.Job, fn func(t *testing.T, e *env)) {
	for _, d := range storetest.Dialects() {
		t.Run(d, func(t *testing.T) {
			t.Parallel()
			fn(t, newJobsEnv(t, d, js()...))
		})
	}
}

// waitRun polls a run's Location until it has ended.
func waitRun(e *env, loc string) map[string]any {
	e.t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for {
		r := e.do("GET", loc, nil)
		wantStatus(e.t, r, 200)
		if m := r.JSON(e.t); m["status"] != "running" {
			return m
		}
		if time.Now().After(deadline) {
			e.t.Fatal("run did not end")
		}
		time.Sleep(10 * time.Millisecond)
	}
}

func TestJobsRunHistoryConflictAndMetrics(t *testing.T) {
	mk := func() []jobs.Job {
		ch := make(chan struct{})
		return []jobs.Job{
			jobs.Func{JobName: "quick", Fn: func(context.Context) (jobs.Result, error) {
				return jobs.Result{Counts: map[string]int{"rows_applied": 2, "rows_rejected": 1},
					Issues: []placematch.RunIssue{{Scope: "acme", Row: 3, Unit: "U9", Message: "not one of this feed's units"}}}, nil
			}},
			jobs.Func{JobName: "manual-only", Fn: func(ctx context.Context) (jobs.Result, error) {
				select {
				case <-ch:
				case <-ctx.Done():
				}
				return jobs.Result{}, nil
			}},
		}
	}
	eachJobsDialect(t, mk, func(t *testing.T, e *env) {
		list := e.do("GET", "/api/v1/jobs", nil)
		wantStatus(t, list, 200)
		items := list.JSON(t)["items"].([]any)
		if len(items) != 2 || items[0].(map[string]any)["next_run"] != "2026-11-24T02:00:00Z" || items[1].(map[string]any)["next_run"] != nil {
			t.Fatalf("jobs %v", items)
		}
		var loc string
		for range 2 {
			// A run is recorded as ended a moment before the scheduler frees the
			// job; until then a new trigger is refused with 409.
			r := e.do("POST", "/api/v1/jobs/quick/runs", nil)
			for tries := 0; r.Status == 409 && tries < 100; tries++ {
				time.Sleep(10 * time.Millisecond)
				r = e.do("POST", "/api/v1/jobs/quick/runs", nil)
			}
			wantStatus(t, r, 202)
			loc = r.Header.Get("Location")
			if !strings.HasPrefix(loc, "/api/v1/jobs/quick/runs/") || r.JSON(t)["status"] != "running" {
				t.Fatalf("accepted %s %s", loc, r.Body)
			}
			if m := waitRun(e, loc); m["status"] != "succeeded" || m["trigger"] != "manual" {
				t.Fatalf("run %v", m)
			}
		}
		page := e.do("GET", "/api/v1/jobs/quick/runs?limit=1", nil)
		wantStatus(t, page, 200)
		pm := page.JSON(t)
		first := pm["items"].([]any)[0].(map[string]any)
		if "/api/v1/jobs/quick/runs/"+first["id"].(string) != loc || pm["next_cursor"] == nil {
			t.Fatalf("newest first: %v", pm)
		}
		if errs := first["errors"].([]any); len(errs) != 1 || errs[0].(map[string]any)["row"] != float64(3) {
			t.Fatalf("rejected rows not listed: %v", errs)
		}
		wantStatus(t, e.do("GET", "/api/v1/jobs/quick/runs?cursor="+pm["next_cursor"].(string), nil), 200)
		wantProblem(t, e.do("GET", "/api/v1/jobs/quick/runs?limit=0", nil), 422, "limit")

		// Polling: the jobs and runs changed since an instant (the store's clock
		// stamps both runs at storetest.Clock).
		at := func(path string) []any {
			t.Helper()
			r := e.do("GET", path, nil)
			wantStatus(t, r, 200)
			return r.JSON(t)["items"].([]any)
		}
		if got := at("/api/v1/jobs?updated_since=2026-11-23T10:00:00Z"); len(got) != 1 || got[0].(map[string]any)["name"] != "quick" {
			t.Fatalf("jobs changed since: %v", got)
		}
		if got := at("/api/v1/jobs?updated_since=2026-11-23T10:00:01Z"); len(got) != 0 {
			t.Fatalf("jobs changed after every run: %v", got)
		}
		if got := at("/api/v1/jobs/quick/runs?updated_since=2026-11-23T10:00:00Z"); len(got) != 2 {
			t.Fatalf("runs changed since: %v", got)
		}
		wantProblem(t, e.do("GET", "/api/v1/jobs?updated_since=soon", nil), 422, "updated_since")

		// A run of manual-only is held open; a second trigger is 409.
		r := e.do("POST", "/api/v1/jobs/manual-only/runs", nil)
		wantStatus(t, r, 202)
		wantProblem(t, e.do("POST", "/api/v1/jobs/manual-only/runs", nil), 409, "")
		wantProblem(t, e.do("POST", "/api/v1/jobs/nope/runs", nil), 404, "")
		wantProblem(t, e.do("GET", "/api/v1/jobs/nope/runs", nil), 404, "")
		wantProblem(t, e.do("GET", "/api/v1/jobs/manual-only/runs/"+first["id"].(string), nil), 404, "")

		m := e.do("GET", "/metrics", nil)
		wantStatus(t, m, 200)
		for _, series := range []string{
			`placematch_job_runs_total{job="quick",outcome="succeeded"} 2`,
			`placematch_job_runs_total{job="manual-only",outcome="failed"} 0`,
			`placematch_job_rows_total{job="quick",result="applied"} 4`,
			`placematch_job_rows_total{job="quick",result="rejected"} 2`,
			`placematch_job_run_duration_seconds_count{job="quick",outcome="succeeded"} 2`,
			`placematch_job_last_success_timestamp_seconds{job="quick"}`,
			`placematch_http_requests_total{method="POST",route="/api/v1/jobs/:name/runs",status="409"} `,
			`placematch_http_request_duration_seconds_bucket{method="GET",route="/api/v1/jobs",status="200",le="+Inf"} 3`,
		} {
			if !strings.Contains(string(m.Body), series) {
				t.Errorf("/metrics lacks %s", series)
			}
		}
	})
}

func TestFeedsCRUD(t *testing.T) {
	eachDialect(t, func(t *testing.T, e *env) {
		unit := e.do("POST", "/api/v1/units", unitBody("U1"))
		wantStatus(t, unit, 201)
		uid := unit.JSON(t)["id"].(string)
		carer := e.do("POST", "/api/v1/carers", carerBody("C1"))
		wantStatus(t, carer, 201)
		body := map[string]any{"name": "wensum", "url": "https://feeds.example.org/wensum.csv", "format": "csv",
			"auth_header": "Authorization", "secret_name": "WENSUM", "unit_ids": []string{uid}}
		wantProblem(t, e.do("POST", "/api/v1/feeds", with(body, "unit_ids", []string{carer.JSON(t)["id"].(string)})), 422, "unit_ids[0]")
		wantProblem(t, e.do("POST", "/api/v1/feeds", with(body, "url", "ftp://x")), 422, "url")
		wantProblem(t, e.do("POST", "/api/v1/feeds", with(body, "format", "xml")), 422, "format")
		wantProblem(t, e.do("POST", "/api/v1/feeds", with(body, "secret_name", nil)), 422, "secret_name")
		wantProblem(t, e.do("POST", "/api/v1/feeds", with(body, "unit_ids", []string{uid, uid})), 422, "unit_ids[1]")
		wantProblem(t, e.do("POST", "/api/v1/feeds", with(body, "secret", "x")), 422, "secret")
		created := e.do("POST", "/api/v1/feeds", body)
		wantStatus(t, created, 201)
		f := created.JSON(t)
		if f["secret_env"] != "PLACEMATCH_FEED_SECRET_WENSUM" || created.Header.Get("Location") != "/api/v1/feeds/"+f["id"].(string) {
			t.Fatalf("created %s", created.Body)
		}
		wantProblem(t, e.do("POST", "/api/v1/feeds", body), 409, "")
		path := "/api/v1/feeds/" + f["id"].(string)
		wantStatus(t, e.do("GET", path, nil), 200)
		p := e.do("PATCH", path, map[string]any{"format": "json", "auth_header": nil, "secret_name": nil}, "If-Match", `"1"`)
		wantStatus(t, p, 200)
		if pm := p.JSON(t); pm["format"] != "json" || pm["secret_env"] != nil || pm["version"] != float64(2) {
			t.Fatalf("patched %s", p.Body)
		}
		wantProblem(t, e.do("PATCH", path, map[string]any{"url": "nope"}), 422, "url")
		wantProblem(t, e.do("DELETE", path, nil, "If-Match", `"1"`), 412, "")
		wantStatus(t, e.do("DELETE", path, nil, "If-Match", `"2"`), 204)
		list := e.do("GET", "/api/v1/feeds", nil)
		wantStatus(t, list, 200)
		if n := len(list.JSON(t)["items"].([]any)); n != 0 {
			t.Fatalf("archived feed listed")
		}
		wantProblem(t, e.do("GET", "/api/v1/feeds/nope", nil), 404, "")
	})
}
