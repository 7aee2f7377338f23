package matching

import (
	"cmp"
	"math"
	"slices"
	"strings"

	"placematch"
)

// Candidate is a provider prepared once for fast ranking. The store keeps prepared
// candidates in memory and prepares a provider again whenever it changes; Rank reads
// only the precomputed fields in its first pass and touches P only for the few
// matches it explains.
type Candidate struct {
	// P is the provider as stored. Rank never modifies it.
	P *placematch.Provider

	// Hot fields only, largest first so little pads: 152 bytes a candidate, so
	// 100k of them stream through the cache in about 15 MB. The id stays in P; it
	// is read only to break exact ties.
	idKey     uint64  // first 8 bytes of the id, big-endian: sorts like the id, ties aside
	x, y, z   float64 // unit vector of the location, for chord distances
	lat, lon  float64 // degrees, for avoid-areas and the outreach grid without touching P
	confirmed int64   // availability confirmed_at in Unix seconds; noConfirm when never
	cover     uint64  // needs and risk types covered (bit per needBit)
	lang      uint64  // language bits, see langBit (carers only)
	from      int32   // available_from in days since 1970; math.MinInt32 when unset
	static    reason  // rules that fail whatever the child
	// Blooms (idBloom) of the residents' ids, of the ids their sibling links name,
	// and of the children the carer's exemptions from the fostering limit name.
	resIDs, resLinks, exBloom uint64
	props                     uint32 // pAccessible, pFemaleOnly, ...
	vac                       int16  // vacant places
	vacPlan                   int16  // vacant places for a planned placement (hubs: planned beds only)
	filled                    int16
	ageMin                    int16
	ageMax                    int16
	kind                      uint8 // kindCarer, kindUnit or kindHub
	types                     uint8 // bit per placematch.PlacementTypes the provider takes (OfferedTypes)
	// kin has the kinBit of every child a connected-person carer is connected to,
	// so that a child it is not connected to is told apart without reading P.
	kin uint8

	// The household before placement, boiled down to what the household rules
	// compare (see household.go): the youngest and eldest other child (the carer's
	// own children and the residents), and per kind of resident the extreme age
	// that decides its rule. Each is meaningful only when its props bit is set.
	hhMin       int8 // youngest other child (pOthers)
	hhMax       int8 // eldest other child (pOthers)
	rOlderMax   int8 // eldest resident who may live only with older children (pResOlder)
	rYoungerMin int8 // youngest resident who may live only with younger children (pResYounger)
	rHarmMax    int8 // eldest resident with a high risk of harm to others (pResHarm)
	// adults counts the residents of 18 or over: young people staying put, who
	// live there but are not fostered children under the fostering limit.
	adults int16

	// A hub's outreach: its team's radius in km (0 for none and for other kinds)
	// and the team's ages (the hub's own range; ageMin and ageMax are its beds'),
	// so that the outreach index is built without reading P.
	reach            float64
	teamMin, teamMax int16
}

const noConfirm = math.MinInt64

// Kind bits, so that Options.Kinds becomes one mask test.
const (
	kindCarer uint8 = 1 << iota
	kindUnit
	kindHub
)

// Candidate properties.
const (
	pAccessible uint32 = 1 << iota
	pFemaleOnly
	pRegOK       // unit registered or application accepted: may take 16–17 year olds
	pRegPending  // unit application accepted only
	pExempt      // carer has an exemption from the fostering limit that may be current
	pInDistrict  // inside the configured council area
	pUnconfirmed // availability status unconfirmed
	pArchived
	pPets         // fostering household with pets
	pSmoking      // fostering household that smokes
	pOthers       // other children live there: the carer's own or residents
	pResLiveAlone // a resident must live alone
	pResFire      // a resident has a high fire-setting risk
	pResOlder     // a resident may live only with older children
	pResYounger   // a resident may live only with younger children
	pResHarm      // a resident has a high risk of sexual or physical harm to others
	pTemporary    // a connected person's temporary approval (reg 24) is recorded
)

// pHousehold marks a candidate whose household some group could break a rule of.
const pHousehold = pPets | pSmoking | pOthers

