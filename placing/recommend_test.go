package placing_test

import (
	"encoding/json"
	"fmt"
	"testing"
	"time"

	"placematch"
	"placematch/matching"
	"placematch/reports"
	"placematch/store"
	"placematch/store/storetest"
)

// recFixture is the hand-built period of the recommendations test: ten live
// carers C01–C10, five children (K1 aged 10, K2 aged 16 and a wheelchair user,
// K3 aged 3 and an emergency, the siblings S1 aged 12 and S2 aged 8), five match
// runs in November and one in October, and one allocation.
type recFixture struct {
	carers map[string]*placematch.Provider
}

func buildRecFixture(t *testing.T, db *store.DB) recFixture {
	t.Helper()
	f := recFixture{carers: map[string]*placematch.Provider{}}
	for i := 1; i <= 10; i++ {
		ref := fmt.Sprintf("C%02d", i)
		p := storetest.Carer(ref, func(p *placematch.Provider) {
			switch ref {
			case "C08": // stale: confirmed 30 days ago
				at := storetest.Clock.AddDate(0, 0, -30)
				p.Availability.ConfirmedAt = &at
			case "C10":
				p.Carer.Status = placematch.CarerOnHold
			}
		})
		must(t, db.CreateProvider(ctx, p))
		f.carers[ref] = p
	}
	aged := func(years int, opts ...func(*placematch.Child)) func(*placematch.Child) {
		return func(c *placematch.Child) {
			c.DateOfBirth = placematch.DateOf(storetest.Clock).AddDays(-years*365 - 30)
			for _, o := range opts {
				o(c)
			}
		}
	}
	k1 := storetest.Child("K1", aged(10))
	k2 := storetest.Child("K2", aged(16, func(c *placematch.Child) { c.WheelchairUser = true }))
	k3 := storetest.Child("K3", aged(3, func(c *placematch.Child) { c.Urgency = "emergency" }))
	s1 := storetest.Child("S1", aged(12))
	for _, c := range []*placematch.Child{k1, k2, k3, s1} {
		must(t, db.CreateChild(ctx, c))
	}
	s2 := storetest.Child("S2", aged(8, func(c *placematch.Child) { c.Siblings = []string{s1.ID} }))
	must(t, db.CreateChild(ctx, s2))

	run := func(at time.Time, childID string, group []string, miles float64, refs ...string) {
		t.Helper()
		db.Now = func() time.Time { return at }
		m := &store.MatchRun{ID: store.NewMatchID(), ChildID: childID, Group: group, InputHash: "h", WeightsVersion: "w"}
		type shown struct {
			Rank          int      `json:"rank"`
			DistanceMiles float64  `json:"distance_miles"`
			Flags         []string `json:"flags"`
		}
		body := struct {
			Matches []shown `json:"matches"`
		}{Matches: []shown{}}
		for i, ref := range refs {
			m.Ranked = append(m.Ranked, store.RankedProvider{Rank: i + 1, Provider: f.carers[ref].Ref(), Score: float64(90 - i)})
			body.Matches = append(body.Matches, shown{Rank: i + 1, DistanceMiles: miles + float64(i), Flags: []string{}})
		}
		m.Result, _ = json.Marshal(body)
		must(t, db.SaveMatchRun(ctx, m))
	}
	nov := func(day int) time.Time { return time.Date(2026, 11, day, 9, 0, 0, 0, time.UTC) }
	run(time.Date(2026, 10, 1, 9, 0, 0, 0, time.UTC), k1.ID, []string{k1.ID}, 1, "C09") // outside the period
	run(nov(2), k1.ID, []string{k1.ID}, 2.0, "C01", "C02", "C03")                       // R1
	run(nov(3), k1.ID, []string{k1.ID}, 3.0, "C01", "C04", "C02")                       // R2, K1's latest
	run(nov(4), k2.ID, []string{k2.ID}, 0)                                              // R3, no match
	run(nov(5), k3.ID, []string{k3.ID}, 10.0, "C01", "C05", "C06")                      // R4
	run(nov(6), s1.ID, []string{s1.ID, s2.ID}, 5.0, "C07", "C01")                       // R5
	db.Now = func() time.Time { return nov(7) }
	must(t, db.SaveAllocation(ctx, &store.Allocation{ID: store.NewAllocationID(), InputHash: "h", WeightsVersion: "w",
		RulesVersion: "r", Children: []string{k1.ID, s1.ID, s2.ID}, Result: []byte("{}"),
		Assignments: []store.Assignment{
			{ChildIDs: []string{k1.ID}, Provider: f.carers["C02"].Ref(), Rank: 3, Score: 88},
			{ChildIDs: []string{s1.ID, s2.ID}, Provider: f.carers["C07"].Ref(), Rank: 1, Score: 90},
		}}))
	db.Now = func() time.Time { return storetest.Clock }
	return f
}

