-- +goose Up
-- A booking that places fewer than the whole sibling group awaiting splits the
-- group; the placement records that it did, and the officer's reason when given, so
-- that reports can count splits.
ALTER TABLE placements ADD COLUMN siblings_split BOOLEAN NOT NULL DEFAULT FALSE;
ALTER TABLE placements ADD COLUMN split_reason TEXT NOT NULL DEFAULT '';

-- +goose Down
ALTER TABLE placements DROP COLUMN split_reason;
ALTER TABLE placements DROP COLUMN siblings_split;
