package api

import (
	"time"

	"placematch"
)

// unitIn is a supported-accommodation unit as a client writes it.
type unitIn struct {
	Reference          *string                        `json:"reference"`
	ProviderName       *string                        `json:"provider_name"`
	Name               *string                        `json:"name"`
	OfstedURN          *string                        `json:"ofsted_urn,omitempty"`
	RegistrationStatus *placematch.RegistrationStatus `json:"registration_status"`
	AccommodationType  *string                        `json:"accommodation_type"`
	AgeMin             *int                           `json:"age_min"`
	AgeMax             *int                           `json:"age_max"`
	Beds               *int                           `json:"beds"`
	SupportLevel       *string                        `json:"support_level"`
	Features           []string                       `json:"features"`
	Skills             []string                       `json:"skills"`
	WeeklyCostPence    *int64                         `json:"weekly_cost_pence,omitempty"`
	PlacementTypes     []placematch.PlacementType     `json:"placement_types,omitempty"`
	Location           *pointIn                       `json:"location,omitempty"`
	Postcode           *string                        `json:"postcode,omitempty"`
	Availability       *availabilityIn                `json:"availability,omitempty"`
	Ofsted             *ofstedIn                      `json:"ofsted,omitempty"`
	Contact            *contactIn                     `json:"contact,omitempty"`

	// Sector is who runs the unit (placematch.Sector); absent when not recorded.
	Sector *placematch.Sector `json:"sector,omitempty"`
}

func (in *unitIn) validate(v *placematch.ValidationError, allowUnconfirmed bool, now time.Time) {
	requiredString(v, "reference", in.Reference, 64)
	requiredString(v, "provider_name", in.ProviderName, 200)
	requiredString(v, "name", in.Name, 200)
	if in.OfstedURN != nil && *in.OfstedURN != "" && !isURN(*in.OfstedURN) {
		v.Add("ofsted_urn", "must be an Ofsted URN: 6 to 8 digits, or SC followed by 6 digits")
	}
	requiredEnum(v, "registration_status", in.RegistrationStatus, placematch.RegistrationStatuses)
	if in.RegistrationStatus != nil && *in.RegistrationStatus == placematch.Registered &&
		(in.OfstedURN == nil || *in.OfstedURN == "") {
		v.Add("ofsted_urn", "is required for a registered unit")
	}
	requiredEnum(v, "accommodation_type", in.AccommodationType, placematch.AccommodationTypes)
	intRange(v, "age_min", in.AgeMin, 16, 25)
	intRange(v, "age_max", in.AgeMax, 16, 25)
	ageOrder(v, "age_min", "age_max", in.AgeMin, in.AgeMax)
	intRange(v, "beds", in.Beds, 1, 200)
	requiredEnum(v, "support_level", in.SupportLevel, placematch.SupportLevels)
	codeList(v, "features", in.Features, placematch.UnitFeatures)
	codeList(v, "skills", in.Skills, nil)
	if in.WeeklyCostPence != nil && (*in.WeeklyCostPence < 0 || *in.WeeklyCostPence > 100_000_000) {
		v.Add("weekly_cost_pence", "must be between 0 and 100000000")
	}
	offeredTypes(v, in.PlacementTypes)
	validatePlace(v, in.Location, in.Postcode, true)
	in.Availability.validate("availability", v, allowUnconfirmed, now)
	in.Ofsted.validate(v, "ofsted", in.OfstedURN, today(now))
	in.Contact.validate(v, "contact")
	placematch.CheckSector(v, "sector", sectorOf(in.Sector))
}

// isURN accepts Ofsted unique reference numbers (placematch.ValidURN).
func isURN(s string) bool { return placematch.ValidURN(s) }

