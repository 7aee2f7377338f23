package matching

import (
	"slices"
	"strings"
	"testing"

	"placematch"
)

// One placement-type rule for every kind: a carer's terms, a unit's or hub's
// declared types, their documented defaults when none are declared.
func TestPlacementTypeEveryKind(t *testing.T) {
	types := func(ts ...placematch.PlacementType) []placematch.PlacementType { return ts }
	cases := []struct {
		name     string
		kind     placematch.ProviderKind
		declared []placematch.PlacementType
		asked    placematch.PlacementType
		offered  bool
	}{
		{"hub default takes emergency", placematch.KindHub, nil, placematch.PlacementEmergency, true},
		{"hub default takes short breaks", placematch.KindHub, nil, placematch.PlacementShortBreaks, true},
		{"hub default takes respite", placematch.KindHub, nil, placematch.PlacementRespite, true},
		{"hub default never long term", placematch.KindHub, nil, placematch.PlacementLongTerm, false},
		{"hub default never connected person", placematch.KindHub, nil, placematch.PlacementConnectedPerson, false},
		{"hub that says long term takes it", placematch.KindHub, types(placematch.PlacementLongTerm), placematch.PlacementLongTerm, true},
		{"hub that says long term only, no emergency", placematch.KindHub, types(placematch.PlacementLongTerm), placematch.PlacementEmergency, false},
		{"hub record naming connected person still refused", placematch.KindHub, types(placematch.PlacementConnectedPerson), placematch.PlacementConnectedPerson, false},
		{"unit default takes long term", placematch.KindUnit, nil, placematch.PlacementLongTerm, true},
		{"unit default never respite", placematch.KindUnit, nil, placematch.PlacementRespite, false},
		{"unit default never connected person", placematch.KindUnit, nil, placematch.PlacementConnectedPerson, false},
		{"unit that says respite takes it", placematch.KindUnit, types(placematch.PlacementRespite), placematch.PlacementRespite, true},
		{"unit without emergency has no reg 23 exception", placematch.KindUnit, types(placematch.PlacementLongTerm), placematch.PlacementEmergency, false},
		{"carer outside terms, not emergency", placematch.KindCarer, types(placematch.PlacementLongTerm), placematch.PlacementShortTerm, false},
		{"carer outside terms, emergency (reg 23)", placematch.KindCarer, types(placematch.PlacementLongTerm), placematch.PlacementEmergency, true},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			child := newChild("c1", 16)
			child.PlacementType = tc.asked
			var p *placematch.Provider
			switch tc.kind {
			case placematch.KindHub:
				p = newHub("p", north(norwich, 3))
				p.Hub.PlacementTypes = tc.declared
			case placematch.KindUnit:
				p = newUnit("p", 3)
				p.Unit.PlacementTypes = tc.declared
			default:
				p = newCarer("p", 3)
				p.Carer.PlacementTypes = tc.declared
			}
			r := rank(t, request(child), Options{}, p)
			got := !slices.Contains(exclusionOf(r, "p"), CodePlacementType)
			if got != tc.offered || got != (len(r.Matches) == 1) {
				t.Fatalf("offered %v, want %v; matches %v, excluded %v", got, tc.offered, matchIDs(r), r.Excluded)
			}
			if codes := Check(request(child), p, Options{}); slices.Contains(codes, CodePlacementType) == tc.offered {
				t.Fatalf("Check gives %v", codes)
			}
		})
	}
}

