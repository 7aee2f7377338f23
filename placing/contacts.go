package placing

import (
	"context"
	"errors"
	"fmt"
	"time"

	"placematch"
	"placematch/store"
)

// ContactRequest is a home contacted from a match run, as an officer records it.
type ContactRequest struct {
	MatchID       string
	Provider      placematch.ProviderRef
	ContactedAt   time.Time
	Answer        placematch.ContactAnswer
	DeclineReason placematch.DeclineReason
	Note          string
	// AnsweredAt nil, with an answer, means when the home was contacted.
	AnsweredAt *time.Time
	// RecordedBy is the caller; Source the availability source its answers carry.
	RecordedBy string
	Source     string
}

// RecordContact records a home contacted from a match run, and its answer if it
// gave one. The run must exist (ErrNotFound) and so must the provider (a field
// error on provider.id); the contact is checked by Contact.Validate against the
// service's clock and the run's. A home that said it had no vacancy after all has
// its availability marked unconfirmed in the same transaction.
func (s *Service) RecordContact(ctx context.Context, req ContactRequest) (*placematch.HomeContact, error) {
	run, err := s.Store.GetMatchRun(ctx, req.MatchID)
	if err != nil {
		return nil, err
	}
	p, err := s.Store.GetProvider(ctx, req.Provider.Kind, req.Provider.ID)
	if errors.Is(err, placematch.ErrNotFound) {
		return nil, placematch.Invalid("provider.id", "no %s has this id", req.Provider.Kind)
	}
	if err != nil {
		return nil, err
	}
	c := &placematch.HomeContact{MatchID: run.ID, ChildID: run.ChildID, Provider: p.Ref(), ContactedAt: req.ContactedAt.UTC(),
		Answer: req.Answer, DeclineReason: req.DeclineReason, Note: req.Note, AnsweredAt: req.AnsweredAt,
		RecordedBy: req.RecordedBy}
	for _, r := range run.Ranked {
		if r.Provider.Kind == p.Kind && r.Provider.ID == p.ID {
			c.MatchRank = r.Rank
		}
	}
	if c.Answer != placematch.AnswerAwaiting {
		c.AnsweredBy = req.RecordedBy
		if c.AnsweredAt == nil {
			at := c.ContactedAt
			c.AnsweredAt = &at
		}
	}
	if c.AnsweredAt != nil {
		at := c.AnsweredAt.UTC()
		c.AnsweredAt = &at
	}
	if err := c.Validate(s.now(), run.CreatedAt); err != nil {
		return nil, err
	}
	if err := s.Store.CreateContact(ctx, c, unconfirmed(c, req.Source, s.now())); err != nil {
		return nil, err
	}
	return s.Store.GetContact(ctx, c.ID)
}

// Contact returns a stored contact.
func (s *Service) Contact(ctx context.Context, id string) (*placematch.HomeContact, error) {
	return s.Store.GetContact(ctx, id)
}

// AnswerContact records a home's answer to a contact: by the officer, or by the
// carer or provider for its own home (the caller checks whose home it is). A "no
// vacancy after all" marks the home's availability unconfirmed in the same
// transaction.
func (s *Service) AnswerContact(ctx context.Context, id string, ifVersion int, a placematch.ContactAnswerChange, source string) (*placematch.HomeContact, error) {
	now := s.now()
	if a.AnsweredAt != nil {
		at := a.AnsweredAt.UTC()
		a.AnsweredAt = &at
	}
	_, err := s.Store.AnswerContact(ctx, id, ifVersion, func(c *placematch.HomeContact) (func(*placematch.Availability), error) {
		if err := c.ApplyAnswer(a, now); err != nil {
			return nil, err
		}
		return unconfirmed(c, source, now), nil
	})
	if err != nil {
		return nil, err
	}
	return s.Store.GetContact(ctx, id)
}

// unconfirmed is the change a contact's answer makes to the home's availability:
// a home that said it had no vacancy after all is no longer trusted as available
// until it confirms again (matching flags and down-ranks it); nil otherwise.
func unconfirmed(c *placematch.HomeContact, source string, now time.Time) func(*placematch.Availability) {
	if !c.MarksUnconfirmed() {
		return nil
	}
	return func(a *placematch.Availability) {
		if a.Status == placematch.Unavailable {
			return // already said; nothing to doubt
		}
		a.Status, a.Source = placematch.Unconfirmed, source
		a.Note = fmt.Sprintf("No vacancy after all, when asked on %s.", c.ContactedAt.Format("2 January 2006"))
	}
}

// Decision is the record of what happened after a run: every home contacted and
// its answer, the booking that cited the run, and what is derived from them.
type Decision struct {
	MatchID  string
	ChildID  string
	Contacts []*placematch.HomeContact
	// HomesContacted counts the distinct homes contacted.
	HomesContacted int
	// Answers counts the contacts by answer, and Declines the declines by reason.
	Answers  map[placematch.ContactAnswer]int
	Declines map[placematch.DeclineReason]int
	// ReferralAt is when the child's referral was recorded; Booking is the first
	// placement booked citing the run, nil when none is, and ReferralToBooking the
	// time between.
	ReferralAt        time.Time
	Booking           *placematch.Placement
	ReferralToBooking *time.Duration
}

// Decision returns a run's decision record.
func (s *Service) Decision(ctx context.Context, matchID string) (*Decision, error) {
	run, err := s.Store.GetMatchRun(ctx, matchID)
	if err != nil {
		return nil, err
	}
	child, err := s.Store.GetChild(ctx, run.ChildID)
	if err != nil {
		return nil, err
	}
	contacts, err := s.Store.ContactsOfRun(ctx, matchID)
	if err != nil {
		return nil, err
	}
	d := &Decision{MatchID: run.ID, ChildID: run.ChildID, Contacts: contacts, ReferralAt: child.CreatedAt,
		Answers: map[placematch.ContactAnswer]int{}, Declines: map[placematch.DeclineReason]int{}}
	homes := map[string]bool{}
	for _, c := range contacts {
		homes[c.Provider.ID] = true
		d.Answers[c.Answer]++
		if c.Answer == placematch.AnswerDeclined {
			d.Declines[c.DeclineReason]++
		}
	}
	d.HomesContacted = len(homes)
	page, err := s.Store.ListPlacements(ctx, store.PlacementFilter{MatchID: matchID, Limit: store.MaxLimit})
	if err != nil {
		return nil, err
	}
	for _, p := range page.Items {
		if d.Booking == nil || p.CreatedAt.Before(d.Booking.CreatedAt) {
			d.Booking = p
		}
	}
	if d.Booking != nil {
		took := d.Booking.CreatedAt.Sub(d.ReferralAt)
		d.ReferralToBooking = &took
	}
	return d, nil
}

// Contacts lists contacts; a carer or provider passes its own homes in the filter.
func (s *Service) Contacts(ctx context.Context, f store.ContactFilter) (store.Page[*placematch.HomeContact], error) {
	return s.Store.ListContacts(ctx, f)
}