// needBit numbers the needs taxonomy then the risk types; 28 codes fit in a uint64,
// so "which needs does this provider cover" is one AND.
var needBit = func() map[string]uint {
	m := map[string]uint{}
	for _, code := range slices.Concat(placematch.Needs, placematch.RiskTypes) {
		if _, dup := m[code]; !dup {
			m[code] = uint(len(m))
		}
	}
	if len(m) > 64 {
		panic("matching: needs and risk taxonomies no longer fit in a uint64")
	}
	return m
}()

// serviceFor maps a need or risk code to the hub services that can meet it. A hub
// covers a need when it offers any of them. Needs about the home itself (pets, who
// the child lives alongside, parent-and-child) are never met by an outreach service,
// so they are absent. Why each entry:
//   - speech_and_language, makaton: the hub's speech and language therapist;
//   - mental_health, trauma, self_harm, eating_disorder: clinical psychology;
//   - therapeutic: the life coach (in No Wrong Door a clinical psychologist leads the
//     life coaches), so either service;
//   - education_support: education support;
//   - criminal_exploitation, sexual_exploitation, going_missing: police liaison;
//   - substances: youth work.
var serviceFor = map[string][]string{
	"speech_and_language":   {"speech_and_language_therapy"},
	"makaton":               {"speech_and_language_therapy"},
	"mental_health":         {"clinical_psychology"},
	"trauma":                {"clinical_psychology"},
	"self_harm":             {"clinical_psychology"},
	"eating_disorder":       {"clinical_psychology"},
	"therapeutic":           {"life_coaching", "clinical_psychology"},
	"education_support":     {"education_support"},
	"criminal_exploitation": {"police_liaison"},
	"sexual_exploitation":   {"police_liaison"},
	"going_missing":         {"police_liaison"},
	"substances":            {"youth_work"},
}

// skillMask sets the bit of every known code in codes; unknown codes are ignored.
func skillMask(codes []string) uint64 {
	var m uint64
	for _, c := range codes {
		if b, ok := needBit[c]; ok {
			m |= 1 << b
		}
	}
	return m
}

// serviceMask returns the needs a hub offering services covers.
func serviceMask(services []string) uint64 {
	var m uint64
	for need, want := range serviceFor {
		for _, s := range want {
			if slices.Contains(services, s) {
				m |= 1 << needBit[need]
			}
		}
	}
	return m
}

// Prepare precomputes what Rank needs from p. Call it again whenever p changes.
func Prepare(p *placematch.Provider) Candidate {
	c := Candidate{P: p, confirmed: noConfirm, from: math.MinInt32,
		vac: small(p.Vacancies), filled: small(p.Filled),
		ageMin: small(p.AgeMin), ageMax: small(p.AgeMax), kind: kindBit(p.Kind)}
	c.x, c.y, c.z = unitVector(p.Location)
	c.lat, c.lon = p.Location.Lat, p.Location.Lon
	c.idKey = prefixKey(p.ID)
	if !p.Approved() || p.Availability.Status == placematch.Unavailable {
		// The store gives such providers no vacancies at all; count the places that
		// are really free, so a suspended carer with room is excluded as
		// not_approved and not also as insufficient_vacancies. (A unit feed's
		// report is applied without its freshness check: there is no clock here,
		// and it only decides which extra code a blocked provider carries.)
		free := p.Places - p.Filled
		if p.ReportedVacancies != nil {
			free = min(free, *p.ReportedVacancies)
		}
		c.vac = small(max(free, 0))
	}
	c.vacPlan = c.vac
	if a := p.Availability; a.ConfirmedAt != nil {
		c.confirmed = a.ConfirmedAt.Unix()
	}
	if !p.Availability.AvailableFrom.IsZero() {
		c.from = dayNumber(p.Availability.AvailableFrom)
	}
	if p.Availability.Status == placematch.Unavailable {
		c.static |= rUnavailable
	}
	if p.Availability.Status == placematch.Unconfirmed {
		c.props |= pUnconfirmed
	}
	if p.District != "" {
		c.props |= pInDistrict
	}
	if p.ArchivedAt != nil {
		c.props |= pArchived
	}
	prepareResidents(&c, p.Residents, nil)
	switch {
	case p.Carer != nil:
		prepareCarer(&c, p.Carer)
	case p.Unit != nil:
		prepareUnit(&c, p.Unit)
		c.types = offeredBits(p) &^ connectedBit
	case p.Hub != nil:
		c.kind = kindHub
		c.cover = serviceMask(p.Hub.Services)
		if p.Hub.Ofsted.Grade == placematch.OfstedInadequate {
			c.static |= rOfstedInadequate
		}
		// Connected-person care is a foster carer's approval for named children:
		// a children's-home bed never offers it, whatever a record says. The beds'
		// ages are the hard rule; the hub's own ages are its outreach team's.
		c.types = offeredBits(p) &^ connectedBit
		lo, hi := p.Hub.BedAges()
		c.ageMin, c.ageMax = small(lo), small(hi)
		// Planned placements may use only the planned beds; emergency beds are kept
		// for emergencies. Filled counts children in either kind of bed, so this is
		// conservative: an emergency child in an emergency bed still uses up a
		// planned one here.
		c.vacPlan = max(0, min(c.vac, small(p.Hub.Beds-p.Filled)))
		c.reach, c.teamMin, c.teamMax = p.Hub.OutreachRadiusKM, small(p.AgeMin), small(p.AgeMax)
	}
	return c
}

