package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"path/filepath"
	"strings"
	"testing"
)

func TestJobRunCommand(t *testing.T) {
	t.Setenv("DATABASE_URL", "")
	t.Setenv("PLACEMATCH_SQLITE_PATH", filepath.Join(t.TempDir(), "jobs.db"))
	var out, logs bytes.Buffer
	if err := run(context.Background(), []string{"job", "run", "snapshot-sufficiency"}, &out, &logs); err != nil {
		t.Fatalf("job run: %v\n%s", err, logs.String())
	}
	var res struct {
		Status string         `json:"status"`
		Job    string         `json:"job"`
		Counts map[string]int `json:"counts"`
	}
	if err := json.Unmarshal(out.Bytes(), &res); err != nil || res.Status != "succeeded" || res.Job != "snapshot-sufficiency" {
		t.Fatalf("printed %q (%v)", out.String(), err)
	}
	if err := run(context.Background(), []string{"job", "run", "nope"}, &out, &logs); err == nil || !strings.Contains(err.Error(), "reconcile-vacancies") {
		t.Fatalf("unknown job: %v", err)
	}
	if err := run(context.Background(), []string{"job", "nope"}, &out, &logs); !errors.Is(err, errUsage) {
		t.Fatalf("bad usage: %v", err)
	}
	t.Setenv("PLACEMATCH_JOB_RECONCILE_VACANCIES_SCHEDULE", "every night")
	if err := run(context.Background(), []string{"job", "run", "reconcile-vacancies"}, &out, &logs); err == nil ||
		!strings.Contains(err.Error(), "reconcile-vacancies") {
		t.Fatalf("bad schedule accepted: %v", err)
	}
}

func TestJobScheduleVar(t *testing.T) {
	if got := jobScheduleVar("import-provider-feeds"); got != "PLACEMATCH_JOB_IMPORT_PROVIDER_FEEDS_SCHEDULE" {
		t.Fatal(got)
	}
	for _, name := range jobNames {
		found := false
		for _, s := range envSpecs {
			found = found || s.name == jobScheduleVar(name)
		}
		if !found {
			t.Errorf("%s has no schedule variable in envSpecs", name)
		}
	}
}
