package placing

import (
	"context"
	"slices"
	"strings"

	"placematch"
	"placematch/store"
)

// QueueFilter narrows the children awaiting a placement; a zero field does not
// narrow. Reference is a case reference, matched whole and without regard to case.
type QueueFilter struct {
	Urgency       string
	PlacementType string
	District      string
	Reference     string
}

// Queue returns the children awaiting a placement, most urgent first: emergencies
// before planned referrals, then by the date the placement is needed (earliest
// first), then by when the referral was made (longest waiting first), then by case
// reference, so that the order is the same on every read.
func (s *Service) Queue(ctx context.Context, f QueueFilter) ([]*placematch.Child, error) {
	var out []*placematch.Child
	for cursor := ""; ; {
		page, err := s.Store.ListChildren(ctx, store.ChildFilter{Status: string(placematch.ChildAwaiting),
			Urgency: f.Urgency, PlacementType: f.PlacementType, District: f.District,
			Reference: strings.TrimSpace(f.Reference), Limit: store.MaxLimit, Cursor: cursor})
		if err != nil {
			return nil, err
		}
		out = append(out, page.Items...)
		if cursor = page.NextCursor; cursor == "" {
			break
		}
	}
	slices.SortStableFunc(out, func(a, b *placematch.Child) int {
		if ea, eb := a.Urgency == "emergency", b.Urgency == "emergency"; ea != eb {
			if ea {
				return -1
			}
			return 1
		}
		if c := a.RequiredFrom.Time().Compare(b.RequiredFrom.Time()); c != 0 {
			return c
		}
		if c := a.CreatedAt.Compare(b.CreatedAt); c != 0 {
			return c
		}
		return strings.Compare(a.Reference, b.Reference)
	})
	return out, nil
}
