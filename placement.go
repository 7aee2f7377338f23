package placematch

// Placement joins a child to a provider from a start date. Ending it frees the place.
type Placement struct {
	Record
	ChildID   string
	Provider  ProviderRef
	StartDate Date
	EndDate   Date
	Status    PlacementStatus
	EndReason string
	// GroupID is shared by the placements of one sibling-group booking.
	GroupID string
	// MatchID and MatchRank cite the match run the officer chose from, and
	// DecisionReason says why when the chosen rank was not 1.
	MatchID        string
	MatchRank      int
	DecisionReason string
	// AllocationID cites the allocation run that proposed the booking, when one
	// did. The provider booked and DecisionReason are the officer's own choice and
	// reason, recorded apart from what the allocation proposed.
	AllocationID string
	// SiblingsSplit is true when the booking placed fewer than the child's whole
	// sibling group then awaiting, so that splits are on the record and can be
	// counted; SplitReason is the officer's reason, when given.
	SiblingsSplit bool
	SplitReason   string
	// DistanceReason says why, when the home booked is more than 20 miles from the
	// child's home or outside the council's area; empty otherwise, and for
	// bookings made before it was recorded.
	DistanceReason DistanceReason
	// OutsideTermsUntil is, for an emergency placement with a carer whose terms of
	// approval do not include emergency care, the last day it may last (the sixth
	// working day, reg 23); zero for every other placement.
	OutsideTermsUntil Date
	// Wishes are the child's wishes and feelings as recorded when the placement was
	// booked: the decision is kept with what the child said.
	Wishes *Wishes
}

// CheckTransition says whether the placement may have moved from status was to its
// present status on day today. An active placement may end at any time; it may be
// cancelled only before its start date (a booking made ahead must not hold the place
// until then). Ended and cancelled are final. It returns an ErrConflict *Error.
func (p *Placement) CheckTransition(was PlacementStatus, today Date) error {
	switch {
	case was == p.Status:
		return nil
	case was == PlacementActive && p.Status == PlacementEnded:
		return nil
	case was == PlacementActive && p.Status == PlacementCancelled:
		if !today.Before(p.StartDate) {
			return Errorf(ErrConflict, "Placement %s started on %s; end it instead of cancelling it", p.ID, p.StartDate)
		}
		return nil
	default:
		return Errorf(ErrConflict, "Placement %s is %s and cannot become %s", p.ID, was, p.Status)
	}
}

// PlacementChange is what an officer asks to change of a placement: end it (status
// ended, end_reason, end_date), cancel it before it starts (status cancelled), plan
// its end (end_date), or give the reason for the choice. A nil field is left as it is.
// StartDate only repairs a stored start date that cannot be read (read as unset).
type PlacementChange struct {
	Status         *PlacementStatus
	StartDate      *Date
	EndDate        *Date
	EndReason      *string
	DecisionReason *string
}

// maxDecisionReason is the longest reason an officer may give, in characters.
const maxDecisionReason = 2000

// Apply makes change c to the placement on day today, or says why it cannot. A start
// date is fixed once known; a change of status must be a transition CheckTransition
// allows, which is a conflict (ErrConflict) whatever the other fields say; an ending
// follows the rules of checkEnd. Field errors come together as one *ValidationError.
// On an error p may be partly changed and must not be stored.
func (p *Placement) Apply(c PlacementChange, today Date) error {
	v := &ValidationError{}
	if c.StartDate != nil && !p.StartDate.IsZero() && *c.StartDate != p.StartDate {
		v.Add("start_date", "cannot be changed; end the placement and book again")
	}
	if c.StartDate != nil && p.StartDate.IsZero() {
		p.StartDate = *c.StartDate
	}
	if c.Status != nil {
		CheckOneOf(v, "status", *c.Status, PlacementStatuses)
		was := p.Status
		p.Status = *c.Status
		if v.Err() == nil {
			if err := p.CheckTransition(was, today); err != nil {
				return err
			}
		}
	}
	if c.EndDate != nil {
		p.EndDate = *c.EndDate
	}
	if c.EndReason != nil {
		CheckOneOf(v, "end_reason", *c.EndReason, EndReasons)
		p.EndReason = *c.EndReason
	}
	if c.DecisionReason != nil {
		v.CheckMaxLen("decision_reason", *c.DecisionReason, maxDecisionReason)
		p.DecisionReason = *c.DecisionReason
	}
	p.checkEnd(v, today)
	return v.Err()
}

// checkEnd applies the rules of a placement's end to v: an ended placement needs an
// end reason (an SSDA903 REASON_PLACE_CHANGE code), ends today unless it says when,
// and cannot end after today (a planned end keeps the placement active with an
// end date); no placement ends before it starts.
func (p *Placement) checkEnd(v *ValidationError, today Date) {
	if p.Status == PlacementEnded {
		if p.EndReason == "" {
			v.Add("end_reason", "is required to end a placement (an SSDA903 REASON_PLACE_CHANGE code)")
		}
		if p.EndDate.IsZero() {
			p.EndDate = today
		}
	}
	if !p.EndDate.IsZero() && p.EndDate.Before(p.StartDate) {
		v.Add("end_date", "must not be before start_date")
	}
	if p.Status == PlacementEnded && p.EndDate.After(today) {
		v.Add("end_date", "an ended placement cannot end after today; keep it active with a planned end_date instead")
	}
}
