package api

import (
	"encoding/json"
	"time"

	"placematch"
	"placematch/geo"
)

// carerIn is a foster household as a client writes it; derived fields (id, district,
// places, filled, vacancies, bookkeeping) are not accepted.
type carerIn struct {
	Reference    *string                 `json:"reference"`
	Name         *string                 `json:"name"`
	Status       *placematch.CarerStatus `json:"status"`
	Approval     *approvalIn             `json:"approval"`
	Skills       []string                `json:"skills"`
	Languages    []string                `json:"languages"`
	Household    *householdIn            `json:"household"`
	Location     *pointIn                `json:"location,omitempty"`
	Postcode     *string                 `json:"postcode,omitempty"`
	Availability *availabilityIn         `json:"availability,omitempty"`
	// For the officer acting on a match (records_in.go).
	Contact                 *contactIn       `json:"contact,omitempty"`
	SupervisingSocialWorker *personIn        `json:"supervising_social_worker,omitempty"`
	FeeBand                 *string          `json:"fee_band,omitempty"`
	PanelDate               *placematch.Date `json:"panel_date,omitempty"`

	// Sector is who runs the home (placematch.Sector); absent when not recorded.
	Sector *placematch.Sector `json:"sector,omitempty"`
}

// approvalIn is a carer's terms of approval.
type approvalIn struct {
	PlacementTypes []placematch.PlacementType `json:"placement_types"`
	AgeMin         *int                       `json:"age_min"`
	AgeMax         *int                       `json:"age_max"`
	MaxChildren    *int                       `json:"max_children"`
	// Exemptions from the usual fostering limit; SiblingsOverLimit approves the
	// places above it for a sibling group only (no exemption is needed for that).
	Exemptions        []exemptionIn `json:"exemptions,omitempty"`
	SiblingsOverLimit bool          `json:"siblings_over_limit,omitempty"`
	// ConnectedTo and TemporaryApproval are for connected-person approvals
	// (kinship_in.go); each entry is a child id or {child_id, relationship}.
	ConnectedTo       []json.RawMessage `json:"connected_to,omitempty"`
	TemporaryApproval *temporaryIn      `json:"temporary_approval,omitempty"`
}

type householdIn struct {
	Pets                 bool  `json:"pets"`
	Smoking              bool  `json:"smoking"`
	OtherChildrenAges    []int `json:"other_children_ages"`
	WheelchairAccessible bool  `json:"wheelchair_accessible"`
}

func (in *carerIn) validate(v *placematch.ValidationError, allowUnconfirmed bool, now time.Time) {
	requiredString(v, "reference", in.Reference, 64)
	requiredString(v, "name", in.Name, 200)
	requiredEnum(v, "status", in.Status, placematch.CarerStatuses)
	if required(v, "approval", in.Approval) {
		a := in.Approval
		if len(a.PlacementTypes) == 0 {
			v.Add("approval.placement_types", "must list at least one placement type")
		}
		codeList(v, "approval.placement_types", a.PlacementTypes, placematch.PlacementTypes)
		intRange(v, "approval.age_min", a.AgeMin, 0, 25)
		intRange(v, "approval.age_max", a.AgeMax, 0, 25)
		ageOrder(v, "approval.age_min", "approval.age_max", a.AgeMin, a.AgeMax)
		if required(v, "approval.max_children", a.MaxChildren) {
			switch n := *a.MaxChildren; {
			case n < 1:
				v.Add("approval.max_children", "must be at least 1")
			case n > placematch.MaxChildrenWithExemption:
				v.Add("approval.max_children", "must be at most %d", placematch.MaxChildrenWithExemption)
			case n > placematch.FosteringLimit && !a.SiblingsOverLimit &&
				!placematch.CurrentExemption(exemptionsOf(a.Exemptions), today(now)):
				v.Add("approval.max_children", "must be at most %d (the usual fostering limit) unless an exemption current today is recorded in approval.exemptions or siblings_over_limit is true",
					placematch.FosteringLimit)
			}
		}
		validateExemptions(v, "approval.exemptions", a.Exemptions, today(now))
		a.validateKinship(v)
		// A reg 24 temporary approval makes the connected person an approved
		// foster carer, however short: it cannot be in assessment at once.
		if a.TemporaryApproval != nil && in.Status != nil && *in.Status == placematch.CarerInAssessment {
			v.Add("approval.temporary_approval", "is only for an approved carer: a temporary approval (reg 24) approves the connected person, so status cannot be in_assessment")
		}
	}
	in.Contact.validate(v, "contact")
	in.SupervisingSocialWorker.validate(v, "supervising_social_worker")
	if in.FeeBand != nil {
		maxLen(v, "fee_band", *in.FeeBand, 64)
	}
	if in.PanelDate != nil && (in.Status == nil || *in.Status != placematch.CarerInAssessment) {
		v.Add("panel_date", "is only for a carer whose status is in_assessment")
	}
	codeList(v, "skills", in.Skills, nil)
	codeList(v, "languages", in.Languages, nil)
	if in.Household != nil {
		if len(in.Household.OtherChildrenAges) > 20 {
			v.Add("household.other_children_ages", "must have at most 20 entries")
		}
		for i, age := range in.Household.OtherChildrenAges {
			if age < 0 || age > 30 {
				v.Add(fieldIndex("household.other_children_ages", i), "must be between 0 and 30")
			}
		}
	}
	validatePlace(v, in.Location, in.Postcode, true)
	in.Availability.validate("availability", v, allowUnconfirmed, now)
	placematch.CheckSector(v, "sector", sectorOf(in.Sector))
}

