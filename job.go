package placematch

import "time"

// RunStatus is where a job run stands.
type RunStatus string

// The run statuses. A run is running until it ends as succeeded or failed; a run
// left running by a process that died is marked interrupted at the next start.
const (
	RunRunning     RunStatus = "running"
	RunSucceeded   RunStatus = "succeeded"
	RunFailed      RunStatus = "failed"
	RunInterrupted RunStatus = "interrupted"
)

// RunStatuses lists every run status.
var RunStatuses = []RunStatus{RunRunning, RunSucceeded, RunFailed, RunInterrupted}

// RunTrigger says what started a job run.
type RunTrigger string

// The run triggers: the cron schedule, the catch-up at start after downtime, a person
// through the API, or the command line.
const (
	TriggerSchedule RunTrigger = "schedule"
	TriggerCatchUp  RunTrigger = "catch_up"
	TriggerManual   RunTrigger = "manual"
	TriggerCLI      RunTrigger = "cli"
)

// RunTriggers lists every trigger.
var RunTriggers = []RunTrigger{TriggerSchedule, TriggerCatchUp, TriggerManual, TriggerCLI}

// JobRun is one recorded run of a nightly job: when, why, how it ended, what it
// counted and what it rejected.
type JobRun struct {
	ID      string
	Job     string
	Status  RunStatus
	Trigger RunTrigger
	// ScheduledFor is the schedule slot a scheduled or catch-up run stands for; two
	// replicas firing for the same slot record one run.
	ScheduledFor *time.Time
	StartedAt    time.Time
	FinishedAt   *time.Time
	Counts       map[string]int
	Errors       []RunIssue
	// Instance names the process that ran it (host and pid), for the logs.
	Instance string
}

// RunIssue is one thing a run could not do: a feed that failed as a whole (Row 0),
// a rejected feed row (Row counts data rows from 1), or a record it could not correct.
type RunIssue struct {
	Scope   string `json:"scope"`
	Row     int    `json:"row,omitempty"`
	Unit    string `json:"unit,omitempty"`
	Message string `json:"message"`
}

// JobStatus is one job as the scheduler reports it: its schedule, when it runs
// next and how it last ran. The API's job list and the admins' console show it.
type JobStatus struct {
	Name     string
	Schedule string
	// NextRun is nil when the job is not scheduled.
	NextRun *time.Time
	// LastRun is nil when the job has never run.
	LastRun *JobRun
}
