package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"net/url"
	"os"
	"path/filepath"
	"time"

	"placematch/geo"
	"placematch/placing"
	"placematch/reports"
	"placematch/store"
)

// reportService wires the report service from the configuration: the DfE figures
// when PLACEMATCH_DFE_CLA_CSV names them, with the council's own when
// PLACEMATCH_LA_CODE names it (read once, so a wrong file or an unknown council
// stops start-up) and the district names of PLACEMATCH_BOUNDARIES.
func reportService(cfg config, db *store.DB, districts *geo.Districts) (*reports.Service, error) {
	svc := &reports.Service{Store: db, Now: db.Now}
	if cfg.DfECLACSV != "" {
		cmp, err := reports.LoadComparisonFileFor(cfg.DfECLACSV, cfg.LACode)
		if errors.Is(err, reports.ErrUnknownLA) {
			return nil, fmt.Errorf("PLACEMATCH_LA_CODE: %w", err)
		}
		if err != nil {
			return nil, fmt.Errorf("PLACEMATCH_DFE_CLA_CSV: %w", err)
		}
		svc.Comparison = cmp
	}
	if districts != nil {
		svc.Districts = districts.Names()
	}
	return svc, nil
}

// cmdReport runs `report sufficiency`: the same report as GET
// /api/v1/reports/sufficiency, written to a file without the HTTP server.
func cmdReport(ctx context.Context, cfg config, args []string, stdout io.Writer) error {
	const synopsis = "report sufficiency --format csv|xlsx|json --out FILE [--as-of DATE] [--group-by LIST] [--suppress]\n\n" +
		"write the sufficiency report without the HTTP server; --out - writes it to standard output\n"
	fs := flag.NewFlagSet("report sufficiency", flag.ContinueOnError)
	if len(args) > 0 && args[0] == "sufficiency" {
		args = args[1:]
	} else if !wantsHelp(args) {
		return badUsage(fs, synopsis, "the only report is sufficiency")
	}
	format := fs.String("format", "xlsx", "csv, xlsx or json")
	out := fs.String("out", "", "file to write, or - for standard output")
	asOf := fs.String("as-of", "", "date of the report, YYYY-MM-DD (default today)")
	groupBy := fs.String("group-by", "", "district,provider_kind[,placement_type][,age_band]")
	from := fs.String("from", "", "first snapshot date of a trend")
	to := fs.String("to", "", "last snapshot date of a trend")
	suppress := fs.Bool("suppress", false, "show counts of 1-4 as c")
	if err := parseFlags(fs, synopsis, args, stdout); err != nil {
		return err
	}
	if *out == "" {
		return badUsage(fs, synopsis, "--out is required")
	}
	if fs.NArg() != 0 {
		return badUsage(fs, synopsis, "takes no arguments, got %q", fs.Arg(0))
	}
	q := url.Values{"format": {*format}, "as_of": {*asOf}, "group_by": {*groupBy}, "from": {*from}, "to": {*to},
		"suppress": {fmt.Sprint(*suppress)}}
	db, err := openPrepared(ctx, cfg)
	if err != nil {
		return err
	}
	defer db.Close()
	svc, err := reportService(cfg, db, nil)
	if err != nil {
		return err
	}
	o, err := reports.ParseOptions(q, svc.Today())
	if err != nil {
		return fmt.Errorf("report: %w", err)
	}
	uses := &placing.Service{Store: db, Now: db.Now, Reports: svc, Weights: cfg.MatchWeights, Policy: cfg.Policy,
		AreaConfigured: db.Locator != nil, StaleAfter: time.Duration(cfg.StaleAfterDays) * 24 * time.Hour}
	rep, err := uses.Sufficiency(ctx, o)
	if err != nil {
		return err
	}
	if *out == "-" {
		// The report alone, so that it can be piped; no summary line.
		return rep.Write(stdout)
	}
	// Write beside the target and rename, so a failed write never leaves a
	// truncated report where a good one was expected.
	f, err := os.CreateTemp(filepath.Dir(*out), ".report-*")
	if err != nil {
		return err
	}
	defer os.Remove(f.Name())
	if err := rep.Write(f); err != nil {
		return errors.Join(err, f.Close())
	}
	if err := f.Close(); err != nil {
		return err
	}
	if err := os.Rename(f.Name(), *out); err != nil {
		return err
	}
	fmt.Fprintf(stdout, "%s: sufficiency report as of %s, %d rows and a total\n", *out, o.AsOf, len(rep.Rows))
	return nil
}