func prepareCarer(c *Candidate, d *placematch.CarerDetails) {
	c.kind = kindCarer
	switch d.Status {
	case placematch.CarerApproved:
	case placematch.CarerInAssessment:
		c.static |= rPending
	default:
		c.static |= rNotApproved
	}
	for _, t := range d.PlacementTypes {
		c.types |= typeBit(t)
	}
	for _, k := range d.ConnectedTo {
		c.kin |= kinBit(k.ChildID)
	}
	if d.TemporaryApproval != nil {
		c.props |= pTemporary
	}
	if slices.ContainsFunc(d.Exemptions, func(e placematch.Exemption) bool { return !e.Legacy }) {
		c.props |= pExempt
	}
	for _, e := range d.Exemptions {
		for _, id := range e.Children {
			c.exBloom |= idBloom(id)
		}
	}
	if d.Household.WheelchairAccessible {
		c.props |= pAccessible
	}
	c.cover = skillMask(d.Skills)
	for _, l := range d.Languages {
		c.lang |= langBit(l)
	}
	if d.Household.Pets {
		c.props |= pPets
	}
	if d.Household.Smoking {
		c.props |= pSmoking
	}
	for _, a := range d.Household.OtherChildrenAges {
		c.addOther(a)
	}
}

// prepareResidents records the children placed there now: their ages among the
// other children, and the household needs and high risks that rule out a new child.
// Residents skip reports true for are left out.
func prepareResidents(c *Candidate, rs []placematch.Resident, skip func(*placematch.Resident) bool) {
	for i := range rs {
		r := &rs[i]
		if skip != nil && skip(r) {
			continue
		}
		c.resIDs |= idBloom(r.ChildID)
		for _, s := range r.Siblings {
			c.resLinks |= idBloom(s)
		}
		c.addOther(r.Age)
		if r.Age >= placematch.AdultAge {
			c.adults++
		}
		age := tiny(r.Age)
		f := residentFacts(*r)
		if f&hfLiveAlone != 0 {
			c.props |= pResLiveAlone
		}
		if f&hfFire != 0 {
			c.props |= pResFire
		}
		if f&hfOnlyOlder != 0 {
			c.rOlderMax = maxIf(c.props&pResOlder != 0, c.rOlderMax, age)
			c.props |= pResOlder
		}
		if f&hfOnlyYounger != 0 {
			c.rYoungerMin = minIf(c.props&pResYounger != 0, c.rYoungerMin, age)
			c.props |= pResYounger
		}
		if f&hfHarm != 0 {
			c.rHarmMax = maxIf(c.props&pResHarm != 0, c.rHarmMax, age)
			c.props |= pResHarm
		}
	}
}

