package geo

import (
	"os"
	"slices"
	"strings"
	"testing"

	"placematch"
)

// norfolkDistricts are the seven districts in norfolk_districts.geojson.
var norfolkDistricts = []string{
	"Breckland", "Broadland", "Great Yarmouth", "King's Lynn and West Norfolk",
	"North Norfolk", "Norwich", "South Norfolk",
}

func loadNorfolk(tb testing.TB) *Districts {
	tb.Helper()
	d, err := LoadDistrictsFile(dataPath(tb, "boundaries/norfolk_districts.geojson"))
	if err != nil {
		tb.Fatal(err)
	}
	return d
}

// readNorfolkPostcodes loads the real postcode extract for the district tests.
func readNorfolkPostcodes(tb testing.TB) []PostcodeRow {
	tb.Helper()
	f, err := os.Open(dataPath(tb, "postcodes/norfolk_postcodes.csv"))
	if err != nil {
		tb.Fatal(err)
	}
	defer f.Close()
	var rows []PostcodeRow
	if _, err := ReadPostcodes(f, func(r PostcodeRow) error { rows = append(rows, r); return nil }); err != nil {
		tb.Fatal(err)
	}
	return rows
}

func TestLoadDistricts(t *testing.T) {
	d := loadNorfolk(t)
	if got := d.Names(); !slices.Equal(got, norfolkDistricts) {
		t.Errorf("Names() = %v", got)
	}
	d.Names()[0] = "changed"
	if d.Names()[0] != "Breckland" {
		t.Error("Names() shares its slice with the caller")
	}
	eng, err := LoadDistrictsFile(dataPath(t, "boundaries/england_districts.geojson"))
	if err != nil {
		t.Fatal(err)
	}
	if n := len(eng.Names()); n != 296 {
		t.Errorf("England: %d districts, want 296", n)
	}
	for _, c := range []struct {
		p    placematch.Point
		want string
	}{
		{placematch.Point{Lat: 51.5014, Lon: -0.1419}, "Westminster"},
		{placematch.Point{Lat: 53.4794, Lon: -2.2453}, "Manchester"},
		{norwich, "Norwich"},
	} {
		if got, _ := eng.Locate(c.p); got != c.want {
			t.Errorf("England: Locate(%v) = %q, want %q", c.p, got, c.want)
		}
	}
}

func TestLoadDistrictsVariants(t *testing.T) {
	const box = `{"type":"Polygon","coordinates":[[[0,0],[1,0],[1,1],[0,1],[0,0]]]}`
	const box2 = `{"type":"Polygon","coordinates":[[[2,0],[3,0],[3,1],[2,1],[2,0]]]}`
	feature := func(props, geom string) string {
		return `{"type":"Feature","properties":` + props + `,"geometry":` + geom + `}`
	}
	fc := func(features ...string) string {
		return `{"type":"FeatureCollection","features":[` + strings.Join(features, ",") + `]}`
	}
	tests := []struct {
		name    string
		json    string
		names   []string
		wantErr string
	}{
		{"ONS LAD24NM", fc(feature(`{"LAD24CD":"E1","LAD24NM":"Alpha"}`, box)), []string{"Alpha"}, ""},
		{"name", fc(feature(`{"name":"Beta"}`, box)), []string{"Beta"}, ""},
		{"NAME", fc(feature(`{"NAME":"Gamma"}`, box)), []string{"Gamma"}, ""},
		{"lad_name wins", fc(feature(`{"name":"x","lad_name":"Delta"}`, box)), []string{"Delta"}, ""},
		{"same name merges", fc(feature(`{"name":"Eps"}`, box), feature(`{"name":"Eps"}`, box2)), []string{"Eps"}, ""},
		{"no name", fc(feature(`{"code":"E1"}`, box)), nil, "feature 0 has no lad_name or name property"},
		{"point geometry", fc(feature(`{"name":"P"}`, `{"type":"Point","coordinates":[0,0]}`)), nil, "not a Polygon or MultiPolygon"},
		{"no features", fc(), nil, "no features"},
		{"not GeoJSON", `{"type":`, nil, "not a GeoJSON FeatureCollection"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			d, err := LoadDistricts(strings.NewReader(tt.json))
			if tt.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
					t.Fatalf("err = %v, want %q", err, tt.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if !slices.Equal(d.Names(), tt.names) {
				t.Errorf("Names() = %v, want %v", d.Names(), tt.names)
			}
			if tt.name == "same name merges" {
				if n, ok := d.Locate(placematch.Point{Lat: 0.5, Lon: 2.5}); n != "Eps" || !ok {
					t.Errorf("second polygon of a merged district: %q %v", n, ok)
				}
			}
		})
	}
	if _, err := LoadDistrictsFile("no/such/file.geojson"); err == nil {
		t.Error("missing file: no error")
	}
}
