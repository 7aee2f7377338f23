package placematch

// DistanceReason says why a child was placed more than 20 miles from home or
// outside the council's area (Children Act 1989 s22C(9)(a) and (b): near home and
// within the area, so far as reasonably practicable). Booking such a home needs
// one, so that the sufficiency report can count the reasons; it is a code, not
// free text, so that the counts can be published.
type DistanceReason string

// The distance reasons.
const (
	DistanceNoNearerHome     DistanceReason = "no_nearer_home"
	DistanceSiblingsTogether DistanceReason = "siblings_together"
	DistanceSpecialistNeeds  DistanceReason = "specialist_needs"
	DistanceSafety           DistanceReason = "safety"
	DistanceConnectedPerson  DistanceReason = "connected_person"
	DistanceChildWishes      DistanceReason = "child_wishes"
	DistanceContinuity       DistanceReason = "continuity"
	DistanceOther            DistanceReason = "other"
)

// DistanceReasons lists every distance reason.
var DistanceReasons = []DistanceReason{DistanceNoNearerHome, DistanceSiblingsTogether, DistanceSpecialistNeeds,
	DistanceSafety, DistanceConnectedPerson, DistanceChildWishes, DistanceContinuity, DistanceOther}

// DistanceReasonLabels are the reasons in words, for the officer's form.
var DistanceReasonLabels = map[DistanceReason]string{
	DistanceNoNearerHome:     "No nearer home could take the child",
	DistanceSiblingsTogether: "It keeps the brothers and sisters together",
	DistanceSpecialistNeeds:  "It meets needs no nearer home can meet",
	DistanceSafety:           "The child is safer away from home (exploitation, people or places to avoid)",
	DistanceConnectedPerson:  "With a relative, friend or other connected person",
	DistanceChildWishes:      "The child's wishes and feelings",
	DistanceContinuity:       "It keeps the child's school, carer or service",
	DistanceOther:            "Another reason, recorded on the child's file",
}
