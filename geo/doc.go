// Package geo holds the geography Placematch needs and nothing else: distances the
// way the DfE reports them, the avoid-areas a child's plan may draw on a map, the
// district a home or placement falls in, postcode files for import, and a grid index
// for finding providers near a child.
//
// It works on placematch.Point (WGS84 latitude/longitude) and on geometries from
// github.com/paulmach/orb, and it knows nothing of HTTP or SQL, so the same rules
// apply to API validation, the store and reports. Coordinates in GeoJSON are
// [longitude, latitude]; placematch.Point keeps them by name so the order cannot be
// confused at the edges of this package.
//
// Planar point-in-polygon tests are used on longitude/latitude directly. That is exact
// enough for the district and avoid-area sizes involved (kilometres to tens of
// kilometres) and for the 500 m generalised boundaries ONS publishes; none of the
// geometry here wraps the antimeridian.
//
// It imports the root package only; it must not import matching, store or anything
// above them.
package geo
