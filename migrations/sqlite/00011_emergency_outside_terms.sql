-- +goose Up
-- An emergency placement with an approved carer outside its terms of approval may
-- last up to 6 working days (Care Planning Regulations 2010 reg 23). The booking
-- records the last permitted day, so that the nightly reconcile can flag active
-- placements that run past it; NULL for every other placement.
ALTER TABLE placements ADD COLUMN outside_terms_until TEXT;
CREATE INDEX placements_outside_terms_until ON placements (outside_terms_until) WHERE outside_terms_until IS NOT NULL;

-- +goose Down
DROP INDEX placements_outside_terms_until;
ALTER TABLE placements DROP COLUMN outside_terms_until;
