// Package reports builds the commissioners' sufficiency report (Children Act 1989
// s22G: supply against demand by area, provider kind, placement type and age band,
// occupancy, and how far children live from home) and writes it as CSV, XLSX or JSON,
// with a trend from the nightly snapshots and the DfE's published England and
// regional figures for comparison, gaps by need (judged by the hard rules the use
// case hands in), unmet demand and time to place by month, and a 12-month forecast
// backtested on published figures (docs/forecast.md). It also writes the providers
// map layer as GeoJSON.
//
// Reports hold counts and rates only: no child's id, reference or date of birth
// leaves this package, and with suppression on, counts of 1 to 4 (and the rates made
// from them) are shown as "c", the DfE convention, with whatever else would let a
// reader work one back (suppress.go), so a published table cannot identify a child
// while totals that identify nobody stay shown.
//
// Demand (demand.go) counts each group awaiting only against the kinds of home that
// could lawfully take it, judged by matching's hard rules.
//
// Rows are read through narrow store methods and aggregated in Go: one pass over the
// providers and one over the active placements, each a map update, is far cheaper
// than the database time to read them, and keeps the rules (vacancies, the 20-mile
// split, DfE miles) in one place with the rest of the domain code.
//
// It may import the root package, geo, matching and store; it must not import placing,
// jobs, api or cmd (the use cases and the nightly snapshot call it, never the reverse).
package reports
