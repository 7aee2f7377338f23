package matching

import (
	"time"

	"placematch"
)

// Request is one child to place, with the siblings to be placed together.
type Request struct {
	// Child is the child whose record the search was opened from. It names the
	// search and nothing more: the group is one search, so any member of the same
	// group gives the same Result. A nil Child gives an empty result.
	Child *placematch.Child
	// Group is the child first, then the siblings still awaiting placement, who
	// must all go to one provider; empty means the child alone (and a Child missing
	// from Group is added to it). The members are put in a canonical order (eldest
	// first by date of birth, then id) and every value of the search is derived
	// from all of them: every member's age, sex, wheelchair use, needs, risks,
	// household needs, languages, placement type and avoid-areas apply; home is the
	// first member's in that order with a location; the maximum distance is the
	// smallest any member has; the date needed is the latest. The caller vouches
	// that they are siblings; the fostering-limit sibling exception still checks
	// that the group and the children placed there are linked through Siblings.
	Group []*placematch.Child
	// Today dates the search: ages are taken on it, and it is the earliest
	// required_from. Zero means the date of Now.
	Today placematch.Date
	// Now is the instant availability confirmations are aged against. Zero means
	// midnight UTC at the start of Today.
	Now time.Time
}

// Options shape a search.
type Options struct {
	// Kinds restricts the provider kinds ranked; empty means all. Candidates of
	// other kinds are skipped without being counted as considered or excluded.
	Kinds []placematch.ProviderKind
	// MaxDistanceKM, when set, replaces the members' MaxDistanceKM.
	MaxDistanceKM *float64
	// Limit is the most matches returned; 0 or less means 10.
	Limit int
	// IncludeExcluded lists every exclusion one by one. The summary is always
	// filled; the list costs time and memory at national scale.
	IncludeExcluded bool
	// Masks, when set, receives the reason mask of every candidate Rank is given,
	// by position: bit i is ReasonCodes[i], and 0 is a candidate that passed every
	// rule or was not considered. The slice is reused when it is long enough, so
	// a caller can keep "why not" for a whole run without a list (Describe turns
	// masks back into Exclusions).
	Masks *[]uint32 `json:"-"`
	// StaleAfter is how long a confirmation of availability stays fresh; 0 means
	// 14 days.
	StaleAfter time.Duration
	// AreaConfigured says a council boundary is configured, so that a provider
	// with no District lies outside it.
	AreaConfigured bool
	// Hubs are every hub whose outreach team may cover a need for a provider near
	// it, whatever kinds are ranked.
	Hubs []Candidate
	// Policy is the household rule set in force; the zero Policy is DefaultPolicy.
	Policy Policy
	// RequireHighRiskSkills makes a high risk the provider's own skills do not
	// cover a hard rule (CodeHighRiskSkills) instead of a flag.
	RequireHighRiskSkills bool
	// IncludePending shows carers in assessment that pass every other rule,
	// flagged FlagPendingApproval, instead of excluding them (CodePendingApproval).
	// Check ignores it: a carer in assessment is never bookable.
	IncludePending bool
}

// DefaultLimit is the number of matches returned when Options.Limit is not set.
const DefaultLimit = 10

// DefaultStaleAfter is how long availability stays fresh when Options.StaleAfter is
// not set (DOMAIN.md: "not confirmed for N days, default 14").
const DefaultStaleAfter = 14 * 24 * time.Hour

// Result is a ranked search.
type Result struct {
	// Matches are the best providers, best first, at most Options.Limit.
	Matches []Match `json:"matches"`
	// Excluded lists every excluded provider with all its codes, sorted by provider
	// id, when Options.IncludeExcluded is set; otherwise it is empty.
	Excluded []Exclusion `json:"excluded"`
	// ExcludedSummary counts excluded providers per reason code. A provider with
	// two codes counts under both, so the counts can add up to more than
	// ExcludedCount. Codes nobody breached are absent.
	ExcludedSummary map[string]int `json:"excluded_summary"`
	// Considered counts the candidates of the requested kinds, each once. Every one
	// of them is either eligible or excluded: Considered = Eligible + ExcludedCount.
	Considered int `json:"considered"`
	// Eligible counts the candidates that passed every hard rule; Matches are the
	// best Options.Limit of them.
	Eligible int `json:"eligible"`
	// ExcludedCount counts the excluded providers, each once.
	ExcludedCount int `json:"excluded_count"`
	// WeightsVersion names the weights the scores were computed with, so that a
	// stored match run records the rules in force.
	WeightsVersion string `json:"weights_version"`
	// RulesVersion names the household rule set (Policy) the search applied.
	RulesVersion string `json:"rules_version"`
	// NearMisses are the excluded providers nearest home that break exactly one
	// rule a change could meet, at most NearMissLimit, each with what would have
	// to change. Never ranked.
	NearMisses []NearMiss `json:"near_misses"`
}

