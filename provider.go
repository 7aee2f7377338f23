package placematch

import "time"

// ProviderRef names a provider of any kind.
type ProviderRef struct {
	Kind ProviderKind `json:"kind"`
	ID   string       `json:"id"`
	Name string       `json:"name,omitempty"`
}

// Availability is what a provider last said about taking children, with when and
// through whom it was said.
type Availability struct {
	Status        AvailabilityStatus `json:"status"`
	AvailableFrom Date               `json:"available_from"`
	Note          string             `json:"note"`
	ConfirmedAt   *time.Time         `json:"confirmed_at"`
	Source        string             `json:"source"`
}

// Availability sources.
const (
	SourceCarer     = "carer"
	SourceProvider  = "provider"
	SourceOfficer   = "officer"
	SourceFeed      = "provider_feed"
	SourceReconcile = "nightly_reconcile"
)

// AvailabilitySources lists every source of an availability update.
var AvailabilitySources = []string{SourceCarer, SourceProvider, SourceOfficer, SourceFeed, SourceReconcile}

// Provider is a home of any kind. The common fields are here; the fields only one kind
// has are in exactly one of Carer, Unit or Hub.
//
// Places, Filled and Vacancies are derived by the store (from the approval or beds and
// from active placements) and never taken from input.
type Provider struct {
	Record
	Kind         ProviderKind
	Reference    string
	Name         string
	Location     Point
	Postcode     string
	District     string
	AgeMin       int
	AgeMax       int
	Availability Availability
	Places       int
	Filled       int
	Vacancies    int
	// ReportedVacancies is what the provider's own feed last said (units only), with
	// its date; effective vacancies never exceed it while it is fresh.
	ReportedVacancies *int
	ReportedAt        *time.Time
	// Residents are the children placed here now (the provider's active
	// placements), as the household rules need them, the eldest first. Like
	// Vacancies it is derived by the store when the provider is read, not kept on
	// the provider's record; only the reads that judge hard rules fill it (the
	// candidate index's ProviderChanges and the booking's check). GetProvider,
	// ListProviders and the records written back by updates leave it empty.
	Residents []Resident
	// Contact is how an officer reaches the household or the provider (officers
	// and admins only; see records.go).
	Contact Contact

	// Sector says who runs the home (sector.go); empty when not recorded.
	Sector Sector

	Carer *CarerDetails
	Unit  *UnitDetails
	Hub   *HubDetails
}

// Resident is a child placed with a provider now, as matching sees it: the child's
// case reference (never a name), age on the day the provider was read, graded risks
// and needs (household needs such as live_alone among them).
type Resident struct {
	// ChildID is the child's id, so that a young person staying put is known;
	// with Siblings (the child's sibling links) it lets the fostering limit's
	// sibling exception check everyone in the home after placement.
	ChildID   string
	Reference string
	Siblings  []string
	Age       int
	Risks     []Risk
	Needs     []string
}

// CarerDetails are a fostering household's terms of approval and household.
type CarerDetails struct {
	Status         CarerStatus
	PlacementTypes []PlacementType
	MaxChildren    int
	// Exemptions from the usual fostering limit (records.go); SiblingsOverLimit says
	// the places above the limit are approved for a sibling group only.
	Exemptions        []Exemption
	SiblingsOverLimit bool
	// PanelDate is when the fostering panel will consider a carer in assessment.
	PanelDate Date
	// SupervisingSocialWorker and FeeBand are for the officer acting on a match.
	SupervisingSocialWorker *Person
	FeeBand                 string
	Skills                  []string
	Languages               []string
	Household               Household
	// ConnectedTo names the children a carer approved for connected_person care is
	// connected to (kinship.go); such a carer matches only them.
	ConnectedTo []Connection
	// TemporaryApproval is a connected person's temporary approval (reg 24), when
	// the approval is temporary.
	TemporaryApproval *TemporaryApproval
}

// Household describes a fostering household beyond its approval.
type Household struct {
	Pets                 bool  `json:"pets"`
	Smoking              bool  `json:"smoking"`
	OtherChildrenAges    []int `json:"other_children_ages"`
	WheelchairAccessible bool  `json:"wheelchair_accessible"`
}

// UnitDetails describe a supported-accommodation unit for young people aged 16–25.
type UnitDetails struct {
	ProviderName       string
	OfstedURN          string
	RegistrationStatus RegistrationStatus
	AccommodationType  string
	Beds               int
	SupportLevel       string
	Features           []string
	Skills             []string
	WeeklyCostPence    int64
	// Ofsted is the latest overall rating of the unit (OfstedURN names it).
	Ofsted OfstedRating
	// PlacementTypes the unit takes; empty means DefaultUnitPlacementTypes.
	PlacementTypes []PlacementType
}

// HubDetails describe a New Roads hub: a few beds and an outreach team.
type HubDetails struct {
	Services         []string
	OutreachRadiusKM float64
	Beds             int
	EmergencyBeds    int
	// OfstedURN and Ofsted are the hub's children's-home registration and its latest
	// overall rating.
	OfstedURN string
	Ofsted    OfstedRating
	// PlacementTypes the hub's beds take; empty means DefaultHubPlacementTypes.
	PlacementTypes []PlacementType
	// BedAgeMin and BedAgeMax are the ages its beds take (children's-home beds,
	// under 18); zero means HubBedAgeMin–HubBedAgeMax. The provider's own AgeMin and
	// AgeMax are the ages its outreach team works with.
	BedAgeMin, BedAgeMax int
}

// Ref returns the provider's reference.
func (p *Provider) Ref() ProviderRef { return ProviderRef{Kind: p.Kind, ID: p.ID, Name: p.Name} }

// FosteringLimit is the usual fostering limit (Children Act 1989 Schedule 7).
const FosteringLimit = 3

// MaxChildrenWithExemption is the most children a carer may be approved for above
// the usual limit: with a current exemption, or for a sibling group.
const MaxChildrenWithExemption = 6

// ComputePlaces returns the places the provider is approved or built for.
func (p *Provider) ComputePlaces() int {
	switch {
	case p.Carer != nil:
		return p.Carer.MaxChildren
	case p.Unit != nil:
		return p.Unit.Beds
	case p.Hub != nil:
		return p.Hub.Beds + p.Hub.EmergencyBeds
	}
	return 0
}

// Approved reports whether the provider may take a child at all: a carer must be
// approved (one in assessment is not yet); units and hubs are always open to placements (their registration rules
// depend on the child's age and are applied by matching).
func (p *Provider) Approved() bool {
	return p.Carer == nil || p.Carer.Status == CarerApproved
}

// ReportFreshFor is how long a feed's reported vacancies bound a unit's vacancies.
const ReportFreshFor = 7 * 24 * time.Hour

// ComputeVacancies derives vacant places at now: places minus filled, never negative;
// zero when the provider is not approved or has said it is unavailable; for a unit
// whose feed reported fewer free beds within ReportFreshFor, the reported number (units
// also take young people from other councils).
func (p *Provider) ComputeVacancies(now time.Time) int {
	if !p.Approved() || p.Availability.Status == Unavailable {
		return 0
	}
	v := p.Places - p.Filled
	// A report counts from when it was made until ReportFreshFor later, so a
	// report made after now (a question about the past) does not bound it.
	if p.ReportedVacancies != nil && p.ReportedAt != nil {
		if age := now.Sub(*p.ReportedAt); age >= 0 && age <= ReportFreshFor {
			v = min(v, *p.ReportedVacancies)
		}
	}
	return max(v, 0)
}
