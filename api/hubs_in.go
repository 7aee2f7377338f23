package api

import (
	"time"

	"placematch"
)

// hubIn is a New Roads hub as a client writes it.
type hubIn struct {
	Reference        *string  `json:"reference"`
	Name             *string  `json:"name"`
	Services         []string `json:"services"`
	OutreachRadiusKM *float64 `json:"outreach_radius_km"`
	Beds             *int     `json:"beds"`
	EmergencyBeds    *int     `json:"emergency_beds"`
	AgeMin           *int     `json:"age_min"`
	AgeMax           *int     `json:"age_max"`
	// PlacementTypes and the bed ages are the beds'; left out, the defaults.
	PlacementTypes []placematch.PlacementType `json:"placement_types,omitempty"`
	BedAgeMin      *int                       `json:"bed_age_min,omitempty"`
	BedAgeMax      *int                       `json:"bed_age_max,omitempty"`
	Location       *pointIn                   `json:"location,omitempty"`
	Postcode       *string                    `json:"postcode,omitempty"`
	Availability   *availabilityIn            `json:"availability,omitempty"`
	OfstedURN      *string                    `json:"ofsted_urn,omitempty"`
	Ofsted         *ofstedIn                  `json:"ofsted,omitempty"`
	Contact        *contactIn                 `json:"contact,omitempty"`

	// Sector is who runs the hub (placematch.Sector); absent when not recorded.
	Sector *placematch.Sector `json:"sector,omitempty"`
}

func (in *hubIn) validate(v *placematch.ValidationError, allowUnconfirmed bool, now time.Time) {
	requiredString(v, "reference", in.Reference, 64)
	requiredString(v, "name", in.Name, 200)
	codeList(v, "services", in.Services, placematch.HubServices)
	if required(v, "outreach_radius_km", in.OutreachRadiusKM) && (*in.OutreachRadiusKM < 0 || *in.OutreachRadiusKM > 200) {
		v.Add("outreach_radius_km", "must be between 0 and 200")
	}
	intRange(v, "beds", in.Beds, 0, 50)
	intRange(v, "emergency_beds", in.EmergencyBeds, 0, 50)
	intRange(v, "age_min", in.AgeMin, 0, 25)
	intRange(v, "age_max", in.AgeMax, 0, 25)
	ageOrder(v, "age_min", "age_max", in.AgeMin, in.AgeMax)
	offeredTypes(v, in.PlacementTypes)
	// A hub's beds are children's-home beds: nobody of 18 or over.
	for _, f := range []struct {
		name string
		n    *int
	}{{"bed_age_min", in.BedAgeMin}, {"bed_age_max", in.BedAgeMax}} {
		if f.n != nil && (*f.n < 0 || *f.n > placematch.AdultAge-1) {
			v.Add(f.name, "must be between 0 and %d: a hub's beds are children's-home beds, for under-18s", placematch.AdultAge-1)
		}
	}
	ageOrder(v, "bed_age_min", "bed_age_max", in.BedAgeMin, in.BedAgeMax)
	// bed_age_min alone cannot pass the default maximum: the range above stops it
	// at 17, the default. bed_age_max alone can fall below the default minimum.
	if in.BedAgeMax != nil && in.BedAgeMin == nil && *in.BedAgeMax < placematch.HubBedAgeMin {
		v.Add("bed_age_max", "must not be less than bed_age_min (%d by default)", placematch.HubBedAgeMin)
	}
	validatePlace(v, in.Location, in.Postcode, true)
	in.Availability.validate("availability", v, allowUnconfirmed, now)
	if in.OfstedURN != nil && *in.OfstedURN != "" && !isURN(*in.OfstedURN) {
		v.Add("ofsted_urn", "must be an Ofsted URN: 6 to 8 digits, or SC followed by 6 digits")
	}
	in.Ofsted.validate(v, "ofsted", in.OfstedURN, today(now))
	in.Contact.validate(v, "contact")
	placematch.CheckSector(v, "sector", sectorOf(in.Sector))
}