// A hub's beds take 12–17 by default: no 18-year-old, whatever the hub's outreach
// ages, and never a younger child than its bed ages say; outreach still works with
// 12–25 year olds.
func TestHubBedAges(t *testing.T) {
	hub := newHub("hub", north(norwich, 2), "clinical_psychology")
	prepare(hub) // places and vacancies, as the store derives them
	for _, tc := range []struct {
		age  int
		want []string
	}{
		{12, nil}, {17, nil},
		{11, []string{CodeAgeOutOfRange}},
		{18, []string{CodeAgeOutOfRange, CodeCareLeaverHub}},
		{19, []string{CodeAgeOutOfRange, CodeCareLeaverHub}},
	} {
		child := newChild("c1", tc.age)
		child.PlacementType = placematch.PlacementShortTerm
		if got := Check(request(child), hub, Options{}); !slices.Equal(got, tc.want) {
			t.Errorf("age %d: %v, want %v", tc.age, got, tc.want)
		}
	}
	// A hub declaring beds for 10–17 takes a 10-year-old; a record claiming beds
	// for 18-year-olds still never takes one.
	hub.Hub.BedAgeMin, hub.Hub.BedAgeMax = 10, 18
	if got := Check(request(newChild("c1", 10)), hub, Options{}); len(got) != 0 {
		t.Errorf("declared bed ages: %v", got)
	}
	if got := Check(request(newChild("c1", 18)), hub, Options{}); !slices.Equal(got, []string{CodeCareLeaverHub}) {
		t.Errorf("18 with beds to 18: %v", got)
	}
	// Outreach serves a 19-year-old in a unit near the hub.
	hub.Hub.BedAgeMin, hub.Hub.BedAgeMax = 0, 0
	child := newChild("c1", 19)
	child.Needs = []string{"trauma"}
	unit := newUnit("u", 3)
	r := rank(t, request(child), Options{Hubs: prepare(hub)}, unit, hub)
	if !slices.Equal(matchIDs(r), []string{"u"}) || r.Matches[0].Needs[0].CoveredBy != CoveredByOutreach {
		t.Fatalf("matches %v, needs %+v", matchIDs(r), r.Matches)
	}
}

// kinCarer is a carer 30 km away approved as a connected person for the children
// named, covering none of the child's needs: on score alone it would rank last.
func kinCarer(id string, children ...string) *placematch.Provider {
	p := newCarer(id, 30)
	p.Filled = 0
	p.Carer.PlacementTypes = []placematch.PlacementType{placematch.PlacementConnectedPerson, placematch.PlacementShortTerm}
	for _, c := range children {
		p.Carer.ConnectedTo = append(p.Carer.ConnectedTo, placematch.Connection{ChildID: c, Relationship: "grandmother"})
	}
	return p
}

// A connected-person carer ranks first for its child, above better-scoring
// providers of every kind, says why citing s22C(7)(a), and is absent for every
// other child.
func TestConnectedPersonFirst(t *testing.T) {
	child := newChild("c1", 16)
	child.Needs = []string{"trauma"}
	near := newCarer("near", 1)
	near.Carer.Skills = []string{"trauma"}
	unit := newUnit("unit", 1)
	unit.Unit.Skills = []string{"trauma"}
	hub := newHub("hub", north(norwich, 1), "clinical_psychology")
	kin := kinCarer("kin", "c1")
	r := rank(t, request(child), Options{}, near, unit, hub, kin)
	if len(r.Matches) != 4 || r.Matches[0].Provider.ID != "kin" || r.Matches[0].Tier != TierConnected {
		t.Fatalf("matches %v", matchIDs(r))
	}
	if r.Matches[0].Score >= r.Matches[1].Score {
		t.Fatalf("the kin carer should win by its tier, not its score: %v vs %v", r.Matches[0].Score, r.Matches[1].Score)
	}
	said := strings.Join(r.Matches[0].Reasons, " ")
	if !strings.Contains(said, "s22C(7)(a)") || !strings.Contains(said, "REF-c1 (grandmother)") {
		t.Errorf("reasons %q", said)
	}
	for _, m := range r.Matches[1:] {
		if m.Tier != TierUsual {
			t.Errorf("%s tier %d", m.Provider.ID, m.Tier)
		}
	}

	// Asked for connected-person care, only the connected carer is offered.
	child.PlacementType = placematch.PlacementConnectedPerson
	r = rank(t, request(child), Options{}, near, unit, hub, kin)
	if !slices.Equal(matchIDs(r), []string{"kin"}) {
		t.Fatalf("connected-person request: %v, excluded %v", matchIDs(r), r.Excluded)
	}
	for _, id := range []string{"near", "unit", "hub"} {
		if !slices.Contains(exclusionOf(r, id), CodePlacementType) {
			t.Errorf("%s: %v", id, exclusionOf(r, id))
		}
	}

	// Every other child: absent, excluded with its code, for any placement type.
	for _, pt := range []placematch.PlacementType{placematch.PlacementShortTerm, placematch.PlacementConnectedPerson} {
		other := newChild("c2", 16)
		other.PlacementType = pt
		r = rank(t, request(other), Options{}, near, kin)
		if slices.Contains(matchIDs(r), "kin") || !slices.Contains(exclusionOf(r, "kin"), CodeNotConnected) {
			t.Errorf("%s for another child: matches %v, kin %v", pt, matchIDs(r), exclusionOf(r, "kin"))
		}
	}
	// A sibling group: connected to one of them only is not connected to the group.
	a, b := newChild("c1", 12), newChild("c2", 10)
	siblings(a, b)
	kin.Carer.MaxChildren = 2
	prepare(kin)
	if got := Check(request(a, b), kin, Options{}); !slices.Equal(got, []string{CodeNotConnected}) {
		t.Errorf("group with one connected: %v", got)
	}
	kin.Carer.ConnectedTo = append(kin.Carer.ConnectedTo, placematch.Connection{ChildID: "c2"})
	if got := Check(request(a, b), kin, Options{}); len(got) != 0 {
		t.Errorf("group with both connected: %v", got)
	}
	// The approval covers the placement types it lists, no others.
	c := newChild("c1", 12)
	c.PlacementType = placematch.PlacementLongTerm
	if got := Check(request(c), kin, Options{}); !slices.Equal(got, []string{CodePlacementType}) {
		t.Errorf("long term, not in the approval: %v", got)
	}
}

