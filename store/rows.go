package store

import (
	"encoding/json"
	"errors"
	"strings"
	"time"

	"placematch"
)

// providerRow is the providers table. Kind-specific fields travel in Details as JSON.
type providerRow struct {
	ID                string `gorm:"primaryKey"`
	Kind              string
	Reference         string
	Name              string
	Status            string
	Lat, Lon          float64
	Postcode          string
	District          string
	AgeMin, AgeMax    int
	Places, Filled    int
	PlacementTypes    string
	AvailStatus       string
	AvailFrom         *string
	AvailNote         string
	AvailConfirmedAt  *time.Time
	AvailSource       string
	ReportedVacancies *int
	ReportedAt        *time.Time
	Details           string
	ChangeSeq         int64
	CreatedAt         time.Time `gorm:"autoCreateTime:false"`
	UpdatedAt         time.Time `gorm:"autoUpdateTime:false"`
	Version           int
	ArchivedAt        *time.Time
	// Sector is NULL when not recorded (migration 00022).
	Sector *string
}

func (providerRow) TableName() string { return "providers" }

// providerDetails is the JSON in providers.details: the fields of all kinds, of which
// one kind's are set.
type providerDetails struct {
	// carers
	PlacementTypes []placematch.PlacementType `json:"placement_types,omitempty"`
	MaxChildren    int                        `json:"max_children,omitempty"`
	// LimitExemption is the yes/no that exemptions replaced; it is read (as one
	// legacy exemption, see legacyExemptions) and never written.
	LimitExemption          bool                   `json:"limit_exemption,omitempty"`
	Exemptions              []placematch.Exemption `json:"exemptions,omitempty"`
	SiblingsOverLimit       bool                   `json:"siblings_over_limit,omitempty"`
	PanelDate               placematch.Date        `json:"panel_date,omitzero"`
	SupervisingSocialWorker *placematch.Person     `json:"supervising_social_worker,omitempty"`
	FeeBand                 string                 `json:"fee_band,omitempty"`
	Languages               []string               `json:"languages,omitempty"`
	Household               *placematch.Household  `json:"household,omitempty"`
	// connected-person carers
	ConnectedTo       []placematch.Connection       `json:"connected_to,omitempty"`
	TemporaryApproval *placematch.TemporaryApproval `json:"temporary_approval,omitempty"`
	// every kind
	Contact *placematch.Contact `json:"contact,omitempty"`
	// carers and units
	Skills []string `json:"skills,omitempty"`
	// units
	ProviderName      string   `json:"provider_name,omitempty"`
	OfstedURN         string   `json:"ofsted_urn,omitempty"`
	AccommodationType string   `json:"accommodation_type,omitempty"`
	SupportLevel      string   `json:"support_level,omitempty"`
	Features          []string `json:"features,omitempty"`
	WeeklyCostPence   int64    `json:"weekly_cost_pence,omitempty"`
	// units and hubs (OfstedURN above is both kinds')
	Beds   int                      `json:"beds,omitempty"`
	Ofsted *placematch.OfstedRating `json:"ofsted,omitempty"`
	// hubs; placement_types above holds a unit's or hub's declared types too
	BedAgeMin        int      `json:"bed_age_min,omitempty"`
	BedAgeMax        int      `json:"bed_age_max,omitempty"`
	Services         []string `json:"services,omitempty"`
	OutreachRadiusKM float64  `json:"outreach_radius_km,omitempty"`
	EmergencyBeds    int      `json:"emergency_beds,omitempty"`
}