func (in *carerIn) place() (*pointIn, *string)    { return in.Location, in.Postcode }
func (in *carerIn) availability() *availabilityIn { return in.Availability }
func (in *carerIn) apply(p *placematch.Provider) {
	a := in.Approval
	p.Reference, p.Name = *in.Reference, *in.Name
	p.AgeMin, p.AgeMax = *a.AgeMin, *a.AgeMax
	hh := placematch.Household{}
	if in.Household != nil {
		hh = placematch.Household(*in.Household)
	}
	p.Carer = &placematch.CarerDetails{Status: *in.Status, PlacementTypes: a.PlacementTypes, MaxChildren: *a.MaxChildren,
		Exemptions: exemptionsOf(a.Exemptions), SiblingsOverLimit: a.SiblingsOverLimit,
		SupervisingSocialWorker: in.SupervisingSocialWorker.person(), FeeBand: deref(in.FeeBand),
		Skills: in.Skills, Languages: in.Languages, Household: hh,
		ConnectedTo: a.connections(), TemporaryApproval: a.TemporaryApproval.approval()}
	p.Sector = sectorOf(in.Sector)
	if in.PanelDate != nil {
		p.Carer.PanelDate = *in.PanelDate
	}
	p.Contact = in.Contact.contact()
}

func carerToIn(p *placematch.Provider) *carerIn {
	c := p.Carer
	hh := householdIn(c.Household)
	in := &carerIn{
		Reference: &p.Reference, Name: &p.Name, Status: &c.Status,
		Approval: &approvalIn{PlacementTypes: c.PlacementTypes, AgeMin: &p.AgeMin, AgeMax: &p.AgeMax,
			MaxChildren: &c.MaxChildren, Exemptions: exemptionsToIn(c.Exemptions), SiblingsOverLimit: c.SiblingsOverLimit,
			ConnectedTo: connectionsToIn(c.ConnectedTo), TemporaryApproval: temporaryToIn(c.TemporaryApproval)},
		Skills: c.Skills, Languages: c.Languages, Household: &hh,
		Location: pointToIn(p.Location), Postcode: optString(p.Postcode), Availability: availabilityToIn(p.Availability),
		Contact: contactToIn(p.Contact), SupervisingSocialWorker: personToIn(c.SupervisingSocialWorker),
		FeeBand: optString(c.FeeBand), Sector: sectorToIn(p.Sector),
	}
	if !c.PanelDate.IsZero() {
		in.PanelDate = &c.PanelDate
	}
	return in
}

// carerOut is a foster household as the API shows it.
type carerOut struct {
	placematch.Record
	Kind      placematch.ProviderKind `json:"kind"`
	Reference string                  `json:"reference"`
	Name      string                  `json:"name"`
	Status    placematch.CarerStatus  `json:"status"`
	Approval  approvalOut             `json:"approval"`
	Skills    []string                `json:"skills"`
	Languages []string                `json:"languages"`
	Household placematch.Household    `json:"household"`
	// PanelDate is set for a carer in assessment when a panel is booked.
	PanelDate *placematch.Date `json:"panel_date,omitempty"`
	placeOut
	sectorOut
	// Officers' fields, left out for commissioners (forCommissioner).
	Contact                 *placematch.Contact `json:"contact,omitempty"`
	SupervisingSocialWorker *placematch.Person  `json:"supervising_social_worker,omitempty"`
	FeeBand                 *string             `json:"fee_band,omitempty"`
}

// forCommissioner leaves out how to reach the household and who supervises it,
// and shows its home as the map layer does: the centre of its ~1 km square
// (geo.Blur), the postcode cut to its sector.
func (o carerOut) forCommissioner() any {
	o.Contact, o.SupervisingSocialWorker, o.FeeBand = nil, nil, nil
	o.Location = geo.Blur(o.Location)
	if o.Postcode != nil {
		o.Postcode = optString(placematch.PostcodeSector(*o.Postcode))
	}
	return o
}

type approvalOut struct {
	PlacementTypes    []placematch.PlacementType `json:"placement_types"`
	AgeMin            int                        `json:"age_min"`
	AgeMax            int                        `json:"age_max"`
	MaxChildren       int                        `json:"max_children"`
	Exemptions        []exemptionOut             `json:"exemptions"`
	SiblingsOverLimit bool                       `json:"siblings_over_limit"`
	// ConnectedTo is empty unless the approval includes connected_person.
	ConnectedTo       []placematch.Connection       `json:"connected_to"`
	TemporaryApproval *placematch.TemporaryApproval `json:"temporary_approval,omitempty"`
}

func carerToOut(p *placematch.Provider) any {
	c := p.Carer
	hh := c.Household
	hh.OtherChildrenAges = nonNil(hh.OtherChildrenAges)
	out := carerOut{
		Record: p.Record, Kind: p.Kind, Reference: p.Reference, Name: p.Name, Status: c.Status,
		Approval: approvalOut{PlacementTypes: nonNil(c.PlacementTypes), AgeMin: p.AgeMin, AgeMax: p.AgeMax,
			MaxChildren: c.MaxChildren, Exemptions: exemptionsToOut(c.Exemptions),
			SiblingsOverLimit: c.SiblingsOverLimit, ConnectedTo: nonNil(c.ConnectedTo),
			TemporaryApproval: c.TemporaryApproval},
		Skills: nonNil(c.Skills), Languages: nonNil(c.Languages), Household: hh, placeOut: toPlaceOut(p),
		sectorOut:               toSectorOut(p.Sector),
		SupervisingSocialWorker: c.SupervisingSocialWorker, FeeBand: optString(c.FeeBand),
	}
	out.Contact = contactOut(p.Contact)
	if !c.PanelDate.IsZero() {
		out.PanelDate = &c.PanelDate
	}
	return out
}
