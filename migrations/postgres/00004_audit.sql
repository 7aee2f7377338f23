-- +goose Up
-- The audit trail: one row per access to a child's record, match run, placement
-- change, report export, availability update and denied request. It is append-only:
-- the trigger below refuses UPDATE and DELETE whoever asks, the application's own
-- database role included (only a superuser dropping the trigger could change a row).
CREATE TABLE audit_events (
    id            TEXT PRIMARY KEY,
    at            TIMESTAMPTZ NOT NULL,
    subject       TEXT NOT NULL,
    role          TEXT NOT NULL,
    action        TEXT NOT NULL,
    resource_type TEXT NOT NULL,
    resource_id   TEXT NOT NULL,
    outcome       TEXT NOT NULL,
    status        INTEGER NOT NULL,
    request_id    TEXT NOT NULL,
    client_addr   TEXT NOT NULL
);
CREATE INDEX audit_events_subject ON audit_events (subject, id);
CREATE INDEX audit_events_resource ON audit_events (resource_id, id);

-- +goose StatementBegin
CREATE FUNCTION audit_events_append_only() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION 'audit_events is append-only';
END;
$$ LANGUAGE plpgsql;
-- +goose StatementEnd
CREATE TRIGGER audit_events_no_change BEFORE UPDATE OR DELETE ON audit_events
    FOR EACH ROW EXECUTE FUNCTION audit_events_append_only();
CREATE TRIGGER audit_events_no_truncate BEFORE TRUNCATE ON audit_events
    FOR EACH STATEMENT EXECUTE FUNCTION audit_events_append_only();

-- +goose Down
DROP TABLE audit_events;
DROP FUNCTION audit_events_append_only();
