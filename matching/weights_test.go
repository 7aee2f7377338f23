package matching

import (
	"errors"
	"fmt"
	"math"
	"regexp"
	"testing"
	"time"

	"placematch"
)

func TestParseWeights(t *testing.T) {
	def, err := ParseWeights("")
	if err != nil || def.Version != DefaultWeightsVersion || len(def.Values) != len(FactorNames) {
		t.Fatalf("empty: %+v %v", def, err)
	}
	a, err := ParseWeights("needs=3,distance=2")
	if err != nil {
		t.Fatal(err)
	}
	if a.Values[FactorNeeds] != 3 || a.Values[FactorDistance] != 2 || a.Values[FactorFreshness] != 15 {
		t.Errorf("values %v", a.Values)
	}
	if !regexp.MustCompile(`^custom-[0-9a-f]{8}$`).MatchString(a.Version) {
		t.Errorf("version %q", a.Version)
	}
	b, _ := ParseWeights(" distance = 2.0 , needs=3e0 ")
	if b.Version != a.Version {
		t.Errorf("same weights, versions %q and %q", a.Version, b.Version)
	}
	c, _ := ParseWeights("needs=3,distance=2.5")
	if c.Version == a.Version {
		t.Errorf("different weights share version %q", c.Version)
	}
	d, _ := ParseWeights("needs=30")
	if d.Version != DefaultWeightsVersion {
		t.Errorf("defaults restated: version %q", d.Version)
	}
	for _, bad := range []string{"needs", "needs=", "=3", "needs=x", "needs=1,needs=2", "kindness=2",
		"needs=-1", "needs=NaN", "needs=Inf",
		"needs=0,distance=0,capacity_fit=0,language=0,freshness=0,in_area=0"} {
		if _, err := ParseWeights(bad); !errors.Is(err, placematch.ErrInvalid) {
			t.Errorf("%q: error %v, want ErrInvalid", bad, err)
		}
	}
}

func TestWeightsValidate(t *testing.T) {
	if err := DefaultWeights().Validate(); err != nil {
		t.Fatal(err)
	}
	if err := (Weights{Values: map[string]float64{FactorNeeds: 1}}).Validate(); err != nil {
		t.Errorf("one weight, others missing: %v", err)
	}
	for _, w := range []map[string]float64{nil, {FactorNeeds: 0}, {"sex": 1}, {FactorNeeds: -2}} {
		if err := (Weights{Values: w}).Validate(); !errors.Is(err, placematch.ErrInvalid) {
			t.Errorf("%v: %v", w, err)
		}
	}
}

// Only the needs factor weighs: the scores follow needs alone, the other factors
// show weight 0 and contribution 0, and invalid weights fall back to the defaults.
func TestWeightsApply(t *testing.T) {
	c := newChild("c", 12)
	c.Needs = []string{"autism", "trauma"}
	near, far := newCarer("near", 1), newCarer("far", 60)
	far.Carer.Skills = []string{"autism"}
	w := Weights{Version: "needs-only", Values: map[string]float64{FactorNeeds: 1}}
	r := Rank(request(c), prepare(near, far), w, Options{})
	if r.WeightsVersion != "needs-only" || r.Matches[0].Provider.ID != "far" || r.Matches[0].Score != 50 {
		t.Fatalf("%s: %+v", r.WeightsVersion, r.Matches)
	}
	if f := factor(r.Matches[0], FactorDistance); f.Weight != 0 || f.Contribution != 0 {
		t.Errorf("distance %+v", f)
	}
	r = Rank(request(c), prepare(near, far), Weights{Values: map[string]float64{"sex": 1}}, Options{})
	if r.WeightsVersion != DefaultWeightsVersion {
		t.Errorf("invalid weights ran as %q", r.WeightsVersion)
	}
}

func TestFactorCurves(t *testing.T) {
	for _, tc := range []struct{ km, want float64 }{{0, 1}, {32.19, 0.7}, {32.19 + 20, 0.7 / math.E}} {
		if got := distanceCurve(tc.km); math.Abs(got-tc.want) > 1e-12 {
			t.Errorf("distanceCurve(%v) = %v, want %v", tc.km, got, tc.want)
		}
	}
	if got := distanceValue(-1, false, 0); got != distUnknown {
		t.Errorf("unknown home: %v", got)
	}
	if got := distanceValue(0, true, 32.19); math.Abs(got-0.85) > 1e-12 {
		t.Errorf("home 0, school 20 miles: %v", got)
	}
	for _, tc := range []struct {
		vac, g int16
		want   float64
	}{{1, 1, 1}, {3, 3, 1}, {2, 1, 0.8}, {5, 1, 0.5}} {
		if got := capacityValue(tc.vac, tc.g); math.Abs(got-tc.want) > 1e-12 {
			t.Errorf("capacityValue(%d, %d) = %v, want %v", tc.vac, tc.g, got, tc.want)
		}
	}
	day := (24 * time.Hour).Seconds()
	for _, tc := range []struct {
		confirmed   bool
		ageDays     float64
		unconfirmed bool
		want        float64
		stale       bool
	}{
		{true, 0, false, 1, false}, {true, 14, false, 1, false}, {true, 28, false, 0.5, true},
		{true, 42, false, 0.25, true}, {false, 0, false, 0, true}, {true, 3, true, 0.5, true},
		{true, -2, false, 1, false},
	} {
		v, stale := freshnessValue(tc.confirmed, tc.ageDays*day, 14*day, tc.unconfirmed)
		if math.Abs(v-tc.want) > 1e-12 || stale != tc.stale {
			t.Errorf("%+v: %v %v", tc, v, stale)
		}
	}
}

func TestLanguageFactor(t *testing.T) {
	c := newChild("c", 17)
	u, p := newUnit("u", 1), newCarer("p", 1)
	p.Carer.Languages = []string{"Arabic"}
	lang := func(id string) float64 {
		r := rank(t, request(c), Options{}, u, p)
		for _, m := range r.Matches {
			if m.Provider.ID == id {
				return factor(m, FactorLanguage).Value
			}
		}
		t.Fatalf("%s not matched: %+v", id, r.Excluded)
		return 0
	}
	if lang("p") != 1 || lang("u") != 1 {
		t.Errorf("no languages: %v %v", lang("p"), lang("u"))
	}
	c.Languages = []string{"urdu", " ARABIC "}
	if lang("p") != 1 || lang("u") != 0.5 {
		t.Errorf("shared: %v, unit %v", lang("p"), lang("u"))
	}
	c.Languages = []string{"urdu"}
	if lang("p") != 0 {
		t.Errorf("none shared: %v", lang("p"))
	}
}

// Past the exact bits, languages share hashed bits and are confirmed by name.
func TestLanguageBitsOverflow(t *testing.T) {
	for i := range exactLangBits + 20 {
		langBit(fmt.Sprintf("lang-%03d", i))
	}
	c := newChild("c", 9)
	p, q := newCarer("p", 1), newCarer("q", 2)
	p.Carer.Languages = []string{"lang-070"}
	q.Carer.Languages = []string{"lang-071", "lang-072", "lang-073", "lang-074", "lang-075"}
	c.Languages = []string{"LANG-070"}
	r := rank(t, request(c), Options{}, p, q)
	for _, m := range r.Matches {
		want := map[string]float64{"p": 1, "q": 0}[m.Provider.ID]
		if f := factor(m, FactorLanguage); f.Value != want {
			t.Errorf("%s: %+v, want %v", m.Provider.ID, f, want)
		}
	}
}