func toProviderRow(p *placematch.Provider) providerRow {
	r := providerRow{
		ID: p.ID, Kind: string(p.Kind), Reference: p.Reference, Name: p.Name,
		Lat: p.Location.Lat, Lon: p.Location.Lon, Postcode: p.Postcode, District: p.District,
		AgeMin: p.AgeMin, AgeMax: p.AgeMax, Places: p.Places, Filled: p.Filled,
		AvailStatus: string(p.Availability.Status), AvailNote: p.Availability.Note,
		AvailConfirmedAt: p.Availability.ConfirmedAt, AvailSource: p.Availability.Source,
		ReportedVacancies: p.ReportedVacancies, ReportedAt: p.ReportedAt,
		CreatedAt: p.CreatedAt, UpdatedAt: p.UpdatedAt, Version: p.Version, ArchivedAt: p.ArchivedAt,
	}
	if !p.Availability.AvailableFrom.IsZero() {
		s := p.Availability.AvailableFrom.String()
		r.AvailFrom = &s
	}
	if p.Sector != "" {
		s := string(p.Sector)
		r.Sector = &s
	}
	var d providerDetails
	switch {
	case p.Carer != nil:
		c := p.Carer
		r.Status = string(c.Status)
		types := make([]string, len(c.PlacementTypes))
		for i, t := range c.PlacementTypes {
			types[i] = string(t)
		}
		if len(types) > 0 {
			r.PlacementTypes = "," + strings.Join(types, ",") + ","
		}
		hh := c.Household
		d = providerDetails{PlacementTypes: c.PlacementTypes, MaxChildren: c.MaxChildren,
			Exemptions: c.Exemptions, SiblingsOverLimit: c.SiblingsOverLimit, PanelDate: c.PanelDate,
			SupervisingSocialWorker: c.SupervisingSocialWorker, FeeBand: c.FeeBand,
			Languages: c.Languages, Household: &hh, Skills: c.Skills,
			ConnectedTo: c.ConnectedTo, TemporaryApproval: c.TemporaryApproval}
	case p.Unit != nil:
		u := p.Unit
		r.Status = string(u.RegistrationStatus)
		d = providerDetails{ProviderName: u.ProviderName, OfstedURN: u.OfstedURN,
			AccommodationType: u.AccommodationType, SupportLevel: u.SupportLevel, Features: u.Features,
			WeeklyCostPence: u.WeeklyCostPence, Beds: u.Beds, Skills: u.Skills, Ofsted: ofstedPtr(u.Ofsted),
			PlacementTypes: u.PlacementTypes}
	case p.Hub != nil:
		h := p.Hub
		d = providerDetails{Services: h.Services, OutreachRadiusKM: h.OutreachRadiusKM, Beds: h.Beds,
			EmergencyBeds: h.EmergencyBeds, OfstedURN: h.OfstedURN, Ofsted: ofstedPtr(h.Ofsted),
			PlacementTypes: h.PlacementTypes, BedAgeMin: h.BedAgeMin, BedAgeMax: h.BedAgeMax}
	}
	if !p.Contact.IsZero() {
		d.Contact = &p.Contact
	}
	b, _ := json.Marshal(d) // plain structs of strings and numbers cannot fail
	r.Details = string(b)
	return r
}

