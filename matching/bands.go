package matching

import (
	"fmt"
	"math"
)

// Rank tiers. A tier orders matches before any score does: every match of a lower
// tier ranks above every match of a higher one, and the reasons say why.
const (
	// TierConnected: a carer approved as a connected person for every child in the
	// group. Children Act 1989 s22C(7)(a): the council must give preference to a
	// relative, friend or other connected person who is a local authority foster
	// parent.
	TierConnected int8 = iota
	// TierUsual: every other provider inside its terms.
	TierUsual
	// TierOutsideTerms: an approved carer taking an emergency placement outside
	// its terms of approval, allowed for 6 working days only (reg 23).
	TierOutsideTerms
	// TierPending: a carer whose assessment is in progress, shown only when the
	// officer asks (include_pending) and never bookable, so below every provider
	// that can be booked, whatever its score or connection to the child.
	TierPending
)

// Bands are coarse, honest words for a score, so that an officer is never asked to
// weigh 99.40 against 99.39. The thresholds belong to the weights: they are part of
// DefaultWeightsVersion and of every custom weights version (versionOf).
const (
	BandStrong   = "strong"
	BandGood     = "good"
	BandPossible = "possible"
	// BandStrongFrom and BandGoodFrom are the lowest scores of each band (out of
	// 100); below BandGoodFrom a match is possible.
	BandStrongFrom = 75.0
	BandGoodFrom   = 50.0
	// TieMargin is the score step matches are compared in within a band: scores
	// of one band that round to the same multiple of it are equal, and such ties
	// are ordered by distance from home, then from the farthest school, then
	// provider id. Rounding puts a .5 in the step above, so 73.5 and 74.49 tie
	// while 74.49 and 74.5 do not; at a band's threshold the band decides first
	// (75.4 strong above 74.6 good, though both round to 75).
	TieMargin = 1.0
)

// Bands lists the bands, best first.
var Bands = []string{BandStrong, BandGood, BandPossible}

// BandOf returns the band of a score.
func BandOf(score float64) string { return Bands[bandIndex(score)] }

// bandIndex is the index in Bands of a score's band, the order ranking compares
// before the score's whole steps.
func bandIndex(score float64) int8 {
	switch {
	case score >= BandStrongFrom:
		return 0
	case score >= BandGoodFrom:
		return 1
	}
	return 2
}

// tieStep is the score in whole TieMargin steps, the unit ranking compares.
func tieStep(score float64) int64 { return int64(math.Round(score / TieMargin)) }

// bandsVersion names the thresholds inside a weights version.
var bandsVersion = fmt.Sprintf("bands=%g/%g;tie=%g;", BandStrongFrom, BandGoodFrom, TieMargin)
