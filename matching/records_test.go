package matching

import (
	"fmt"
	"slices"
	"strings"
	"testing"

	"placematch"
)

// The fostering limit with exemptions as records: over the limit only when an
// exemption current on the day names every child of the group, or when everyone
// fostered there after placement are siblings of each other.
func TestFosteringLimitExemptions(t *testing.T) {
	granted := func(children ...string) placematch.Exemption {
		return placematch.Exemption{Children: children, GrantedBy: "Norfolk County Council",
			GrantedOn: testToday.AddDays(-30), ExpiresOn: testToday.AddDays(60), Conditions: "Review at every placement"}
	}
	cases := []struct {
		name string
		ex   []placematch.Exemption
		want []string // exclusion codes; nil: a match flagged limit_exemption
	}{
		{"current, names both", []placematch.Exemption{granted("a", "b")}, nil},
		{"names more children than the group", []placematch.Exemption{granted("x", "a", "b")}, nil},
		{"current until today", []placematch.Exemption{func() placematch.Exemption {
			e := granted("a", "b")
			e.ExpiresOn = testToday
			return e
		}()}, nil},
		{"no expiry", []placematch.Exemption{func() placematch.Exemption {
			e := granted("a", "b")
			e.ExpiresOn = placematch.Date{}
			return e
		}()}, nil},
		{"expired yesterday", []placematch.Exemption{func() placematch.Exemption {
			e := granted("a", "b")
			e.ExpiresOn = testToday.AddDays(-1)
			return e
		}()}, []string{CodeFosteringLimit}},
		{"granted from tomorrow", []placematch.Exemption{func() placematch.Exemption {
			e := granted("a", "b")
			e.GrantedOn = testToday.AddDays(1)
			return e
		}()}, []string{CodeFosteringLimit}},
		{"names one of the two", []placematch.Exemption{granted("a")}, []string{CodeFosteringLimit}},
		{"two exemptions naming one each", []placematch.Exemption{granted("a"), granted("b")}, []string{CodeFosteringLimit}},
		{"legacy yes/no, no children named", []placematch.Exemption{{Legacy: true}}, []string{CodeFosteringLimit}},
		{"none", nil, []string{CodeFosteringLimit}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			p := newCarer("p", 3)
			p.Filled, p.Carer.MaxChildren, p.Carer.Exemptions = 2, 5, tc.ex
			// a and b are siblings, but the two placed there are not theirs.
			r := rank(t, request(siblings(newChild("a", 5), newChild("b", 7))...), Options{}, p)
			if tc.want != nil {
				if got := exclusionOf(r, "p"); !slices.Equal(got, tc.want) {
					t.Fatalf("excluded for %v, want %v (matches %v)", got, tc.want, matchIDs(r))
				}
				return
			}
			if len(r.Matches) != 1 || !slices.Contains(r.Matches[0].Flags, FlagLimitExemption) {
				t.Fatalf("matches %+v excluded %+v", r.Matches, r.Excluded)
			}
			if !slices.ContainsFunc(r.Matches[0].Reasons, func(s string) bool {
				return strings.Contains(s, "granted by Norfolk County Council") && strings.Contains(s, "Review at every placement")
			}) {
				t.Errorf("reasons do not name the exemption: %q", r.Matches[0].Reasons)
			}
			if got := Check(request(siblings(newChild("a", 5), newChild("b", 7))...), p, Options{}); len(got) != 0 {
				t.Errorf("Check: %v", got)
			}
		})
	}
}

