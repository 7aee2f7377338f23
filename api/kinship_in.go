package api

import (
	"encoding/json"
	"slices"
	"strings"

	"placematch"
)

// maxConnected bounds the children one connected-person approval names.
const maxConnected = 12

// temporaryIn is a connected person's temporary approval as a client writes it.
type temporaryIn struct {
	ApprovedOn *placematch.Date `json:"approved_on"`
	ExpiresOn  *placematch.Date `json:"expires_on"`
	Extended   bool             `json:"extended"`
}

func (t *temporaryIn) approval() *placematch.TemporaryApproval {
	if t == nil {
		return nil
	}
	a := &placematch.TemporaryApproval{Extended: t.Extended}
	if t.ApprovedOn != nil {
		a.ApprovedOn = *t.ApprovedOn
	}
	if t.ExpiresOn != nil {
		a.ExpiresOn = *t.ExpiresOn
	}
	return a
}

func temporaryToIn(t *placematch.TemporaryApproval) *temporaryIn {
	if t == nil {
		return nil
	}
	return &temporaryIn{ApprovedOn: &t.ApprovedOn, ExpiresOn: &t.ExpiresOn, Extended: t.Extended}
}

// validateKinship checks the connected-person fields: a carer approved for
// connected_person names the children it is connected to (the store checks that
// they exist), and only such a carer names any or has a temporary approval.
func (a *approvalIn) validateKinship(v *placematch.ValidationError) {
	connected := slices.Contains(a.PlacementTypes, placematch.PlacementConnectedPerson)
	switch {
	case connected && len(a.ConnectedTo) == 0:
		v.Add("approval.connected_to", "must name at least one child when placement_types includes connected_person")
	case !connected && len(a.ConnectedTo) > 0:
		v.Add("approval.connected_to", "is only for a carer approved for connected_person")
	case len(a.ConnectedTo) > maxConnected:
		v.Add("approval.connected_to", "must have at most %d entries", maxConnected)
	}
	for i, raw := range a.ConnectedTo {
		field := fieldIndex("approval.connected_to", i)
		var c placematch.Connection
		if err := json.Unmarshal(raw, &c); err != nil {
			v.Add(field, "must be a child id or an object with child_id and relationship")
			continue
		}
		if strings.TrimSpace(c.ChildID) == "" {
			v.Add(field+".child_id", "is required")
		}
		if len(raw) > 0 && raw[0] == '{' && strings.TrimSpace(c.Relationship) == "" {
			v.Add(field+".relationship", "must not be empty; give the child id alone when it is not recorded")
		}
		maxLen(v, field+".relationship", c.Relationship, 100)
	}
	if t := a.TemporaryApproval; t != nil {
		if !connected {
			v.Add("approval.temporary_approval", "is only for a carer approved for connected_person")
		}
		t.approval().Validate("approval.temporary_approval", v)
	}
}

// connections reads connected_to once validate has passed.
func (a *approvalIn) connections() []placematch.Connection {
	var out []placematch.Connection
	for _, raw := range a.ConnectedTo {
		var c placematch.Connection
		if json.Unmarshal(raw, &c) == nil {
			out = append(out, c)
		}
	}
	return out
}

func connectionsToIn(cs []placematch.Connection) []json.RawMessage {
	var out []json.RawMessage
	for _, c := range cs {
		b, _ := json.Marshal(c) // two strings cannot fail
		out = append(out, b)
	}
	return out
}

// offeredTypes checks the placement types a unit or hub declares: known, not
// repeated, and never connected_person, which is a foster carer's approval for
// named children.
func offeredTypes(v *placematch.ValidationError, types []placematch.PlacementType) {
	if types != nil && len(types) == 0 {
		v.Add("placement_types", "must list at least one placement type, or be left out for the defaults")
	}
	codeList(v, "placement_types", types, placematch.PlacementTypes)
	for i, t := range types {
		if t == placematch.PlacementConnectedPerson {
			v.Add(fieldIndex("placement_types", i), "connected_person is a foster carer's approval for named children; no unit or hub offers it")
		}
	}
}

// typesOr returns types, or a copy of the defaults when none are given.
func typesOr(types, defaults []placematch.PlacementType) []placematch.PlacementType {
	if len(types) == 0 {
		return slices.Clone(defaults)
	}
	return types
}
