-- +goose Up
-- Why a child was placed more than 20 miles from home or outside the council's
-- area (Children Act 1989 s22C(9)), as the officer said at booking: a code of
-- placematch.DistanceReasons, '' when the home was near and in the area, and for
-- bookings made before the reason was recorded.
ALTER TABLE placements ADD COLUMN distance_reason TEXT NOT NULL DEFAULT '';

-- +goose Down
ALTER TABLE placements DROP COLUMN distance_reason;
