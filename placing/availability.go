package placing

import (
	"context"

	"placematch"
)

// AvailabilityUpdate is what a carer, a provider or an officer says about taking
// children now: the API's PUT .../availability and the carers' and providers'
// pages both send it.
type AvailabilityUpdate struct {
	// Status is available or unavailable; unconfirmed is the nightly job's alone.
	Status placematch.AvailabilityStatus
	// AvailableFrom is the first day a child can come; zero is now.
	AvailableFrom placematch.Date
	// Note is for officers ("Away until March"), at most MaxAvailabilityNote
	// characters.
	Note string
	// Source is who says it (placematch.SourceCarer, SourceProvider, SourceOfficer).
	Source string
}

// MaxAvailabilityNote is the longest note an availability update may carry.
const MaxAvailabilityNote = 1000

// SetAvailability replaces a provider's availability with u, confirmed now: what
// was said before is replaced whole, so a field not given is cleared. version is
// the provider's version the caller read (zero when an officer does not say);
// when the provider moved on since, nothing is written and the error is
// placematch.ErrVersionMismatch. A bad status or note is a ValidationError naming
// "status" or "note"; a provider not of kind, or not at all, is ErrNotFound.
func (s *Service) SetAvailability(ctx context.Context, kind placematch.ProviderKind, id string, version int,
	u AvailabilityUpdate) (*placematch.Provider, error) {
	v := &placematch.ValidationError{}
	placematch.CheckOneOf(v, "status", u.Status, []placematch.AvailabilityStatus{placematch.Available, placematch.Unavailable})
	v.CheckMaxLen("note", u.Note, MaxAvailabilityNote)
	if err := v.Err(); err != nil {
		return nil, err
	}
	now := s.now()
	return s.Store.UpdateProvider(ctx, kind, id, version, func(p *placematch.Provider) error {
		p.Availability = placematch.Availability{Status: u.Status, AvailableFrom: u.AvailableFrom, Note: u.Note,
			ConfirmedAt: &now, Source: u.Source}
		return nil
	})
}
