package matching

import (
	"slices"
	"strings"
	"testing"

	"placematch"
)

// stayingPutHome is a carer approved for ages 0–17 with whom an 18-year-old
// care leaver lives now, with others besides.
func stayingPutHome(others ...placematch.Resident) (*placematch.Child, *placematch.Provider) {
	yp := newChild("yp", 18)
	yp.Status = placematch.ChildPlaced
	home := newCarer("home", 3)
	home.Residents = append([]placematch.Resident{{ChildID: "yp", Reference: "REF-yp", Age: 18}}, others...)
	home.Filled = len(home.Residents)
	home.Carer.MaxChildren = home.Filled + 1
	return yp, home
}

// A young person staying put is not a fostered child: the carer's approved age
// range (0–17 here) does not exclude its own 18-year-old.
func TestStayingPutIgnoresApprovedAges(t *testing.T) {
	yp, home := stayingPutHome()
	r := rank(t, request(yp), Options{}, home)
	if !slices.Equal(matchIDs(r), []string{"home"}) {
		t.Fatalf("matches %v, excluded %+v", matchIDs(r), r.Excluded)
	}
	if got := Check(request(yp), home, Options{}); len(got) != 0 {
		t.Errorf("Check: %v", got)
	}
	// A younger sibling joining them is still judged against the approved ages.
	sib := newChild("sib", 12)
	siblings(yp, sib)
	home.AgeMin = 13
	if got := Check(request(yp, sib), home, Options{}); !slices.Equal(got, []string{CodeAgeOutOfRange}) {
		t.Errorf("a 12-year-old with a carer approved from 13: %v", got)
	}
}

// Residents of 18 or over staying put do not count towards the fostering limit
// of 3, in matching and in Check alike.
func TestStayingPutNotCountedInLimit(t *testing.T) {
	_, home := stayingPutHome(placematch.Resident{ChildID: "r1", Age: 9}, placematch.Resident{ChildID: "r2", Age: 11})
	child := newChild("c1", 10)
	r := rank(t, request(child), Options{}, home)
	if !slices.Equal(matchIDs(r), []string{"home"}) {
		t.Fatalf("matches %v, excluded %+v", matchIDs(r), r.Excluded)
	}
	if f := r.Matches[0].Flags; slices.Contains(f, FlagLimitExemption) || slices.Contains(f, FlagSiblingGroupOverLimit) {
		t.Errorf("three foster children need no exception: %v", f)
	}
	if got := Check(request(child), home, Options{}); len(got) != 0 {
		t.Errorf("Check: %v", got)
	}
	// A fourth foster child is over the limit.
	home.Residents = append(home.Residents, placematch.Resident{ChildID: "r3", Age: 12})
	home.Filled, home.Carer.MaxChildren = 4, 5
	if got := Check(request(child), home, Options{}); !slices.Equal(got, []string{CodeFosteringLimit}) {
		t.Errorf("four foster children: %v", got)
	}
}

// The flags come from the home as the rules judged it: a young person staying
// put, joined by a sibling, with three more of their siblings placed there, is
// the sibling exception, never a bogus exemption naming nobody.
func TestStayingPutFlagsCountOnce(t *testing.T) {
	yp, home := stayingPutHome(
		placematch.Resident{ChildID: "r1", Age: 9, Siblings: []string{"yp"}},
		placematch.Resident{ChildID: "r2", Age: 11, Siblings: []string{"yp"}},
		placematch.Resident{ChildID: "r3", Age: 13, Siblings: []string{"yp"}})
	sib := newChild("sib", 15)
	siblings(yp, sib)
	home.Residents[0].Siblings = []string{"sib", "r1", "r2", "r3"}
	r := rank(t, request(yp, sib), Options{}, home)
	if len(r.Matches) != 1 {
		t.Fatalf("matches %v, excluded %+v", matchIDs(r), r.Excluded)
	}
	m := r.Matches[0]
	if slices.Contains(m.Flags, FlagLimitExemption) || !slices.Contains(m.Flags, FlagSiblingGroupOverLimit) {
		t.Errorf("flags %v", m.Flags)
	}
	if slices.ContainsFunc(m.Reasons, func(s string) bool { return strings.Contains(s, "granted by") }) {
		t.Errorf("reasons name an exemption: %q", m.Reasons)
	}
	if !slices.Contains(m.Reasons, "4 foster children after placement, all siblings of each other with the 3 placed here now: the fostering limit of 3 does not apply.") {
		t.Errorf("reasons %q", m.Reasons)
	}
}