// The sibling exception counts the children placed there now: a 4th member of a
// sibling group joins the three placed, with no exemption; anyone else is excluded.
func TestSiblingExceptionWithResidents(t *testing.T) {
	placed := func(ids ...string) []placematch.Resident {
		var rs []placematch.Resident
		for i, id := range ids {
			rs = append(rs, placematch.Resident{ChildID: id, Reference: "REF-" + id, Age: 8 + i,
				Siblings: slices.DeleteFunc([]string{"a", "b", "c", "d"}, func(s string) bool { return s == id })})
		}
		return rs
	}
	cases := []struct {
		name      string
		residents []placematch.Resident
		filled    int
		child     func() *placematch.Child
		exempt    bool
		want      []string
	}{
		{"fourth sibling joins three", placed("a", "b", "c"), 3, func() *placematch.Child {
			d := newChild("d", 6)
			d.Siblings = []string{"a", "b", "c"}
			return d
		}, false, nil},
		{"the fourth lists none, the three list it", placed("a", "b", "c"), 3, func() *placematch.Child {
			return newChild("d", 6)
		}, false, nil},
		{"an unrelated child joins three siblings", placed("a", "b", "c"), 3, func() *placematch.Child {
			return newChild("x", 6)
		}, false, []string{CodeFosteringLimit}},
		{"the three placed are not all siblings", func() []placematch.Resident {
			rs := placed("a", "b", "c")
			rs[2].ChildID, rs[2].Siblings = "z", nil // z is nobody's sibling, and a, b do not list it
			return rs
		}(), 3, func() *placematch.Child {
			d := newChild("d", 6)
			d.Siblings = []string{"a", "b", "c"}
			return d
		}, false, []string{CodeFosteringLimit}},
		{"a resident could not be read", placed("a", "b"), 3, func() *placematch.Child {
			d := newChild("d", 6)
			d.Siblings = []string{"a", "b", "c"}
			return d
		}, false, []string{CodeFosteringLimit}},
		{"an unrelated child with an exemption naming it", placed("a", "b", "c"), 3, func() *placematch.Child {
			return newChild("x", 6)
		}, true, nil},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			p := newCarer("p", 3)
			p.Filled, p.Carer.MaxChildren, p.Residents = tc.filled, 4, tc.residents
			p.Carer.SiblingsOverLimit = true
			if tc.exempt {
				p.Carer.Exemptions = []placematch.Exemption{{Children: []string{"x"}, GrantedBy: "Norfolk County Council"}}
			}
			req := request(tc.child())
			r := rank(t, req, Options{}, p)
			if got := exclusionOf(r, "p"); !slices.Equal(got, tc.want) {
				t.Fatalf("excluded for %v, want %v", got, tc.want)
			}
			if got := Check(req, p, Options{}); !slices.Equal(got, tc.want) {
				t.Errorf("Check %v, want %v", got, tc.want)
			}
			if tc.want == nil {
				flag := FlagSiblingGroupOverLimit
				if tc.exempt {
					flag = FlagLimitExemption
				}
				if !slices.Contains(r.Matches[0].Flags, flag) {
					t.Errorf("flags %v, want %s", r.Matches[0].Flags, flag)
				}
			}
		})
	}
}

// The Ofsted gateway: inadequate excludes, requires improvement flags, no rating is
// said and flagged as not yet inspected; carers have no rating of their own.
func TestOfstedGateway(t *testing.T) {
	cases := []struct {
		grade  placematch.OfstedGrade
		codes  []string
		flag   string
		reason string
	}{
		{placematch.OfstedOutstanding, nil, "", "Ofsted: outstanding (inspected 2026-01-20)."},
		{placematch.OfstedGood, nil, "", "Ofsted: good (inspected 2026-01-20)."},
		{placematch.OfstedRequiresImprovement, nil, FlagOfstedRequiresImprovement,
			"Ofsted: requires improvement to be good (inspected 2026-01-20); read the report before booking."},
		{placematch.OfstedInadequate, []string{CodeOfstedInadequate}, "", ""},
		{"", nil, FlagOfstedNotInspected, "Not yet inspected by Ofsted."},
	}
	for _, tc := range cases {
		for _, kind := range []placematch.ProviderKind{placematch.KindUnit, placematch.KindHub} {
			t.Run(fmt.Sprintf("%s %s", kind, tc.grade), func(t *testing.T) {
				rating := placematch.OfstedRating{Grade: tc.grade}
				if tc.grade != "" {
					rating.InspectedOn = placematch.MustParseDate("2026-01-20")
				}
				var p *placematch.Provider
				var c *placematch.Child
				if kind == placematch.KindUnit {
					p, c = newUnit("p", 3), newChild("c", 17)
					p.Unit.Ofsted, p.Unit.OfstedURN = rating, "2652383"
				} else {
					p, c = newHub("p", north(norwich, 3)), newChild("c", 14)
					p.Hub.Ofsted, p.Hub.OfstedURN = rating, "SC065883"
				}
				r := rank(t, request(c), Options{}, p)
				if got := exclusionOf(r, "p"); !slices.Equal(got, tc.codes) {
					t.Fatalf("excluded %v, want %v", got, tc.codes)
				}
				if got := Check(request(c), p, Options{}); !slices.Equal(got, tc.codes) {
					t.Errorf("Check %v, want %v", got, tc.codes)
				}
				if tc.codes != nil {
					return
				}
				m := r.Matches[0]
				for _, f := range []string{FlagOfstedRequiresImprovement, FlagOfstedNotInspected} {
					if slices.Contains(m.Flags, f) != (f == tc.flag) {
						t.Errorf("flags %v, want %q", m.Flags, tc.flag)
					}
				}
				if !slices.Contains(m.Reasons, tc.reason) {
					t.Errorf("reasons %q lack %q", m.Reasons, tc.reason)
				}
				o := m.Act.Ofsted
				if o == nil || o.URN == nil || (tc.grade == "") != (o.Rating == nil) || (o.Rating != nil && *o.Rating != tc.grade) {
					t.Errorf("act.ofsted %+v", o)
				}
			})
		}
	}
	t.Run("carers carry no rating", func(t *testing.T) {
		r := rank(t, request(newChild("c", 9)), Options{}, newCarer("p", 3))
		m := r.Matches[0]
		if m.Act.Ofsted != nil || slices.Contains(m.Flags, FlagOfstedNotInspected) {
			t.Errorf("carer match %+v", m)
		}
	})
}

