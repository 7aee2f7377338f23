package matching

import "math/bits"

// Exclusion reason codes. Each names one hard rule from DOMAIN.md; a provider that
// breaks several carries all of their codes.
const (
	CodeAgeOutOfRange        = "age_out_of_range"
	CodeUnder16Supported     = "under_16_supported_accommodation"
	CodeUnitNotRegistered    = "unit_not_registered_for_16_17"
	CodeOfstedInadequate     = "ofsted_inadequate"
	CodePlacementType        = "placement_type_not_offered"
	CodeNotApproved          = "not_approved"
	CodePendingApproval      = "pending_approval"
	CodeNotConnected         = "not_connected_person"
	CodeTemporaryExpired     = "temporary_approval_expired"
	CodeCareLeaverHub        = "care_leaver_childrens_home"
	CodeNotStayingPut        = "care_leaver_not_staying_put"
	CodeUnavailable          = "unavailable"
	CodeAvailableTooLate     = "available_too_late"
	CodeInsufficientVacancy  = "insufficient_vacancies"
	CodeFosteringLimit       = "fostering_limit"
	CodeFemaleOnlyUnit       = "female_only_unit"
	CodeNotWheelchair        = "not_wheelchair_accessible"
	CodeInAvoidArea          = "in_avoid_area"
	CodeBeyondMaxDistance    = "beyond_max_distance"
	CodeAvoidAreasUnreadable = "avoid_areas_unreadable"
	// CodeOutsideSearchRadius is never produced by Rank: it is for the caller, whose
	// spatial prefilter never loaded the providers far from the child, so that they
	// can still be counted in an exclusion summary.
	CodeOutsideSearchRadius = "outside_search_radius"

	// The household rules: the council's matching policy (Policy), checked against
	// everyone in the home after placement, in both directions.
	CodeHouseholdLiveAlone    = "household_live_alone"
	CodeHouseholdOnlyOlder    = "household_only_older"
	CodeHouseholdOnlyYounger  = "household_only_younger"
	CodeHouseholdHarmYounger  = "household_harm_to_younger"
	CodeHouseholdFireUnder5   = "household_fire_setting_young_child"
	CodeHouseholdPets         = "household_pets"
	CodeHouseholdSmokingUnder = "household_smoking_under_5"
	// CodeHighRiskSkills is produced only when Options.RequireHighRiskSkills is set.
	CodeHighRiskSkills = "high_risk_skills_missing"
)

// ReasonCode documents one exclusion code.
type ReasonCode struct {
	Code        string `json:"code"`
	Description string `json:"description"`
}

// ReasonCodes lists every exclusion code with a one-line description, for the README
// and the OpenAPI document. The order is the order codes appear in an Exclusion.
var ReasonCodes = []ReasonCode{
	{CodeAgeOutOfRange, "A child in the group is outside the provider's approved age range."},
	{CodeUnder16Supported, "A child in the group is under 16; supported accommodation is never allowed under 16 (reg 27A)."},
	{CodeUnitNotRegistered, "A child in the group is 16 or 17 and the unit is neither Ofsted-registered nor has its application accepted."},
	{CodeOfstedInadequate, "The unit's or hub's latest Ofsted overall rating is inadequate (the rating gateway)."},
	{CodePlacementType, "The provider does not take the placement type asked for: a carer's terms of approval, or the types a unit or hub declares (defaults when it declares none), do not include it."},
	{CodeNotApproved, "The carer is not approved (on hold, suspended or deregistered)."},
	{CodePendingApproval, "The carer's assessment is in progress (not yet approved): shown only when an officer asks with include_pending, never bookable."},
	{CodeNotConnected, "The carer is approved as a connected person for named children only, and a child in the group is not one of them."},
	{CodeTemporaryExpired, "The carer's temporary approval as a connected person (reg 24, extendable under reg 25) ends before the placement is needed."},
	{CodeCareLeaverHub, "A young person in the group is 18 or over; a hub's beds are children's-home beds, for under-18s."},
	{CodeNotStayingPut, "A young person in the group is 18 or over and does not live with this carer now: foster care from 18 is only staying put with the carer already lived with."},
	{CodeUnavailable, "The provider has said it is unavailable."},
	{CodeAvailableTooLate, "The provider is available only after the date the placement is needed."},
	{CodeInsufficientVacancy, "Fewer vacant places than the child and the siblings placed together need."},
	{CodeFosteringLimit, "More than 3 fostered children after placement, not all of them siblings of each other, and no exemption current on the day that names every child of the group (Children Act 1989 Sch 7)."},
	{CodeFemaleOnlyUnit, "The unit is female-only and a child in the group is not female."},
	{CodeNotWheelchair, "A child in the group uses a wheelchair and the home is not recorded as accessible (hubs never are)."},
	{CodeInAvoidArea, "The provider lies inside one of the child's locations to avoid."},
	{CodeBeyondMaxDistance, "The provider is further from the child's home than the maximum distance."},
	{CodeAvoidAreasUnreadable, "The child's locations to avoid could not be read, so no provider can be shown as safe."},
	{CodeOutsideSearchRadius, "Not loaded by the caller's spatial search: further than its search radius."},
	{CodeHouseholdLiveAlone, "A child in the group must live alone and another child lives there, or a child living there must live alone."},
	{CodeHouseholdOnlyOlder, "A child who may live only with older children would live with a child of the same age or younger."},
	{CodeHouseholdOnlyYounger, "A child who may live only with younger children would live with a child of the same age or older."},
	{CodeHouseholdHarmYounger, "A child with a high risk of sexual or physical harm to others would live with a younger child."},
	{CodeHouseholdFireUnder5, "A child with a high fire-setting risk would live with a child under 5."},
	{CodeHouseholdPets, "The household has pets and a child in the group cannot live with pets or has a high risk of harm to animals."},
	{CodeHouseholdSmokingUnder, "A smoking household and a child in the group under 5 (council policy)."},
	{CodeHighRiskSkills, "The provider's own skills do not cover a high risk of a child in the group (only when high-risk skills are required)."},
}

