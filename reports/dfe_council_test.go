package reports_test

import (
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"strconv"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"

	"placematch"
	"placematch/reports"
	"placematch/store"
	"placematch/store/storetest"
)

const dfeFile = "dfe/dfe_cla_31march_placement_type_and_distance_by_la_2021_2025.csv"

// publishedFigure is one published Norfolk value: number and percentage as text,
// exactly as the file has them ("c" where suppressed).
type publishedFigure struct{ number, pct string }

// norfolkRows reads Norfolk's rows from the DfE file without encoding/csv or the
// package's reader: every Norfolk line is nine comma-separated fields, quoted or
// not, and none has a comma inside a field. Keyed by year, then "group|characteristic".
func norfolkRows(t *testing.T) map[int]map[string]publishedFigure {
	t.Helper()
	b, err := os.ReadFile(dataPath(t, dfeFile))
	if err != nil {
		t.Fatal(err)
	}
	out := map[int]map[string]publishedFigure{}
	for _, line := range strings.Split(string(b), "\n") {
		if !strings.Contains(line, `,"Norfolk",`) {
			continue
		}
		f := strings.Split(strings.TrimSpace(line), ",")
		if len(f) != 9 {
			t.Fatalf("a Norfolk line of %d fields: %s", len(f), line)
		}
		for i := range f {
			f[i] = strings.Trim(f[i], `"`)
		}
		year, err := strconv.Atoi(f[0])
		if err != nil || f[1] != "Local authority" || f[3] != "E10000020" || f[4] != "926" {
			t.Fatalf("unexpected Norfolk line %q", line)
		}
		if out[year] == nil {
			out[year] = map[string]publishedFigure{}
		}
		out[year][f[5]+"|"+f[6]] = publishedFigure{f[7], f[8]}
	}
	if len(out) != 5 {
		t.Fatalf("Norfolk years %d, want 2021–2025", len(out))
	}
	return out
}

// TestLoadComparisonForTheCouncil finds the council by either code or its name in any
// case, keeps every year of its figures, and refuses a council the file does not have.
func TestLoadComparisonForTheCouncil(t *testing.T) {
	path := dataPath(t, dfeFile)
	for _, la := range []string{"Norfolk", "norfolk", "E10000020", "e10000020", "926"} {
		c, err := reports.LoadComparisonFileFor(path, la)
		if err != nil {
			t.Fatalf("%s: %v", la, err)
		}
		n := c.Council
		if n == nil || n.Name != "Norfolk" || n.Code != "E10000020" || n.OldCode != "926" || len(n.Years) != 5 ||
			n.Years[0].Year != 2021 || n.Years[4].Year != 2025 {
			t.Fatalf("%s: council %+v", la, n)
		}
		if len(c.Areas) != 12 || c.Areas[0].Area != "England" {
			t.Errorf("%s: the England and regional rows changed: %d, %s", la, len(c.Areas), c.Areas[0].Area)
		}
	}
	if _, err := reports.LoadComparisonFileFor(path, "Narnia"); err == nil || !strings.Contains(err.Error(), `"Narnia"`) {
		t.Errorf("an unknown council: %v", err)
	}
	if c, err := reports.LoadComparisonFile(path); err != nil || c.Council != nil {
		t.Errorf("without a council: %+v, %v", c.Council, err)
	}
}

