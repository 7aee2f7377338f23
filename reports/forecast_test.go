package reports_test

import (
	"flag"
	"math"
	"os"
	"strings"
	"testing"

	"placematch"
	"placematch/reports"
	"placematch/store"
	"placematch/store/storetest"
)

// A group with 12 arrivals a year, 6 exits over 60 placement-months (a tenth a
// month) and 10 active is at its steady state (10 × 0.9 + 1 = 10): it stays at 10.
// Its variance after 12 months is 1.9 × (1 − 0.81^12) / (1 − 0.81) = 9.2023, so the
// interval is 10 ± 1.96 × 3.0335 = 4.1 to 15.9; the arrivals are 12 ± 1.96 × √12.
func TestProjectByHand(t *testing.T) {
	p := reports.Project(reports.Flow{Arrivals: 12, Exits: 6, ExposureDays: 60 * 365.25 / 12, Active: 10}, 12)
	want := reports.Projection{Arrivals: 12, ArrivalsLow: 5.2, ArrivalsHigh: 18.8, Active: 10, ActiveLow: 4.1, ActiveHigh: 15.9}
	if p != want {
		t.Errorf("projection %+v, want %+v", p, want)
	}
	if p := reports.Project(reports.Flow{}, 12); p != (reports.Projection{}) {
		t.Errorf("nothing in, nothing out: %+v", p)
	}
}

// TestForecastFromPlacementHistory books placements on known dates and checks the
// fitted flows and the projection, on both engines. The window is 24 Nov 2025 to
// 23 Nov 2026 (365 days). All three children are short term, 11 at the window's
// start (band 10-15), with C1 in Norwich (three places):
//   - K1 started 24 Nov 2025 and is active: an arrival, 365 days.
//   - K2 started 1 May 2026 and left 1 June 2026: an arrival and an exit, 31 days.
//   - K3 started 1 Jan 2024 and is active: 365 days in the window, no arrival.
//
// So 2 arrivals, 1 exit over 761 placement-days, 2 active: a rate of 1/6 a month
// and an exit share h = 30.4375 / 761 a month; after 12 months the mean is
// S + (2 − S)(1 − h)^12 with S = (1/6) / h.
func TestForecastFromPlacementHistory(t *testing.T) {
	for _, dialect := range storetest.Dialects() {
		t.Run(dialect, func(t *testing.T) {
			t.Parallel()
			db := storetest.Open(t, dialect)
			db.Locator = norfolk(t)
			c1 := storetest.Carer("C1", func(p *placematch.Provider) { p.Location = norwich })
			if err := db.CreateProvider(ctx, c1); err != nil {
				t.Fatal(err)
			}
			aged12 := func(c *placematch.Child) { c.DateOfBirth = asOf.AddDays(-12*366 - 10) }
			place := func(ref, start, end string) {
				c := storetest.Child(ref, aged12)
				if err := db.CreateChild(ctx, c); err != nil {
					t.Fatal(err)
				}
				pls, err := db.Book(ctx, store.BookRequest{ChildID: c.ID, Provider: c1.Ref(), StartDate: placematch.MustParseDate(start)})
				if err != nil {
					t.Fatal(err)
				}
				if end == "" {
					return
				}
				if _, err := db.UpdatePlacement(ctx, pls[0].ID, 0, func(p *placematch.Placement) error {
					p.Status, p.EndReason, p.EndDate = placematch.PlacementEnded, "CARPL", placematch.MustParseDate(end)
					return nil
				}); err != nil {
					t.Fatal(err)
				}
			}
			place("K1", "2025-11-24", "")
			place("K2", "2026-05-01", "2026-06-01")
			place("K3", "2024-01-01", "")
			rep, err := (&reports.Service{Store: db, Now: db.Now}).SufficiencyWith(ctx, reports.Options{AsOf: asOf}, nil)
			if err != nil {
				t.Fatal(err)
			}
			fc := rep.Forecast
			if len(fc.Demand) != 1 || len(fc.Shortfall) != 1 {
				t.Fatalf("demand %+v, shortfall %+v", fc.Demand, fc.Shortfall)
			}
			flow := reports.Flow{Arrivals: 2, Exits: 1, ExposureDays: 761, Active: 2}
			d, s := fc.Demand[0], fc.Shortfall[0]
			if d.PlacementType != placematch.PlacementShortTerm || d.AgeBand != "10-15" || d.Flow != flow {
				t.Errorf("demand row %+v", d)
			}
			h := (365.25 / 12) / 761
			steady := (2.0 / 12) / h
			mean := math.Round((steady+(2-steady)*math.Pow(1-h, 12))*10) / 10
			if d.Projection.Active != mean || d.Projection.Arrivals != 2 {
				t.Errorf("projected active %v (want %v), arrivals %v (want 2)", d.Projection.Active, mean, d.Projection.Arrivals)
			}
			if s.District != "Norwich" || s.Kind != placematch.KindCarer || s.Flow != flow || s.Places != 3 ||
				s.Shortfall != max(int(math.Round(mean))-3, 0) || s.ShortfallHigh != max(int(math.Round(s.ActiveHigh))-3, 0) {
				t.Errorf("shortfall row %+v", s)
			}
			var names []string
			for _, tab := range rep.Tables() {
				names = append(names, tab.Name)
			}
			if got := strings.Join(names, ","); !strings.Contains(got, "Forecast demand,Forecast shortfall") {
				t.Errorf("tables %s", got)
			}
		})
	}
}

