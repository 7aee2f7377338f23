package reports_test

import (
	"bytes"
	"encoding/json"
	"strings"
	"testing"

	"placematch"
	"placematch/reports"
	"placematch/store"
	"placematch/store/storetest"
)

// buildSectors stores five homes of four sectors (one not recorded) and six
// placements; the comments give what the sector section must show.
func buildSectors(t *testing.T, dialect string) *store.DB {
	t.Helper()
	db := storetest.Open(t, dialect)
	db.Locator = norfolk(t)
	sector := func(s placematch.Sector, at placematch.Point) func(*placematch.Provider) {
		return func(p *placematch.Provider) { p.Sector, p.Location = s, at }
	}
	own := storetest.Carer("C1", sector(placematch.SectorInHouse, norwich)) // 3 places
	ifa := storetest.Carer("C2", sector(placematch.SectorAgency, norwich), func(p *placematch.Provider) { p.Carer.MaxChildren = 2 })
	unknown := storetest.Carer("C3", sector("", kingsLynn), func(p *placematch.Provider) { p.Carer.MaxChildren = 1 })
	unit := storetest.Unit("U1", sector(placematch.SectorPrivate, norwich)) // 4 beds
	hub := storetest.Hub("H1", sector(placematch.SectorInHouse, cambridge)) // 6 beds, outside the area
	for _, p := range []*placematch.Provider{own, ifa, unknown, unit, hub} {
		if err := db.CreateProvider(ctx, p); err != nil {
			t.Fatal(err)
		}
	}
	start := placematch.MustParseDate("2026-11-01")
	for i, pl := range []struct {
		home *placematch.Point
		age  int
		p    *placematch.Provider
	}{
		{&norwich, 10, own},       // 0 miles
		{&kingsLynn, 12, own},     // over 20 miles
		{nil, 2, unknown},         // distance not known
		{&norwich, 17, unit},      // 0 miles
		{&greatYarmouth, 16, hub}, // over 20 miles, out of area
		{&norwich, 6, ifa},        // 0 miles
	} {
		c := storetest.Child("S"+string(rune('1'+i)), func(c *placematch.Child) {
			c.Location = pl.home
			c.DateOfBirth = asOf.AddDays(-pl.age*366 - 10)
		})
		if err := db.CreateChild(ctx, c); err != nil {
			t.Fatal(err)
		}
		if _, err := db.Book(ctx, store.BookRequest{ChildID: c.ID, Provider: pl.p.Ref(), StartDate: start}); err != nil {
			t.Fatalf("book %s: %v", c.Reference, err)
		}
	}
	return db
}

const sectorColumns = "sector,place_provider,provider_kind,providers,places,filled,vacant,unavailable,occupancy_rate," +
	"placements,pct_of_placements,placements_over_20_miles,placements_distance_unknown,placements_out_of_area"

// TestSufficiencySplitsBySector checks every cell of the sector section, worked out
// by hand from the fixture, on both engines, and that its TOTAL is the report's.
func TestSufficiencySplitsBySector(t *testing.T) {
	for _, dialect := range storetest.Dialects() {
		t.Run(dialect, func(t *testing.T) {
			t.Parallel()
			db := buildSectors(t, dialect)
			svc := &reports.Service{Store: db, Now: db.Now}
			rep, err := svc.Sufficiency(ctx, reports.Options{AsOf: asOf, Format: reports.FormatJSON})
			if err != nil {
				t.Fatal(err)
			}
			var got reports.Table
			for _, tb := range rep.Tables() {
				if tb.Name == "Sectors" {
					got = tb
				}
			}
			// Shares of the 6 placements: 2/6 = 33.3%, 1/6 = 16.7%. Occupancy: 2/3, 1/6, 1/2, 1/4, 1/1.
			wantTable(t, got, sectorColumns, [][]string{
				{"in_house", "PR1", "foster_carer", "1", "3", "2", "1", "0", "66.7", "2", "33.3", "1", "0", "0"},
				{"in_house", "PR1", "hub", "1", "6", "1", "5", "0", "16.7", "1", "16.7", "1", "0", "1"},
				{"agency", "PR4", "foster_carer", "1", "2", "1", "1", "0", "50", "1", "16.7", "0", "0", "0"},
				{"private", "PR4", "supported_accommodation", "1", "4", "1", "3", "0", "25", "1", "16.7", "0", "0", "0"},
				{"not_recorded", "", "foster_carer", "1", "1", "1", "0", "0", "100", "1", "16.7", "0", "1", "0"},
				{"TOTAL", "", "", "5", "16", "6", "10", "0", "37.5", "6", "100", "2", "1", "1"},
			})
			if tot := rep.Total; tot.Providers != 5 || tot.Places != 16 || tot.Filled != 6 || tot.Placements() != 6 {
				t.Errorf("report total %+v does not match the sector total", tot)
			}
			var b bytes.Buffer
			if err := rep.Write(&b); err != nil {
				t.Fatal(err)
			}
			var out struct {
				Sectors struct {
					Columns []string         `json:"columns"`
					Rows    []map[string]any `json:"rows"`
				} `json:"sectors"`
				Notes []string `json:"notes"`
			}
			if err := json.Unmarshal(b.Bytes(), &out); err != nil {
				t.Fatal(err)
			}
			if len(out.Sectors.Rows) != 6 || out.Sectors.Rows[2]["sector"] != "agency" || out.Sectors.Rows[2]["place_provider"] != "PR4" ||
				out.Sectors.Rows[2]["places"] != 2.0 {
				t.Errorf("JSON sectors %v", out.Sectors.Rows)
			}
			if _, ok := out.Sectors.Rows[4]["place_provider"]; ok {
				t.Errorf("not_recorded has a PLACE_PROVIDER code: %v", out.Sectors.Rows[4])
			}
			if !strings.Contains(strings.Join(out.Notes, "\n"), "Sectors:") {
				t.Error("no note explains the sector section")
			}
		})
	}
}

