package api

import (
	"context"
	"strings"

	"placematch"
)

// resolvePlace fills location and postcode from what was given: a location is kept
// as it is; a postcode alone is looked up. A postcode that is given must be known.
func (s *Server) resolvePlace(ctx context.Context, loc *pointIn, pc *string, dstLoc *placematch.Point, dstPC *string) error {
	if pc != nil && *pc != "" {
		norm, ok := placematch.NormalisePostcode(*pc)
		if !ok {
			return placematch.Invalid("postcode", "is not a UK postcode")
		}
		found, err := s.Store.LookupPostcode(ctx, norm)
		if err != nil {
			if isNotFound(err) {
				return placematch.Invalid("postcode", "%s is not in the postcode directory", norm)
			}
			return err
		}
		*dstPC = norm
		*dstLoc = found.Location
	}
	if loc != nil {
		*dstLoc = loc.point()
	}
	return nil
}

// postcodeMove is what a merge patch says about a record's postcode: a new one
// (looked up before the update's transaction starts, as SQLite has one connection),
// which also moves the record unless the patch gives a location; or none ("" or
// null clears it and leaves the location where it is).
type postcodeMove struct {
	set, clear, keepLocation bool
	postcode                 string
	at                       placematch.Point
}

func (s *Server) postcodePatch(ctx context.Context, patch map[string]any) (postcodeMove, error) {
	var m postcodeMove
	_, m.keepLocation = patch["location"]
	raw, present := patch["postcode"]
	text, isString := raw.(string)
	switch {
	case present && (raw == nil || (isString && strings.TrimSpace(text) == "")):
		m.clear = true
		delete(patch, "postcode")
	case isString:
		if err := s.resolvePlace(ctx, nil, &text, &m.at, &m.postcode); err != nil {
			return m, err
		}
		m.set = true
		delete(patch, "postcode")
	}
	return m, nil
}

// apply sets the postcode, and the location when the postcode moves the record.
func (m postcodeMove) apply(postcode *string, loc *placematch.Point) {
	switch {
	case m.clear:
		*postcode = ""
	case m.set:
		*postcode = m.postcode
		if !m.keepLocation {
			*loc = m.at
		}
	}
}