// TestCouncilFiguresInJSONAndXLSX configures Norfolk and checks that its published
// row appears beside England's in the comparison, that every published figure of
// every year appears in the council section as the file has it (read above by an
// independent parse), and the service's own measure on the same definitions, worked
// out by hand from the sector fixture, on both engines.
func TestCouncilFiguresInJSONAndXLSX(t *testing.T) {
	published := norfolkRows(t)
	// The figure the issue names: Norfolk, 31 March 2025, 41% placed more than 20 miles.
	if f := published[2025]["Distance between home and placement|Placed more than 20 miles from home"]; f.pct != "41" || f.number != "441" {
		t.Fatalf("the file says Norfolk 2025 over 20 miles = %+v", f)
	}
	cmp, err := reports.LoadComparisonFileFor(dataPath(t, dfeFile), "E10000020")
	if err != nil {
		t.Fatal(err)
	}
	for _, dialect := range storetest.Dialects() {
		t.Run(dialect, func(t *testing.T) {
			t.Parallel()
			db := buildSectors(t, dialect)
			// A care leaver of 19 in the unit is no looked-after child: not in the service's measure.
			units, err := db.ListProviders(ctx, store.ProviderFilter{Kind: placematch.KindUnit})
			if err != nil || len(units.Items) != 1 {
				t.Fatalf("units %v, %v", units.Items, err)
			}
			leaver := storetest.Child("L1", func(c *placematch.Child) { c.DateOfBirth = asOf.AddDays(-19*366 - 10) })
			if err := db.CreateChild(ctx, leaver); err != nil {
				t.Fatal(err)
			}
			if _, err := db.Book(ctx, store.BookRequest{ChildID: leaver.ID, Provider: units.Items[0].Ref(),
				StartDate: placematch.MustParseDate("2026-11-02")}); err != nil {
				t.Fatal(err)
			}
			svc := &reports.Service{Store: db, Now: db.Now, Comparison: cmp}
			rep, err := svc.Sufficiency(ctx, reports.Options{AsOf: asOf, Format: reports.FormatJSON})
			if err != nil {
				t.Fatal(err)
			}
			var b bytes.Buffer
			if err := rep.WriteJSON(&b); err != nil {
				t.Fatal(err)
			}
			var out struct {
				Comparison struct{ Rows []map[string]any } `json:"comparison"`
				Council    struct {
					Columns []string
					Rows    []map[string]any
				} `json:"council"`
				Notes []string `json:"notes"`
			}
			if err := json.Unmarshal(b.Bytes(), &out); err != nil {
				t.Fatal(err)
			}
			first := out.Comparison.Rows[0]
			if first["area"] != "Norfolk" || first["geographic_level"] != "Local authority" || first["year"] != 2025.0 ||
				first["pct_over_20_miles"] != 41.0 || first["placed_over_20_miles"] != 441.0 ||
				first["children_looked_after"] != 1069.0 || first["pct_distance_unknown"] != 12.0 ||
				out.Comparison.Rows[1]["area"] != "England" {
				t.Errorf("comparison rows %v", out.Comparison.Rows[:2])
			}
			if len(out.Council.Rows) != 6 {
				t.Fatalf("council rows %d, want 5 years and the service", len(out.Council.Rows))
			}
			columns := map[string]string{ // column → characteristic, as published
				"children_looked_after":      "Placement|Total",
				"foster_placements":          "Placement|Foster placements",
				"supported_accommodation":    "Placement|Independent and semi-independent living arrangements/supported accommodation",
				"secure_and_childrens_homes": "Placement|Secure homes and children's homes",
				"other_residential_settings": "Placement|Other residential settings",
				"residential_schools":        "Placement|Residential schools",
				"placed_for_adoption":        "Placement|Placed for adoption",
				"placed_with_parents":        "Placement|Placed with parents or other person with parental responsibility",
				"other_placements":           "Placement|Other placements",
				"placed_within_20_miles":     "Distance between home and placement|Placed 20 miles or less from home",
				"placed_over_20_miles":       "Distance between home and placement|Placed more than 20 miles from home",
				"placed_distance_unknown":    "Distance between home and placement|Distance not known or not recorded",
			}
			for i, year := range []int{2021, 2022, 2023, 2024, 2025} {
				row := out.Council.Rows[i]
				if row["area"] != "Norfolk" || row["la_code"] != "E10000020" || row["source"] != "DfE" ||
					row["as_of"] != fmt.Sprintf("%d-03-31", year) {
					t.Errorf("%d: %v", year, row)
				}
				for col, char := range columns {
					want := published[year][char]
					if got := jsonText(row[col]); got != want.number {
						t.Errorf("%d %s = %s, published %q", year, col, got, want.number)
					}
					if col == "children_looked_after" {
						continue
					}
					pctCol := "pct_" + col // pct_foster_placements; the distances drop "placed_"
					if strings.HasPrefix(char, "Distance") {
						pctCol = "pct_" + strings.TrimPrefix(col, "placed_")
					}
					if got := jsonText(row[pctCol]); got != want.pct {
						t.Errorf("%d %s = %s, published %q", year, pctCol, got, want.pct)
					}
				}
			}
			// The service on 2026-11-23: six children under 18 (the leaver of 19 is
			// not one): four with carers, one in the unit, one at the hub; three within
			// 20 miles (S1, S4, S6), two over (S2 King's Lynn → Norwich, S5 Great
			// Yarmouth → Cambridge), one not known (S3). Shares of 6 to one decimal.
			svcRow := out.Council.Rows[5]
			want := map[string]any{"source": "service", "as_of": "2026-11-23", "children_looked_after": 6.0,
				"foster_placements": 4.0, "pct_foster_placements": 66.7, "supported_accommodation": 1.0,
				"pct_supported_accommodation": 16.7, "secure_and_childrens_homes": 1.0,
				"pct_secure_and_childrens_homes": 16.7, "placed_for_adoption": nil, "other_placements": nil,
				"placed_within_20_miles": 3.0, "pct_within_20_miles": 50.0, "placed_over_20_miles": 2.0,
				"pct_over_20_miles": 33.3, "placed_distance_unknown": 1.0, "pct_distance_unknown": 16.7}
			for k, v := range want {
				if got, ok := svcRow[k]; !ok || got != v {
					t.Errorf("service %s = %v, want %v", k, got, v)
				}
			}
			notes := strings.Join(out.Notes, "\n")
			if !strings.Contains(notes, "Norfolk's own published figures") || !strings.Contains(notes, "children under 18") {
				t.Errorf("notes do not state the source and the definitions:\n%s", notes)
			}

			// The same figures in the workbook.
			b.Reset()
			rep.Options.Format = reports.FormatXLSX
			if err := rep.Write(&b); err != nil {
				t.Fatal(err)
			}
			f, err := excelize.OpenReader(&b)
			if err != nil {
				t.Fatal(err)
			}
			defer f.Close()
			cmpRows, _ := f.GetRows("Comparison")
			if len(cmpRows) < 3 || cmpRows[1][0] != "Norfolk" || cmpRows[1][1] != "Local authority" || cmpRows[1][4] != "41" ||
				cmpRows[2][0] != "England" {
				t.Errorf("comparison sheet %v", cmpRows[:min(3, len(cmpRows))])
			}
			sheet, err := f.GetRows("Council")
			if err != nil || len(sheet) != 7 || strings.Join(sheet[0], ",") != strings.Join(reports.CouncilColumns, ",") {
				t.Fatalf("council sheet %v, %v", sheet, err)
			}
			col := func(name string) int {
				for i, c := range sheet[0] {
					if c == name {
						return i
					}
				}
				t.Fatalf("no column %s", name)
				return 0
			}
			at := func(row []string, name string) string {
				if i := col(name); i < len(row) {
					return row[i]
				}
				return ""
			}
			for i, year := range []int{2021, 2022, 2023, 2024, 2025} {
				row := sheet[i+1]
				for c, char := range columns {
					w := published[year][char].number
					if w == "c" {
						w = ""
					}
					if got := at(row, c); got != w {
						t.Errorf("xlsx %d %s = %q, published %q", year, c, got, w)
					}
				}
			}
			if r := sheet[5]; at(r, "as_of") != "2025-03-31" || at(r, "pct_over_20_miles") != "41" || at(r, "placed_over_20_miles") != "441" {
				t.Errorf("xlsx Norfolk 2025 %v", r)
			}
			if r := sheet[6]; at(r, "source") != "service" || at(r, "placed_over_20_miles") != "2" || at(r, "pct_over_20_miles") != "33.3" {
				t.Errorf("xlsx service row %v", r)
			}
		})
	}
}

