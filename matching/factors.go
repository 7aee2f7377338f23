package matching

import (
	"math"
	"math/bits"

	"placematch"
)

// Factor formulas. Each returns a value in [0, 1]; the same functions serve the fast
// first pass and the explanation of a match, so an explained value is the ranked one.

// Distance curve: near home is gently better up to 20 miles, where the value is
// distAt20; past it the value falls by a factor e every distFalloffKM. Continuous and
// never increasing in km, so moving a provider closer never costs it points.
const (
	distAt20      = 0.7
	distFalloffKM = 20.0
	// distUnknown is the value of a distance that cannot be computed: neither
	// rewarded nor punished for a gap in the child's record.
	distUnknown = 0.5
)

// distanceCurve maps km to a value:
//
//	km ≤ 32.19 (20 miles): 1 − 0.3·km/32.19        (1 at home, 0.7 at 20 miles)
//	km > 32.19:            0.7·exp(−(km − 32.19)/20) (0.31 at 30 miles, 0.14 at 40)
func distanceCurve(km float64) float64 {
	if km <= placematch.NearKm {
		return 1 - (1-distAt20)*km/placematch.NearKm
	}
	return distAt20 * math.Exp(-(km-placematch.NearKm)/distFalloffKM)
}

// distanceValue combines home and school: with a school location the value is the
// mean of the two curves (research ties distance from school to placement
// breakdown, and s22C asks for both home and education); an unknown home counts as
// distUnknown in that mean. homeKM < 0 means the home is not known.
func distanceValue(homeKM float64, school bool, schoolKM float64) float64 {
	h := distUnknown
	if homeKM >= 0 {
		h = distanceCurve(homeKM)
	}
	if !school {
		return h
	}
	return (h + distanceCurve(schoolKM)) / 2
}

// distanceBound is at least distanceValue(homeKM, school, schoolKM) for any
// distances at least as great, and costs no exp: for the score upper bounds, which
// are taken for every cell of the index. The curve is read from a table at steps
// of boundStepKM, each entry the curve at the step's near end.
func distanceBound(homeKM float64, school bool, schoolKM float64) float64 {
	h := distUnknown
	if homeKM >= 0 {
		h = curveAtOrBelow(homeKM)
	}
	if !school {
		return h
	}
	return (h + curveAtOrBelow(schoolKM)) / 2
}

const boundStepKM = 0.5

// curveTable[i] is distanceCurve(i·boundStepKM), to 2,000 km.
var curveTable = func() []float64 {
	t := make([]float64, 4001)
	for i := range t {
		t[i] = distanceCurve(float64(i) * boundStepKM)
	}
	return t
}()

// curveAtOrBelow is distanceCurve at the table step at or below km: never less
// than distanceCurve(km), which never increases.
func curveAtOrBelow(km float64) float64 {
	i := int(km / boundStepKM)
	if i >= len(curveTable) {
		i = len(curveTable) - 1
	}
	return curveTable[max(i, 0)]
}

// capacityValue prefers providers whose vacancies fit the group: 1 when they are
// equal, then 1/(1 + spare/4) (0.8 with one spare place, 0.67 with two), so large
// vacancies are kept for large sibling groups without burying big units.
func capacityValue(vac, group int16) float64 {
	spare := max(vac-group, 0)
	return 1 / (1 + float64(spare)/4)
}

// needsValue is the covered share of the group's items by weight (a need or low
// risk weighs 1, a high risk 2): own is the weight the provider's own skills cover,
// outreach the weight of the rest a hub's outreach covers, at half credit; 1 with
// no items.
func needsValue(own, outreach, total int) float64 {
	if total == 0 {
		return 1
	}
	return float64(2*own+outreach) / float64(2*total)
}

func bits64(x uint64) int { return bits.OnesCount64(x) }

// languageUnknown is the language value of units and hubs, whose staff languages
// are not recorded: unknown, so neutral.
const languageUnknown = 0.5

// freshnessValue ages the last confirmation of availability. Within staleAfter it is
// 1; after that it halves every further staleAfter (0.5 at twice the limit, 0.25 at
// three times). Never confirmed is 0. A provider the nightly job marked unconfirmed
// is worth at most 0.5 whatever its date. ageSec is now − confirmed_at in seconds.
func freshnessValue(confirmed bool, ageSec, staleAfter float64, unconfirmed bool) (v float64, stale bool) {
	switch {
	case !confirmed:
		return 0, true
	case ageSec <= staleAfter:
		v = 1
	default:
		v, stale = math.Exp2(-(ageSec-staleAfter)/staleAfter), true
	}
	if unconfirmed {
		v, stale = min(v, 0.5), true
	}
	return v, stale
}

// round4 rounds a contribution; score sums rounded contributions, so what a Match
// shows adds up.
func round4(x float64) float64 { return math.Round(x*1e4) / 1e4 }

func round2(x float64) float64 { return math.Round(x*100) / 100 }

// score is Σ round4(coef·v), rounded to 2 places; |score − Σ contributions| ≤ 0.005.
func (q *query) score(v *[nFactors]float64) float64 {
	s := 0.0
	for i := range v {
		s += round4(q.coef[i] * v[i])
	}
	return round2(s)
}
