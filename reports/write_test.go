package reports_test

import (
	"bytes"
	"encoding/csv"
	"encoding/json"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"

	"placematch"
	"placematch/reports"
)

func knownReport(t *testing.T, o reports.Options) *reports.Report {
	t.Helper()
	k := buildKnown(t, "sqlite")
	if o.AsOf.IsZero() {
		o.AsOf = asOf
	}
	svc := k.service()
	svc.Comparison = loadDfE(t)
	rep, err := svc.Sufficiency(ctx, o)
	if err != nil {
		t.Fatal(err)
	}
	return rep
}

// TestWriteCSV parses the CSV back with encoding/csv: a header, one line per row,
// the total last, CRLF line ends (RFC 4180).
func TestWriteCSV(t *testing.T) {
	rep := knownReport(t, reports.Options{Format: reports.FormatCSV})
	var b bytes.Buffer
	if err := rep.Write(&b); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(b.String(), "\r\n") {
		t.Error("no CRLF line ends")
	}
	recs, err := csv.NewReader(&b).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	if got := strings.Join(recs[0], ","); got != defaultColumns {
		t.Errorf("header %s", got)
	}
	if len(recs) != 1+6 || recs[6][0] != "TOTAL" || recs[1][0] != "King's Lynn and West Norfolk" {
		t.Errorf("%d records, first %q, last %q", len(recs), recs[1][0], recs[len(recs)-1][0])
	}
	if rep.FileName() != "sufficiency-2026-11-23.csv" {
		t.Errorf("file name %s", rep.FileName())
	}
}

// TestWriteXLSX re-opens the workbook with excelize: a sheet per table, numeric
// cells are numbers, the header is frozen and columns are sized.
func TestWriteXLSX(t *testing.T) {
	rep := knownReport(t, reports.Options{Format: reports.FormatXLSX, From: asOf.AddDays(-2), To: asOf, Suppress: true})
	var b bytes.Buffer
	if err := rep.Write(&b); err != nil {
		t.Fatal(err)
	}
	f, err := excelize.OpenReader(&b)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	if got := f.GetSheetList(); !slices.Equal(got, []string{"Sufficiency", "Trend", "Comparison", "Sectors", "Notes"}) {
		t.Errorf("sheets %v", got)
	}
	rows, err := f.GetRows("Sufficiency")
	if err != nil {
		t.Fatal(err)
	}
	if strings.Join(rows[0], ",") != defaultColumns || rows[len(rows)-1][0] != "TOTAL" {
		t.Fatalf("header %v, last row %v", rows[0], rows[len(rows)-1])
	}
	var numbers, suppressed int
	for r := 2; r <= len(rows); r++ {
		for c := 3; c <= len(rows[0]); c++ {
			cell, _ := excelize.CoordinatesToCellName(c, r)
			v, _ := f.GetCellValue("Sufficiency", cell)
			typ, err := f.GetCellType("Sufficiency", cell)
			if err != nil {
				t.Fatal(err)
			}
			switch {
			case v == "c":
				suppressed++
				if typ != excelize.CellTypeSharedString && typ != excelize.CellTypeInlineString {
					t.Errorf("%s: c is stored as type %v", cell, typ)
				}
			case v != "":
				// A cell with no type attribute is a number (ECMA-376 18.18.11).
				if _, err := strconv.ParseFloat(v, 64); err != nil || (typ != excelize.CellTypeNumber && typ != excelize.CellTypeUnset) {
					t.Errorf("%s = %q is not a numeric cell (type %v)", cell, v, typ)
				}
				numbers++
			}
		}
	}
	var wantNumbers int
	for _, r := range rep.Tables()[0].Rows {
		for _, c := range r {
			if c.Kind == reports.Int || c.Kind == reports.Float {
				wantNumbers++
			}
		}
	}
	if numbers != wantNumbers || suppressed == 0 {
		t.Errorf("%d numeric cells, %d suppressed", numbers, suppressed)
	}
	panes, err := f.GetPanes("Sufficiency")
	if err != nil || !panes.Freeze || panes.YSplit != 1 {
		t.Errorf("panes %+v, %v", panes, err)
	}
	if w, _ := f.GetColWidth("Sufficiency", "A"); w < float64(len("King's Lynn and West Norfolk")) {
		t.Errorf("column A width %v", w)
	}
	cmp, _ := f.GetRows("Comparison")
	if len(cmp) < 2 || cmp[1][0] != "England" || cmp[1][4] != "22" {
		t.Errorf("comparison sheet %v", cmp)
	}
}

// TestWriteJSON checks the JSON keys keep the column order and values keep types;
// its schema is checked against openapi.yaml in package api.
func TestWriteJSON(t *testing.T) {
	rep := knownReport(t, reports.Options{Format: reports.FormatJSON})
	var b bytes.Buffer
	if err := rep.Write(&b); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(b.String(), `{"district":"King's Lynn and West Norfolk","provider_kind":"foster_carer","providers":1,`) {
		t.Errorf("first row not in column order: %.300s", b.String())
	}
	var out struct {
		Rows       []map[string]any   `json:"rows"`
		Comparison struct{ Year int } `json:"comparison"`
	}
	if err := json.Unmarshal(b.Bytes(), &out); err != nil {
		t.Fatal(err)
	}
	last := out.Rows[len(out.Rows)-1]
	if last["district"] != "TOTAL" || last["places"] != 16.0 || last["mean_distance_miles"] != 22.4 || out.Comparison.Year != 2025 {
		t.Errorf("total %v, comparison year %d", last, out.Comparison.Year)
	}
	if v, ok := out.Rows[4]["occupancy_rate"]; !ok || v != nil {
		t.Errorf("rate over no places = %v, want null", v)
	}
}

// TestNoChildData checks no child's reference or date of birth reaches any format.
func TestNoChildData(t *testing.T) {
	for _, f := range reports.Formats {
		rep := knownReport(t, reports.Options{Format: f, PlacementType: true, AgeBand: true})
		var b bytes.Buffer
		if err := rep.Write(&b); err != nil {
			t.Fatal(err)
		}
		if f == reports.FormatXLSX {
			b = xlsxText(t, b.Bytes())
		}
		for _, s := range []string{"K1", "A1", placematch.DateOf(asOf.Time()).AddDays(-17*366 - 10).String()} {
			if bytes.Contains(b.Bytes(), []byte(s)) {
				t.Errorf("%s report contains %q", f, s)
			}
		}
	}
}

// xlsxText returns every cell of every sheet of a workbook, as text.
func xlsxText(t *testing.T, data []byte) bytes.Buffer {
	t.Helper()
	f, err := excelize.OpenReader(bytes.NewReader(data))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	var b bytes.Buffer
	for _, sh := range f.GetSheetList() {
		rows, err := f.GetRows(sh)
		if err != nil {
			t.Fatal(err)
		}
		for _, r := range rows {
			b.WriteString(strings.Join(r, ",") + "\n")
		}
	}
	return b
}
