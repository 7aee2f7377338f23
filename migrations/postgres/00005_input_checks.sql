-- +goose Up
-- Dates are kept as 'YYYY-MM-DD' text. A date of year 1 used to be written as an
-- empty string, after which the record and every list holding it could not be read.
-- These checks make such a value impossible to store, whoever writes: the text must
-- have the form of a date and lie between 1900-01-01 and 2100-12-31 (compared in the
-- "C" collation, where the fixed-width form orders like the dates). The pattern does
-- not know month lengths (2026-02-30 passes); the service never writes one, because
-- it formats dates from time values.
--
-- NOT VALID: the checks hold for every row written from now on, and a row already
-- holding a bad value is not a reason to refuse to start. Such a row is read as an
-- error naming it, and the first valid write repairs it (an UPDATE must satisfy the
-- check). The constraint names are known to the store's error translation, which
-- answers a violation as the field at fault, never as a conflict of capacity.
ALTER TABLE children ADD CONSTRAINT children_date_of_birth_range CHECK (
    date_of_birth ~ '^[0-9]{4}-(0[1-9]|1[0-2])-(0[1-9]|[12][0-9]|3[01])$'
    AND date_of_birth COLLATE "C" BETWEEN '1900-01-01' AND '2100-12-31') NOT VALID;
ALTER TABLE children ADD CONSTRAINT children_required_from_range CHECK (
    required_from ~ '^[0-9]{4}-(0[1-9]|1[0-2])-(0[1-9]|[12][0-9]|3[01])$'
    AND required_from COLLATE "C" BETWEEN '1900-01-01' AND '2100-12-31') NOT VALID;
ALTER TABLE providers ADD CONSTRAINT providers_avail_from_range CHECK (
    avail_from ~ '^[0-9]{4}-(0[1-9]|1[0-2])-(0[1-9]|[12][0-9]|3[01])$'
    AND avail_from COLLATE "C" BETWEEN '1900-01-01' AND '2100-12-31') NOT VALID;
ALTER TABLE placements ADD CONSTRAINT placements_start_date_range CHECK (
    start_date ~ '^[0-9]{4}-(0[1-9]|1[0-2])-(0[1-9]|[12][0-9]|3[01])$'
    AND start_date COLLATE "C" BETWEEN '1900-01-01' AND '2100-12-31') NOT VALID;
ALTER TABLE placements ADD CONSTRAINT placements_end_date_range CHECK (
    end_date ~ '^[0-9]{4}-(0[1-9]|1[0-2])-(0[1-9]|[12][0-9]|3[01])$'
    AND end_date COLLATE "C" BETWEEN '1900-01-01' AND '2100-12-31') NOT VALID;

-- The reference and district filters of the lists ignore case. lower() in the "C"
-- collation folds ASCII letters only, exactly as SQLite's lower() does, so both
-- engines find the same records; these indexes serve those lookups.
CREATE INDEX providers_kind_reference_folded ON providers (kind, lower(reference COLLATE "C"));
CREATE INDEX providers_kind_district_folded ON providers (kind, lower(district COLLATE "C"));
CREATE INDEX children_reference_folded ON children (lower(reference COLLATE "C"));
CREATE INDEX children_district_folded ON children (lower(district COLLATE "C"));

-- +goose Down
DROP INDEX children_district_folded;
DROP INDEX children_reference_folded;
DROP INDEX providers_kind_district_folded;
DROP INDEX providers_kind_reference_folded;
ALTER TABLE placements DROP CONSTRAINT placements_end_date_range;
ALTER TABLE placements DROP CONSTRAINT placements_start_date_range;
ALTER TABLE providers DROP CONSTRAINT providers_avail_from_range;
ALTER TABLE children DROP CONSTRAINT children_required_from_range;
ALTER TABLE children DROP CONSTRAINT children_date_of_birth_range;