// The report reproduces, on the hand-built period, these figures worked by hand.
//
// Slots (runs R1–R5, then the allocation's two proposals):
//
//	first slots: R1 C01, R2 C01, R4 C01, R5 C07; allocation C02, C07 → C01 3, C07 2, C02 1; 6 in all
//	top-3 slots: R1 C01 C02 C03; R2 C01 C04 C02; R4 C01 C05 C06; R5 C07 C01; allocation C02, C07
//	             → C01 4, C02 3, C07 2, C03 C04 C05 C06 1 each, C08 C09 C10 0; 13 in all
//
// Ten providers, so the top 10% is one: C01. Its shares: 3/6 = 0.5 of first slots,
// 4/13 = 0.3077 of top-3 slots. Gini of the top-3 counts sorted ascending
// 0,0,0,1,1,1,1,2,3,4 (n = 10, Σ = 13): Σ i·x = 4+5+6+7+16+27+40 = 105, so
// 2·105/(10·13) − 11/10 = 0.5154. Recommended: C01–C07 (7); the October run's C09
// is outside the period.
//
// No match, each group by its latest run: K1 (R2, 10-15, 3.0 mi), K2 (R3, 16-17,
// wheelchair, no match), K3 (R4, 0-4, emergency, 10.0 mi), S1+S2 (R5, eldest 12 →
// 10-15, two children, 5.0 mi each). Age band 10-15: 3 children, medians of
// 3.0, 5.0, 5.0 = 5.0; 0-4: 1 child, 10.0; gap 10.0 − 5.0 = 5.0. Size 1: 3
// children, 1 without a match (33.3%), median of 3.0 and 10.0 = 6.5; size 2: 5.0;
// gap 1.5. Wheelchair yes: 1 child, no match (100%); no: 4 children, median of 3,
// 5, 5, 10 = 5.0; one median only, so no gap. Urgency planned: 4 children
// (K1, K2, S1, S2), 1 without (25.0%), median of 3, 5, 5 = 5.0; emergency 10.0;
// gap 5.0.
//
// Never recommended, judged for the 4 groups: C08 is stale (eligible for 3
// groups) and not accessible for K2; C09 is eligible and fresh for 3 and not
// accessible for K2; C10 is on hold (not approved) for all 4.
func TestRecommendationsReportByHand(t *testing.T) {
	// Its own stores, not each's: the runs here are built by hand, without the
	// record a replay needs, so they are not replayed when the test ends.
	for _, d := range storetest.Dialects() {
		t.Run(d, func(t *testing.T) {
			t.Parallel()
			db := storetest.Open(t, d)
			f := buildRecFixture(t, db)
			svc := service(db)
			o := reports.RecOptions{From: placematch.DateOf(time.Date(2026, 11, 1, 0, 0, 0, 0, time.UTC)),
				To: placematch.DateOf(storetest.Clock), Format: reports.FormatJSON}
			rep, err := svc.Recommendations(ctx, o)
			must(t, err)
			if rep.Runs != 5 || rep.Allocations != 1 || rep.Assignments != 2 || rep.Providers != 10 || rep.ProvidersRecommended != 7 || rep.TopK != 1 {
				t.Fatalf("runs %d allocations %d assignments %d providers %d recommended %d top %d",
					rep.Runs, rep.Allocations, rep.Assignments, rep.Providers, rep.ProvidersRecommended, rep.TopK)
			}
			if rep.Share1 != 0.5 || rep.Share3 != 0.3077 || rep.Gini != 0.5154 || !rep.GiniOK {
				t.Fatalf("share top1 %v top3 %v gini %v", rep.Share1, rep.Share3, rep.Gini)
			}
			type want struct {
				children, none int
				median         float64
				medianOK       bool
			}
			wantRows := map[string]want{
				"age_band/0-4": {1, 0, 10.0, true}, "age_band/5-9": {0, 0, 0, false}, "age_band/10-15": {3, 0, 5.0, true},
				"age_band/16-17": {1, 1, 0, false}, "age_band/18+": {0, 0, 0, false},
				"sibling_group_size/1": {3, 1, 6.5, true}, "sibling_group_size/2": {2, 0, 5.0, true},
				"sibling_group_size/3": {0, 0, 0, false}, "sibling_group_size/4+": {0, 0, 0, false},
				"wheelchair_user/yes": {1, 1, 0, false}, "wheelchair_user/no": {4, 0, 5.0, true},
				"urgency/emergency": {1, 0, 10.0, true}, "urgency/planned": {4, 1, 5.0, true},
			}
			if len(rep.NoMatch) != len(wantRows) {
				t.Fatalf("%d no-match rows: %+v", len(rep.NoMatch), rep.NoMatch)
			}
			for _, r := range rep.NoMatch {
				w, ok := wantRows[r.Dimension+"/"+r.Group]
				if !ok || r.Children != w.children || r.NoMatch != w.none || r.MedianOK != w.medianOK || r.MedianMiles != w.median {
					t.Errorf("%s/%s: %+v, want %+v", r.Dimension, r.Group, r, w)
				}
			}
			gaps := map[string]reports.DistanceGap{}
			for _, g := range rep.Gaps {
				gaps[g.Dimension] = g
			}
			if g := gaps["age_band"]; !g.OK || g.GapMiles != 5.0 || g.Nearest != "10-15" || g.Farthest != "0-4" {
				t.Errorf("age band gap %+v", g)
			}
			if g := gaps["sibling_group_size"]; !g.OK || g.GapMiles != 1.5 || g.Nearest != "2" || g.Farthest != "1" {
				t.Errorf("group size gap %+v", g)
			}
			if g := gaps["wheelchair_user"]; g.OK {
				t.Errorf("wheelchair gap from one median: %+v", g)
			}
			if g := gaps["urgency"]; !g.OK || g.GapMiles != 5.0 || g.Nearest != "planned" || g.Farthest != "emergency" {
				t.Errorf("urgency gap %+v", g)
			}
			if rep.GroupsJudged != 4 || len(rep.Never) != 3 {
				t.Fatalf("judged %d, never recommended %+v", rep.GroupsJudged, rep.Never)
			}
			wantNever := map[string][]reports.ReasonCount{
				f.carers["C08"].ID: {{Code: reports.ReasonStale, Groups: 3}, {Code: matching.CodeNotWheelchair, Groups: 1}},
				f.carers["C09"].ID: {{Code: reports.ReasonRankedBelow, Groups: 3}, {Code: matching.CodeNotWheelchair, Groups: 1}},
			}
			for _, n := range rep.Never {
				if n.Provider.ID == f.carers["C10"].ID {
					if n.Reasons[0] != (reports.ReasonCount{Code: matching.CodeNotApproved, Groups: 4}) {
						t.Errorf("C10 reasons %+v", n.Reasons)
					}
					continue
				}
				if w, ok := wantNever[n.Provider.ID]; !ok || fmt.Sprint(n.Reasons) != fmt.Sprint(w) {
					t.Errorf("%s reasons %+v, want %+v", n.Provider.Name, n.Reasons, w)
				}
			}
		})
	}
}
