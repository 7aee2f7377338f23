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
// Protected characteristics (sex, religion, ethnicity) are never scored. Sex is read
// by one hard rule only (female-only units); language is scored because a shared
// language is a communication need of the child, not a characteristic of the carer.
//
// It imports the root package and geo only; it must never import store, placing,
// reports, api or any HTTP or database package.
package matching
