-- +goose Up
-- Audit rows that stand for more than one request or resource. request_count is how many
-- requests one row records (a summary of rate-limited refusals is one row per client
-- per minute, not one per request); resource_ids lists every record a response
-- showed (the children of a list page or of a match run's sibling group),
-- space-separated, so a reader of a child's record can be found by its id. Adding
-- columns with a default rewrites no row, so the append-only triggers do not fire.
ALTER TABLE audit_events ADD COLUMN request_count INTEGER NOT NULL DEFAULT 1;
ALTER TABLE audit_events ADD COLUMN resource_ids TEXT NOT NULL DEFAULT '';

-- +goose Down
ALTER TABLE audit_events DROP COLUMN resource_ids;
ALTER TABLE audit_events DROP COLUMN request_count;
