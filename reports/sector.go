package reports

import (
	"context"
	"slices"
	"time"

	"placematch"
	"placematch/store"
)

// NotRecorded labels what the records do not say: the providers whose sector is
// not recorded, and the far bookings that gave no distance reason (those booked
// before the reason was recorded).
const NotRecorded = "not_recorded"

// SectorSplit is the report's section by sector: its rows and their total.
type SectorSplit struct {
	Rows  []SectorRow
	Total SectorRow
}

// sectors reads the providers' sectors and splits the report's providers and
// placements by them.
func (s *Service) sectors(ctx context.Context, o Options, at time.Time, providers []*placematch.Provider,
	placements []store.ReportPlacement) (*SectorSplit, error) {
	bySector, err := s.Store.ProviderSectors(ctx)
	if err != nil {
		return nil, err
	}
	rows, total := Sectors(o.AsOf, at, providers, placements, bySector)
	return &SectorSplit{Rows: rows, Total: total}, nil
}

// SectorRow is the supply and the placements of one sector and provider kind (the
// TOTAL row has neither): who runs the homes, so that a commissioner can set the
// council's own provision beside what it buys. Its measures are those of the
// sufficiency report's TOTAL row for the providers of that sector and kind.
type SectorRow struct {
	// Sector is a placematch.Sector, NotRecorded, or TotalLabel.
	Sector string
	Kind   placematch.ProviderKind
	Row
}

// Sectors splits supply and the placements active on asOf by the sector of the
// provider and its kind, in the order of placematch.Sectors then NotRecorded and of
// the provider kinds, leaving out the pairs with no provider and no placement. Each
// pair is counted by the report's one aggregation (Aggregate, on that pair's
// providers and placements alone, with no demand), so a provider counts once in
// its row whatever its approval covers, and the rows of a column add up to the
// total, which counts every provider and placement once.
func Sectors(asOf placematch.Date, at time.Time, providers []*placematch.Provider,
	placements []store.ReportPlacement, sectors map[string]placematch.Sector) (rows []SectorRow, total SectorRow) {
	type key struct {
		sector string
		kind   placematch.ProviderKind
	}
	sectorOf := func(id string) string {
		if s, ok := sectors[id]; ok && s != "" {
			return string(s)
		}
		return NotRecorded
	}
	byKey := map[key][]*placematch.Provider{}
	kindOf := map[string]key{}
	for _, p := range providers {
		k := key{sectorOf(p.ID), p.Kind}
		byKey[k] = append(byKey[k], p)
		kindOf[p.ID] = k
	}
	placed := map[key][]store.ReportPlacement{}
	for _, pl := range placements {
		if k, ok := kindOf[pl.ProviderID]; ok {
			placed[k] = append(placed[k], pl)
		}
	}
	order := append(placematch.Sectors[:len(placematch.Sectors):len(placematch.Sectors)], NotRecorded)
	for _, s := range order {
		for _, kind := range placematch.ProviderKinds {
			k := key{string(s), kind}
			if len(byKey[k]) == 0 {
				continue
			}
			_, t := Aggregate(Input{AsOf: asOf, At: at, Providers: byKey[k], Placements: placed[k]})
			rows = append(rows, SectorRow{Sector: string(s), Kind: kind, Row: t})
		}
	}
	_, t := Aggregate(Input{AsOf: asOf, At: at, Providers: providers, Placements: placements})
	return rows, SectorRow{Sector: TotalLabel, Row: t}
}

var sectorColumns = []string{
	"sector", "place_provider", "provider_kind", "providers", "places", "filled", "vacant", "unavailable",
	"occupancy_rate", "placements", "pct_of_placements", "placements_over_20_miles",
	"placements_distance_unknown", "placements_out_of_area",
}

// sectorHiding is what one sector row hides: its providers, its supply (places,
// filled, vacant, unavailable and the occupancy made from them, which add up to
// each other) and its placements (the count, its share, and its splits by distance
// and area, which add up to it).
type sectorHiding struct{ providers, supply, placed bool }

