package main

import (
	"bytes"
	"context"
	"path/filepath"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"
)

// TestReportWithTheCouncilsOwnFigures configures the DfE file with Norfolk's LA code:
// the report carries Norfolk's published row first in the comparison and a Council
// sheet; an unknown council, or a council without the file, stops the command with
// an error naming the setting.
func TestReportWithTheCouncilsOwnFigures(t *testing.T) {
	dir := t.TempDir()
	t.Setenv("DATABASE_URL", "")
	t.Setenv("PLACEMATCH_SQLITE_PATH", filepath.Join(dir, "pm.db"))
	t.Setenv("PLACEMATCH_DFE_CLA_CSV", "../../../shared/data/dfe/dfe_cla_31march_placement_type_and_distance_by_la_2021_2025.csv")
	t.Setenv("PLACEMATCH_LA_CODE", "E10000020")
	ctx := context.Background()
	var out, errs bytes.Buffer
	if err := run(ctx, []string{"migrate"}, &out, &errs); err != nil {
		t.Fatalf("migrate: %v\n%s", err, errs.String())
	}
	file := filepath.Join(dir, "report.xlsx")
	if err := run(ctx, []string{"report", "sufficiency", "--format", "xlsx", "--out", file}, &out, &errs); err != nil {
		t.Fatalf("report: %v\n%s", err, errs.String())
	}
	f, err := excelize.OpenFile(file)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	if sheets := strings.Join(f.GetSheetList(), ","); sheets != "Sufficiency,Comparison,Sectors,Council,Gaps by need,Unmet demand,"+
		"Unmet exclusion reasons,Time to place,Distance reasons,Forecast demand,Forecast shortfall,Notes" {
		t.Errorf("sheets %s", sheets)
	}
	cmp, _ := f.GetRows("Comparison")
	if len(cmp) < 3 || cmp[1][0] != "Norfolk" || cmp[1][4] != "41" || cmp[2][0] != "England" {
		t.Errorf("comparison %v", cmp)
	}
	for _, tc := range []struct{ csv, la, want string }{
		{"../../../shared/data/dfe/dfe_cla_31march_placement_type_and_distance_by_la_2021_2025.csv", "Narnia", `PLACEMATCH_LA_CODE: reports: DfE figures: no local authority "Narnia"`},
		{"", "Norfolk", "PLACEMATCH_LA_CODE: needs PLACEMATCH_DFE_CLA_CSV"},
		{filepath.Join(dir, "missing.csv"), "Norfolk", "PLACEMATCH_DFE_CLA_CSV"},
	} {
		t.Setenv("PLACEMATCH_DFE_CLA_CSV", tc.csv)
		t.Setenv("PLACEMATCH_LA_CODE", tc.la)
		err := run(ctx, []string{"report", "sufficiency", "--out", file}, &out, &errs)
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%s with %q: %v, want %q", tc.la, tc.csv, err, tc.want)
		}
	}
}
