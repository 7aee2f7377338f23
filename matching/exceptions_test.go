package matching

import (
	"slices"
	"testing"
	"time"

	"placematch"
)

// The exceptions to the rules: each would exclude without its exception.
func TestHardRuleExceptions(t *testing.T) {
	t.Run("18+ may use an unregistered unit", func(t *testing.T) {
		u := newUnit("u", 3)
		u.Unit.RegistrationStatus = placematch.NotRegistered
		r := rank(t, request(newChild("c", 18)), Options{}, u)
		if len(r.Matches) != 1 {
			t.Fatalf("excluded: %+v", r.Excluded)
		}
	})
	t.Run("application accepted counts as registered, flagged", func(t *testing.T) {
		u := newUnit("u", 3)
		u.Unit.RegistrationStatus = placematch.ApplicationAccepted
		r := rank(t, request(newChild("c", 17)), Options{}, u)
		if len(r.Matches) != 1 || !slices.Contains(r.Matches[0].Flags, FlagRegistrationPending) {
			t.Fatalf("matches %+v excluded %+v", r.Matches, r.Excluded)
		}
	})
	t.Run("emergency placement outside terms of approval, flagged", func(t *testing.T) {
		c := newChild("c", 9)
		c.PlacementType = placematch.PlacementEmergency
		p := newCarer("p", 3)
		p.Carer.PlacementTypes = []placematch.PlacementType{placematch.PlacementLongTerm}
		r := rank(t, request(c), Options{}, p)
		if len(r.Matches) != 1 || !slices.Contains(r.Matches[0].Flags, FlagEmergencyOutsideTerms) {
			t.Fatalf("matches %+v excluded %+v", r.Matches, r.Excluded)
		}
		p.Carer.Status = placematch.CarerSuspended
		r = rank(t, request(c), Options{}, p)
		if got := exclusionOf(r, "p"); !slices.Equal(got, []string{CodePlacementType, CodeNotApproved}) {
			t.Errorf("suspended carer: %v", got)
		}
	})
	t.Run("fostering limit: exemption", func(t *testing.T) {
		p := newCarer("p", 3)
		p.Filled, p.Carer.MaxChildren = 2, 5
		p.Carer.Exemptions = []placematch.Exemption{{Children: []string{"a", "b"}, GrantedBy: "Norfolk County Council"}}
		r := rank(t, request(siblings(newChild("a", 5), newChild("b", 7))...), Options{}, p)
		if len(r.Matches) != 1 || !slices.Contains(r.Matches[0].Flags, FlagLimitExemption) {
			t.Fatalf("matches %+v excluded %+v", r.Matches, r.Excluded)
		}
	})
	t.Run("fostering limit: four siblings in an empty home", func(t *testing.T) {
		p := newCarer("p", 3)
		p.Filled, p.Carer.MaxChildren = 0, 4
		g := siblings(newChild("a", 5), newChild("b", 7), newChild("c", 9), newChild("d", 11))
		r := rank(t, request(g...), Options{}, p)
		if len(r.Matches) != 1 || !slices.Contains(r.Matches[0].Flags, FlagSiblingGroupOverLimit) {
			t.Fatalf("matches %+v excluded %+v", r.Matches, r.Excluded)
		}
		if want := "The 4 siblings may live here together: the fostering limit of 3 does not apply when all the children are siblings."; !slices.Contains(r.Matches[0].Reasons, want) {
			t.Errorf("reasons %q", r.Matches[0].Reasons)
		}
		for _, m := range g { // d is nobody's sibling: no record links it
			m.Siblings = slices.DeleteFunc(slices.Clone(m.Siblings), func(id string) bool { return id == "d" })
		}
		g[3].Siblings = nil
		r = rank(t, request(g...), Options{}, p)
		if got := exclusionOf(r, "p"); !slices.Equal(got, []string{CodeFosteringLimit}) {
			t.Errorf("not all siblings: %v", got)
		}
		p.Filled, p.Carer.MaxChildren = 1, 5
		r = rank(t, request(siblings(newChild("a", 5), newChild("b", 7), newChild("c", 9))...), Options{}, p)
		if got := exclusionOf(r, "p"); !slices.Equal(got, []string{CodeFosteringLimit}) {
			t.Errorf("siblings joining another foster child: %v", got)
		}
	})
	t.Run("emergency urgency may use a hub's emergency beds", func(t *testing.T) {
		h := newHub("h", north(norwich, 3), "life_coaching")
		h.Filled = 4
		c := newChild("c", 13)
		c.Urgency = "emergency"
		r := rank(t, request(c), Options{}, h)
		if len(r.Matches) != 1 || r.Matches[0].Vacancies != 2 {
			t.Fatalf("matches %+v excluded %+v", r.Matches, r.Excluded)
		}
	})
	t.Run("unconfirmed availability is flagged, not excluded", func(t *testing.T) {
		p := newCarer("p", 3)
		p.Availability.Status = placematch.Unconfirmed
		p.Availability.ConfirmedAt = confirmedAgo(20 * 24 * time.Hour)
		r := rank(t, request(newChild("c", 9)), Options{}, p)
		if len(r.Matches) != 1 || !slices.Contains(r.Matches[0].Flags, FlagAvailabilityStale) {
			t.Fatalf("matches %+v excluded %+v", r.Matches, r.Excluded)
		}
	})
	t.Run("available from before the date needed", func(t *testing.T) {
		c := newChild("c", 9)
		c.RequiredFrom = testToday.AddDays(-7) // needed since last week: needed now
		p := newCarer("p", 3)
		p.Availability.AvailableFrom = testToday.AddDays(-1)
		if r := rank(t, request(c), Options{}, p); len(r.Matches) != 1 {
			t.Fatalf("excluded %+v", r.Excluded)
		}
	})
	t.Run("no home location: nothing excluded for distance", func(t *testing.T) {
		c := newChild("c", 9)
		c.Location, c.MaxDistanceKM = nil, ptr(1.0)
		r := rank(t, request(c), Options{AreaConfigured: true}, newCarer("p", 300))
		if len(r.Matches) != 1 {
			t.Fatalf("excluded %+v", r.Excluded)
		}
		m := r.Matches[0]
		d := factor(m, FactorDistance)
		if d.Value != 0.5 || d.Detail != "home location not known" || m.DistanceKM != 0 ||
			m.Within20Miles || !slices.Contains(m.Flags, FlagDistanceUnknown) {
			t.Errorf("match %+v", m)
		}
		if !slices.Contains(m.Reasons, "Inside the council area.") {
			t.Errorf("reasons %q", m.Reasons)
		}
	})
}
