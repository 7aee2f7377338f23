-- +goose Up
-- PostgreSQL's version of this migration replaces the provider change counter with
-- per-row transaction stamps, so that unrelated provider writes stop queueing on one
-- row. SQLite lets one transaction write at a time, so its counter (provider_epoch,
-- bumped inside each writing transaction) never made a writer wait that would not
-- have waited anyway; it stays, and this version changes nothing here.
SELECT 1;

-- +goose Down
SELECT 1;
