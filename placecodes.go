package placematch

import (
	"fmt"
	"time"
)

// ReturnYear is an SSDA903 collection year, named by the 31 March it ends on:
// ReturnYear(2025) is 1 April 2024 to 31 March 2025, the "2024 to 2025" return and
// the DfE's time_period 2025.
type ReturnYear int

// ReturnYearOf returns the collection year that date d falls in.
func ReturnYearOf(d Date) ReturnYear {
	t := d.Time()
	if t.Month() >= time.April {
		return ReturnYear(t.Year() + 1)
	}
	return ReturnYear(t.Year())
}

// String names the year as the DfE does in short: "2024/25".
func (y ReturnYear) String() string { return fmt.Sprintf("%d/%02d", int(y)-1, int(y)%100) }

// The SSDA903 PLACE (placement type) codes per collection year.
//
// Source: DfE, Children looked after return (SSDA903) guides, code set "Placement
// type", for 2023 to 2024, 2024 to 2025 and 2025 to 2026, as summarised in the
// project's domain notes: U1–U6 foster placements (U1–U3 with a relative or friend,
// U4–U6 with another carer; U1 and U4 long-term, U2 and U5 fostering for adoption or
// concurrent planning, U3 and U6 the rest), K2 children's home, K3 supported
// accommodation registered under the Supported Accommodation (England) Regulations
// 2023 (new in 2024/25), H5 semi-independent living (retired from 2025/26), P1 with
// parents, R1 residential care home, Z1 other. Only the codes this service can give
// or names are listed; the guides have more (adoption, secure, residential schools,
// temporary placements). Check the list against the year's guide before a return is
// sent, and add the next year's list here when the DfE publishes it: a year with no
// list has no codes, so PlaceCode refuses it rather than guess.
var placeCodeLists = []struct {
	// Through is the last collection year the list is for; each list starts after
	// the one before it.
	Through ReturnYear
	Codes   map[string]string
}{
	{Through: 2024, Codes: map[string]string{
		"U1": "Foster placement with relative or friend, long term",
		"U2": "Foster placement with relative or friend who is also an approved adopter (fostering for adoption or concurrent planning)",
		"U3": "Foster placement with relative or friend, not long term or fostering for adoption",
		"U4": "Foster placement with other foster carer, long term",
		"U5": "Foster placement with other foster carer who is also an approved adopter (fostering for adoption or concurrent planning)",
		"U6": "Foster placement with other foster carer, not long term or fostering for adoption",
		"K2": "Children's home",
		"H5": "Semi-independent living accommodation not subject to children's homes regulations",
		"P1": "Placed with own parent(s) or other person(s) with parental responsibility",
		"R1": "Residential care home",
		"Z1": "Other placements",
	}},
	{Through: 2025, Codes: map[string]string{
		"U1": "Foster placement with relative or friend, long term",
		"U2": "Foster placement with relative or friend who is also an approved adopter (fostering for adoption or concurrent planning)",
		"U3": "Foster placement with relative or friend, not long term or fostering for adoption",
		"U4": "Foster placement with other foster carer, long term",
		"U5": "Foster placement with other foster carer who is also an approved adopter (fostering for adoption or concurrent planning)",
		"U6": "Foster placement with other foster carer, not long term or fostering for adoption",
		"K2": "Children's home",
		"K3": "Supported accommodation registered with Ofsted (Supported Accommodation (England) Regulations 2023)",
		"H5": "Semi-independent living accommodation not subject to children's homes or supported accommodation regulations",
		"P1": "Placed with own parent(s) or other person(s) with parental responsibility",
		"R1": "Residential care home",
		"Z1": "Other placements",
	}},
	{Through: 2026, Codes: map[string]string{
		"U1": "Foster placement with relative or friend, long term",
		"U2": "Foster placement with relative or friend who is also an approved adopter (fostering for adoption or concurrent planning)",
		"U3": "Foster placement with relative or friend, not long term or fostering for adoption",
		"U4": "Foster placement with other foster carer, long term",
		"U5": "Foster placement with other foster carer who is also an approved adopter (fostering for adoption or concurrent planning)",
		"U6": "Foster placement with other foster carer, not long term or fostering for adoption",
		"K2": "Children's home",
		"K3": "Supported accommodation registered with Ofsted (Supported Accommodation (England) Regulations 2023)",
		"P1": "Placed with own parent(s) or other person(s) with parental responsibility",
		"R1": "Residential care home",
		"Z1": "Other placements",
	}},
}