func (r *providerRow) toProvider(now time.Time) (*placematch.Provider, error) {
	p := &placematch.Provider{
		Record: placematch.Record{ID: r.ID, CreatedAt: r.CreatedAt.UTC(), UpdatedAt: r.UpdatedAt.UTC(),
			Version: r.Version, ArchivedAt: utcPtr(r.ArchivedAt)},
		Kind: placematch.ProviderKind(r.Kind), Reference: r.Reference, Name: r.Name,
		Location: placematch.Point{Lat: r.Lat, Lon: r.Lon}, Postcode: r.Postcode, District: r.District,
		AgeMin: r.AgeMin, AgeMax: r.AgeMax, Places: r.Places, Filled: r.Filled,
		Availability: placematch.Availability{Status: placematch.AvailabilityStatus(r.AvailStatus),
			Note: r.AvailNote, ConfirmedAt: utcPtr(r.AvailConfirmedAt), Source: r.AvailSource},
		ReportedVacancies: r.ReportedVacancies, ReportedAt: utcPtr(r.ReportedAt),
	}
	if r.Sector != nil {
		p.Sector = placematch.Sector(*r.Sector)
	}
	var bad error
	if r.AvailFrom != nil {
		d, err := placematch.ParseDate(*r.AvailFrom)
		if err != nil {
			bad = unreadable("provider", r.ID, "availability.available_from")
		}
		p.Availability.AvailableFrom = d
	}
	var d providerDetails
	if err := json.Unmarshal([]byte(r.Details), &d); err != nil {
		return nil, unreadable("provider", r.ID, "details")
	}
	switch p.Kind {
	case placematch.KindCarer:
		c := &placematch.CarerDetails{Status: placematch.CarerStatus(r.Status), PlacementTypes: d.PlacementTypes,
			MaxChildren: d.MaxChildren, Exemptions: legacyExemptions(d), SiblingsOverLimit: d.SiblingsOverLimit,
			PanelDate: d.PanelDate, SupervisingSocialWorker: d.SupervisingSocialWorker, FeeBand: d.FeeBand,
			Skills: d.Skills, Languages: d.Languages, ConnectedTo: d.ConnectedTo, TemporaryApproval: d.TemporaryApproval}
		if d.Household != nil {
			c.Household = *d.Household
		}
		p.Carer = c
	case placematch.KindUnit:
		p.Unit = &placematch.UnitDetails{ProviderName: d.ProviderName, OfstedURN: d.OfstedURN,
			RegistrationStatus: placematch.RegistrationStatus(r.Status), AccommodationType: d.AccommodationType,
			Beds: d.Beds, SupportLevel: d.SupportLevel, Features: d.Features, Skills: d.Skills,
			WeeklyCostPence: d.WeeklyCostPence, Ofsted: ofstedOf(d.Ofsted), PlacementTypes: d.PlacementTypes}
	case placematch.KindHub:
		p.Hub = &placematch.HubDetails{Services: d.Services, OutreachRadiusKM: d.OutreachRadiusKM,
			Beds: d.Beds, EmergencyBeds: d.EmergencyBeds, OfstedURN: d.OfstedURN, Ofsted: ofstedOf(d.Ofsted),
			PlacementTypes: d.PlacementTypes, BedAgeMin: d.BedAgeMin, BedAgeMax: d.BedAgeMax}
	}
	if d.Contact != nil {
		p.Contact = *d.Contact
	}
	legacyDefaults(p)
	p.Vacancies = p.ComputeVacancies(now)
	return p, bad
}

// legacyExemptions reads a carer's exemptions. A record written before exemptions
// were records holds only limit_exemption: true; it reads as one legacy exemption,
// naming no child and no council, which covers nobody (placematch.Exemption.Legacy)
// and which the API shows as legacy so that it can be recorded in full.
func legacyExemptions(d providerDetails) []placematch.Exemption {
	if d.LimitExemption && len(d.Exemptions) == 0 {
		return []placematch.Exemption{{Legacy: true, Children: []string{}}}
	}
	return d.Exemptions
}

func ofstedPtr(r placematch.OfstedRating) *placematch.OfstedRating {
	if !r.Inspected() {
		return nil
	}
	return &r
}

func ofstedOf(r *placematch.OfstedRating) placematch.OfstedRating {
	if r == nil {
		return placematch.OfstedRating{}
	}
	return *r
}

// legacyDefaults gives a hub stored before it declared its bed ages the
// documented defaults (HubBedAgeMin–HubBedAgeMax). Placement types are left as
// stored: a unit or hub that declares none has none recorded, and takes the
// documented defaults (placematch.Provider.OfferedTypes) whatever they are when
// it is read, rather than the defaults of the day it was written back.
func legacyDefaults(p *placematch.Provider) {
	if p.Hub != nil {
		p.Hub.BedAgeMin, p.Hub.BedAgeMax = p.Hub.BedAges()
	}
}

// unreadable is the error of a stored value that cannot be read. The conversions
// below return it together with the record, the bad value left unset, so that an
// update can repair the record; every other reader treats it as an error.
func unreadable(resource, id, field string) error {
	return &placematch.UnreadableError{Resource: resource, ID: id, Field: field}
}

// repairable reports whether err is only an unreadable value, which an update may
// overwrite.
func repairable(err error) bool {
	var ue *placematch.UnreadableError
	return errors.As(err, &ue) && ue.Field != "details"
}

