package api

import (
	"encoding/json"
	"errors"
	"strings"
	"time"

	"placematch"
	"placematch/geo"
)

// childIn is a referral as a client writes it. No names: reference is the council's
// case reference.
type childIn struct {
	Reference      *string                   `json:"reference"`
	DateOfBirth    *placematch.Date          `json:"date_of_birth"`
	Sex            *string                   `json:"sex"`
	Location       *pointIn                  `json:"location,omitempty"`
	Postcode       *string                   `json:"postcode,omitempty"`
	SchoolLocation *pointIn                  `json:"school_location,omitempty"`
	Needs          []string                  `json:"needs"`
	Risks          []riskIn                  `json:"risks"`
	Languages      []string                  `json:"languages"`
	WheelchairUser bool                      `json:"wheelchair_user"`
	PlacementType  *placematch.PlacementType `json:"placement_type"`
	Urgency        *string                   `json:"urgency"`
	RequiredFrom   *placematch.Date          `json:"required_from"`
	Siblings       []string                  `json:"siblings"`
	AvoidAreas     []json.RawMessage         `json:"avoid_areas"`
	MaxDistanceKM  *float64                  `json:"max_distance_km,omitempty"`
	Status         *placematch.ChildStatus   `json:"status,omitempty"`
	// WishesAndFeelings are the child's wishes and feelings as ascertained: never
	// scored, shown beside every ranking and booking.
	WishesAndFeelings *wishesIn `json:"wishes_and_feelings,omitempty"`
}

// wishesIn is a record of the child's wishes and feelings.
type wishesIn struct {
	Text       *string    `json:"text" input:"text"`
	RecordedBy *string    `json:"recorded_by"`
	RecordedAt *time.Time `json:"recorded_at"`
}

func (w *wishesIn) validate(v *placematch.ValidationError, today placematch.Date) {
	if w == nil {
		return
	}
	const f = "wishes_and_feelings"
	requiredString(v, f+".text", w.Text, placematch.MaxWishesText)
	requiredString(v, f+".recorded_by", w.RecordedBy, 200)
	if required(v, f+".recorded_at", w.RecordedAt) && placematch.DateOf(*w.RecordedAt).After(today) {
		v.Add(f+".recorded_at", "must not be in the future")
	}
}

type riskIn struct {
	Type  *string `json:"type"`
	Level *string `json:"level"`
}

// Limits on a referral's lists.
const (
	maxAvoidAreas = 20
	maxSiblings   = 12
)

// validate checks a referral; today bounds the date of birth, and allowPlaced lets an
// unchanged "placed" status through a PATCH (only booking places a child).
func (in *childIn) validate(v *placematch.ValidationError, today placematch.Date, allowPlaced bool) {
	requiredString(v, "reference", in.Reference, 64)
	if required(v, "date_of_birth", in.DateOfBirth) {
		switch dob := *in.DateOfBirth; {
		case dob.After(today):
			v.Add("date_of_birth", "must not be in the future")
		case dob.YearsOn(today) > 25:
			v.Add("date_of_birth", "gives an age over 25; Placematch serves children and care leavers up to 25")
		}
	}
	requiredEnum(v, "sex", in.Sex, placematch.Sexes)
	validatePlace(v, in.Location, in.Postcode, false)
	in.SchoolLocation.validate("school_location", v)
	codeList(v, "needs", in.Needs, placematch.Needs)
	seen := map[string]bool{}
	for i, r := range in.Risks {
		f := fieldIndex("risks", i)
		requiredEnum(v, f+".type", r.Type, placematch.RiskTypes)
		requiredEnum(v, f+".level", r.Level, placematch.RiskLevels)
		if r.Type != nil && seen[*r.Type] {
			v.Add(f+".type", "is listed twice")
		}
		if r.Type != nil {
			seen[*r.Type] = true
		}
	}
	codeList(v, "languages", in.Languages, nil)
	requiredEnum(v, "placement_type", in.PlacementType, placematch.PlacementTypes)
	requiredEnum(v, "urgency", in.Urgency, placematch.Urgencies)
	required(v, "required_from", in.RequiredFrom)
	if len(in.Siblings) > maxSiblings {
		v.Add("siblings", "must have at most %d entries", maxSiblings)
	}
	if len(in.AvoidAreas) > maxAvoidAreas {
		v.Add("avoid_areas", "must have at most %d areas", maxAvoidAreas)
	} else if _, err := geo.ParseAreas(in.AvoidAreas); err != nil {
		var ae *geo.AreaError
		if errors.As(err, &ae) {
			v.Add(fieldIndex("avoid_areas", ae.Index), "%s", ae.Err.Error())
		} else {
			v.Add("avoid_areas", "%s", err.Error())
		}
	}
	if in.MaxDistanceKM != nil && !(*in.MaxDistanceKM > 0 && *in.MaxDistanceKM <= 1000) { // NaN fails too
		v.Add("max_distance_km", "must be more than 0 and at most 1000")
	}
	if in.Status != nil {
		allowed := []placematch.ChildStatus{placematch.ChildAwaiting, placematch.ChildClosed}
		if allowPlaced {
			allowed = append(allowed, placematch.ChildPlaced)
		}
		enum(v, "status", *in.Status, allowed)
	}
	in.WishesAndFeelings.validate(v, today)
}

