-- +goose Up
-- A feed secret is sent to one host only: the host of the first feed registered
-- with that secret_name. A feed (or a change of URL) naming another host with the
-- same secret_name is refused, so an API admin cannot redirect a secret that only
-- an operator can set; sending it elsewhere needs a new secret variable.
CREATE TABLE feed_secret_hosts (
    secret_name TEXT PRIMARY KEY,
    host        TEXT NOT NULL,
    bound_at    TIMESTAMPTZ NOT NULL
);

-- The nightly prune-match-runs job deletes match runs older than the retention
-- period that no placement cites: these indexes find them without a full scan.
CREATE INDEX match_runs_created ON match_runs (created_at);
CREATE INDEX placements_match ON placements (match_id);

-- +goose Down
DROP INDEX placements_match;
DROP INDEX match_runs_created;
DROP TABLE feed_secret_hosts;