func utcPtr(t *time.Time) *time.Time {
	if t == nil {
		return nil
	}
	u := t.UTC()
	return &u
}

// childRow is the children table; lists and geometries are JSON text.
type childRow struct {
	ID                   string `gorm:"primaryKey"`
	Reference            string
	DateOfBirth          string
	Sex                  string
	Lat, Lon             *float64
	Postcode             string
	District             string
	SchoolLat, SchoolLon *float64
	Needs                string
	Risks                string
	Languages            string
	WheelchairUser       bool
	PlacementType        string
	Urgency              string
	RequiredFrom         string
	Siblings             string
	AvoidAreas           string
	MaxDistanceKM        *float64 `gorm:"column:max_distance_km"`
	Status               string
	Wishes               *string
	CreatedAt            time.Time `gorm:"autoCreateTime:false"`
	UpdatedAt            time.Time `gorm:"autoUpdateTime:false"`
	Version              int
	ArchivedAt           *time.Time
}

func (childRow) TableName() string { return "children" }

func toChildRow(c *placematch.Child) childRow {
	r := childRow{
		ID: c.ID, Reference: c.Reference, DateOfBirth: c.DateOfBirth.String(), Sex: c.Sex,
		Postcode: c.Postcode, District: c.District, Needs: jsonText(c.Needs), Risks: jsonText(c.Risks),
		Languages: jsonText(c.Languages), WheelchairUser: c.WheelchairUser,
		PlacementType: string(c.PlacementType), Urgency: c.Urgency, RequiredFrom: c.RequiredFrom.String(),
		Siblings: jsonText(c.Siblings), AvoidAreas: jsonText(c.AvoidAreas), MaxDistanceKM: c.MaxDistanceKM,
		Status: string(c.Status), CreatedAt: c.CreatedAt, UpdatedAt: c.UpdatedAt, Version: c.Version,
		ArchivedAt: c.ArchivedAt, Wishes: wishesText(c.Wishes),
	}
	if c.Location != nil {
		r.Lat, r.Lon = &c.Location.Lat, &c.Location.Lon
	}
	if c.SchoolLocation != nil {
		r.SchoolLat, r.SchoolLon = &c.SchoolLocation.Lat, &c.SchoolLocation.Lon
	}
	return r
}

func (r *childRow) toChild() (*placematch.Child, error) {
	c := &placematch.Child{
		Record: placematch.Record{ID: r.ID, CreatedAt: r.CreatedAt.UTC(), UpdatedAt: r.UpdatedAt.UTC(),
			Version: r.Version, ArchivedAt: utcPtr(r.ArchivedAt)},
		Reference: r.Reference, Sex: r.Sex, Postcode: r.Postcode, District: r.District,
		WheelchairUser: r.WheelchairUser, PlacementType: placematch.PlacementType(r.PlacementType),
		Urgency: r.Urgency, MaxDistanceKM: r.MaxDistanceKM, Status: placematch.ChildStatus(r.Status),
	}
	var err, bad error
	if c.DateOfBirth, err = placematch.ParseDate(r.DateOfBirth); err != nil {
		bad = unreadable("child", r.ID, "date_of_birth")
	}
	if c.RequiredFrom, err = placematch.ParseDate(r.RequiredFrom); err != nil && bad == nil {
		bad = unreadable("child", r.ID, "required_from")
	}
	if r.Lat != nil && r.Lon != nil {
		c.Location = &placematch.Point{Lat: *r.Lat, Lon: *r.Lon}
	}
	if r.SchoolLat != nil && r.SchoolLon != nil {
		c.SchoolLocation = &placematch.Point{Lat: *r.SchoolLat, Lon: *r.SchoolLon}
	}
	for _, f := range []struct {
		text string
		dst  any
	}{{r.Needs, &c.Needs}, {r.Risks, &c.Risks}, {r.Languages, &c.Languages}, {r.Siblings, &c.Siblings},
		{r.AvoidAreas, &c.AvoidAreas}} {
		if err := json.Unmarshal([]byte(f.text), f.dst); err != nil {
			return nil, unreadable("child", r.ID, "details")
		}
	}
	if c.Wishes, err = readWishes(r.Wishes); err != nil {
		return nil, unreadable("child", r.ID, "wishes_and_feelings")
	}
	return c, bad
}