// TestCouncilServiceRowSuppression hides the service's small counts with the counts
// they add up with; the published figures are shown as published.
func TestCouncilServiceRowSuppression(t *testing.T) {
	cmp, err := reports.LoadComparisonFileFor(dataPath(t, dfeFile), "Norfolk")
	if err != nil {
		t.Fatal(err)
	}
	db := buildSectors(t, "sqlite")
	svc := &reports.Service{Store: db, Now: db.Now, Comparison: cmp}
	rep, err := svc.Sufficiency(ctx, reports.Options{AsOf: asOf, Suppress: true, Format: reports.FormatJSON})
	if err != nil {
		t.Fatal(err)
	}
	var b bytes.Buffer
	if err := rep.WriteJSON(&b); err != nil {
		t.Fatal(err)
	}
	var out struct {
		Council struct{ Rows []map[string]any } `json:"council"`
	}
	if err := json.Unmarshal(b.Bytes(), &out); err != nil {
		t.Fatal(err)
	}
	// 6 children: shown. Foster 4, unit 1, hub 1 are small: the three and their
	// shares hidden. Within 3, over 2, unknown 1: all hidden.
	svcRow := out.Council.Rows[len(out.Council.Rows)-1]
	if svcRow["children_looked_after"] != 6.0 {
		t.Errorf("children looked after %v", svcRow["children_looked_after"])
	}
	for _, k := range []string{"foster_placements", "pct_foster_placements", "supported_accommodation",
		"secure_and_childrens_homes", "placed_within_20_miles", "pct_over_20_miles", "placed_distance_unknown"} {
		if svcRow[k] != "c" {
			t.Errorf("service %s = %v, want c", k, svcRow[k])
		}
	}
	if y := out.Council.Rows[4]; y["placed_over_20_miles"] != 441.0 || y["residential_schools"] != nil {
		t.Errorf("published 2025 under suppression %v", y)
	}
}

// jsonText formats a decoded JSON value as the file writes it: null as the DfE's
// suppression mark c (the only symbol Norfolk's rows carry), numbers without a
// fraction when whole.
func jsonText(v any) string {
	switch x := v.(type) {
	case nil:
		return "c"
	case float64:
		return strconv.FormatFloat(x, 'f', -1, 64)
	case string:
		return x
	}
	return fmt.Sprint(v)
}
