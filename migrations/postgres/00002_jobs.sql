-- +goose Up
-- One row per run of a nightly job. counts and errors are JSON text (errors lists the
-- rejected feed rows with their reasons). Two unique indexes make the database the
-- last word on "exactly once": a job has at most one running row, and a schedule slot
-- (job, trigger, scheduled_for) is recorded once however many replicas fire for it.
-- Manual runs have no slot; NULLs never clash in a unique index on either engine.
CREATE TABLE job_runs (
    id            TEXT PRIMARY KEY,
    job           TEXT NOT NULL,
    status        TEXT NOT NULL,
    triggered_by  TEXT NOT NULL,
    scheduled_for TIMESTAMPTZ,
    started_at    TIMESTAMPTZ NOT NULL,
    finished_at   TIMESTAMPTZ,
    counts        TEXT NOT NULL DEFAULT '{}',
    errors        TEXT NOT NULL DEFAULT '[]',
    instance      TEXT NOT NULL DEFAULT ''
);
CREATE INDEX job_runs_job_id ON job_runs (job, id);
CREATE UNIQUE INDEX job_runs_one_running ON job_runs (job) WHERE status = 'running';
CREATE UNIQUE INDEX job_runs_slot ON job_runs (job, triggered_by, scheduled_for);

-- Provider vacancy feeds. The secret's value is never stored: secret_name names the
-- environment variable PLACEMATCH_FEED_SECRET_<secret_name> that holds it.
CREATE TABLE feeds (
    id          TEXT PRIMARY KEY,
    name        TEXT NOT NULL,
    url         TEXT NOT NULL,
    format      TEXT NOT NULL,
    auth_header TEXT NOT NULL DEFAULT '',
    secret_name TEXT NOT NULL DEFAULT '',
    unit_ids    TEXT NOT NULL DEFAULT '[]',
    created_at  TIMESTAMPTZ NOT NULL,
    updated_at  TIMESTAMPTZ NOT NULL,
    version     INTEGER NOT NULL DEFAULT 1,
    archived_at TIMESTAMPTZ
);
CREATE UNIQUE INDEX feeds_name ON feeds (name);

-- A dated picture of sufficiency per district, provider kind and (for carers)
-- placement type; placement_type is '' for units and hubs so that the unique key
-- works on both engines. A re-run on the same day replaces that day's rows.
CREATE TABLE sufficiency_snapshots (
    snapshot_date     TEXT NOT NULL,
    district          TEXT NOT NULL,
    provider_kind     TEXT NOT NULL,
    placement_type    TEXT NOT NULL DEFAULT '',
    providers         INTEGER NOT NULL,
    places            INTEGER NOT NULL,
    filled            INTEGER NOT NULL,
    vacant            INTEGER NOT NULL,
    unavailable       INTEGER NOT NULL,
    children_awaiting INTEGER NOT NULL,
    created_at        TIMESTAMPTZ NOT NULL
);
CREATE UNIQUE INDEX sufficiency_snapshots_key ON sufficiency_snapshots (snapshot_date, district, provider_kind, placement_type);

-- +goose Down
DROP TABLE sufficiency_snapshots;
DROP TABLE feeds;
DROP TABLE job_runs;
