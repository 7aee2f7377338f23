package placematch

import "encoding/json"

// Child is a referral: a child who needs a placement. No names are stored; Reference
// is the council's case reference.
type Child struct {
	Record
	Reference      string
	DateOfBirth    Date
	Sex            string
	Location       *Point
	Postcode       string
	District       string
	SchoolLocation *Point
	Needs          []string
	Risks          []Risk
	Languages      []string
	WheelchairUser bool
	PlacementType  PlacementType
	Urgency        string
	RequiredFrom   Date
	Siblings       []string
	// AvoidAreas are RFC 7946 Polygon or MultiPolygon geometries, kept as given and
	// validated on input by package geo.
	AvoidAreas    []json.RawMessage
	MaxDistanceKM *float64
	Status        ChildStatus
}

// Risk is one graded risk to or from the child.
type Risk struct {
	Type  string `json:"type"`
	Level string `json:"level"`
}

// AgeOn returns the child's age in whole years on date d.
func (c *Child) AgeOn(d Date) int { return c.DateOfBirth.YearsOn(d) }
