-- +goose Up
-- Who asked for a match run, as the run records it for a panel or a court: the
-- subject of the API's bearer token or of the signed-in person, their role, and
-- the person's name when the pages knew it (JSON: subject, name, role). Runs
-- stored before this migration have NULL: nobody recorded who ran them.
ALTER TABLE match_runs ADD COLUMN requested_by TEXT;

-- +goose Down
ALTER TABLE match_runs DROP COLUMN requested_by;
