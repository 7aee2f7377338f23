package matching

import "testing"

// A shortlist is Rank's matches without their explanations: the same providers,
// ranks and scores, for every limit, on random worlds.
func TestShortlistIsRank(t *testing.T) {
	r := seeded(21)
	compared := 0
	for range iterations(t, 300) {
		w := randomWorld(r, 150)
		cands := prepareAsIs(w.provs...)
		w.opt.Limit = 1 + r.IntN(40)
		res := Rank(w.req, cands, DefaultWeights(), w.opt)
		list, wv, rv := Shortlist(w.req, cands, DefaultWeights(), w.opt)
		if wv != res.WeightsVersion || rv != res.RulesVersion {
			t.Fatalf("versions %s %s, Rank's %s %s", wv, rv, res.WeightsVersion, res.RulesVersion)
		}
		if len(list) != len(res.Matches) {
			t.Fatalf("%d listed, Rank matched %d", len(list), len(res.Matches))
		}
		for i, m := range res.Matches {
			e := list[i]
			if e.Rank != m.Rank || e.Provider != m.Provider || e.Score != m.Score || cands[e.Candidate].P.Ref() != m.Provider {
				t.Fatalf("position %d: shortlist %+v, Rank %d %+v %v", i, e, m.Rank, m.Provider, m.Score)
			}
			compared++
		}
	}
	if compared == 0 {
		t.Fatal("no matches compared")
	}
}

// With no child a shortlist is empty and still names the weights and rules in force.
func TestShortlistNamesTheVersionsWithNoChild(t *testing.T) {
	w, err := ParseWeights(FactorNames[0] + "=7")
	if err != nil {
		t.Fatal(err)
	}
	r := seeded(5)
	world := randomWorld(r, 10)
	want := Rank(world.req, prepareAsIs(world.provs...), w, world.opt)
	list, wv, rv := Shortlist(Request{}, nil, w, world.opt)
	if len(list) != 0 || wv != want.WeightsVersion || rv != want.RulesVersion || wv == DefaultWeightsVersion {
		t.Fatalf("versions %s %s, a search names %s %s", wv, rv, want.WeightsVersion, want.RulesVersion)
	}
}