// addOther counts one more child living there before placement.
func (c *Candidate) addOther(age int) {
	a := tiny(age)
	c.hhMin = minIf(c.props&pOthers != 0, c.hhMin, a)
	c.hhMax = maxIf(c.props&pOthers != 0, c.hhMax, a)
	c.props |= pOthers
}

// minIf is min(old, a) when there is an old value, else a; maxIf likewise.
func minIf[T int8 | int16](has bool, old, a T) T {
	if has {
		return min(old, a)
	}
	return a
}

func maxIf[T int8 | int16](has bool, old, a T) T {
	if has {
		return max(old, a)
	}
	return a
}

// tiny clamps an age into an int8; nobody in a home is older than 127.
func tiny(n int) int8 { return int8(min(max(n, math.MinInt8), math.MaxInt8)) }

func prepareUnit(c *Candidate, d *placematch.UnitDetails) {
	c.kind = kindUnit
	c.cover = skillMask(d.Skills)
	if d.Ofsted.Grade == placematch.OfstedInadequate {
		c.static |= rOfstedInadequate
	}
	if slices.Contains(d.Features, placematch.FeatureWheelchairAccessible) {
		c.props |= pAccessible
	}
	if slices.Contains(d.Features, placematch.FeatureFemaleOnly) {
		c.props |= pFemaleOnly
	}
	switch d.RegistrationStatus {
	case placematch.Registered:
		c.props |= pRegOK
	case placematch.ApplicationAccepted:
		c.props |= pRegOK | pRegPending
	}
}

// emergencyBit is the bit of an emergency placement; connectedBit of connected-person care.
var (
	emergencyBit = typeBit(placematch.PlacementEmergency)
	connectedBit = typeBit(placematch.PlacementConnectedPerson)
)

// kinBit is a one-bit summary of a child id (FNV-1a, low 3 bits): a carer whose kin
// lacks a member's bit is not connected to that member.
func kinBit(id string) uint8 {
	h := uint32(2166136261)
	for i := 0; i < len(id); i++ {
		h = (h ^ uint32(id[i])) * 16777619
	}
	return 1 << (h & 7)
}

// offeredBits sets the bit of every placement type p takes.
func offeredBits(p *placematch.Provider) uint8 {
	var b uint8
	for _, t := range p.OfferedTypes() {
		b |= typeBit(t)
	}
	return b
}

// typeBit returns the bit of a placement type, or 0 for a type outside the list:
// such a type is never approved and never matches.
func typeBit(t placematch.PlacementType) uint8 {
	if i := slices.Index(placematch.PlacementTypes, t); i >= 0 {
		return 1 << i
	}
	return 0
}

func kindBit(k placematch.ProviderKind) uint8 {
	switch k {
	case placematch.KindCarer:
		return kindCarer
	case placematch.KindUnit:
		return kindUnit
	case placematch.KindHub:
		return kindHub
	}
	return 0
}

// dayNumber counts days since 1970-01-01, so dates compare as integers.
func dayNumber(d placematch.Date) int32 {
	return int32(d.Time().Unix() / 86400)
}

// prefixKey packs the first 8 bytes of s big-endian, zero-padded, so comparing keys
// orders strings as strings do whenever the keys differ; equal keys fall back to
// comparing the strings.
func prefixKey(s string) uint64 {
	var k uint64
	for i := range 8 {
		k <<= 8
		if i < len(s) {
			k |= uint64(s[i])
		}
	}
	return k
}

// compareIDs orders candidates by provider id, then kind.
func compareIDs(a, b *Candidate) int {
	switch {
	case a.idKey != b.idKey:
		return cmp.Compare(a.idKey, b.idKey)
	case a.P.ID != b.P.ID:
		return strings.Compare(a.P.ID, b.P.ID)
	}
	return cmp.Compare(a.kind, b.kind)
}

// small clamps a count or an age into an int16; no home has 32,767 places.
func small(n int) int16 { return int16(min(max(n, math.MinInt16), math.MaxInt16)) }
