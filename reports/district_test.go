package reports_test

import (
	"os"
	"slices"
	"testing"

	"github.com/paulmach/orb/geojson"

	"placematch"
	"placematch/geo"
	"placematch/reports"
	"placematch/store/storetest"
)

// TestDistrictAssignmentRealPostcodes stores a provider at every 25th real Norfolk
// postcode, with the boundaries file as the district locator, and checks the
// district each gets in the map layer and the report against the district the
// postcode was published with. geo's own test (every postcode) measures 99.2%; the
// rest fall in a neighbour's generalised polygon. Points outside every polygon at
// the coast must all be rescued by the 2 km rule, so none is "outside area".
func TestDistrictAssignmentRealPostcodes(t *testing.T) {
	districts := norfolk(t)
	f, err := os.Open(dataPath(t, "postcodes/norfolk_postcodes.csv"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	var rows []geo.PostcodeRow
	names := districts.Names()
	if _, err := geo.ReadPostcodes(f, func(r geo.PostcodeRow) error {
		if slices.Contains(names, r.District) {
			rows = append(rows, r)
		}
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	var sample []geo.PostcodeRow
	for i := 0; i < len(rows); i += 25 {
		sample = append(sample, rows[i])
	}
	for _, dialect := range storetest.Dialects() {
		t.Run(dialect, func(t *testing.T) {
			t.Parallel()
			db := storetest.Open(t, dialect)
			db.Locator = districts
			providers := make([]*placematch.Provider, len(sample))
			for i, r := range sample {
				providers[i] = storetest.Carer(r.Postcode, func(p *placematch.Provider) { p.Location = r.Point })
			}
			if err := db.BulkImport(ctx, providers, nil, nil); err != nil {
				t.Fatal(err)
			}
			published := map[string]string{}
			for i, p := range providers {
				published[p.ID] = sample[i].District
			}
			svc := &reports.Service{Store: db, Now: db.Now}
			fc, err := svc.ProvidersGeoJSON(ctx, reports.MapFilter{})
			if err != nil {
				t.Fatal(err)
			}
			var match int
			perDistrict := map[string]int{}
			for _, ft := range fc.Features {
				d := ft.Properties.MustString("district")
				perDistrict[d]++
				if d == published[ft.Properties.MustString("id")] {
					match++
				}
			}
			rate := float64(match) / float64(len(sample))
			t.Logf("%d postcodes, %d in their published district (%.2f%%), per district %v", len(sample), match, 100*rate, perDistrict)
			if len(fc.Features) != len(sample) || rate < 0.985 || perDistrict[reports.OutsideArea] != 0 {
				t.Errorf("%d features, match %.2f%%, %d outside area", len(fc.Features), 100*rate, perDistrict[reports.OutsideArea])
			}
			// The report's rows count the same providers in the same districts.
			rep, err := svc.Sufficiency(ctx, reports.Options{AsOf: asOf})
			if err != nil {
				t.Fatal(err)
			}
			for _, r := range rep.Rows {
				if r.Providers != perDistrict[r.District] {
					t.Errorf("%s: report %d providers, map layer %d", r.District, r.Providers, perDistrict[r.District])
				}
			}
			if rep.Total.Providers != len(sample) {
				t.Errorf("total %d providers", rep.Total.Providers)
			}
		})
	}
}

// TestProvidersGeoJSON parses the map layer with orb/geojson and checks its filters.
func TestProvidersGeoJSON(t *testing.T) {
	k := buildKnown(t, "sqlite")
	svc := k.service()
	fc, err := svc.ProvidersGeoJSON(ctx, reports.MapFilter{})
	if err != nil {
		t.Fatal(err)
	}
	data, err := fc.MarshalJSON()
	if err != nil {
		t.Fatal(err)
	}
	back, err := geojson.UnmarshalFeatureCollection(data)
	if err != nil || len(back.Features) != 5 {
		t.Fatalf("%v, %d features", err, len(back.Features))
	}
	for _, ft := range back.Features {
		if ft.Geometry.GeoJSONType() != "Point" {
			t.Errorf("geometry %s", ft.Geometry.GeoJSONType())
		}
		if ft.Properties.MustString("id") == k.h1.ID {
			if ft.Properties.MustString("district") != reports.OutsideArea || ft.Properties.MustBool("in_area") ||
				ft.Properties.MustInt("places") != 6 || ft.Properties.MustInt("vacancies") != 5 {
				t.Errorf("hub %v", ft.Properties)
			}
			if pt := ft.Point(); pt[0] != cambridge.Lon || pt[1] != cambridge.Lat {
				t.Errorf("hub at %v", pt)
			}
		}
	}
	fc, err = svc.ProvidersGeoJSON(ctx, reports.MapFilter{Kinds: []placematch.ProviderKind{placematch.KindCarer}, District: "Norwich"})
	if err != nil || len(fc.Features) != 2 {
		t.Errorf("carers in Norwich: %d, %v", len(fc.Features), err)
	}
	// The district filter ignores case, as the lists' does, and keeps the district's
	// own spelling so that it matches the features.
	for q, want := range map[string]string{"district=norwich": "Norwich", "district=KING%27S+LYNN+AND+WEST+NORFOLK": "King's Lynn and West Norfolk",
		"district=OUTSIDE+AREA": reports.OutsideArea} {
		f, err := reports.ParseMapFilter(mustQuery(t, q), norfolk(t).Names())
		if err != nil || f.District != want {
			t.Errorf("%s: %+v, %v", q, f, err)
		}
	}
	for q, field := range map[string]string{"kinds=carer": "kinds", "district=Leeds": "district", "district=": "district"} {
		_, err := reports.ParseMapFilter(mustQuery(t, q), norfolk(t).Names())
		var ve *placematch.ValidationError
		if !asValidation(err, &ve) || ve.Errors[0].Field != field {
			t.Errorf("%s: %v", q, err)
		}
	}
}