// sectorTable lays out the sector rows. With suppression, a count of 1 to 4 hides
// its group in its row; then complement hides more (see there), since the rows of
// one kind add up to the kind's total and all rows to the TOTAL. The TOTAL row is
// shown whole: every column that hides a value hides at least two, in every kind
// with more than one row, so no hidden value can be recovered from a total.
func sectorTable(rows []SectorRow, total SectorRow, suppress bool) Table {
	c := cells{suppress: suppress}
	hs := make([]sectorHiding, len(rows))
	for i, r := range rows {
		hs[i] = sectorHiding{providers: c.small(r.Providers),
			supply: c.small(r.Places) || c.small(r.Filled) || c.small(r.Vacant) || c.small(r.Unavailable),
			placed: c.small(r.Placements()) || c.small(r.Over) || c.small(r.Unknown) || c.small(r.OutOfArea)}
	}
	if suppress {
		complement(rows, func(i int) *bool { return &hs[i].providers }, func(r Row) int { return r.Providers })
		complement(rows, func(i int) *bool { return &hs[i].supply }, func(r Row) int { return r.Places })
		complement(rows, func(i int) *bool { return &hs[i].placed }, func(r Row) int { return r.Placements() })
	}
	t := Table{Name: "Sectors", Columns: sectorColumns}
	all := append(slices.Clone(rows), total)
	hs = append(hs, sectorHiding{})
	for i, r := range all {
		h := hs[i]
		code := ""
		if s := placematch.Sector(r.Sector); r.Sector != TotalLabel {
			code, _ = s.PlaceProvider()
		}
		occ, occOK := r.OccupancyRate()
		share, shareOK := percent(r.Placements(), total.Placements())
		t.Rows = append(t.Rows, []Cell{text(r.Sector), text(code), text(string(r.Kind)),
			show(r.Providers, h.providers), show(r.Places, h.supply), show(r.Filled, h.supply),
			show(r.Vacant, h.supply), show(r.Unavailable, h.supply), showRate(occ, occOK, h.supply),
			show(r.Placements(), h.placed), showRate(share, shareOK, h.placed), show(r.Over, h.placed),
			show(r.Unknown, h.placed), show(r.OutOfArea, h.placed)})
	}
	return t
}

// jsonSection is a section of the JSON report: its columns and rows.
type jsonSection struct {
	Columns []string     `json:"columns"`
	Rows    []orderedRow `json:"rows"`
}

// sectorNotes explain the sector section.
var sectorNotes = []string{
	"Sectors: supply and the placements active on the report's date by who runs the home (in_house: the council's own; agency: an independent fostering agency; private; voluntary; other_council; not_recorded when the record does not say), each provider and placement counted once, so the rows of each column add up to the TOTAL. place_provider is the SSDA903 PLACE_PROVIDER code (PR1 own council, PR2 another council, PR4 private, which an agency is unless it is a charity, PR5 voluntary). pct_of_placements is the row's share of all active placements.",
}

// sectorSuppressionNote is added with suppression.
const sectorSuppressionNote = "Sectors with suppression: a count of 1 to 4 hides its group in its row (providers; places, filled, vacant, unavailable and occupancy; placements, their share and their splits); then, column by column, a group hidden in only one row of a provider kind that has other rows, or in only one row of the table, is hidden in the row with the smallest value shown too, until none is alone, so that no hidden value can be worked back from a kind's figures or the TOTAL. The TOTAL row is shown."

// complement hides a group in more rows until no group is hidden in exactly one row
// of a provider kind that has other rows, nor in exactly one row of the table: a
// single hidden value could be worked back from the kind's or the table's total.
// The row hidden next is the one with the smallest value shown (size).
func complement(rows []SectorRow, hidden func(i int) *bool, size func(r Row) int) {
	smallest := func(shown []int) int {
		return slices.MinFunc(shown, func(a, b int) int { return size(rows[a].Row) - size(rows[b].Row) })
	}
	for changed := true; changed; {
		changed = false
		for _, kind := range append(slices.Clone(placematch.ProviderKinds), "") {
			var n int
			var shown []int
			for i, r := range rows {
				if kind != "" && r.Kind != kind {
					continue
				}
				if *hidden(i) {
					n++
				} else {
					shown = append(shown, i)
				}
			}
			if n == 1 && len(shown) > 0 {
				*hidden(smallest(shown)) = true
				changed = true
			}
		}
	}
}
