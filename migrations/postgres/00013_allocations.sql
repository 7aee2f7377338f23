-- +goose Up
-- An allocation run: one proposal of a provider for each group of a queue. It
-- books nothing. Beside the answer as sent (gzip-compressed, like a match run's)
-- it keeps the typed record a booking checks a cited allocation against: the
-- children it allocated (JSON array) and each assignment's children, provider,
-- rank and score (JSON array).
CREATE TABLE allocations (
    id              TEXT PRIMARY KEY,
    input_hash      TEXT NOT NULL,
    weights_version TEXT NOT NULL,
    rules_version   TEXT NOT NULL,
    child_ids       TEXT NOT NULL,
    assignments     TEXT NOT NULL,
    result          BYTEA NOT NULL,
    created_at      TIMESTAMPTZ NOT NULL
);
CREATE INDEX allocations_created ON allocations (created_at);

-- A booking may cite the allocation that proposed it, beside (not instead of) the
-- officer's own choice and reason; empty when it cites none.
ALTER TABLE placements ADD COLUMN allocation_id TEXT NOT NULL DEFAULT '';

-- +goose Down
ALTER TABLE placements DROP COLUMN allocation_id;
DROP TABLE allocations;