func (in *childIn) apply(c *placematch.Child) {
	c.Reference, c.DateOfBirth, c.Sex = *in.Reference, *in.DateOfBirth, *in.Sex
	c.Location, c.SchoolLocation = nil, nil
	if in.Location != nil {
		p := in.Location.point()
		c.Location = &p
	}
	if in.SchoolLocation != nil {
		p := in.SchoolLocation.point()
		c.SchoolLocation = &p
	}
	c.Needs, c.Languages, c.WheelchairUser = in.Needs, in.Languages, in.WheelchairUser
	c.Risks = make([]placematch.Risk, len(in.Risks))
	for i, r := range in.Risks {
		c.Risks[i] = placematch.Risk{Type: *r.Type, Level: *r.Level}
	}
	c.PlacementType, c.Urgency, c.RequiredFrom = *in.PlacementType, *in.Urgency, *in.RequiredFrom
	c.Siblings, c.AvoidAreas, c.MaxDistanceKM = in.Siblings, in.AvoidAreas, in.MaxDistanceKM
	if in.Status != nil {
		c.Status = *in.Status
	}
	c.Wishes = nil
	if w := in.WishesAndFeelings; w != nil {
		c.Wishes = &placematch.Wishes{Text: strings.TrimSpace(*w.Text), RecordedBy: strings.TrimSpace(*w.RecordedBy),
			RecordedAt: w.RecordedAt.UTC()}
	}
}

func childToIn(c *placematch.Child) *childIn {
	in := &childIn{Reference: &c.Reference, DateOfBirth: &c.DateOfBirth, Sex: &c.Sex, Postcode: optString(c.Postcode),
		Needs: c.Needs, Languages: c.Languages, WheelchairUser: c.WheelchairUser, PlacementType: &c.PlacementType,
		Urgency: &c.Urgency, RequiredFrom: &c.RequiredFrom, Siblings: c.Siblings, AvoidAreas: c.AvoidAreas,
		MaxDistanceKM: c.MaxDistanceKM, Status: &c.Status}
	if c.Location != nil {
		in.Location = pointToIn(*c.Location)
	}
	if c.SchoolLocation != nil {
		in.SchoolLocation = pointToIn(*c.SchoolLocation)
	}
	for _, r := range c.Risks {
		in.Risks = append(in.Risks, riskIn{Type: ptr(r.Type), Level: ptr(r.Level)})
	}
	if w := c.Wishes; w != nil {
		in.WishesAndFeelings = &wishesIn{Text: ptr(w.Text), RecordedBy: ptr(w.RecordedBy), RecordedAt: ptr(w.RecordedAt)}
	}
	return in
}

// childOut is a referral as the API shows it; age is on today's date.
type childOut struct {
	placematch.Record
	Reference      string                   `json:"reference"`
	DateOfBirth    placematch.Date          `json:"date_of_birth"`
	Age            int                      `json:"age"`
	Sex            string                   `json:"sex"`
	Location       *placematch.Point        `json:"location"`
	Postcode       string                   `json:"postcode"`
	District       string                   `json:"district"`
	SchoolLocation *placematch.Point        `json:"school_location"`
	Needs          []string                 `json:"needs"`
	Risks          []placematch.Risk        `json:"risks"`
	Languages      []string                 `json:"languages"`
	WheelchairUser bool                     `json:"wheelchair_user"`
	PlacementType  placematch.PlacementType `json:"placement_type"`
	Urgency        string                   `json:"urgency"`
	RequiredFrom   placematch.Date          `json:"required_from"`
	Siblings       []string                 `json:"siblings"`
	AvoidAreas     []json.RawMessage        `json:"avoid_areas"`
	MaxDistanceKM  *float64                 `json:"max_distance_km"`
	Status         placematch.ChildStatus   `json:"status"`
	// WishesAndFeelings is null when none are recorded.
	WishesAndFeelings *placematch.Wishes `json:"wishes_and_feelings"`
}

func childToOut(c *placematch.Child, today placematch.Date) childOut {
	return childOut{Record: c.Record, Reference: c.Reference, DateOfBirth: c.DateOfBirth, Age: c.AgeOn(today), Sex: c.Sex,
		Location: c.Location, Postcode: c.Postcode, District: c.District, SchoolLocation: c.SchoolLocation,
		Needs: nonNil(c.Needs), Risks: nonNil(c.Risks), Languages: nonNil(c.Languages), WheelchairUser: c.WheelchairUser,
		PlacementType: c.PlacementType, Urgency: c.Urgency, RequiredFrom: c.RequiredFrom, Siblings: nonNil(c.Siblings),
		AvoidAreas: nonNil(c.AvoidAreas), MaxDistanceKM: c.MaxDistanceKM, Status: c.Status, WishesAndFeelings: c.Wishes}
}