// A temporary approval (reg 24) is in force up to and including its expiry date;
// after it, the carer is excluded with its code.
func TestTemporaryApprovalExpiry(t *testing.T) {
	child := newChild("c1", 12)
	kin := kinCarer("kin", "c1")
	prepare(kin)
	for _, tc := range []struct {
		name    string
		expires placematch.Date
		needed  placematch.Date
		want    []string
	}{
		{"in force", testToday.AddDays(30), placematch.Date{}, nil},
		{"ends today", testToday, placematch.Date{}, nil},
		{"ended yesterday", testToday.AddDays(-1), placematch.Date{}, []string{CodeTemporaryExpired}},
		{"ends before the day needed", testToday.AddDays(5), testToday.AddDays(6), []string{CodeTemporaryExpired}},
	} {
		kin.Carer.TemporaryApproval = &placematch.TemporaryApproval{ApprovedOn: testToday.AddDays(-100), ExpiresOn: tc.expires, Extended: true}
		child.RequiredFrom = tc.needed
		if got := Check(request(child), kin, Options{}); !slices.Equal(got, tc.want) {
			t.Errorf("%s: %v, want %v", tc.name, got, tc.want)
		}
	}
	child.RequiredFrom = placematch.Date{}
	kin.Carer.TemporaryApproval.ExpiresOn = testToday.AddDays(10)
	r := rank(t, request(child), Options{}, kin)
	if len(r.Matches) != 1 || !slices.ContainsFunc(r.Matches[0].Reasons, func(s string) bool {
		return strings.Contains(s, "reg 24") && strings.Contains(s, testToday.AddDays(10).String())
	}) {
		t.Errorf("reasons %v", r.Matches)
	}
}

// A care leaver (18+) stays in foster care only with the carer they live with now,
// whose full house does not stop it; never a hub bed; units still take them.
func TestCareLeaverStayingPut(t *testing.T) {
	yp := newChild("c1", 19)
	yp.Status = placematch.ChildPlaced
	home := newCarer("home", 10) // full: the young person is its one child
	home.Carer.MaxChildren = 1
	home.Residents = []placematch.Resident{{ChildID: "c1", Reference: "REF-c1", Age: 19}}
	// home is approved for 0–17: the young person staying put is not a fostered
	// child, so the approved ages do not apply to them.
	other := newCarer("other", 1)
	other.AgeMax = 21
	hub := newHub("hub", north(norwich, 1))
	unit := newUnit("unit", 2)
	r := rank(t, request(yp), Options{}, home, other, hub, unit)
	if got := matchIDs(r); !slices.Equal(got, []string{"unit", "home"}) {
		t.Fatalf("matches %v, excluded %v", got, r.Excluded)
	}
	if got := exclusionOf(r, "other"); !slices.Equal(got, []string{CodeNotStayingPut}) {
		t.Errorf("other carer: %v", got)
	}
	if got := exclusionOf(r, "hub"); !slices.Contains(got, CodeCareLeaverHub) {
		t.Errorf("hub: %v", got)
	}
	m := r.Matches[1]
	if m.Vacancies != 1 || !slices.ContainsFunc(m.Reasons, func(s string) bool {
		return s == "Staying put: REF-c1, 18 or over, already lives here; staying put is arranged with the carer, not booked here."
	}) {
		t.Errorf("staying put: vacancies %d, reasons %v", m.Vacancies, m.Reasons)
	}
	if h := m.Household; h.Residents != 0 || !slices.Equal(h.ChildrenAges, []int{19}) {
		t.Errorf("the young person is counted twice in the household: %+v", h)
	}
	// Check, as the booking runs it, agrees.
	if got := Check(request(yp), home, Options{}); len(got) != 0 {
		t.Errorf("Check on the home: %v", got)
	}
	// A 17-year-old is a child: any carer may take them.
	if got := Check(request(newChild("c9", 17)), other, Options{}); len(got) != 0 {
		t.Errorf("17-year-old: %v", got)
	}
}

