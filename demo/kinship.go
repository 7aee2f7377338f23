package demo

import (
	"fmt"
	"time"

	"placematch"
)

// numKinCarers are the connected-person households of the demo.
const numKinCarers = 3

// kinSeed keeps the connected-person households' draws apart from the rest of the
// demo, so that adding them changed no other record.
const kinSeed = 0x6b696e

// kin is one connected-person household: whom it is connected to, and how.
type kin struct {
	referrals    []int // indexes into the awaiting referrals
	relationship string
	temporary    bool // a temporary approval under reg 24, still in force
}

// kinPlan connects households to the first sibling group (a grandmother for both
// children), the first single referral (an aunt, temporarily approved a fortnight
// ago) and the second single referral (a family friend). first is the index of the
// first single referral.
func kinPlan(first int) []kin {
	return []kin{
		{referrals: []int{0, 1}, relationship: "grandmother"},
		{referrals: []int{first}, relationship: "aunt", temporary: true},
		{referrals: []int{first + 1}, relationship: "family friend"},
	}
}

// kinCarers builds the connected-person households: relatives and friends of
// children awaiting a placement, approved as foster carers for those children only
// (Children Act 1989 s22C(7)(a): the council must prefer them). They live near the
// children's family homes, approved for the children's own placement type, with no
// other children at home. The referrals must be stored already: the households name
// their ids.
func kinCarers(seed uint64, now time.Time, refs []referral, first int) []*placematch.Provider {
	g := newGen(seed^kinSeed, now)
	var out []*placematch.Provider
	for i, k := range kinPlan(first) {
		lead := refs[k.referrals[0]].c
		types := []placematch.PlacementType{placematch.PlacementConnectedPerson}
		if t := lead.PlacementType; t != placematch.PlacementConnectedPerson {
			types = append(types, t)
		}
		d := &placematch.CarerDetails{Status: placematch.CarerApproved, PlacementTypes: types,
			MaxChildren: len(k.referrals), Languages: []string{"english"},
			Skills: sample(g, needSkills, g.between(0, 2))}
		for _, j := range k.referrals {
			d.ConnectedTo = append(d.ConnectedTo, placematch.Connection{ChildID: refs[j].c.ID, Relationship: k.relationship})
		}
		if k.temporary {
			from := g.today.AddDays(-14)
			d.TemporaryApproval = &placematch.TemporaryApproval{ApprovedOn: from,
				ExpiresOn: from.AddDays(placematch.TemporaryApprovalDays)}
		}
		ti := townIndex("Norwich")
		if lead.Location != nil {
			ti = nearestTown(*lead.Location)
		}
		out = append(out, &placematch.Provider{
			Kind:      placematch.KindCarer,
			Reference: fmt.Sprintf("FC-K%03d", i+1),
			Name:      fmt.Sprintf("%s household, %s", surnames[g.r.IntN(len(surnames))], towns[ti].name),
			Location:  g.near(ti, 3),
			AgeMin:    0, AgeMax: 17,
			Availability: g.availability(false, []opt[string]{{placematch.SourceOfficer, 1}}, carerNotes),
			Carer:        d,
			Sector:       placematch.SectorInHouse,
		})
	}
	return out
}