// Match is one provider that passed every hard rule, with its score explained.
type Match struct {
	// Rank is 1 for the best match.
	Rank     int                    `json:"rank"`
	Provider placematch.ProviderRef `json:"provider"`
	// Score is 0–100: the sum of the factor contributions, rounded to 2 places.
	Score float64 `json:"score"`
	// Band is the score in words (BandOf): strong, good or possible.
	Band string `json:"band"`
	// Tier orders matches before the score: TierConnected, TierUsual or
	// TierOutsideTerms, said in Reasons when it is not TierUsual.
	Tier int8 `json:"tier"`
	// DistanceKM is the great-circle distance from the child's home; 0 when the
	// home is not known (see FlagDistanceUnknown).
	DistanceKM float64 `json:"distance_km"`
	// DistanceMiles is DistanceKM in miles the way the DfE rounds them.
	DistanceMiles float64 `json:"distance_miles"`
	// SchoolDistanceKM is the great-circle distance to the farthest school of the
	// group (the second tie-break); 0 when no school is recorded.
	SchoolDistanceKM float64 `json:"school_distance_km"`
	// Within20Miles is the DfE statistics split; false when distance is unknown.
	Within20Miles bool `json:"within_20_miles"`
	// Vacancies are the places the group could take (for a hub and a planned
	// placement, planned beds only).
	Vacancies int      `json:"vacancies"`
	Factors   []Factor `json:"factors"`
	// Reasons are plain-English sentences an officer can read out.
	Reasons []string `json:"reasons"`
	// Flags are facts to check before booking (the Flag constants).
	Flags []string `json:"flags"`
	// ScarceReason says, in plain English, which other waiting child or group this
	// home is one of the few homes for, when Flags holds FlagScarcePlace; empty
	// otherwise.
	ScarceReason string `json:"scarce_reason,omitempty"`
	// Household is the home after placement, as the household rules saw it.
	Household Household `json:"household"`
	// Skills are the provider's own skills (a hub's: its services), as recorded.
	Skills []string `json:"skills"`
	// Needs has one entry per item of the needs factor (each member's needs and
	// graded risks, eldest member first), saying who covers it.
	Needs []NeedCover `json:"needs"`
	// Act is what the officer needs to act on the match. A match is shown to
	// officers and admins only; nothing of it goes into reports or the map layer.
	Act Act `json:"act"`
}

// Act is what an officer needs to act on a match without another system: how to
// reach the household or provider, a carer's supervising social worker, the cost
// and the Ofsted registration and rating. Fields not recorded are null.
type Act struct {
	Contact                 placematch.Contact `json:"contact"`
	SupervisingSocialWorker *placematch.Person `json:"supervising_social_worker"`
	// WeeklyCostPence is a unit's weekly cost; FeeBand a carer's fee band.
	WeeklyCostPence *int64      `json:"weekly_cost_pence"`
	FeeBand         *string     `json:"fee_band"`
	Ofsted          *OfstedSeen `json:"ofsted"`
}

// OfstedSeen is a unit's or hub's Ofsted registration as a match shows it. Rating
// is absent and InspectionDate null when it has not yet been inspected.
type OfstedSeen struct {
	URN            *string                 `json:"urn"`
	Rating         *placematch.OfstedGrade `json:"rating,omitempty"`
	InspectionDate *placematch.Date        `json:"inspection_date"`
}

// Household is the home a group would join: everyone living there after placement.
type Household struct {
	// ChildrenAges are the ages, youngest first, of the carer's own children (as
	// recorded), the children placed there now and the group.
	ChildrenAges []int `json:"children_ages"`
	// Pets and Smoking describe a fostering household; false for units and hubs.
	Pets    bool `json:"pets"`
	Smoking bool `json:"smoking"`
	// Residents counts the children placed there now.
	Residents int `json:"residents"`
}

// Who covers an item of the needs factor.
const (
	CoveredByProvider = "provider"
	CoveredByOutreach = "outreach"
	CoveredByNone     = "none"
)

// NeedCover is one need or graded risk of one member and who covers it.
type NeedCover struct {
	// Child is the member's case reference (never a name).
	Child string `json:"child"`
	Code  string `json:"code"`
	// Label is the code in words ("fire setting").
	Label string `json:"label"`
	// Level is "low" or "high" for a risk; "" for a need, which JSON leaves out
	// (the API never answers an empty string for none).
	Level string `json:"level,omitempty"`
	// CoveredBy is CoveredByProvider (full credit), CoveredByOutreach (half credit)
	// or CoveredByNone.
	CoveredBy string `json:"covered_by"`
	// Hub names the hub whose outreach covers it, when CoveredBy is outreach.
	Hub string `json:"hub,omitempty"`
}

// Factor is one soft factor's part in a score.
type Factor struct {
	Name string `json:"name"`
	// Value is 0–1, rounded to 4 places.
	Value  float64 `json:"value"`
	Weight float64 `json:"weight"`
	// Contribution is weight × value / Σ weights × 100, rounded to 4 places; the
	// contributions of a match add up to its Score within 0.005.
	Contribution float64 `json:"contribution"`
	Detail       string  `json:"detail"`
}

// Exclusion is a provider that broke at least one hard rule, with every code that
// applies, in ReasonCodes order.
type Exclusion struct {
	Provider placematch.ProviderRef `json:"provider"`
	Reasons  []string               `json:"reasons"`
	// NearMiss, when it breaks exactly one rule a change could meet, says what
	// would have to change (see NearMiss).
	NearMiss string `json:"near_miss,omitempty"`
}