// An emergency with an approved carer outside its terms ranks below an otherwise
// equal carer inside its terms, even one further away, and says why and until when.
func TestEmergencyOutsideTermsRanksBelow(t *testing.T) {
	child := newChild("c1", 12)
	child.PlacementType = placematch.PlacementEmergency
	child.Urgency = "emergency"
	outside := newCarer("outside", 1)
	outside.Carer.PlacementTypes = []placematch.PlacementType{placematch.PlacementShortTerm}
	inside := newCarer("inside", 5)
	r := rank(t, request(child), Options{}, outside, inside)
	if got := matchIDs(r); !slices.Equal(got, []string{"inside", "outside"}) {
		t.Fatalf("matches %v", got)
	}
	o := r.Matches[1]
	if o.Score <= r.Matches[0].Score || o.Tier != TierOutsideTerms || !slices.Contains(o.Flags, FlagEmergencyOutsideTerms) {
		t.Fatalf("outside terms: score %v vs %v, tier %d, flags %v", o.Score, r.Matches[0].Score, o.Tier, o.Flags)
	}
	// Needed on Monday 2026-11-23: six working days end on Monday 2026-11-30.
	if !slices.ContainsFunc(o.Reasons, func(s string) bool {
		return strings.Contains(s, "reg 23") && strings.Contains(s, "until 2026-11-30")
	}) {
		t.Errorf("reasons %v", o.Reasons)
	}
}

// Scores within the tie margin are equal: the nearer home ranks first, then the
// nearer school, then the lower id; a whole point apart, the score decides.
func TestTiesWithinMargin(t *testing.T) {
	w := DefaultWeights()
	w.Values[FactorCapacityFit] = 1 // a spare place costs a fraction of a point
	child := newChild("c1", 12)
	near := newCarer("b-near", 2) // two spare places: a slightly worse fit
	near.Filled, near.Carer.MaxChildren = 0, 3
	far := newCarer("a-far", 2.1) // one place for one child: the exact fit
	far.Filled = 1
	r := Rank(request(child), prepare(near, far), w, Options{})
	if got := matchIDs(r); !slices.Equal(got, []string{"b-near", "a-far"}) {
		t.Fatalf("matches %v", got)
	}
	if a, b := r.Matches[0].Score, r.Matches[1].Score; !(a < b && b-a < TieMargin/2) {
		t.Fatalf("the setup needs the nearer one to score a little lower: %v vs %v", a, b)
	}
	// With no home known, the school decides.
	child.Location = nil
	school := north(norwich, 0)
	child.SchoolLocation = &school
	r = Rank(request(child), prepare(near, far), w, Options{})
	if got := matchIDs(r); !slices.Equal(got, []string{"b-near", "a-far"}) || r.Matches[0].SchoolDistanceKM >= r.Matches[1].SchoolDistanceKM {
		t.Fatalf("school tie-break: %v %+v", got, r.Matches)
	}
	// A whole point or more apart, the score decides.
	w.Values[FactorCapacityFit] = 30
	child.Location, child.SchoolLocation = &school, nil
	r = Rank(request(child), prepare(near, far), w, Options{})
	if got := matchIDs(r); !slices.Equal(got, []string{"a-far", "b-near"}) || r.Matches[0].Score-r.Matches[1].Score < TieMargin {
		t.Fatalf("score decides: %v %+v", got, r.Matches)
	}
}

func TestBands(t *testing.T) {
	for _, tc := range []struct {
		score float64
		want  string
	}{{100, BandStrong}, {75, BandStrong}, {74.99, BandGood}, {50, BandGood}, {49.99, BandPossible}, {0, BandPossible}} {
		if got := BandOf(tc.score); got != tc.want {
			t.Errorf("BandOf(%v) = %s, want %s", tc.score, got, tc.want)
		}
	}
}