// A carer in assessment, shown because the officer asked, ranks below every
// bookable provider, even as a connected person for the child.
func TestPendingTierLast(t *testing.T) {
	child := newChild("c1", 12)
	kin := kinCarer("kin", "c1")
	kin.Location = north(norwich, 1)
	kin.Carer.Status = placematch.CarerInAssessment
	other := newCarer("other", 40)
	r := rank(t, request(child), Options{IncludePending: true}, kin, other)
	if got := matchIDs(r); !slices.Equal(got, []string{"other", "kin"}) {
		t.Fatalf("matches %v", got)
	}
	if m := r.Matches[1]; m.Tier != TierPending || !slices.Contains(m.Flags, FlagPendingApproval) ||
		!slices.ContainsFunc(m.Reasons, func(s string) bool { return strings.HasPrefix(s, "Ranked below every provider that can be booked") }) ||
		slices.ContainsFunc(m.Reasons, func(s string) bool { return strings.Contains(s, "s22C(7)(a)") }) {
		t.Errorf("pending match: tier %d, flags %v, reasons %q", m.Tier, m.Flags, m.Reasons)
	}
}

// A connected person taking an emergency outside its terms keeps its tier and is
// told reg 23's limit and the last permitted day.
func TestConnectedEmergencyOutsideTerms(t *testing.T) {
	child := newChild("c1", 12)
	child.PlacementType, child.Urgency = placematch.PlacementEmergency, "emergency"
	kin := kinCarer("kin", "c1") // connected_person and short_term: no emergency
	r := rank(t, request(child), Options{}, kin, newCarer("other", 1))
	if len(r.Matches) != 2 || r.Matches[0].Provider.ID != "kin" || r.Matches[0].Tier != TierConnected {
		t.Fatalf("matches %+v", r.Matches)
	}
	m := r.Matches[0]
	if !slices.Contains(m.Flags, FlagEmergencyOutsideTerms) || !slices.ContainsFunc(m.Reasons, func(s string) bool {
		return strings.Contains(s, "reg 23") && strings.Contains(s, "until 2026-11-30")
	}) {
		t.Errorf("flags %v, reasons %q", m.Flags, m.Reasons)
	}
}

// Within a tier the band decides before the whole-point tie: 75.4 (strong) and
// 74.6 (good) both round to 75, and the nearer good must not pass the strong.
func TestBandBeforeTie(t *testing.T) {
	cands := prepare(newCarer("a", 1), newCarer("b", 2))
	top := topK{k: 2, pool: &pool{base: cands}}
	good := entry{idx: 0, score: 74.6, band: bandIndex(74.6), dist: 1}
	strong := entry{idx: 1, score: 75.4, band: bandIndex(75.4), dist: 2}
	if tieStep(good.score) != tieStep(strong.score) {
		t.Fatal("the setup needs both scores in one whole step")
	}
	if top.better(good, strong) || !top.better(strong, good) {
		t.Error("a good match ranks above a strong one")
	}
	// Within one band the tie rule still applies: the nearer first.
	a, b := entry{idx: 0, score: 74.6, band: 1, dist: 1}, entry{idx: 1, score: 74.5, band: 1, dist: 2}
	if !top.better(a, b) {
		t.Error("within a band, the nearer of a tie ranks first")
	}
}

// The bands' thresholds and the tie margin are pinned to the default weights'
// version: changing one without a new version (and a line here) fails.
func TestBandsPinnedToVersion(t *testing.T) {
	pinned := map[string]string{
		"2026-12-default-3": "bands=75/50;tie=1;",
	}
	want, ok := pinned[DefaultWeightsVersion]
	if !ok {
		t.Fatalf("version %s: pin its thresholds here", DefaultWeightsVersion)
	}
	if bandsVersion != want {
		t.Errorf("thresholds %q changed under version %s (pinned %q): bump DefaultWeightsVersion", bandsVersion, DefaultWeightsVersion, want)
	}
}
