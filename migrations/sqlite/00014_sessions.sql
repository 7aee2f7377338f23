-- +goose Up
-- Signed-in sessions of the web pages, kept in the service's own database so that
-- any replica can serve any request and signing out ends the session everywhere.
-- id is the SHA-256 of the cookie's random token (the token itself is never
-- stored); data is the signed-in person as the web package encodes it (JSON).
-- expires_at is the earlier of the idle and the absolute timeout, moved on as the
-- session is used.
CREATE TABLE sessions (
    id         TEXT PRIMARY KEY,
    data       TEXT NOT NULL,
    created_at DATETIME NOT NULL,
    seen_at    DATETIME NOT NULL,
    expires_at DATETIME NOT NULL
);
CREATE INDEX sessions_expires_at ON sessions (expires_at);

-- +goose Down
DROP TABLE sessions;
