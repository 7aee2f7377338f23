package placing_test

import (
	"bytes"
	"encoding/json"
	"slices"
	"strings"
	"testing"

	"placematch"
	"placematch/placing"
	"placematch/reports"
	"placematch/store/storetest"
)

// Town centres (GeoNames). DfE miles between them: King's Lynn–Norwich 38.8,
// Cambridge–Norwich 57.6, Cambridge–King's Lynn 39.5.
var (
	kingsLynn = placematch.Point{Lat: 52.7517, Lon: 0.3956}
	cambridge = placematch.Point{Lat: 52.2053, Lon: 0.1218}
)

// TestGapsByNeed builds homes and children awaiting whose eligible homes are known
// by hand, and checks every cell of the gaps-by-need section.
//
// Homes: C1, a carer in Norwich (emergency and short term, 0-17, three places);
// C2, a carer in King's Lynn (short term only, two places); U1, a unit in Norwich
// (16-25, four beds, emergency, short and long term). None is wheelchair accessible.
//
// Groups awaiting, and the homes the hard rules leave them:
//   - S1, S2 (10 and 8, siblings, from King's Lynn): C1 38.8 mi, C2 0 mi. U1 is
//     supported accommodation, never under 16.
//   - B1-B4 (10, 9, 8, 7, siblings, Norwich): none; four need more places than
//     C1's three or C2's two.
//   - T1 (16, a high self-harm risk, Norwich): C1 0, C2 38.8, U1 0.
//   - W1 (10, a wheelchair user, Norwich): none accessible.
//   - E1 (5, an emergency, from Cambridge): C1 57.6, and C2 39.5 (an emergency
//     with an approved carer outside its terms, reg 23).
//   - P1 (17, parent and child, Norwich): none offers parent and child.
//   - N1 (10, home not recorded): C1 and C2, distance not known.
func TestGapsByNeed(t *testing.T) {
	for _, dialect := range storetest.Dialects() {
		t.Run(dialect, func(t *testing.T) {
			t.Parallel()
			db := storetest.Open(t, dialect)
			asOf := placematch.DateOf(storetest.Clock)
			c1 := storetest.Carer("C1")
			c2 := storetest.Carer("C2", func(p *placematch.Provider) {
				p.Location = kingsLynn
				p.Carer.MaxChildren = 2
				p.Carer.PlacementTypes = []placematch.PlacementType{placematch.PlacementShortTerm}
			})
			u1 := storetest.Unit("U1")
			for _, p := range []*placematch.Provider{c1, c2, u1} {
				must(t, db.CreateProvider(ctx, p))
			}
			aged := func(years int) func(*placematch.Child) {
				return func(c *placematch.Child) { c.DateOfBirth = asOf.AddDays(-years*366 - 10) }
			}
			home := func(p placematch.Point) func(*placematch.Child) {
				return func(c *placematch.Child) { c.Location = &p }
			}
			add := func(ref string, opts ...func(*placematch.Child)) *placematch.Child {
				c := storetest.Child(ref, opts...)
				must(t, db.CreateChild(ctx, c))
				return c
			}
			sibOf := func(c *placematch.Child) func(*placematch.Child) {
				return func(s *placematch.Child) { s.Siblings = []string{c.ID} }
			}
			s1 := add("S1", home(kingsLynn))
			add("S2", home(kingsLynn), aged(8), sibOf(s1))
			b1 := add("B1")
			for i, ref := range []string{"B2", "B3", "B4"} {
				add(ref, aged(9-i), sibOf(b1))
			}
			add("T1", aged(16), func(c *placematch.Child) {
				c.Risks = []placematch.Risk{{Type: "self_harm", Level: "high"}}
			})
			add("W1", func(c *placematch.Child) { c.WheelchairUser = true })
			add("E1", aged(5), home(cambridge), func(c *placematch.Child) {
				c.Urgency, c.PlacementType = "emergency", placematch.PlacementEmergency
			})
			add("P1", aged(17), func(c *placematch.Child) { c.PlacementType = placematch.PlacementParentAndChild })
			add("N1", func(c *placematch.Child) { c.Location = nil })

			svc := &placing.Service{Store: db, Now: db.Now}
			rep, err := svc.Sufficiency(ctx, reports.Options{AsOf: asOf, Format: reports.FormatJSON})
			must(t, err)
			tabs := rep.Tables()
			i := slices.IndexFunc(tabs, func(t reports.Table) bool { return t.Name == "Gaps by need" })
			if i < 0 {
				t.Fatal("no gaps-by-need table")
			}
			want := [][]string{
				// need, groups, children, homes, median nearest, no home, none within 20, home not known
				// all: nearest homes S 0, T1 0, E1 39.5 → median 0; no home B 4 + W1 + P1; beyond 20 also E1.
				{"all_awaiting", "7", "11", "3", "0", "6", "7", "1"},
				{"sibling_group_of_2", "1", "2", "2", "0", "0", "0", "0"},
				{"sibling_group_of_3", "0", "0", "0", "", "0", "0", "0"},
				{"sibling_group_of_4_or_more", "1", "4", "0", "", "4", "4", "0"},
				{"aged_16_17_with_high_risk", "1", "1", "3", "0", "0", "0", "0"},
				{"wheelchair_user", "1", "1", "0", "", "1", "1", "0"},
				{"parent_and_child", "1", "1", "0", "", "1", "1", "0"},
				{"emergency", "1", "1", "2", "39.5", "0", "1", "0"},
			}
			if got := strings.Join(tabs[i].Columns, ","); got != "need,groups_awaiting,children_awaiting,eligible_homes_with_vacancies,"+
				"median_miles_to_nearest_eligible_home,children_with_no_eligible_home,children_with_none_within_20_miles,children_home_not_known" {
				t.Errorf("columns %s", got)
			}
			for r := range max(len(want), len(tabs[i].Rows)) {
				var got []string
				if r < len(tabs[i].Rows) {
					for _, c := range tabs[i].Rows[r] {
						got = append(got, c.String())
					}
				}
				if r >= len(want) || !slices.Equal(got, want[r]) {
					t.Errorf("row %d: got %q", r, got)
				}
			}
			var b bytes.Buffer
			must(t, rep.Write(&b))
			var out struct {
				Gaps struct {
					On   string           `json:"on"`
					Rows []map[string]any `json:"rows"`
				} `json:"gaps_by_need"`
			}
			must(t, json.Unmarshal(b.Bytes(), &out))
			if out.Gaps.On != asOf.String() || len(out.Gaps.Rows) != len(want) || out.Gaps.Rows[7]["median_miles_to_nearest_eligible_home"] != 39.5 ||
				out.Gaps.Rows[2]["median_miles_to_nearest_eligible_home"] != nil {
				t.Errorf("JSON gaps %+v", out.Gaps)
			}
		})
	}
}
