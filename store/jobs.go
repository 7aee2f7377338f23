package store

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"placematch"
)

// ErrSlotTaken says a run for this schedule slot is already recorded (another
// replica fired for the same moment); the caller skips the run.
var ErrSlotTaken = errors.New("store: this schedule slot already has a run")

// jobRunRow is the job_runs table.
type jobRunRow struct {
	ID           string `gorm:"primaryKey"`
	Job          string
	Status       string
	TriggeredBy  string
	ScheduledFor *time.Time
	StartedAt    time.Time
	FinishedAt   *time.Time
	Counts       string
	Errors       string
	Instance     string
	// UpdatedAt is the instant of the run's last change (its start, progress or
	// end), for lists of the runs changed since.
	UpdatedAt time.Time `gorm:"autoUpdateTime:false"`
}

func (jobRunRow) TableName() string { return "job_runs" }

func (r *jobRunRow) toRun() (*placematch.JobRun, error) {
	out := &placematch.JobRun{ID: r.ID, Job: r.Job, Status: placematch.RunStatus(r.Status),
		Trigger: placematch.RunTrigger(r.TriggeredBy), ScheduledFor: utcPtr(r.ScheduledFor),
		StartedAt: r.StartedAt.UTC(), FinishedAt: utcPtr(r.FinishedAt), Instance: r.Instance}
	if err := json.Unmarshal([]byte(r.Counts), &out.Counts); err != nil {
		return nil, fmt.Errorf("store: job run counts: %w", err)
	}
	if err := json.Unmarshal([]byte(r.Errors), &out.Errors); err != nil {
		return nil, fmt.Errorf("store: job run errors: %w", err)
	}
	if out.Counts == nil {
		out.Counts = map[string]int{}
	}
	return out, nil
}

// StartJobRun records r as running now and sets its id and start. A run of the same
// job still running is ErrConflict; a run already recorded for the same trigger and
// slot is ErrSlotTaken.
func (db *DB) StartJobRun(ctx context.Context, r *placematch.JobRun) error {
	r.ID, r.StartedAt, r.Status, r.FinishedAt = newID(), db.now(), placematch.RunRunning, nil
	if r.ScheduledFor != nil {
		s := r.ScheduledFor.UTC().Truncate(time.Microsecond)
		r.ScheduledFor = &s
	}
	row := jobRunRow{ID: r.ID, Job: r.Job, Status: string(r.Status), TriggeredBy: string(r.Trigger),
		ScheduledFor: r.ScheduledFor, StartedAt: r.StartedAt, Counts: "{}", Errors: "[]", Instance: r.Instance,
		UpdatedAt: r.StartedAt}
	err := translate(db.gorm.WithContext(ctx).Create(&row).Error)
	if err == nil || !errors.Is(err, placematch.ErrConflict) {
		return err
	}
	// Which unique index refused the row decides what the caller does.
	var running int64
	if cerr := db.gorm.WithContext(ctx).Model(&jobRunRow{}).Where("job = ? AND status = ?", r.Job,
		string(placematch.RunRunning)).Count(&running).Error; cerr != nil {
		return translate(cerr)
	}
	if running > 0 {
		return placematch.Errorf(placematch.ErrConflict, "Job %s is already running", r.Job)
	}
	return ErrSlotTaken
}

// FinishJobRun records how a running run ended: its status, counts and issues.
func (db *DB) FinishJobRun(ctx context.Context, r *placematch.JobRun) error {
	now := db.now()
	r.FinishedAt = &now
	counts, err := json.Marshal(r.Counts)
	if err != nil {
		return err
	}
	issues, err := json.Marshal(nonNilIssues(r.Errors))
	if err != nil {
		return err
	}
	res := db.gorm.WithContext(ctx).Model(&jobRunRow{}).Where("id = ? AND status = ?", r.ID, string(placematch.RunRunning)).
		Updates(map[string]any{"status": string(r.Status), "finished_at": now, "counts": string(counts), "errors": string(issues),
			"updated_at": now})
	if res.Error != nil {
		return translate(res.Error)
	}
	if res.RowsAffected != 1 {
		return placematch.Errorf(placematch.ErrConflict, "Run %s is no longer running (marked interrupted?)", r.ID)
	}
	return nil
}

func nonNilIssues(in []placematch.RunIssue) []placematch.RunIssue {
	if in == nil {
		return []placematch.RunIssue{}
	}
	return in
}