var writeDoc = flag.Bool("write-forecast-doc", false, "rewrite the backtest tables of docs/forecast.md")

const (
	docPath    = "../docs/forecast.md"
	beginMark  = "<!-- backtest: begin (written by go test ./reports -run TestForecastBacktest -write-forecast-doc) -->\n"
	endMark    = "<!-- backtest: end -->"
	norfolkCSV = "dfe/norfolk_cla_summary_2020_2025.csv"
)

// TestForecastBacktest fits the forecast's model on Norfolk's published series to
// 2023, forecasts 2024 and 2025, checks the first forecast against the figures
// worked out from the published numbers, and checks docs/forecast.md reports
// exactly the errors computed, so that the document cannot go stale.
func TestForecastBacktest(t *testing.T) {
	years, err := reports.LoadPublishedSeries(dataPath(t, norfolkCSV), "Norfolk")
	if err != nil {
		t.Fatal(err)
	}
	b, err := reports.RunBacktest(years, 2023)
	if err != nil {
		t.Fatal(err)
	}
	// Published: looked after at 31 March 2021-2023 1,083, 1,089, 1,215; new
	// placements 958, 1,051, 1,178. Exits are stock at the start + new − stock at
	// the end: 1,045 of 1,083 in 2022 and 1,052 of 1,089 in 2023.
	rate := (958.0 + 1051 + 1178) / 3
	exit := (1045.0/1083 + 1052.0/1089) / 2
	s2024 := 1215*(1-exit) + rate
	if b.FitFrom != 2021 || math.Abs(b.Rate-rate) > 1e-9 || math.Abs(b.ExitShare-exit) > 1e-9 {
		t.Errorf("fitted %d-%d rate %v exit %v, want 2021-2023 %v %v", b.FitFrom, b.FitTo, b.Rate, b.ExitShare, rate, exit)
	}
	r := b.Rows[0]
	if r.Year != 2024 || r.Series != "children_looked_after" || r.Actual != 1152 || r.Forecast != math.Round(s2024*10)/10 ||
		r.Error != math.Round((s2024-1152)*10)/10 {
		t.Errorf("2024 children looked after %+v, want forecast %.1f of 1152", r, s2024)
	}
	got := b.Markdown()
	doc, err := os.ReadFile(docPath)
	if err != nil {
		t.Fatal(err)
	}
	i, j := strings.Index(string(doc), beginMark), strings.Index(string(doc), endMark)
	if i < 0 || j < i {
		t.Fatalf("%s has no backtest block (%q … %q)", docPath, beginMark, endMark)
	}
	shown := string(doc[i+len(beginMark) : j])
	if *writeDoc {
		out := string(doc[:i+len(beginMark)]) + got + string(doc[j:])
		if err := os.WriteFile(docPath, []byte(out), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	if shown != got {
		t.Errorf("%s reports other figures than the backtest computes; run go test ./reports -run TestForecastBacktest -write-forecast-doc\nwant:\n%s", docPath, got)
	}
}
