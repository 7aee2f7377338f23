// Package matching ranks the homes that could take a child: it applies the hard
// rules of DOMAIN.md as exclusions with machine reason codes, scores every remaining
// provider on a few weighted, explained soft factors, and returns the best few with a
// factor-by-factor breakdown and sentences a placement officer can read out.
//
// The package is pure: no database, no HTTP, no clock of its own (the caller passes
// Today and Now) and no randomness, so the same input always gives the same output —
// a ranking has to be reproducible when an officer or a court asks why.
//
// It is built for national scale (100k providers in a few milliseconds): Prepare
// turns each provider once into a Candidate with bitsets and precomputed numbers;
// Rank makes one allocation-free numeric pass over all candidates (a bitmask of
// breached rules, factor values, a small top-k heap) and only builds strings for the
// matches it returns. A legal rule is never a score: a provider in breach is
// excluded, with every code that applies, and never merely ranked lower.
//
// The sibling group is one search. Request.Group is put in a canonical order
// (eldest first by date of birth, then id) and every value of the search is derived
// from all members symmetrically, so whichever member is Request.Child the Result is
// the same, byte for byte: home is the first member's with a location; the distance
// factor uses the farthest member's school; the maximum distance is
// Options.MaxDistanceKM, else the smallest a member has; avoid-areas are every
// member's (one unreadable closes the search); the date needed is the latest; one
// member's emergency urgency opens a hub's emergency beds; every member's placement
// type must be in a carer's terms (an emergency one may be outside them under reg
// 23, flagged); languages are the union.
//
// The needs factor's items are, for each member, each distinct need code (weight 1)
// and each risk graded low (1) or high (2); "none" is no item. Its value is the
// covered weight over the total weight: the provider's own skills (a hub's
// services) give full credit; outreach from a hub that reaches the provider, serves
// that member's age, lies in none of the group's avoid-areas and offers a service
// that addresses the item gives half credit (serviceFor maps only services that
// address a code, so risks such as physical harm to others never get outreach
// credit). A high risk the provider's own skills do not cover is flagged
// high_risk_not_covered and said first; outreach never clears it, and
// Options.RequireHighRiskSkills makes it a hard rule (high_risk_skills_missing).
// Provider skills carry no level of experience: no record says what "experienced"
// would require, and a level nobody verifies would only make a weak match look
// strong.
//
// The household needs (live_alone, only_older_children, only_younger_children,
// no_pets) are not items but hard rules about the home, with the high risks of
// harm to others, fire setting and harm to animals and the smoking rule: the
// council's policy, declared as one versioned Policy (DefaultPolicy, recorded as
// Result.RulesVersion, each rule switchable off by code). They are checked against
// everyone in the home after placement — the carer's own children (ages as
// recorded) and Provider.Residents — in both directions, comparing whole years
// strictly; the members are not checked against each other, since placing siblings
// together is the officer's decision (household.go has each rule).
//
// Protected characteristics (sex, religion, ethnicity) are never scored. Sex is read
// by one hard rule only (female-only units); language is scored because a shared
// language is a communication need of the child, not a characteristic of the carer.
//
// It imports the root package and geo only; it must never import store, placing,
// reports, api or any HTTP or database package.
package matching
