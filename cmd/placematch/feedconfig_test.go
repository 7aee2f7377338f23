package main

import (
	"bytes"
	"context"
	"encoding/json"
	"net/netip"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// The feed and retention settings have safe defaults and refuse bad values by name.
func TestFeedAndRetentionConfig(t *testing.T) {
	cfg, err := loadConfig()
	if err != nil {
		t.Fatal(err)
	}
	if len(cfg.FeedAllowedNetworks) != 0 || cfg.FeedMaxRejected != 100 || cfg.MatchRunRetention != 90*24*time.Hour ||
		cfg.JobSchedules["prune-match-runs"] != "40 2 * * *" {
		t.Fatalf("defaults: %v %d %s %q", cfg.FeedAllowedNetworks, cfg.FeedMaxRejected, cfg.MatchRunRetention, cfg.JobSchedules["prune-match-runs"])
	}
	if cfg.feedNetwork().CheckURL("http://127.0.0.1:8080/") == nil {
		t.Fatal("loopback feeds allowed by default")
	}
	t.Setenv("PLACEMATCH_FEED_ALLOWED_NETWORKS", "127.0.0.1/32, 10.20.0.0/16")
	t.Setenv("PLACEMATCH_MATCH_RUN_RETENTION", "30d")
	if cfg, err = loadConfig(); err != nil {
		t.Fatal(err)
	}
	want := []netip.Prefix{netip.MustParsePrefix("127.0.0.1/32"), netip.MustParsePrefix("10.20.0.0/16")}
	if len(cfg.FeedAllowedNetworks) != 2 || cfg.FeedAllowedNetworks[0] != want[0] || cfg.FeedAllowedNetworks[1] != want[1] ||
		cfg.MatchRunRetention != 30*24*time.Hour || cfg.feedNetwork().CheckURL("http://127.0.0.1:8080/") != nil {
		t.Fatalf("read %v %s", cfg.FeedAllowedNetworks, cfg.MatchRunRetention)
	}
	t.Setenv("PLACEMATCH_MATCH_RUN_RETENTION", "7")
	if cfg, err = loadConfig(); err != nil || cfg.MatchRunRetention != 7*24*time.Hour {
		t.Fatalf("a bare number of days: %s %v", cfg.MatchRunRetention, err)
	}
	for name, bad := range map[string]string{"PLACEMATCH_FEED_ALLOWED_NETWORKS": "127.0.0.1",
		"PLACEMATCH_MATCH_RUN_RETENTION": "2h", "PLACEMATCH_FEED_MAX_REJECTED_ROWS": "0"} {
		t.Run(name, func(t *testing.T) {
			t.Setenv(name, bad)
			if _, err := loadConfig(); err == nil || !strings.Contains(err.Error(), name) {
				t.Fatalf("%s=%s accepted: %v", name, bad, err)
			}
		})
	}
}

// prune-match-runs runs once from the command line like the other nightly jobs.
func TestPruneJobRunsFromTheCommandLine(t *testing.T) {
	t.Setenv("DATABASE_URL", "")
	t.Setenv("PLACEMATCH_SQLITE_PATH", filepath.Join(t.TempDir(), "prune.db"))
	var out, logs bytes.Buffer
	if err := run(context.Background(), []string{"job", "run", "prune-match-runs"}, &out, &logs); err != nil {
		t.Fatalf("job run: %v\n%s", err, logs.String())
	}
	var res struct {
		Status string         `json:"status"`
		Counts map[string]int `json:"counts"`
	}
	if err := json.Unmarshal(out.Bytes(), &res); err != nil || res.Status != "succeeded" {
		t.Fatalf("printed %q (%v)", out.String(), err)
	}
	if _, ok := res.Counts["match_runs_deleted"]; !ok {
		t.Fatalf("counts %v", res.Counts)
	}
}
