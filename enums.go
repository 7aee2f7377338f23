package placematch

import "slices"

// ProviderKind says which of the three kinds of home a provider is.
type ProviderKind string

// The provider kinds.
const (
	KindCarer ProviderKind = "foster_carer"
	KindUnit  ProviderKind = "supported_accommodation"
	KindHub   ProviderKind = "hub"
)

// ProviderKinds lists every kind, in display order.
var ProviderKinds = []ProviderKind{KindCarer, KindUnit, KindHub}

// PlacementType is a type of care in a foster carer's terms of approval (Fostering
// Services (England) Regulations 2011 reg 27(5)), or one a unit or hub declares it
// takes; a child's referral asks for one.
type PlacementType string

// The placement types.
const (
	PlacementEmergency       PlacementType = "emergency"
	PlacementShortTerm       PlacementType = "short_term"
	PlacementLongTerm        PlacementType = "long_term"
	PlacementRespite         PlacementType = "respite"
	PlacementParentAndChild  PlacementType = "parent_and_child"
	PlacementRemand          PlacementType = "remand"
	PlacementConnectedPerson PlacementType = "connected_person"
	// PlacementShortBreaks: planned short breaks (often for a disabled child), as
	// hubs and some carers offer them.
	PlacementShortBreaks PlacementType = "short_breaks"
)

// PlacementTypes lists every placement type.
var PlacementTypes = []PlacementType{PlacementEmergency, PlacementShortTerm, PlacementLongTerm,
	PlacementRespite, PlacementParentAndChild, PlacementRemand, PlacementConnectedPerson, PlacementShortBreaks}

// CarerStatus is where a fostering household stands with the council.
type CarerStatus string

// The carer statuses; only approved carers may take a child.
const (
	CarerApproved     CarerStatus = "approved"
	CarerOnHold       CarerStatus = "on_hold"
	CarerSuspended    CarerStatus = "suspended"
	CarerDeregistered CarerStatus = "deregistered"
	// CarerInAssessment is a household whose assessment is in progress: it may be
	// shown to an officer who asks (flagged), never booked.
	CarerInAssessment CarerStatus = "in_assessment"
)

// CarerStatuses lists every carer status.
var CarerStatuses = []CarerStatus{CarerApproved, CarerOnHold, CarerSuspended, CarerDeregistered, CarerInAssessment}

// AvailabilityStatus is what a provider last said about taking children.
// Unconfirmed is set by the nightly job when availability has not been confirmed for
// too long; it is never given as input.
type AvailabilityStatus string

// The availability statuses.
const (
	Available   AvailabilityStatus = "available"
	Unavailable AvailabilityStatus = "unavailable"
	Unconfirmed AvailabilityStatus = "unconfirmed"
)

// RegistrationStatus is a supported-accommodation unit's Ofsted registration.
type RegistrationStatus string

// The registration statuses.
const (
	Registered          RegistrationStatus = "registered"
	ApplicationAccepted RegistrationStatus = "application_accepted"
	NotRegistered       RegistrationStatus = "not_registered"
)

// RegistrationStatuses lists every registration status.
var RegistrationStatuses = []RegistrationStatus{Registered, ApplicationAccepted, NotRegistered}

// Accommodation types of a supported-accommodation unit.
var AccommodationTypes = []string{"shared_house", "self_contained", "supported_lodgings", "foyer"}

// Support levels of a supported-accommodation unit.
var SupportLevels = []string{"low", "medium", "high"}

// Unit features.
const (
	FeatureWheelchairAccessible = "wheelchair_accessible"
	FeatureFemaleOnly           = "female_only"
	FeatureStaffed247           = "staffed_24_7"
)

// UnitFeatures lists every unit feature.
var UnitFeatures = []string{FeatureWheelchairAccessible, FeatureFemaleOnly, FeatureStaffed247}

// HubServices lists the outreach services a New Roads hub may offer.
var HubServices = []string{"speech_and_language_therapy", "life_coaching", "clinical_psychology",
	"education_support", "police_liaison", "youth_work", "family_support"}

// Sex values recorded for a child. Sex is used only by hard rules (female-only units),
// never scored.
var Sexes = []string{"female", "male", "other"}

// Urgency of a referral.
var Urgencies = []string{"emergency", "planned"}

// ChildStatus is where a referral stands.
type ChildStatus string

// The child statuses.
const (
	ChildAwaiting ChildStatus = "awaiting"
	ChildPlaced   ChildStatus = "placed"
	ChildClosed   ChildStatus = "closed"
)

// ChildStatuses lists every child status.
var ChildStatuses = []ChildStatus{ChildAwaiting, ChildPlaced, ChildClosed}

// Needs is the needs taxonomy (RCC home-search data standard): communication,
// disability and other needs a child may have and a carer's skills may cover. A
// provider's skills use the same codes, plus the risk types it can manage. The four
// household needs (matching.HouseholdNeeds) are different: they say who the child can live
// alongside, and matching checks them against the home instead of a skill.
var Needs = []string{
	"esol", "bsl", "makaton", "learning_disability", "autism", "physical_disability",
	"complex_health", "mental_health", "trauma", "education_support", "cultural_faith",
	"parent_and_child", "live_alone", "only_older_children", "only_younger_children",
	"no_pets", "speech_and_language", "therapeutic",
}

// RiskTypes is the taxonomy of graded risks to and from a child.
var RiskTypes = []string{
	"self_harm", "sexual_exploitation", "criminal_exploitation", "substances",
	"going_missing", "eating_disorder", "physical_harm_to_others", "sexual_harm_to_others",
	"fire_setting", "harm_to_animals",
}

// RiskLevels grades a risk.
var RiskLevels = []string{"none", "low", "high"}

// PlacementStatus says whether a placement is running.
type PlacementStatus string

// The placement statuses. A cancelled placement was called off before its start
// date: it never ran, so it counts on no day.
const (
	PlacementActive    PlacementStatus = "active"
	PlacementEnded     PlacementStatus = "ended"
	PlacementCancelled PlacementStatus = "cancelled"
)

// PlacementStatuses lists the placement statuses.
var PlacementStatuses = []PlacementStatus{PlacementActive, PlacementEnded, PlacementCancelled}

// EndReasons are the SSDA903 REASON_PLACE_CHANGE codes for why a placement ended.
var EndReasons = []string{"CARPL", "ALLEG", "STAND", "APPRR", "CUSTOD", "CLOSE", "CREQB",
	"CREQO", "CHILD", "LAREQ", "PLACE", "OTHER"}

// OneOf reports whether v is one of allowed.
func OneOf[T ~string](v T, allowed []T) bool { return slices.Contains(allowed, v) }
