package matching

import (
	"slices"
	"testing"

	"placematch"
)

// Check, the booking-time test of one provider, breaks exactly the rules Rank reports
// for that provider and the plain oracle computes: none for a match.
func TestCheckAgreesWithRank(t *testing.T) {
	r := seeded(7)
	excludedSeen, matchedSeen := 0, 0
	for it := range iterations(t, 200) {
		w := randomWorld(r, 60)
		w.opt.IncludePending = false // Check never lets a carer in assessment pass (TestPendingCarers)
		opt := w.opt
		opt.IncludeExcluded, opt.Limit = true, len(w.provs)+1 // every provider either ranked or listed
		res := Rank(w.req, prepareAsIs(w.provs...), DefaultWeights(), opt)
		ranked := map[string][]string{}
		for _, e := range res.Excluded {
			ranked[e.Provider.ID] = e.Reasons
		}
		for _, m := range res.Matches {
			ranked[m.Provider.ID] = nil
		}
		for _, p := range w.provs {
			want, ok := ranked[p.ID]
			if !ok { // another kind than asked for, or archived: Rank did not consider it
				continue
			}
			got := Check(w.req, p, w.opt)
			if !slices.Equal(got, want) {
				t.Fatalf("iteration %d, %s (%s): Check %v, Rank %v", it, p.ID, p.Kind, got, want)
			}
			if oracle := refReasons(w.req, w.opt, p); !slices.Equal(got, oracle) {
				t.Fatalf("iteration %d, %s (%s): Check %v, oracle %v", it, p.ID, p.Kind, got, oracle)
			}
			if len(got) == 0 {
				matchedSeen++
			} else {
				excludedSeen++
			}
		}
	}
	if excludedSeen == 0 || matchedSeen == 0 {
		t.Fatalf("the generated worlds gave %d excluded and %d matched providers; both must occur", excludedSeen, matchedSeen)
	}
}

// Check ignores the kinds a search was narrowed to: the caller names the provider.
func TestCheckIgnoresKinds(t *testing.T) {
	r := seeded(8)
	w := randomWorld(r, 40)
	for _, p := range w.provs {
		all := Check(w.req, p, Options{})
		other := placematch.KindHub
		if p.Kind == placematch.KindHub {
			other = placematch.KindCarer
		}
		narrowed := Check(w.req, p, Options{Kinds: []placematch.ProviderKind{other}})
		if !slices.Equal(all, narrowed) {
			t.Fatalf("%s: codes %v with every kind, %v narrowed to another kind", p.ID, all, narrowed)
		}
	}
	if Check(Request{}, w.provs[0], Options{}) != nil {
		t.Fatal("Check without a child must break no rule and report none")
	}
}
