package main

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"
)

// TestReportSufficiencyCommand seeds the demo into a SQLite file and writes the
// sufficiency report as XLSX without the HTTP server, with the DfE figures configured
// from the shared data folder (read in place).
func TestReportSufficiencyCommand(t *testing.T) {
	dir := t.TempDir()
	t.Setenv("DATABASE_URL", "")
	t.Setenv("PLACEMATCH_SQLITE_PATH", filepath.Join(dir, "pm.db"))
	t.Setenv("PLACEMATCH_DFE_CLA_CSV", "../../../shared/data/dfe/dfe_cla_31march_placement_type_and_distance_by_la_2021_2025.csv")
	ctx := context.Background()
	var out, errs bytes.Buffer
	if err := run(ctx, []string{"seed", "--demo"}, &out, &errs); err != nil {
		t.Fatalf("seed: %v\n%s", err, errs.String())
	}
	file := filepath.Join(dir, "report.xlsx")
	out.Reset()
	if err := run(ctx, []string{"report", "sufficiency", "--format", "xlsx", "--out", file, "--suppress"}, &out, &errs); err != nil {
		t.Fatalf("report: %v\n%s", err, errs.String())
	}
	if !strings.Contains(out.String(), "sufficiency report as of") {
		t.Errorf("output %q", out.String())
	}
	f, err := excelize.OpenFile(file)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	if sheets := strings.Join(f.GetSheetList(), ","); sheets != "Sufficiency,Comparison,Sectors,Gaps by need,Unmet demand,Unmet exclusion reasons,Time to place,"+
		"Distance reasons,Forecast demand,Forecast shortfall,Notes" {
		t.Errorf("sheets %s", sheets)
	}
	rows, err := f.GetRows("Sufficiency")
	if err != nil || len(rows) < 3 || rows[len(rows)-1][0] != "TOTAL" {
		t.Fatalf("rows %v %v", rows, err)
	}
	for _, bad := range [][]string{
		{"report"}, {"report", "sufficiency"}, {"report", "sufficiency", "--out", file, "--format", "pdf"},
		{"report", "sufficiency", "--out", file, "--as-of", "tomorrow"},
	} {
		if err := run(ctx, bad, &out, &errs); err == nil {
			t.Errorf("%v: no error", bad)
		}
	}
	t.Setenv("PLACEMATCH_DFE_CLA_CSV", filepath.Join(dir, "missing.csv"))
	if err := run(ctx, []string{"report", "sufficiency", "--out", file}, &out, &errs); err == nil ||
		!strings.Contains(err.Error(), "PLACEMATCH_DFE_CLA_CSV") {
		t.Errorf("missing DfE file: %v", err)
	}
	if _, err := os.Stat(file); err != nil {
		t.Error(err)
	}
}
