-- +goose Up
-- The nightly sufficiency snapshot keeps, beside the places children awaiting need,
-- the groups they form (a sibling group placed together is one group needing a place
-- per child), and from now on a total row per date (district TOTAL, no kind) that
-- counts each provider, child and group once. Snapshots taken before hold no groups
-- (0) and no total row.
ALTER TABLE sufficiency_snapshots ADD COLUMN groups_awaiting INTEGER NOT NULL DEFAULT 0;

-- +goose Down
ALTER TABLE sufficiency_snapshots DROP COLUMN groups_awaiting;
