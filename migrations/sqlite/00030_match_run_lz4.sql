-- +goose Up
-- PostgreSQL's version of this migration has the server compress a match run's
-- parts with lz4. SQLite compresses nothing itself, so the service still gzips them
-- here (store.SaveMatchRun), and this version changes nothing.
SELECT 1;

-- +goose Down
SELECT 1;
