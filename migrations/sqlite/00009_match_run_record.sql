-- +goose Up
-- A match run keeps, beside the bytes the officer saw, the typed record a booking
-- checks a cited rank against: the children it ranked for, and each ranked
-- provider's rank, reference and score (JSON arrays). Runs stored before this
-- migration have NULL here; the store reads their record from the stored bytes.
ALTER TABLE match_runs ADD COLUMN group_ids TEXT;
ALTER TABLE match_runs ADD COLUMN ranked TEXT;

-- +goose Down
ALTER TABLE match_runs DROP COLUMN ranked;
ALTER TABLE match_runs DROP COLUMN group_ids;
