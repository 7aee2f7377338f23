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
	// SiblingsSplit is true when the booking placed fewer than the child's whole
	// sibling group then awaiting, so that splits are on the record and can be
	// counted; SplitReason is the officer's reason, when given.
	SiblingsSplit bool
	SplitReason   string
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
