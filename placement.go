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
}