// jsonText encodes a list as JSON, writing [] rather than null for an empty list
// (null reads as "not recorded").
func jsonText[T any](v []T) string {
	if v == nil {
		return "[]"
	}
	b, _ := json.Marshal(v) // lists of strings, risks and raw JSON cannot fail
	return string(b)
}

// placementRow is the placements table.
type placementRow struct {
	ID             string `gorm:"primaryKey"`
	ChildID        string
	ProviderID     string
	ProviderKind   string
	StartDate      string
	EndDate        *string
	Status         string
	EndReason      string
	GroupID        string
	MatchID        string
	MatchRank      int
	DecisionReason string
	AllocationID   string
	SiblingsSplit  bool
	SplitReason    string
	// DistanceReason is '' unless the booking gave one (migration 00023).
	DistanceReason string
	// OutsideTermsUntil is NULL unless the placement is an emergency outside the
	// carer's terms (migration 00011).
	OutsideTermsUntil *string
	Wishes            *string
	CreatedAt         time.Time `gorm:"autoCreateTime:false"`
	UpdatedAt         time.Time `gorm:"autoUpdateTime:false"`
	Version           int
	ArchivedAt        *time.Time
	// ProviderName is read with a join for responses; it is not a column.
	ProviderName string `gorm:"->;-:migration"`
}

func (placementRow) TableName() string { return "placements" }

func (r *placementRow) toPlacement() (*placematch.Placement, error) {
	p := &placematch.Placement{
		Record: placematch.Record{ID: r.ID, CreatedAt: r.CreatedAt.UTC(), UpdatedAt: r.UpdatedAt.UTC(),
			Version: r.Version, ArchivedAt: utcPtr(r.ArchivedAt)},
		ChildID: r.ChildID,
		Provider: placematch.ProviderRef{Kind: placematch.ProviderKind(r.ProviderKind), ID: r.ProviderID,
			Name: r.ProviderName},
		Status: placematch.PlacementStatus(r.Status), EndReason: r.EndReason, GroupID: r.GroupID,
		MatchID: r.MatchID, MatchRank: r.MatchRank, DecisionReason: r.DecisionReason, AllocationID: r.AllocationID,
		SiblingsSplit: r.SiblingsSplit, SplitReason: r.SplitReason,
		DistanceReason: placematch.DistanceReason(r.DistanceReason),
	}
	var err, bad error
	if p.StartDate, err = placematch.ParseDate(r.StartDate); err != nil {
		bad = unreadable("placement", r.ID, "start_date")
	}
	if r.EndDate != nil {
		if p.EndDate, err = placematch.ParseDate(*r.EndDate); err != nil && bad == nil {
			bad = unreadable("placement", r.ID, "end_date")
		}
	}
	if r.OutsideTermsUntil != nil {
		if p.OutsideTermsUntil, err = placematch.ParseDate(*r.OutsideTermsUntil); err != nil && bad == nil {
			bad = unreadable("placement", r.ID, "outside_terms_until")
		}
	}
	if p.Wishes, err = readWishes(r.Wishes); err != nil && bad == nil {
		bad = unreadable("placement", r.ID, "wishes_and_feelings")
	}
	return p, bad
}

// wishesText is a record of wishes and feelings as stored (JSON), nil for none.
func wishesText(w *placematch.Wishes) *string {
	if w == nil {
		return nil
	}
	b, _ := json.Marshal(w) // strings and a time cannot fail
	s := string(b)
	return &s
}

// readWishes reads a stored record of wishes and feelings.
func readWishes(s *string) (*placematch.Wishes, error) {
	if s == nil {
		return nil, nil
	}
	w := new(placematch.Wishes)
	if err := json.Unmarshal([]byte(*s), w); err != nil {
		return nil, err
	}
	w.RecordedAt = w.RecordedAt.UTC()
	return w, nil
}
