-- +goose Up
-- Every provider a match run excluded, with its reasons, its reference and what
-- would have to change (JSON, gzip-compressed), kept with the run whether or not
-- the answer listed them, so that "why not this carer?" can be asked of the run
-- later (GET /api/v1/matches/{id}/excluded). Runs stored before this migration
-- have NULL: their list is the one their answer carried.
ALTER TABLE match_runs ADD COLUMN excluded BYTEA;

-- +goose Down
ALTER TABLE match_runs DROP COLUMN excluded;
