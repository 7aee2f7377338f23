// Package demo loads a realistic, entirely invented Norfolk data set so that
// Placematch can be shown and tried without real records: foster households,
// supported-accommodation units, the two New Roads hubs, children awaiting a home
// (some in sibling groups) and placements already running.
//
// It needs nothing at run time beyond the binary: its geography is a short list of
// hand-entered Norfolk towns (Towns), which also gives a district to every record
// through Locator when no boundary file is configured. Every value is drawn from a
// seeded PCG generator, so a seed always produces the same set, which makes demos
// repeatable and bug reports reproducible.
//
// It imports the root package, geo and store (it writes through the store like any
// other client); it must not import the faces (api), the use cases (placing) or jobs.
package demo
