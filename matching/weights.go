package matching

import (
	"crypto/sha256"
	"encoding/hex"
	"maps"
	"math"
	"slices"
	"strconv"
	"strings"

	"placematch"
)

// Soft factor names, as they appear in Weights.Values and in Factor.Name.
const (
	FactorNeeds       = "needs"
	FactorDistance    = "distance"
	FactorCapacityFit = "capacity_fit"
	FactorLanguage    = "language"
	FactorFreshness   = "freshness"
	FactorInArea      = "in_area"
)

// FactorNames lists the soft factors in the order a Match shows them.
var FactorNames = []string{FactorNeeds, FactorDistance, FactorCapacityFit, FactorLanguage,
	FactorFreshness, FactorInArea}

// Factor indexes into per-candidate value arrays; the order is FactorNames'.
const (
	fNeeds = iota
	fDistance
	fCapacity
	fLanguage
	fFreshness
	fInArea
	nFactors
)

// DefaultWeightsVersion names the default weights. Change it whenever the defaults,
// a factor's formula, the bands' thresholds or the tie margin (bands.go) change, so
// that recorded matches say which rules made them. default-3: bands and ties in
// whole points.
const DefaultWeightsVersion = "2026-12-default-3"

// Weights are the importance of each soft factor. Only ratios matter (the score
// divides by the sum); the defaults add up to 100 so that a weight reads as the most
// points a factor can give.
type Weights struct {
	// Version names the set in force; it is recorded with every match run.
	Version string `json:"-"`
	// Values maps a factor name to its weight; a missing factor weighs 0.
	Values map[string]float64
}

// DefaultWeights returns the weights used when the request names none: needs and
// distance lead (the child's needs and staying near home, school and family are what
// s22C asks for first), stale availability costs real points, and capacity fit,
// language and area break the remaining ties.
func DefaultWeights() Weights {
	return Weights{Version: DefaultWeightsVersion, Values: map[string]float64{
		FactorNeeds:       30,
		FactorDistance:    25,
		FactorCapacityFit: 10,
		FactorLanguage:    10,
		FactorFreshness:   15,
		FactorInArea:      10,
	}}
}

// Validate reports unknown factor names, negative or non-finite weights, and a set
// whose weights are all zero (no score could be computed). The error is a
// *placematch.ValidationError on field "weights", so it maps to a 400.
func (w Weights) Validate() error {
	v := &placematch.ValidationError{}
	total := 0.0
	for _, name := range slices.Sorted(maps.Keys(w.Values)) {
		x := w.Values[name]
		switch {
		case !slices.Contains(FactorNames, name):
			v.Add("weights", "unknown factor %q; known factors: %s", name, strings.Join(FactorNames, ", "))
		case math.IsNaN(x) || math.IsInf(x, 0):
			v.Add("weights", "weight of %s must be a finite number", name)
		case x < 0:
			v.Add("weights", "weight of %s must not be negative", name)
		default:
			total += x
		}
	}
	if len(v.Errors) == 0 && total == 0 {
		v.Add("weights", "at least one weight must be above zero")
	}
	return v.Err()
}

// ParseWeights reads "needs=3,distance=2" (spaces allowed around names and values),
// overriding the default weight of each factor named. An empty string gives the
// defaults. Any other set gets Version "custom-" and 8 hex digits of a SHA-256 of the
// full set of values, so that the same weights always record the same version
// whatever order or spelling of numbers the request used; a set equal to the
// defaults keeps the default version.
func ParseWeights(s string) (Weights, error) {
	w := DefaultWeights()
	if strings.TrimSpace(s) == "" {
		return w, nil
	}
	v := &placematch.ValidationError{}
	seen := map[string]bool{}
	for _, part := range strings.Split(s, ",") {
		name, val, ok := strings.Cut(part, "=")
		name, val = strings.TrimSpace(name), strings.TrimSpace(val)
		if !ok || name == "" || val == "" {
			v.Add("weights", "%q must be name=number", strings.TrimSpace(part))
			continue
		}
		if seen[name] {
			v.Add("weights", "factor %s is given twice", name)
			continue
		}
		seen[name] = true
		x, err := strconv.ParseFloat(val, 64)
		if err != nil {
			v.Add("weights", "weight of %s must be a number, not %q", name, val)
			continue
		}
		w.Values[name] = x
	}
	if err := v.Err(); err != nil {
		return Weights{}, err
	}
	if err := w.Validate(); err != nil {
		return Weights{}, err
	}
	w.Version = versionOf(w.Values)
	return w, nil
}

// versionOf names a set of weights: the default version when it equals the defaults,
// otherwise a hash of the bands' thresholds and the canonical "name=value;" list
// sorted by name.
func versionOf(values map[string]float64) string {
	def := DefaultWeights()
	same := len(values) == len(def.Values)
	for k, x := range def.Values {
		if y, ok := values[k]; !ok || y != x {
			same = false
		}
	}
	if same {
		return def.Version
	}
	var b strings.Builder
	b.WriteString(bandsVersion)
	for _, k := range slices.Sorted(maps.Keys(values)) {
		b.WriteString(k)
		b.WriteByte('=')
		b.WriteString(strconv.FormatFloat(values[k], 'g', -1, 64))
		b.WriteByte(';')
	}
	sum := sha256.Sum256([]byte(b.String()))
	return "custom-" + hex.EncodeToString(sum[:4])
}

// coefficients turns weights into per-factor multipliers that give points out of
// 100: coef[i] = w[i] / Σw × 100. Invalid weights fall back to the defaults; the
// returned version says which set was used.
func (w Weights) coefficients() (coef [nFactors]float64, weights [nFactors]float64, version string) {
	if w.Validate() != nil {
		w = DefaultWeights()
	}
	version = w.Version
	if version == "" {
		version = versionOf(w.Values)
	}
	total := 0.0
	for i, name := range FactorNames {
		weights[i] = w.Values[name]
		total += weights[i]
	}
	for i := range weights {
		coef[i] = weights[i] / total * 100
	}
	return coef, weights, version
}