// Carers in assessment: excluded unless the officer asks; then shown, flagged and
// said to be unbookable; never passed by Check (booking).
func TestPendingCarers(t *testing.T) {
	p := newCarer("p", 3)
	p.Carer.Status, p.Carer.PanelDate = placematch.CarerInAssessment, testToday.AddDays(21)
	req := request(newChild("c", 9))
	r := rank(t, req, Options{}, p)
	if got := exclusionOf(r, "p"); !slices.Equal(got, []string{CodePendingApproval}) {
		t.Fatalf("by default: excluded %v", got)
	}
	r = rank(t, req, Options{IncludePending: true}, p)
	if len(r.Matches) != 1 || !slices.Contains(r.Matches[0].Flags, FlagPendingApproval) {
		t.Fatalf("include_pending: matches %+v excluded %+v", r.Matches, r.Excluded)
	}
	want := "Assessment in progress (fostering panel on 2026-12-14), not yet approved, for ages 0–17: shown for planning only; it cannot be booked until approved."
	if !slices.Contains(r.Matches[0].Reasons, want) {
		t.Errorf("reasons %q", r.Matches[0].Reasons)
	}
	if got := Check(req, p, Options{IncludePending: true}); !slices.Equal(got, []string{CodePendingApproval}) {
		t.Errorf("Check lets a carer in assessment pass: %v", got)
	}
	p.Carer.Status = placematch.CarerSuspended
	if got := exclusionOf(rank(t, req, Options{IncludePending: true}, p), "p"); !slices.Equal(got, []string{CodeNotApproved}) {
		t.Errorf("a suspended carer with include_pending: %v", got)
	}
}

// What the officer needs to act on a match comes from the provider's record.
func TestMatchActDetails(t *testing.T) {
	p := newCarer("p", 3)
	p.Contact = placematch.Contact{Phone: "01632 960001", Email: "home@example.org"}
	p.Carer.SupervisingSocialWorker = &placematch.Person{Name: "Sam Social", Phone: "01632 960002", Email: "sam@example.org"}
	p.Carer.FeeBand = "level_3"
	u := newUnit("u", 4)
	u.Unit.WeeklyCostPence = 125_000
	u.Contact = placematch.Contact{Email: "intake@example.org"}
	r := rank(t, request(newChild("c", 17)), Options{}, p, u)
	got := map[string]Act{}
	for _, m := range r.Matches {
		got[m.Provider.ID] = m.Act
	}
	a := got["p"]
	if a.Contact != p.Contact || a.SupervisingSocialWorker == nil || *a.SupervisingSocialWorker != *p.Carer.SupervisingSocialWorker ||
		a.FeeBand == nil || *a.FeeBand != "level_3" || a.WeeklyCostPence != nil || a.Ofsted != nil {
		t.Errorf("carer act %+v", a)
	}
	b := got["u"]
	if b.Contact.Email != "intake@example.org" || b.WeeklyCostPence == nil || *b.WeeklyCostPence != 125_000 ||
		b.FeeBand != nil || b.SupervisingSocialWorker != nil || b.Ofsted == nil || b.Ofsted.Rating != nil {
		t.Errorf("unit act %+v", b)
	}
}