func (in *hubIn) place() (*pointIn, *string)    { return in.Location, in.Postcode }
func (in *hubIn) availability() *availabilityIn { return in.Availability }
func (in *hubIn) apply(p *placematch.Provider) {
	p.Reference, p.Name = *in.Reference, *in.Name
	p.AgeMin, p.AgeMax = *in.AgeMin, *in.AgeMax
	p.Hub = &placematch.HubDetails{Services: in.Services, OutreachRadiusKM: *in.OutreachRadiusKM, Beds: *in.Beds,
		EmergencyBeds: *in.EmergencyBeds, OfstedURN: deref(in.OfstedURN), Ofsted: in.Ofsted.rating(),
		PlacementTypes: in.PlacementTypes,
		BedAgeMin:      placematch.HubBedAgeMin, BedAgeMax: placematch.HubBedAgeMax}
	p.Contact = in.Contact.contact()
	p.Sector = sectorOf(in.Sector)
	if in.BedAgeMin != nil {
		p.Hub.BedAgeMin = *in.BedAgeMin
	}
	if in.BedAgeMax != nil {
		p.Hub.BedAgeMax = *in.BedAgeMax
	}
}

func hubToIn(p *placematch.Provider) *hubIn {
	h := p.Hub
	lo, hi := h.BedAges()
	return &hubIn{Reference: &p.Reference, Name: &p.Name, Services: h.Services, OutreachRadiusKM: &h.OutreachRadiusKM,
		Beds: &h.Beds, EmergencyBeds: &h.EmergencyBeds, AgeMin: &p.AgeMin, AgeMax: &p.AgeMax,
		PlacementTypes: h.PlacementTypes, BedAgeMin: &lo, BedAgeMax: &hi,
		Location: pointToIn(p.Location), Postcode: optString(p.Postcode), Availability: availabilityToIn(p.Availability),
		OfstedURN: optString(h.OfstedURN), Ofsted: ofstedToIn(h.Ofsted), Contact: contactToIn(p.Contact),
		Sector: sectorToIn(p.Sector)}
}

// hubOut is a hub as the API shows it.
type hubOut struct {
	placematch.Record
	Kind             placematch.ProviderKind    `json:"kind"`
	Reference        string                     `json:"reference"`
	Name             string                     `json:"name"`
	Services         []string                   `json:"services"`
	OutreachRadiusKM float64                    `json:"outreach_radius_km"`
	Beds             int                        `json:"beds"`
	EmergencyBeds    int                        `json:"emergency_beds"`
	AgeMin           int                        `json:"age_min"`
	AgeMax           int                        `json:"age_max"`
	PlacementTypes   []placematch.PlacementType `json:"placement_types"`
	BedAgeMin        int                        `json:"bed_age_min"`
	BedAgeMax        int                        `json:"bed_age_max"`
	OfstedURN        *string                    `json:"ofsted_urn"`
	Ofsted           ofstedOut                  `json:"ofsted"`
	placeOut
	sectorOut
	// Contact is for officers, left out for commissioners (forCommissioner).
	Contact *placematch.Contact `json:"contact,omitempty"`
}

func (o hubOut) forCommissioner() any {
	o.Contact = nil
	return o
}

func hubToOut(p *placematch.Provider) any {
	h := p.Hub
	lo, hi := h.BedAges()
	return hubOut{PlacementTypes: typesOr(h.PlacementTypes, placematch.DefaultHubPlacementTypes), BedAgeMin: lo, BedAgeMax: hi,
		Record: p.Record, Kind: p.Kind, Reference: p.Reference, Name: p.Name, Services: nonNil(h.Services),
		OutreachRadiusKM: h.OutreachRadiusKM, Beds: h.Beds, EmergencyBeds: h.EmergencyBeds, AgeMin: p.AgeMin,
		AgeMax: p.AgeMax, OfstedURN: optString(h.OfstedURN), Ofsted: ofstedToOut(h.Ofsted), placeOut: toPlaceOut(p),
		Contact: contactOut(p.Contact), sectorOut: toSectorOut(p.Sector)}
}
