package demo

import (
	"encoding/csv"
	"os"
	"slices"
	"strconv"
	"testing"

	"placematch"
	"placematch/geo"
)

// sharedTowns is the project's reference list of Norfolk towns. The demo must not read
// it at run time; the test reads it only to check the hand-entered facts.
const sharedTowns = "../../shared/data/places/norfolk_main_towns.csv"

// csvNames maps a demo town to its name in the reference file where they differ.
var csvNames = map[string]string{"Dereham": "East Dereham"}

var norfolkDistricts = []string{breckland, broadland, greatYarmouth, kingsLynn, northNorfolk, norwich, southNorfolk}

func TestTownsAreInNorfolk(t *testing.T) {
	if len(Towns) < 25 || len(Towns) != len(towns) {
		t.Fatalf("%d towns exported, %d defined", len(Towns), len(towns))
	}
	seen := map[string]bool{}
	for _, tw := range Towns {
		if p := tw.Point; p.Lat < 52.35 || p.Lat > 53.0 || p.Lon < 0.15 || p.Lon > 1.8 {
			t.Errorf("%s at %v is outside Norfolk's bounding box", tw.Name, p)
		}
		if !slices.Contains(norfolkDistricts, tw.District) {
			t.Errorf("%s: district %q is not a Norfolk district", tw.Name, tw.District)
		}
		if seen[tw.Name] {
			t.Errorf("%s listed twice", tw.Name)
		}
		seen[tw.Name] = true
	}
	for _, d := range norfolkDistricts {
		if !slices.ContainsFunc(Towns, func(tw geo.Town) bool { return tw.District == d }) {
			t.Errorf("no demo town in %s", d)
		}
	}
	if towns[0].name != "Norwich" || slices.ContainsFunc(weight[1:], func(w int) bool { return w >= weight[0] }) {
		t.Errorf("Norwich must carry the heaviest weight")
	}
}

// TestTownsAgreeWithReference checks each demo town that the reference file also
// lists: within 3 km of its coordinates and in the same district.
func TestTownsAgreeWithReference(t *testing.T) {
	f, err := os.Open(sharedTowns)
	if err != nil {
		t.Fatalf("reference towns file needed for the sanity check: %v", err)
	}
	defer f.Close()
	rows, err := csv.NewReader(f).ReadAll()
	if err != nil || len(rows) < 2 {
		t.Fatalf("read %s: %v", sharedTowns, err)
	}
	col := func(name string) int {
		i := slices.Index(rows[0], name)
		if i < 0 {
			t.Fatalf("%s has no %q column", sharedTowns, name)
		}
		return i
	}
	cName, cLat, cLon, cDistrict := col("town"), col("latitude"), col("longitude"), col("lad_name_by_point")
	ref := map[string][]string{}
	for _, r := range rows[1:] {
		ref[r[cName]] = r
	}
	checked := 0
	for _, tw := range Towns {
		name := tw.Name
		if alias, ok := csvNames[name]; ok {
			name = alias
		}
		r, ok := ref[name]
		if !ok {
			continue
		}
		checked++
		lat, err1 := strconv.ParseFloat(r[cLat], 64)
		lon, err2 := strconv.ParseFloat(r[cLon], 64)
		if err1 != nil || err2 != nil {
			t.Fatalf("%s: bad coordinates %q, %q", name, r[cLat], r[cLon])
		}
		if d := geo.DistanceKM(tw.Point, placematch.Point{Lat: lat, Lon: lon}); d > 3 {
			t.Errorf("%s is %.1f km from the reference position", tw.Name, d)
		}
		if tw.District != r[cDistrict] {
			t.Errorf("%s: district %q, reference says %q", tw.Name, tw.District, r[cDistrict])
		}
	}
	if checked < 25 {
		t.Errorf("only %d demo towns found in the reference file; the check means little", checked)
	}
}

func TestLocator(t *testing.T) {
	loc := Locator()
	for _, tw := range Towns {
		if d, ok := loc.Locate(tw.Point); !ok || d != tw.District {
			t.Errorf("%s located in %q, %v", tw.Name, d, ok)
		}
	}
	if d, ok := loc.Locate(placematch.Point{Lat: 51.5074, Lon: -0.1278}); ok {
		t.Errorf("London located in %q", d)
	}
	// 5 km north of Dereham is still Breckland; 25 km out into the North Sea is nowhere.
	if d, ok := loc.Locate(placematch.Point{Lat: 52.725, Lon: 0.94}); !ok || d != breckland {
		t.Errorf("near Dereham: %q, %v", d, ok)
	}
	if d, ok := loc.Locate(placematch.Point{Lat: 52.95, Lon: 2.1}); ok {
		t.Errorf("North Sea located in %q", d)
	}
}

func TestGeneratorHelpers(t *testing.T) {
	g := newGen(1, placematch.MustParseDate("2026-11-23").Time())
	for age := range 26 {
		if got := g.dateOfBirth(age).YearsOn(g.today); got != age {
			t.Fatalf("dateOfBirth(%d) gives age %d", age, got)
		}
	}
	for range 200 {
		p := g.near(townIndex("Great Yarmouth"), 2)
		if p.Lon > towns[townIndex("Great Yarmouth")].lon+1e-9 {
			t.Fatalf("coastal jitter went to sea: %v", p)
		}
		if d := geo.DistanceKM(p, towns[townIndex("Great Yarmouth")].point()); d > 2.01 {
			t.Fatalf("jitter %.2f km", d)
		}
	}
	if _, err := geo.ParseArea(squareAround(townIndex("Norwich"), 1.5)); err != nil {
		t.Fatalf("avoid area: %v", err)
	}
}

// TestOutOfCountyTownsAreInNoDistrict checks that homes drawn over the border (up to
// 2 km from their town) can never be filed under a Norfolk district: every town in
// outOfCounty is more than Locator's 15 km plus that jitter from every Norfolk town.
func TestOutOfCountyTownsAreInNoDistrict(t *testing.T) {
	loc := Locator()
	for _, o := range outOfCounty {
		for _, tw := range towns {
			if d := geo.DistanceKM(o.point(), tw.point()); d < loc.MaxKM+2 {
				t.Errorf("%s is %.1f km from %s", o.name, d, tw.name)
			}
		}
		if o.district != "" {
			t.Errorf("%s has district %q", o.name, o.district)
		}
	}
}
