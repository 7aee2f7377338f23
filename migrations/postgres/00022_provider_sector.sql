-- +goose Up
-- Who runs each home (placematch.Sector): in_house, agency (an independent fostering
-- agency), private, voluntary or other_council, which the SSDA903 return records as
-- PLACE_PROVIDER and sufficiency statements split supply by. NULL means not recorded:
-- existing rows are left NULL rather than given a default, because nothing stored
-- says who runs them (a carer's record does not say whether the council or an agency
-- approved the household), and a guessed sector would put wrong figures in a
-- published statement. Reports count them as "not recorded" until an officer sets it.
ALTER TABLE providers ADD COLUMN sector TEXT
    CONSTRAINT providers_sector_known
    CHECK (sector IS NULL OR sector IN ('in_house', 'agency', 'private', 'voluntary', 'other_council'));
CREATE INDEX providers_kind_sector ON providers (kind, sector);

-- +goose Down
DROP INDEX providers_kind_sector;
ALTER TABLE providers DROP COLUMN sector;
