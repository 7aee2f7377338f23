package placematch

// NearMiles is the DfE's "far from home" line: its looked-after children statistics
// split placements into "placed 20 miles or less from home" and "placed more than 20
// miles from home". Scoring, explanations and the sufficiency report all split on it.
const NearMiles = 20

// NearKm is NearMiles in kilometres with the DfE's 1.6093 km per mile, to two
// decimals (32.19; 32.19 km shows as 20.0 miles), for code that works in kilometres.
const NearKm = 32.19
