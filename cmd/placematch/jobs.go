package main

import (
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"slices"
	"strconv"
	"strings"
	"time"
	_ "time/tzdata" // the static binary carries Europe/London even without system zone data

	"github.com/prometheus/client_golang/prometheus"

	"placematch"
	"placematch/jobs"
	"placematch/store"
)

// jobZone is where schedules are read: the council works on London time.
const jobZone = "Europe/London"

// jobScheduleVar names the variable holding a job's cron spec:
// import-provider-feeds → PLACEMATCH_JOB_IMPORT_PROVIDER_FEEDS_SCHEDULE.
func jobScheduleVar(job string) string {
	return "PLACEMATCH_JOB_" + strings.ToUpper(strings.ReplaceAll(job, "-", "_")) + "_SCHEDULE"
}

// jobNames lists the nightly jobs, in the order they run when due together.
var jobNames = []string{jobs.NameReconcile, jobs.NameFeeds, jobs.NameStale, jobs.NameSnapshot, jobs.NamePrune, jobs.NameSessions}

// newScheduler wires the nightly jobs to db with the configured schedules.
func newScheduler(cfg config, db *store.DB, reg prometheus.Registerer) (*jobs.Scheduler, error) {
	loc, err := time.LoadLocation(jobZone)
	if err != nil {
		return nil, err
	}
	feeds := jobs.ImportFeeds{Store: db, Now: db.Now, Timeout: cfg.FeedTimeout, MaxBytes: cfg.FeedMaxBytes,
		Attempts: cfg.FeedAttempts, MaxRejected: cfg.FeedMaxRejected, Network: cfg.feedNetwork(),
		Secret: func(name string) (string, bool) {
			v, err := getenv(jobs.SecretEnvPrefix + name)
			return v, err == nil && v != ""
		}}
	all := []jobs.Job{
		jobs.Reconcile{Store: db, Now: db.Now, Location: loc},
		feeds,
		jobs.FlagStale{Store: db, Now: db.Now, After: time.Duration(cfg.StaleAfterDays) * 24 * time.Hour},
		jobs.Snapshot{Store: db, Now: db.Now, Location: loc},
		jobs.PruneMatchRuns{Store: db, Now: db.Now, Retention: cfg.MatchRunRetention},
		jobs.PurgeSessions{Store: db, Now: db.Now},
	}
	var m *jobs.Metrics
	if reg != nil {
		m = jobs.NewMetrics(reg)
	}
	return jobs.New(jobs.Config{Store: db, Now: db.Now, Jobs: all, Specs: cfg.JobSchedules, Location: loc, Metrics: m})
}

// cmdJob is `placematch job run NAME`: one run, recorded like any other, printed as
// JSON. A failed run exits non-zero.
func cmdJob(ctx context.Context, cfg config, args []string, stdout io.Writer) error {
	synopsis := "job run NAME\n\nrun one nightly job once and print its result; jobs: " + strings.Join(jobNames, ", ") + "\n"
	fs := flag.NewFlagSet("job run", flag.ContinueOnError)
	if len(args) > 0 && args[0] == "run" {
		args = args[1:]
	} else if !wantsHelp(args) {
		return badUsage(fs, synopsis, "the only subcommand is run")
	}
	if err := parseFlags(fs, synopsis, args, stdout); err != nil {
		return err
	}
	if fs.NArg() != 1 {
		return badUsage(fs, synopsis, "needs one job NAME, got %d arguments", fs.NArg())
	}
	name := fs.Arg(0)
	// The name is checked before the database is opened (and migrated).
	if !slices.Contains(jobNames, name) {
		return fmt.Errorf("job: no job is called %q (jobs: %s)", name, strings.Join(jobNames, ", "))
	}
	db, err := openPrepared(ctx, cfg)
	if err != nil {
		return err
	}
	defer db.Close()
	s, err := newScheduler(cfg, db, nil)
	if err != nil {
		return err
	}
	run, err := s.RunNow(ctx, name, placematch.TriggerCLI)
	if err != nil {
		return fmt.Errorf("job %s: %w", name, err)
	}
	out, _ := json.MarshalIndent(map[string]any{"id": run.ID, "job": run.Job, "status": run.Status,
		"started_at": run.StartedAt, "finished_at": run.FinishedAt, "counts": run.Counts, "errors": run.Errors}, "", "  ")
	fmt.Fprintln(stdout, string(out))
	if run.Status != placematch.RunSucceeded {
		return fmt.Errorf("job %s %s", run.Job, run.Status)
	}
	return nil
}

