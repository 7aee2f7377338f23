-- +goose Up
-- The audit trail (see the PostgreSQL migration); triggers refuse UPDATE and DELETE.
CREATE TABLE audit_events (
    id            TEXT PRIMARY KEY,
    at            DATETIME NOT NULL,
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
CREATE TRIGGER audit_events_no_update BEFORE UPDATE ON audit_events
BEGIN
    SELECT RAISE(ABORT, 'audit_events is append-only');
END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER audit_events_no_delete BEFORE DELETE ON audit_events
BEGIN
    SELECT RAISE(ABORT, 'audit_events is append-only');
END;
-- +goose StatementEnd

-- +goose Down
DROP TABLE audit_events;