// reason is a set of breached rules; bit i stands for ReasonCodes[i], so a mask turns
// into its codes in the documented order without sorting.
type reason uint32

const (
	rAge reason = 1 << iota
	rUnder16
	rUnitNotReg
	rOfstedInadequate
	rPlacementType
	rNotApproved
	rPending
	rNotConnected
	rTempExpired
	rCareLeaverHub
	rNotStayingPut
	rUnavailable
	rTooLate
	rVacancies
	rFosterLimit
	rFemaleOnly
	rWheelchair
	rAvoidArea
	rBeyondMax
	rAreasUnreadable
	rOutsideSearch
	rLiveAlone
	rOnlyOlder
	rOnlyYounger
	rHarmYounger
	rFireUnder5
	rPets
	rSmokingUnder5
	rHighRiskSkills
	nReasons = iota
)

// codes appends the codes of mask to dst.
func (m reason) codes(dst []string) []string {
	for m != 0 {
		i := bits.TrailingZeros32(uint32(m))
		dst = append(dst, ReasonCodes[i].Code)
		m &= m - 1
	}
	return dst
}

// Flags on a match: facts an officer should check before booking. None of them
// excludes; some lower a factor.
const (
	// FlagAvailabilityStale: availability not confirmed within Options.StaleAfter,
	// never confirmed, or marked unconfirmed by the nightly job.
	FlagAvailabilityStale = "availability_stale"
	// FlagOutOfArea: outside the council's configured boundary.
	FlagOutOfArea = "out_of_area"
	// FlagBeyond20Miles: more than 20 miles from home (the DfE statistics split).
	FlagBeyond20Miles = "beyond_20_miles"
	// FlagDistanceUnknown: the child has no home location, so distance is not known.
	FlagDistanceUnknown = "distance_unknown"
	// FlagEmergencyOutsideTerms: an emergency placement with an approved carer whose
	// terms of approval do not list emergency care; the law allows it for up to six
	// working days (Care Planning, Placement and Case Review (England) Regulations
	// 2010, reg 23), so it is flagged, not excluded.
	FlagEmergencyOutsideTerms = "emergency_outside_terms"
	// FlagSiblingGroupOverLimit: more than 3 fostered children after placement,
	// allowed because everyone fostered there after placement (the group and the
	// children placed there now) are siblings of each other.
	FlagSiblingGroupOverLimit = "sibling_group_over_limit"
	// FlagLimitExemption: more than 3 fostered children after placement, allowed by
	// an exemption from the fostering limit current on the day that names every
	// child of the group; its conditions are in the reasons, for the officer to check.
	FlagLimitExemption = "limit_exemption"
	// FlagRegistrationPending: a 16–17 year old in a unit whose Ofsted application is
	// accepted but not yet granted.
	FlagRegistrationPending = "registration_pending"
	// FlagOfstedRequiresImprovement: the unit's or hub's latest Ofsted overall
	// rating is requires improvement to be good.
	FlagOfstedRequiresImprovement = "ofsted_requires_improvement"
	// FlagOfstedNotInspected: a unit or hub with no Ofsted rating recorded (not
	// yet inspected, or registered too recently).
	FlagOfstedNotInspected = "ofsted_not_yet_inspected"
	// FlagPendingApproval: a carer in assessment, shown because the officer asked
	// (Options.IncludePending); it cannot be booked until approved.
	FlagPendingApproval = "pending_approval"
	// FlagHighRiskNotCovered: a child in the group has a risk graded high that the
	// provider's own skills do not cover (outreach never clears it).
	FlagHighRiskNotCovered = "high_risk_not_covered"
)

// householdRules are the rules a Policy may switch off, in ReasonCodes order.
const householdRules = rLiveAlone | rOnlyOlder | rOnlyYounger | rHarmYounger | rFireUnder5 | rPets | rSmokingUnder5
