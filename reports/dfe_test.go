package reports_test

import (
	"strings"
	"testing"

	"placematch/reports"
)

func loadDfE(tb testing.TB) *reports.Comparison {
	tb.Helper()
	c, err := reports.LoadComparisonFile(dataPath(tb, "dfe/dfe_cla_31march_placement_type_and_distance_by_la_2021_2025.csv"))
	if err != nil {
		tb.Fatal(err)
	}
	return c
}

// TestLoadComparison reads the published DfE file: the latest year's England and
// regional figures for children placed more than 20 miles from home.
func TestLoadComparison(t *testing.T) {
	c := loadDfE(t)
	if c.Year != 2025 || c.Source != "dfe_cla_31march_placement_type_and_distance_by_la_2021_2025.csv" {
		t.Errorf("year %d, source %s", c.Year, c.Source)
	}
	areas := map[string]reports.ComparisonArea{}
	for _, a := range c.Areas {
		areas[a.Area] = a
	}
	eng := areas["England"]
	if eng.Level != "National" || *eng.PlacedOver20Miles != 18120 || *eng.PctOver20Miles != 22 ||
		*eng.ChildrenLookedAfter != 81770 || *eng.PlacedWithin20Miles != 56670 || *eng.PlacedDistanceUnknown != 6990 {
		t.Errorf("England %+v", eng)
	}
	ee := areas["East of England"]
	if ee.Level != "Regional" || *ee.PlacedOver20Miles != 2210 || *ee.PctOver20Miles != 33 {
		t.Errorf("East of England %+v", ee)
	}
	if len(c.Areas) != 12 || c.Areas[0].Area != "England" {
		t.Errorf("%d areas, first %s", len(c.Areas), c.Areas[0].Area)
	}
	if _, ok := areas["Norfolk"]; ok {
		t.Error("local authority rows kept")
	}
}

func TestLoadComparisonRejects(t *testing.T) {
	for name, body := range map[string]string{
		"no columns":  "a,b\n1,2\n",
		"no rows":     "time_period,geographic_level,area_name,cla_group,characteristic,number,percentage\n",
		"bad year":    "time_period,geographic_level,area_name,cla_group,characteristic,number,percentage\nx,National,National,Distance between home and placement,Total,1,1\n",
		"only the LA": "time_period,geographic_level,area_name,cla_group,characteristic,number,percentage\n2025,Local authority,Norfolk,Distance between home and placement,Total,1,1\n",
	} {
		if _, err := reports.LoadComparison(strings.NewReader(body)); err == nil {
			t.Errorf("%s: no error", name)
		}
	}
	// Published symbols are kept as missing figures, not errors.
	c, err := reports.LoadComparison(strings.NewReader("time_period,geographic_level,area_name,cla_group,characteristic,number,percentage\n" +
		"2024,National,National,Distance between home and placement,Placed more than 20 miles from home,c,x\n"))
	if err != nil || c.Areas[0].PlacedOver20Miles != nil || c.Areas[0].PctOver20Miles != nil {
		t.Errorf("suppressed figures: %+v %v", c, err)
	}
}
