-- +goose Up
-- A job run changes after it is written (running, then its counts, then its end),
-- so that a client polling GET /api/v1/jobs/{name}/runs?updated_since= can see each
-- change, a run carries the instant of its last change. Runs recorded before carry
-- the instant they finished, or started when they never did.
ALTER TABLE job_runs ADD COLUMN updated_at DATETIME;
UPDATE job_runs SET updated_at = COALESCE(finished_at, started_at);
CREATE INDEX job_runs_job_updated ON job_runs (job, updated_at, id);

-- +goose Down
DROP INDEX job_runs_job_updated;
ALTER TABLE job_runs DROP COLUMN updated_at;
