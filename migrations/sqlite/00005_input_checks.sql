-- +goose Up
-- The date checks of the PostgreSQL migration (see there for why). SQLite cannot add
-- a CHECK constraint to an existing table; the alternative, rebuilding children,
-- providers and placements (create a copy, move the rows, drop, rename), would have
-- to recreate every index and foreign key by hand and would fail on any row already
-- holding a bad date. Triggers check every INSERT and every UPDATE of a date column
-- instead, which is the same guarantee for new writes, leaves existing rows to be
-- repaired by their next valid write (like NOT VALID in PostgreSQL) and cannot drift
-- from the tables' definitions. RAISE(ABORT) rolls the statement back; its message
-- starts with "date_check " and names table.column, which the store's error
-- translation turns into the field at fault. The pattern is the same as PostgreSQL's
-- in spirit: GLOB has no alternation, so months 00 and 13-19 and days 00 and 32-39
-- pass the pattern; the service never writes them, because it formats dates from
-- time values.

-- +goose StatementBegin
CREATE TRIGGER children_dates_insert BEFORE INSERT ON children
BEGIN
    SELECT RAISE(ABORT, 'date_check children.date_of_birth') WHERE NEW.date_of_birth IS NULL OR NOT (NEW.date_of_birth GLOB '[12][0-9][0-9][0-9]-[01][0-9]-[0-3][0-9]' AND NEW.date_of_birth BETWEEN '1900-01-01' AND '2100-12-31');
    SELECT RAISE(ABORT, 'date_check children.required_from') WHERE NEW.required_from IS NULL OR NOT (NEW.required_from GLOB '[12][0-9][0-9][0-9]-[01][0-9]-[0-3][0-9]' AND NEW.required_from BETWEEN '1900-01-01' AND '2100-12-31');
END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER children_dates_update BEFORE UPDATE OF date_of_birth, required_from ON children
BEGIN
    SELECT RAISE(ABORT, 'date_check children.date_of_birth') WHERE NEW.date_of_birth IS NULL OR NOT (NEW.date_of_birth GLOB '[12][0-9][0-9][0-9]-[01][0-9]-[0-3][0-9]' AND NEW.date_of_birth BETWEEN '1900-01-01' AND '2100-12-31');
    SELECT RAISE(ABORT, 'date_check children.required_from') WHERE NEW.required_from IS NULL OR NOT (NEW.required_from GLOB '[12][0-9][0-9][0-9]-[01][0-9]-[0-3][0-9]' AND NEW.required_from BETWEEN '1900-01-01' AND '2100-12-31');
END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER providers_dates_insert BEFORE INSERT ON providers
BEGIN
    SELECT RAISE(ABORT, 'date_check providers.avail_from') WHERE NEW.avail_from IS NOT NULL AND NOT (NEW.avail_from GLOB '[12][0-9][0-9][0-9]-[01][0-9]-[0-3][0-9]' AND NEW.avail_from BETWEEN '1900-01-01' AND '2100-12-31');
END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER providers_dates_update BEFORE UPDATE OF avail_from ON providers
BEGIN
    SELECT RAISE(ABORT, 'date_check providers.avail_from') WHERE NEW.avail_from IS NOT NULL AND NOT (NEW.avail_from GLOB '[12][0-9][0-9][0-9]-[01][0-9]-[0-3][0-9]' AND NEW.avail_from BETWEEN '1900-01-01' AND '2100-12-31');
END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER placements_dates_insert BEFORE INSERT ON placements
BEGIN
    SELECT RAISE(ABORT, 'date_check placements.start_date') WHERE NEW.start_date IS NULL OR NOT (NEW.start_date GLOB '[12][0-9][0-9][0-9]-[01][0-9]-[0-3][0-9]' AND NEW.start_date BETWEEN '1900-01-01' AND '2100-12-31');
    SELECT RAISE(ABORT, 'date_check placements.end_date') WHERE NEW.end_date IS NOT NULL AND NOT (NEW.end_date GLOB '[12][0-9][0-9][0-9]-[01][0-9]-[0-3][0-9]' AND NEW.end_date BETWEEN '1900-01-01' AND '2100-12-31');
END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER placements_dates_update BEFORE UPDATE OF start_date, end_date ON placements
BEGIN
    SELECT RAISE(ABORT, 'date_check placements.start_date') WHERE NEW.start_date IS NULL OR NOT (NEW.start_date GLOB '[12][0-9][0-9][0-9]-[01][0-9]-[0-3][0-9]' AND NEW.start_date BETWEEN '1900-01-01' AND '2100-12-31');
    SELECT RAISE(ABORT, 'date_check placements.end_date') WHERE NEW.end_date IS NOT NULL AND NOT (NEW.end_date GLOB '[12][0-9][0-9][0-9]-[01][0-9]-[0-3][0-9]' AND NEW.end_date BETWEEN '1900-01-01' AND '2100-12-31');
END;
-- +goose StatementEnd

-- The reference and district filters of the lists ignore case (ASCII letters, as
-- lower() folds them in SQLite and in PostgreSQL's "C" collation); these indexes
-- serve those lookups.
CREATE INDEX providers_kind_reference_folded ON providers (kind, lower(reference));
CREATE INDEX providers_kind_district_folded ON providers (kind, lower(district));
CREATE INDEX children_reference_folded ON children (lower(reference));
CREATE INDEX children_district_folded ON children (lower(district));

-- +goose Down
DROP INDEX children_district_folded;
DROP INDEX children_reference_folded;
DROP INDEX providers_kind_district_folded;
DROP INDEX providers_kind_reference_folded;
DROP TRIGGER children_dates_insert;
DROP TRIGGER children_dates_update;
DROP TRIGGER providers_dates_insert;
DROP TRIGGER providers_dates_update;
DROP TRIGGER placements_dates_insert;
DROP TRIGGER placements_dates_update;
