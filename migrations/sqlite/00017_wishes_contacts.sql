-- +goose Up
-- The child's wishes and feelings (Children Act 1989 s22(4)-(5)) as last recorded
-- on the referral, and as they were when each placement was booked: JSON (text,
-- recorded_by, recorded_at), NULL when none are recorded. Never scored.
ALTER TABLE children ADD COLUMN wishes TEXT;
ALTER TABLE placements ADD COLUMN wishes TEXT;

-- The homes an officer contacted from a match run, and their answers. Kept apart
-- from match_runs (no foreign key), so that pruning old runs keeps the record of
-- who was asked and what they said.
CREATE TABLE contacts (
    id             TEXT PRIMARY KEY,
    match_id       TEXT NOT NULL,
    child_id       TEXT NOT NULL REFERENCES children (id),
    provider_id    TEXT NOT NULL REFERENCES providers (id),
    provider_kind  TEXT NOT NULL,
    match_rank     INTEGER NOT NULL DEFAULT 0,
    contacted_at   DATETIME NOT NULL,
    answer         TEXT NOT NULL,
    answered_at    DATETIME,
    decline_reason TEXT NOT NULL DEFAULT '',
    note           TEXT NOT NULL DEFAULT '',
    recorded_by    TEXT NOT NULL,
    answered_by    TEXT NOT NULL DEFAULT '',
    created_at     DATETIME NOT NULL,
    updated_at     DATETIME NOT NULL,
    version        INTEGER NOT NULL
);
CREATE INDEX contacts_match ON contacts (match_id, contacted_at);
CREATE INDEX contacts_provider ON contacts (provider_id, answer);

-- +goose Down
DROP TABLE contacts;
ALTER TABLE placements DROP COLUMN wishes;
ALTER TABLE children DROP COLUMN wishes;