// MarkInterrupted marks every run of job still recorded as running as interrupted.
// Call it only while holding the job's lock, when no live process can be running it.
func (db *DB) MarkInterrupted(ctx context.Context, job string) (int, error) {
	now := db.now()
	res := db.gorm.WithContext(ctx).Model(&jobRunRow{}).Where("job = ? AND status = ?", job, string(placematch.RunRunning)).
		Updates(map[string]any{"status": string(placematch.RunInterrupted), "finished_at": now, "updated_at": now})
	return int(res.RowsAffected), translate(res.Error)
}

// LastJobRun returns the newest run of job with one of statuses (any status when none
// are given); ErrNotFound when there is none.
func (db *DB) LastJobRun(ctx context.Context, job string, statuses ...placematch.RunStatus) (*placematch.JobRun, error) {
	q := db.gorm.WithContext(ctx).Where("job = ?", job)
	if len(statuses) > 0 {
		q = q.Where("status IN ?", strs(statuses))
	}
	var row jobRunRow
	if err := q.Order("id DESC").Take(&row).Error; err != nil {
		return nil, translate(err)
	}
	return row.toRun()
}

// GetJobRun returns one run; ErrNotFound when there is none.
func (db *DB) GetJobRun(ctx context.Context, id string) (*placematch.JobRun, error) {
	if !ValidID(id) {
		return nil, placematch.Errorf(placematch.ErrNotFound, "No run has id %q", id)
	}
	var row jobRunRow
	if err := db.gorm.WithContext(ctx).Where("id = ?", id).Take(&row).Error; err != nil {
		return nil, translate(err)
	}
	return row.toRun()
}

// ListJobRuns returns one page of job's runs, newest first; with since, the runs
// changed at or after it, in the order of their last change (updated_at, id).
func (db *DB) ListJobRuns(ctx context.Context, job string, since time.Time, limit int, cursor string) (Page[*placematch.JobRun], error) {
	if !since.IsZero() {
		return db.jobRunChanges(ctx, job, since, limit, cursor)
	}
	if limit <= 0 {
		limit = DefaultLimit
	}
	if limit > MaxLimit {
		return Page[*placematch.JobRun]{}, placematch.Invalid("limit", "must be between 1 and %d", MaxLimit)
	}
	q := db.gorm.WithContext(ctx).Where("job = ?", job)
	if cursor != "" {
		before, err := decodeCursor(cursor)
		if err != nil {
			return Page[*placematch.JobRun]{}, err
		}
		q = q.Where("id < ?", before)
	}
	var rows []jobRunRow
	if err := q.Order("id DESC").Limit(limit + 1).Find(&rows).Error; err != nil {
		return Page[*placematch.JobRun]{}, translate(err)
	}
	out := make([]*placematch.JobRun, 0, len(rows))
	for i := range rows {
		r, err := rows[i].toRun()
		if err != nil {
			return Page[*placematch.JobRun]{}, err
		}
		out = append(out, r)
	}
	return cut(out, limit, func(r *placematch.JobRun) string { return encodeCursor(r.ID) }), nil
}

func strs[T ~string](in []T) []string {
	out := make([]string, len(in))
	for i, s := range in {
		out[i] = string(s)
	}
	return out
}

// RecordJobProgress stores what a running run has done so far, so that a run
// whose process dies (marked interrupted later) keeps the counts of the work it had
// committed. A run no longer running is left as it is.
func (db *DB) RecordJobProgress(ctx context.Context, id string, counts map[string]int, issues []placematch.RunIssue) error {
	c, err := json.Marshal(counts)
	if err != nil {
		return err
	}
	is, err := json.Marshal(nonNilIssues(issues))
	if err != nil {
		return err
	}
	res := db.gorm.WithContext(ctx).Model(&jobRunRow{}).Where("id = ? AND status = ?", id, string(placematch.RunRunning)).
		Updates(map[string]any{"counts": string(c), "errors": string(is), "updated_at": db.now()})
	return translate(res.Error)
}

// jobRunChanges is ListJobRuns with since: the runs changed at or after since.
func (db *DB) jobRunChanges(ctx context.Context, job string, since time.Time, limit int, cursor string) (Page[*placematch.JobRun], error) {
	ch := Changes{Since: since}
	q, limit, err := ch.page(db.gorm.WithContext(ctx).Model(&jobRunRow{}).Where("job = ?", job), "job_runs", "updated_at", cursor, limit)
	if err != nil {
		return Page[*placematch.JobRun]{}, err
	}
	var rows []jobRunRow
	if err := q.Find(&rows).Error; err != nil {
		return Page[*placematch.JobRun]{}, translate(err)
	}
	return readPage(ctx, rows, limit, func(r *jobRunRow) string { return ch.cursor(r.ID, r.UpdatedAt.UTC()) }, (*jobRunRow).toRun)
}
