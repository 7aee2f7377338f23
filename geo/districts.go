package geo

import (
	"errors"
	"fmt"
	"io"
	"math"
	"os"
	"regexp"
	"slices"
	"strings"

	"github.com/paulmach/orb"
	"github.com/paulmach/orb/geojson"
	"github.com/paulmach/orb/planar"

	"placematch"
)

// NearestWithinKM is how far outside every polygon a point may be and still be given
// the nearest district. Generalised boundaries (ONS "ultra-generalised", 500 m) cut
// corners at coasts and estuaries, leaving about 1.4% of Norfolk postcodes just
// outside their own district; 2 km recovers them without reaching far into the
// neighbouring county.
const NearestWithinKM = 2.0

// Districts assigns points to named districts using boundary polygons from a GeoJSON
// FeatureCollection. It is read-only once loaded and safe for concurrent use.
type Districts struct {
	// list is sorted by name so that the rare point inside two overlapping polygons
	// gets the same answer whatever order the file was in.
	list  []district
	names []string
}

// district is one named district; a name seen on several features collects all their
// polygons.
type district struct {
	name   string
	polys  []orb.Polygon
	bounds []orb.Bound
}

// ladNameKey matches ONS property names such as LAD24NM.
var ladNameKey = regexp.MustCompile(`^(?i:lad\d\dnm)$`)

// LoadDistrictsFile reads a boundaries GeoJSON file; see LoadDistricts.
func LoadDistrictsFile(path string) (*Districts, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("geo: open districts: %w", err)
	}
	defer f.Close()
	return LoadDistricts(f)
}

// LoadDistricts reads a GeoJSON FeatureCollection of Polygon or MultiPolygon features,
// one per district. The name comes from the first of the properties lad_name, an ONS
// LADxxNM, name or NAME that is a non-empty string. A feature without a name or with
// another geometry type is an error rather than being skipped, because a silently
// missing district would misplace every point inside it.
func LoadDistricts(r io.Reader) (*Districts, error) {
	data, err := io.ReadAll(r)
	if err != nil {
		return nil, fmt.Errorf("geo: read districts: %w", err)
	}
	fc, err := geojson.UnmarshalFeatureCollection(data)
	if err != nil {
		return nil, fmt.Errorf("geo: districts are not a GeoJSON FeatureCollection: %w", err)
	}
	byName := map[string]*district{}
	for i, f := range fc.Features {
		name := featureName(f.Properties)
		if name == "" {
			return nil, fmt.Errorf("geo: district feature %d has no lad_name or name property", i)
		}
		var polys []orb.Polygon
		switch g := f.Geometry.(type) {
		case orb.Polygon:
			polys = []orb.Polygon{g}
		case orb.MultiPolygon:
			polys = g
		default:
			return nil, fmt.Errorf("geo: district feature %d (%s) is not a Polygon or MultiPolygon", i, name)
		}
		d := byName[name]
		if d == nil {
			d = &district{name: name}
			byName[name] = d
		}
		for _, p := range polys {
			if len(p) == 0 || len(p[0]) < 4 {
				return nil, fmt.Errorf("geo: district feature %d (%s) has an empty ring", i, name)
			}
			d.polys = append(d.polys, p)
			d.bounds = append(d.bounds, p.Bound())
		}
	}
	if len(byName) == 0 {
		return nil, errors.New("geo: districts file has no features")
	}
	ds := &Districts{}
	for _, d := range byName {
		ds.list = append(ds.list, *d)
	}
	slices.SortFunc(ds.list, func(a, b district) int { return strings.Compare(a.name, b.name) })
	for _, d := range ds.list {
		ds.names = append(ds.names, d.name)
	}
	return ds, nil
}

// featureName picks the district name out of a feature's properties.
func featureName(props geojson.Properties) string {
	if s, ok := props["lad_name"].(string); ok && strings.TrimSpace(s) != "" {
		return strings.TrimSpace(s)
	}
	keys := make([]string, 0, len(props))
	for k := range props {
		if ladNameKey.MatchString(k) {
			keys = append(keys, k)
		}
	}
	slices.Sort(keys) // more than one LADxxNM is unlikely; sorting keeps it deterministic
	keys = append(keys, "name", "NAME")
	for _, k := range keys {
		if s, ok := props[k].(string); ok && strings.TrimSpace(s) != "" {
			return strings.TrimSpace(s)
		}
	}
	return ""
}

// Locate returns the district whose polygon contains p (edges count as inside). A
// point inside none goes to the district with the nearest boundary if that is within
// NearestWithinKM, which repairs the coast and edge losses of generalised boundaries;
// otherwise it returns ("", false).
func (d *Districts) Locate(p placematch.Point) (string, bool) {
	pt := orbPoint(p)
	for _, dist := range d.list {
		for i, b := range dist.bounds {
			if b.Contains(pt) && planar.PolygonContains(dist.polys[i], pt) {
				return dist.name, true
			}
		}
	}
	best, name := math.Inf(1), ""
	for _, dist := range d.list {
		for i, b := range dist.bounds {
			// A polygon whose box, widened by the search radius, misses the point
			// cannot have an edge within it.
			if !marginBound(b, p.Lat, NearestWithinKM).Contains(pt) {
				continue
			}
			for _, r := range dist.polys[i] {
				if km := ringDistanceKM(r, pt); km < best {
					best, name = km, dist.name
				}
			}
		}
	}
	if best > NearestWithinKM {
		return "", false
	}
	return name, true
}

// Names returns the district names in sorted order. The slice is a copy the caller
// may keep or change.
func (d *Districts) Names() []string { return slices.Clone(d.names) }