func (in *unitIn) place() (*pointIn, *string)    { return in.Location, in.Postcode }
func (in *unitIn) availability() *availabilityIn { return in.Availability }
func (in *unitIn) apply(p *placematch.Provider) {
	p.Reference, p.Name = *in.Reference, *in.Name
	p.AgeMin, p.AgeMax = *in.AgeMin, *in.AgeMax
	u := &placematch.UnitDetails{ProviderName: *in.ProviderName, RegistrationStatus: *in.RegistrationStatus,
		AccommodationType: *in.AccommodationType, Beds: *in.Beds, SupportLevel: *in.SupportLevel,
		Features: in.Features, Skills: in.Skills,
		PlacementTypes: in.PlacementTypes}
	if in.OfstedURN != nil {
		u.OfstedURN = *in.OfstedURN
	}
	if in.WeeklyCostPence != nil {
		u.WeeklyCostPence = *in.WeeklyCostPence
	}
	u.Ofsted = in.Ofsted.rating()
	p.Unit = u
	p.Contact = in.Contact.contact()
	p.Sector = sectorOf(in.Sector)
}

func unitToIn(p *placematch.Provider) *unitIn {
	u := p.Unit
	return &unitIn{
		Reference: &p.Reference, ProviderName: &u.ProviderName, Name: &p.Name, OfstedURN: optString(u.OfstedURN),
		RegistrationStatus: &u.RegistrationStatus, AccommodationType: &u.AccommodationType,
		AgeMin: &p.AgeMin, AgeMax: &p.AgeMax, Beds: &u.Beds, SupportLevel: &u.SupportLevel,
		Features: u.Features, Skills: u.Skills, WeeklyCostPence: &u.WeeklyCostPence, PlacementTypes: u.PlacementTypes,
		Location: pointToIn(p.Location), Postcode: optString(p.Postcode), Availability: availabilityToIn(p.Availability),
		Ofsted: ofstedToIn(u.Ofsted), Contact: contactToIn(p.Contact), Sector: sectorToIn(p.Sector),
	}
}

// unitOut is a unit as the API shows it.
type unitOut struct {
	placematch.Record
	Kind               placematch.ProviderKind       `json:"kind"`
	Reference          string                        `json:"reference"`
	ProviderName       string                        `json:"provider_name"`
	Name               string                        `json:"name"`
	OfstedURN          *string                       `json:"ofsted_urn"`
	RegistrationStatus placematch.RegistrationStatus `json:"registration_status"`
	AccommodationType  string                        `json:"accommodation_type"`
	AgeMin             int                           `json:"age_min"`
	AgeMax             int                           `json:"age_max"`
	Beds               int                           `json:"beds"`
	SupportLevel       string                        `json:"support_level"`
	Features           []string                      `json:"features"`
	Skills             []string                      `json:"skills"`
	// WeeklyCostPence is for officers and admins, left out for commissioners.
	WeeklyCostPence *int64                     `json:"weekly_cost_pence,omitempty"`
	Ofsted          ofstedOut                  `json:"ofsted"`
	PlacementTypes  []placematch.PlacementType `json:"placement_types"`
	placeOut
	sectorOut
	// Contact is for officers, left out for commissioners (forCommissioner).
	Contact *placematch.Contact `json:"contact,omitempty"`
}

func (o unitOut) forCommissioner() any {
	o.Contact, o.WeeklyCostPence = nil, nil
	return o
}

// contactOut is a provider's contact, omitted when none is recorded.
func contactOut(c placematch.Contact) *placematch.Contact {
	if c.IsZero() {
		return nil
	}
	return &c
}

func unitToOut(p *placematch.Provider) any {
	u := p.Unit
	return unitOut{Record: p.Record, Kind: p.Kind, Reference: p.Reference, ProviderName: u.ProviderName, Name: p.Name,
		OfstedURN: optString(u.OfstedURN), RegistrationStatus: u.RegistrationStatus, AccommodationType: u.AccommodationType,
		AgeMin: p.AgeMin, AgeMax: p.AgeMax, Beds: u.Beds, SupportLevel: u.SupportLevel, Features: nonNil(u.Features),
		Skills: nonNil(u.Skills), WeeklyCostPence: &u.WeeklyCostPence, Ofsted: ofstedToOut(u.Ofsted),
		PlacementTypes: typesOr(u.PlacementTypes, placematch.DefaultUnitPlacementTypes),
		placeOut:       toPlaceOut(p), Contact: contactOut(p.Contact), sectorOut: toSectorOut(p.Sector)}
}
