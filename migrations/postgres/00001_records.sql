-- +goose Up
-- Providers of all three kinds share one table: matching reads every kind in one
-- query, and booking takes capacity with one conditional UPDATE. Fields only one kind
-- has are kept as JSON in details; placement_types is a ",a,b," list so that list
-- filters work with LIKE on both engines.
CREATE TABLE providers (
    id                 TEXT PRIMARY KEY,
    kind               TEXT NOT NULL,
    reference          TEXT NOT NULL,
    name               TEXT NOT NULL,
    status             TEXT NOT NULL DEFAULT '',
    lat                DOUBLE PRECISION NOT NULL,
    lon                DOUBLE PRECISION NOT NULL,
    postcode           TEXT NOT NULL DEFAULT '',
    district           TEXT NOT NULL DEFAULT '',
    age_min            INTEGER NOT NULL,
    age_max            INTEGER NOT NULL,
    places             INTEGER NOT NULL,
    filled             INTEGER NOT NULL DEFAULT 0,
    placement_types    TEXT NOT NULL DEFAULT '',
    avail_status       TEXT NOT NULL,
    avail_from         TEXT,
    avail_note         TEXT NOT NULL DEFAULT '',
    avail_confirmed_at TIMESTAMPTZ,
    avail_source       TEXT NOT NULL DEFAULT '',
    reported_vacancies INTEGER,
    reported_at        TIMESTAMPTZ,
    details            TEXT NOT NULL,
    change_seq         BIGINT NOT NULL DEFAULT 0,
    created_at         TIMESTAMPTZ NOT NULL,
    updated_at         TIMESTAMPTZ NOT NULL,
    version            INTEGER NOT NULL DEFAULT 1,
    archived_at        TIMESTAMPTZ,
    CONSTRAINT providers_filled_range CHECK (filled >= 0 AND filled <= places)
);
CREATE UNIQUE INDEX providers_kind_reference ON providers (kind, reference);
CREATE INDEX providers_kind_id ON providers (kind, id);
CREATE INDEX providers_change_seq ON providers (change_seq);

-- One row whose counter every provider write bumps inside its transaction; the row
-- lock serialises those writes, so change_seq values become visible in order and a
-- reader can refresh its in-memory candidates with "change_seq > last seen".
CREATE TABLE provider_epoch (
    id  INTEGER PRIMARY KEY,
    seq BIGINT NOT NULL
);
INSERT INTO provider_epoch (id, seq) VALUES (1, 0);

CREATE TABLE children (
    id              TEXT PRIMARY KEY,
    reference       TEXT NOT NULL,
    date_of_birth   TEXT NOT NULL,
    sex             TEXT NOT NULL,
    lat             DOUBLE PRECISION,
    lon             DOUBLE PRECISION,
    postcode        TEXT NOT NULL DEFAULT '',
    district        TEXT NOT NULL DEFAULT '',
    school_lat      DOUBLE PRECISION,
    school_lon      DOUBLE PRECISION,
    needs           TEXT NOT NULL DEFAULT '[]',
    risks           TEXT NOT NULL DEFAULT '[]',
    languages       TEXT NOT NULL DEFAULT '[]',
    wheelchair_user BOOLEAN NOT NULL DEFAULT FALSE,
    placement_type  TEXT NOT NULL,
    urgency         TEXT NOT NULL,
    required_from   TEXT NOT NULL,
    siblings        TEXT NOT NULL DEFAULT '[]',
    avoid_areas     TEXT NOT NULL DEFAULT '[]',
    max_distance_km DOUBLE PRECISION,
    status          TEXT NOT NULL,
    created_at      TIMESTAMPTZ NOT NULL,
    updated_at      TIMESTAMPTZ NOT NULL,
    version         INTEGER NOT NULL DEFAULT 1,
    archived_at     TIMESTAMPTZ
);
CREATE UNIQUE INDEX children_reference ON children (reference);
CREATE INDEX children_status_id ON children (status, id);

CREATE TABLE placements (
    id              TEXT PRIMARY KEY,
    child_id        TEXT NOT NULL REFERENCES children (id),
    provider_id     TEXT NOT NULL REFERENCES providers (id),
    provider_kind   TEXT NOT NULL,
    start_date      TEXT NOT NULL,
    end_date        TEXT,
    status          TEXT NOT NULL,
    end_reason      TEXT NOT NULL DEFAULT '',
    group_id        TEXT NOT NULL,
    match_id        TEXT NOT NULL DEFAULT '',
    match_rank      INTEGER NOT NULL DEFAULT 0,
    decision_reason TEXT NOT NULL DEFAULT '',
    created_at      TIMESTAMPTZ NOT NULL,
    updated_at      TIMESTAMPTZ NOT NULL,
    version         INTEGER NOT NULL DEFAULT 1,
    archived_at     TIMESTAMPTZ
);
-- A child has at most one active placement.
CREATE UNIQUE INDEX placements_one_active ON placements (child_id) WHERE status = 'active';
CREATE INDEX placements_provider_status ON placements (provider_id, status);

CREATE TABLE match_runs (
    id              TEXT PRIMARY KEY,
    child_id        TEXT NOT NULL REFERENCES children (id),
    input_hash      TEXT NOT NULL,
    weights_version TEXT NOT NULL,
    -- The answer as sent, gzip-compressed: a national search can list thousands
    -- of exclusions, and every run is kept.
    result          BYTEA NOT NULL,
    created_at      TIMESTAMPTZ NOT NULL
);
CREATE INDEX match_runs_child ON match_runs (child_id, created_at);

CREATE TABLE postcodes (
    postcode TEXT PRIMARY KEY,
    lat      DOUBLE PRECISION NOT NULL,
    lon      DOUBLE PRECISION NOT NULL,
    district TEXT NOT NULL DEFAULT ''
);

-- +goose Down
DROP TABLE postcodes;
DROP TABLE match_runs;
DROP TABLE placements;
DROP TABLE children;
DROP TABLE provider_epoch;
DROP TABLE providers;
