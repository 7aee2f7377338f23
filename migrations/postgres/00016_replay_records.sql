-- +goose Up
-- What a match run ranked, so that it can be replayed. provider_states holds each
-- provider's state exactly as matching saw it (the record as read for the candidate
-- index, residents included, JSON, gzip-compressed), once per distinct content,
-- keyed by the hash of that content. A candidate manifest names the state of every
-- provider in one candidate index: a full manifest lists every provider (parent
-- NULL); a delta lists only the providers changed since its parent ('' for one
-- removed). A run records its manifest, the children as matching saw them, the
-- options, weights and clock (match_runs.replay, JSON, gzip-compressed); runs stored
-- before this migration have NULL there and cannot be replayed.
CREATE TABLE provider_states (
    hash   TEXT PRIMARY KEY,
    record BYTEA NOT NULL
);

CREATE TABLE candidate_manifests (
    id      TEXT PRIMARY KEY,
    parent  TEXT REFERENCES candidate_manifests (id),
    depth   INTEGER NOT NULL,
    entries BYTEA NOT NULL
);

ALTER TABLE match_runs ADD COLUMN replay BYTEA;

-- +goose Down
ALTER TABLE match_runs DROP COLUMN replay;
DROP TABLE candidate_manifests;
DROP TABLE provider_states;
