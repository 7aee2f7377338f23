package placematch

import (
	"bytes"
	"encoding/json"
	"errors"
	"slices"
)

// Placement types and ages each kind of home takes, when its record does not say.
//
// A hub's beds are children's-home beds: by default they take 12–17 year olds for
// emergency, short-term, respite and short-break care, never long-term care unless
// the hub declares it. A unit takes 16–25 year olds (its own age range) for
// emergency, short-term and long-term stays. Connected-person care is a foster
// carer's approval for named children, so no unit or hub can offer it.
var (
	DefaultHubPlacementTypes  = []PlacementType{PlacementEmergency, PlacementShortTerm, PlacementRespite, PlacementShortBreaks}
	DefaultUnitPlacementTypes = []PlacementType{PlacementEmergency, PlacementShortTerm, PlacementLongTerm}
)

// The ages a hub's beds take by default, and the oldest they may ever take: a
// children's home is for children, under 18.
const (
	HubBedAgeMin = 12
	HubBedAgeMax = 17
)

// AdultAge is the age from which a young person is a care leaver: never placed in a
// children's home, and in foster care only staying put with the carer they live with.
const AdultAge = 18

// OfferedTypes returns the placement types the provider takes: a carer's terms of
// approval, or a unit's or hub's declared types (their defaults when none are
// declared).
func (p *Provider) OfferedTypes() []PlacementType {
	switch {
	case p.Carer != nil:
		return p.Carer.PlacementTypes
	case p.Unit != nil:
		if len(p.Unit.PlacementTypes) == 0 {
			return DefaultUnitPlacementTypes
		}
		return p.Unit.PlacementTypes
	case p.Hub != nil:
		if len(p.Hub.PlacementTypes) == 0 {
			return DefaultHubPlacementTypes
		}
		return p.Hub.PlacementTypes
	}
	return nil
}

// BedAges returns the ages a hub's beds take, the defaults when none are recorded.
func (h *HubDetails) BedAges() (lo, hi int) {
	if h.BedAgeMin == 0 && h.BedAgeMax == 0 {
		return HubBedAgeMin, HubBedAgeMax
	}
	return h.BedAgeMin, h.BedAgeMax
}

// Connection is one child a connected-person carer is connected to: a relative,
// friend or other person connected with the child (Children Act 1989 s22C(6)(a)).
// In JSON it is either the child's id alone or {"child_id", "relationship"}.
type Connection struct {
	ChildID      string `json:"child_id"`
	Relationship string `json:"relationship,omitempty"`
}

// UnmarshalJSON reads a connection written either way.
func (c *Connection) UnmarshalJSON(b []byte) error {
	b = bytes.TrimSpace(b)
	if len(b) > 0 && b[0] == '"' {
		*c = Connection{}
		return json.Unmarshal(b, &c.ChildID)
	}
	if len(b) == 0 || b[0] != '{' {
		return errors.New("must be a child id or an object with child_id and relationship")
	}
	type plain Connection
	var p plain
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&p); err != nil {
		return errors.New("must be a child id or an object with child_id and relationship")
	}
	*c = Connection(p)
	return nil
}

// ConnectedWith reports whether the carer is approved for connected-person care.
func (d *CarerDetails) ConnectedWith() bool {
	return slices.Contains(d.PlacementTypes, PlacementConnectedPerson)
}

// IsConnectedTo reports whether the carer's connected-person approval names the child.
func (d *CarerDetails) IsConnectedTo(childID string) bool {
	return slices.ContainsFunc(d.ConnectedTo, func(c Connection) bool { return c.ChildID == childID })
}

// Temporary approval of a connected person (Care Planning, Placement and Case Review
// (England) Regulations 2010 reg 24) lasts up to 16 weeks; reg 25 allows one
// extension of up to 8 weeks more.
const (
	TemporaryApprovalDays = 16 * 7
	TemporaryExtendDays   = 8 * 7
)

// TemporaryApproval is a connected person's temporary approval: from the day it was
// given until the day it ends (inclusive), extended or not.
type TemporaryApproval struct {
	ApprovedOn Date `json:"approved_on"`
	ExpiresOn  Date `json:"expires_on"`
	Extended   bool `json:"extended"`
}

// Validate checks the dates against reg 24 and 25, naming fields under prefix.
func (t *TemporaryApproval) Validate(prefix string, v *ValidationError) {
	switch {
	case t.ApprovedOn.IsZero():
		v.Add(prefix+".approved_on", "is required")
	case t.ExpiresOn.IsZero():
		v.Add(prefix+".expires_on", "is required")
	case t.ExpiresOn.Before(t.ApprovedOn):
		v.Add(prefix+".expires_on", "must not be before approved_on")
	case t.ExpiresOn.After(t.ApprovedOn.AddDays(TemporaryApprovalDays + TemporaryExtendDays)):
		v.Add(prefix+".expires_on", "must be at most 24 weeks after approved_on (16 weeks under reg 24, extended by at most 8 under reg 25)")
	case !t.Extended && t.ExpiresOn.After(t.ApprovedOn.AddDays(TemporaryApprovalDays)):
		v.Add(prefix+".expires_on", "must be at most 16 weeks after approved_on unless the approval is extended (reg 25)")
	}
}

// Expired reports whether the approval has ended before day d.
func (t *TemporaryApproval) Expired(d Date) bool { return t.ExpiresOn.Before(d) }

// String reads like "2026-11-09 to 2027-03-01 (extended)".
func (t *TemporaryApproval) String() string {
	if t == nil {
		return "none"
	}
	s := t.ApprovedOn.String() + " to " + t.ExpiresOn.String()
	if t.Extended {
		s += " (extended)"
	}
	return s
}