// loadJobConfig reads the job and feed settings from vals.
func loadJobConfig(cfg *config, vals map[string]string) error {
	cfg.JobSchedules = map[string]string{}
	for _, name := range jobNames {
		cfg.JobSchedules[name] = strings.TrimSpace(vals[jobScheduleVar(name)])
	}
	var err error
	if cfg.JobsStopTimeout, err = time.ParseDuration(vals["PLACEMATCH_JOBS_STOP_TIMEOUT"]); err != nil {
		return fmt.Errorf("PLACEMATCH_JOBS_STOP_TIMEOUT: %w", err)
	}
	if cfg.FeedTimeout, err = time.ParseDuration(vals["PLACEMATCH_FEED_TIMEOUT"]); err != nil || cfg.FeedTimeout <= 0 {
		return fmt.Errorf("PLACEMATCH_FEED_TIMEOUT: must be a positive duration such as 30s")
	}
	if cfg.FeedMaxBytes, err = strconv.ParseInt(vals["PLACEMATCH_FEED_MAX_BYTES"], 10, 64); err != nil || cfg.FeedMaxBytes < 1 {
		return fmt.Errorf("PLACEMATCH_FEED_MAX_BYTES: must be a whole number of bytes, at least 1")
	}
	if cfg.FeedAttempts, err = strconv.Atoi(vals["PLACEMATCH_FEED_ATTEMPTS"]); err != nil || cfg.FeedAttempts < 1 || cfg.FeedAttempts > 10 {
		return fmt.Errorf("PLACEMATCH_FEED_ATTEMPTS: must be a whole number from 1 to 10")
	}
	if cfg.FeedAllowedNetworks, err = jobs.ParseNetworks(vals["PLACEMATCH_FEED_ALLOWED_NETWORKS"]); err != nil {
		return fmt.Errorf("PLACEMATCH_FEED_ALLOWED_NETWORKS: %w", err)
	}
	if cfg.FeedMaxRejected, err = strconv.Atoi(vals["PLACEMATCH_FEED_MAX_REJECTED_ROWS"]); err != nil || cfg.FeedMaxRejected < 1 || cfg.FeedMaxRejected > 10000 {
		return fmt.Errorf("PLACEMATCH_FEED_MAX_REJECTED_ROWS: must be a whole number from 1 to 10000")
	}
	if cfg.MatchRunRetention, err = parseRetention(vals["PLACEMATCH_MATCH_RUN_RETENTION"]); err != nil {
		return fmt.Errorf("PLACEMATCH_MATCH_RUN_RETENTION: %w", err)
	}
	return nil
}

// parseRetention reads a retention period: whole days ("90d", or a bare "90") or a
// Go duration ("2160h"), at least one day, so that a typo cannot expire today's runs.
func parseRetention(s string) (time.Duration, error) {
	var d time.Duration
	if days, ok := strings.CutSuffix(s, "d"); ok || strings.Trim(s, "0123456789") == "" {
		n, err := strconv.Atoi(days)
		if err != nil {
			return 0, fmt.Errorf("%q is not a whole number of days such as 90d", s)
		}
		d = time.Duration(n) * 24 * time.Hour
	} else {
		var err error
		if d, err = time.ParseDuration(s); err != nil {
			return 0, fmt.Errorf("%q is not a period such as 90d or 2160h", s)
		}
	}
	if d < 24*time.Hour {
		return 0, fmt.Errorf("must be at least one day (1d)")
	}
	return d, nil
}

// feedNetwork is the address policy of feeds, shared by registration (the API) and
// fetching (the import job).
func (c config) feedNetwork() jobs.NetPolicy {
	return jobs.NetPolicy{Allowed: c.FeedAllowedNetworks}
}