// PlaceCodes returns the PLACE codes of collection year y with their descriptions,
// and false for a year after the last list known.
func PlaceCodes(y ReturnYear) (map[string]string, bool) {
	for _, l := range placeCodeLists {
		if y <= l.Through {
			return l.Codes, true
		}
	}
	return nil, false
}

// PlacementFacts is what of a placement its PLACE code depends on beside the
// provider: the child (a connected person's approval names the children it is for),
// the care the child was referred for, and the child's age when it started.
type PlacementFacts struct {
	ChildID       string
	PlacementType PlacementType
	Age           int
}

// PlaceCode returns the SSDA903 PLACE code of a placement with provider p, for
// collection year y, or an ErrInvalid error saying why the placement has none:
//
//   - a foster carer: U1 or U3 when the carer is a connected person of the child
//     (approved for connected_person care naming it, or the child was referred for
//     connected_person care), U4 or U6 otherwise; U1 and U4 when the child was
//     referred for long-term care. U2 and U5 (fostering for adoption, concurrent
//     planning) are never given: the service does not record an adoption approval.
//   - a hub: K2, its beds being children's-home beds.
//   - a supported-accommodation unit: H5 up to 2023/24; from 2024/25 K3 when the unit
//     is registered with Ofsted or its application is accepted (Care Planning
//     Regulations reg 27C allows both), H5 when not registered in 2024/25, and no
//     code from 2025/26, when H5 is retired and such a placement of a child of 16 or
//     17 is unlawful. Never for a child under 16 (reg 27A).
//
// A young person of 18 or over is not looked after and is in no return.
func PlaceCode(pl PlacementFacts, p *Provider, y ReturnYear) (string, error) {
	codes, ok := PlaceCodes(y)
	if !ok {
		return "", Errorf(ErrInvalid, "No SSDA903 PLACE code list is known for %s", y)
	}
	if pl.Age >= AdultAge {
		return "", Errorf(ErrInvalid, "A young person of %d is not looked after: the placement is in no SSDA903 return", pl.Age)
	}
	var code string
	switch {
	case p.Carer != nil:
		connected := pl.PlacementType == PlacementConnectedPerson || p.Carer.IsConnectedTo(pl.ChildID)
		long := pl.PlacementType == PlacementLongTerm
		switch {
		case connected && long:
			code = "U1"
		case connected:
			code = "U3"
		case long:
			code = "U4"
		default:
			code = "U6"
		}
	case p.Hub != nil:
		code = "K2"
	case p.Unit != nil:
		if pl.Age < 16 {
			return "", Errorf(ErrInvalid, "A child under 16 is never placed in supported accommodation (reg 27A): no PLACE code")
		}
		registered := p.Unit.RegistrationStatus == Registered || p.Unit.RegistrationStatus == ApplicationAccepted
		code = "H5"
		if _, k3 := codes["K3"]; k3 && registered {
			code = "K3"
		}
	default:
		return "", Errorf(ErrInvalid, "Provider %s is of no kind with a PLACE code", p.ID)
	}
	if _, ok := codes[code]; !ok {
		return "", Errorf(ErrInvalid, "PLACE code %s does not exist in %s: an unregistered supported-accommodation placement has no code from 2025/26", code, y)
	}
	return code, nil
}
