-- +goose Up
-- Audit rows that stand for more than one request or resource (see the PostgreSQL
-- migration): request_count, the requests a row records, resource_ids every record shown.
ALTER TABLE audit_events ADD COLUMN request_count INTEGER NOT NULL DEFAULT 1;
ALTER TABLE audit_events ADD COLUMN resource_ids TEXT NOT NULL DEFAULT '';

-- +goose Down
ALTER TABLE audit_events DROP COLUMN resource_ids;
ALTER TABLE audit_events DROP COLUMN request_count;
