package placematch

// Sector says who runs a home: the council itself, an independent fostering agency,
// a private or voluntary provider, or another council. Sufficiency statements
// split supply and placements between the council's own provision and the rest,
// and the SSDA903 return records it for every placement as PLACE_PROVIDER.
//
// A provider's Sector is empty when it has not been recorded (records made before
// the field existed, or a client that does not send it); it is never guessed.
type Sector string

// The sectors.
const (
	SectorInHouse Sector = "in_house"
	// SectorAgency is an independent fostering agency (IFA) approving and
	// supervising the household.
	SectorAgency       Sector = "agency"
	SectorPrivate      Sector = "private"
	SectorVoluntary    Sector = "voluntary"
	SectorOtherCouncil Sector = "other_council"
)

// Sectors lists every sector, in display order (the council's own first).
var Sectors = []Sector{SectorInHouse, SectorAgency, SectorPrivate, SectorVoluntary, SectorOtherCouncil}

// PlaceProvider returns the SSDA903 PLACE_PROVIDER code of a placement with a
// provider of the sector, and false for an unrecorded or unknown sector.
//
// Source: DfE, Children looked after return (SSDA903) guide, code set "Placement
// provider", as summarised in the project's domain notes: PR0 parents or another
// person with parental responsibility, PR1 own council's provision, PR2 another
// council's, PR3 other public provision (e.g. the NHS), PR4 private, PR5 voluntary
// or third sector. An independent fostering agency is not a code of its own: the
// guide records it by the agency's status, and since most IFAs in England are
// private companies agency maps to PR4; an IFA that is a charity is recorded as
// voluntary (PR5). PR0 and PR3 are never a carer's, unit's or hub's sector here.
func (s Sector) PlaceProvider() (string, bool) {
	switch s {
	case SectorInHouse:
		return "PR1", true
	case SectorOtherCouncil:
		return "PR2", true
	case SectorAgency, SectorPrivate:
		return "PR4", true
	case SectorVoluntary:
		return "PR5", true
	}
	return "", false
}

// CheckSector adds a field error to v unless s is empty (not recorded) or one of
// Sectors.
func CheckSector(v *ValidationError, field string, s Sector) {
	if s != "" {
		CheckOneOf(v, field, s, Sectors)
	}
}
