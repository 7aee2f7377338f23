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
    result          BLOB NOT NULL,
    created_at      DATETIME NOT NULL
);
CREATE INDEX allocations_created ON allocations (created_at);

-- +goose Down
DROP TABLE allocations;