// TestSectorSuppression hides small counts and enough others that no hidden value can
// be worked back: in every row a group is hidden whole, and in every column each
// provider kind with more than one row, and the table as a whole, hide none or at
// least two values, so neither a kind's total nor the TOTAL gives one away.
func TestSectorSuppression(t *testing.T) {
	row := func(s placematch.Sector, k placematch.ProviderKind, providers, places, filled, vacant, within, over, unknown, out int) reports.SectorRow {
		r := reports.SectorRow{Sector: string(s), Kind: k}
		r.Providers, r.Places, r.Filled, r.Vacant, r.Unavailable = providers, places, filled, vacant, places-filled-vacant
		r.Within, r.Over, r.Unknown, r.OutOfArea, r.InArea = within, over, unknown, out, within+over+unknown-out
		return r
	}
	carer, unit, hub := placematch.KindCarer, placematch.KindUnit, placematch.KindHub
	rows := []reports.SectorRow{
		row(placematch.SectorInHouse, carer, 20, 40, 30, 8, 25, 4, 1, 0), // unavailable 2 and over 4: supply and placements hidden
		row(placematch.SectorInHouse, hub, 2, 12, 6, 6, 0, 6, 0, 6),      // providers 2 hidden
		row(placematch.SectorAgency, carer, 10, 20, 15, 5, 10, 5, 0, 0),  // shown: private is the smaller carer row
		row(placematch.SectorPrivate, carer, 8, 16, 10, 6, 10, 0, 0, 0),  // the smallest carer row: hidden beside in_house
		row(placematch.SectorPrivate, unit, 6, 18, 12, 6, 8, 4, 0, 0),    // over 4: placements hidden
	}
	var total reports.SectorRow
	total.Sector = reports.TotalLabel
	for _, r := range rows {
		total.Providers += r.Providers
		total.Places += r.Places
		total.Filled += r.Filled
		total.Vacant += r.Vacant
		total.Unavailable += r.Unavailable
		total.Within += r.Within
		total.Over += r.Over
		total.Unknown += r.Unknown
		total.OutOfArea += r.OutOfArea
		total.InArea += r.InArea
	}
	rep := &reports.Report{Options: reports.Options{AsOf: asOf, Suppress: true}, Sectors: &reports.SectorSplit{Rows: rows, Total: total}}
	var got reports.Table
	for _, tb := range rep.Tables() {
		if tb.Name == "Sectors" {
			got = tb
		}
	}
	// Providers: only the hub's 2 is small; the hub is its kind's only row, so the
	// smallest providers shown elsewhere (the unit's 6) is hidden too. Supply: the
	// in-house carers' hidden, so the smallest other carer row's (private, 16
	// places). Placements: in-house carers' and the unit's hidden; the carers'
	// second is private (10 placements, fewer than the agency's 15).
	c := "c"
	wantTable(t, got, sectorColumns, [][]string{
		{"in_house", "PR1", "foster_carer", "20", c, c, c, c, c, c, c, c, c, c},
		{"in_house", "PR1", "hub", c, "12", "6", "6", "0", "50", "6", "8.2", "6", "0", "6"},              // 6/73 of placements
		{"agency", "PR4", "foster_carer", "10", "20", "15", "5", "0", "75", "15", "20.5", "5", "0", "0"}, // 15/73
		{"private", "PR4", "foster_carer", "8", c, c, c, c, c, c, c, c, c, c},
		{"private", "PR4", "supported_accommodation", c, "18", "12", "6", "0", "66.7", c, c, c, c, c},
		{"TOTAL", "", "", "46", "106", "73", "31", "2", "68.9", "73", "100", "19", "1", "6"}, // occupancy 73/106
	})
	// The property itself, column by column.
	cols := got.Columns
	for ci := 3; ci < len(cols); ci++ {
		hiddenIn := map[string]int{}
		rowsIn := map[string]int{}
		for ri := range rows {
			k := string(rows[ri].Kind)
			rowsIn[k]++
			if got.Rows[ri][ci].String() == c {
				hiddenIn[k]++
				hiddenIn["all"]++
			}
		}
		if got.Rows[len(rows)][ci].String() == c {
			t.Errorf("%s: the TOTAL is hidden", cols[ci])
		}
		for k, n := range hiddenIn {
			if n == 1 && (k == "all" || rowsIn[k] > 1) {
				t.Errorf("%s: one value hidden among the %s rows, so their total gives it away", cols[ci], k)
			}
		}
	}
}
