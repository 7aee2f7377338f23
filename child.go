package placematch

import (
	"encoding/json"
	"time"
)

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
	// Wishes are the child's wishes and feelings about where to live, as last
	// recorded; nil when none are. Matching never reads them.
	Wishes *Wishes
}

// Wishes are a child's wishes and feelings, which the council must ascertain and give
// due consideration to (Children Act 1989 s22(4)–(5)): free text, who recorded them
// and when. They are never scored; every match run and every booking shows them
// beside the ranking, so that the officer's reason can address them.
type Wishes struct {
	Text       string    `json:"text"`
	RecordedBy string    `json:"recorded_by"`
	RecordedAt time.Time `json:"recorded_at"`
}

// MaxWishesText is the longest record of wishes and feelings, in characters.
const MaxWishesText = 4000

// Risk is one graded risk to or from the child.
type Risk struct {
	Type  string `json:"type"`
	Level string `json:"level"`
}

// AgeOn returns the child's age in whole years on date d.
func (c *Child) AgeOn(d Date) int { return c.DateOfBirth.YearsOn(d) }
