package reports

import (
	"context"
	"fmt"
	"time"

	"placematch"
	"placematch/store"
)

// Service makes reports from the store.
type Service struct {
	Store *store.DB
	// Now is the clock; nil means time.Now.
	Now func() time.Time
	// Comparison is the DfE's published figures, loaded once at start; nil leaves
	// them out of reports.
	Comparison *Comparison
	// Districts are the district names of the configured boundaries; when set, the
	// map layer's district filter must name one of them (or OutsideArea).
	Districts []string
}

func (s *Service) now() time.Time {
	if s.Now == nil {
		return time.Now().UTC()
	}
	return s.Now().UTC()
}

// Today returns the service's current date.
func (s *Service) Today() placematch.Date { return placematch.DateOf(s.now()) }

// judgedAt is the moment a report on date judges vacancies at: now for today, and a
// past date's last moment, as a report run that day would.
func judgedAt(now time.Time, date placematch.Date) time.Time {
	if date.Before(placematch.DateOf(now)) {
		return date.AddDays(1).Time().Add(-time.Nanosecond)
	}
	return now
}

// Report is a sufficiency report ready to be written in any format.
type Report struct {
	Options     Options
	GeneratedAt time.Time
	Rows        []Row
	Total       Row
	// Trend holds the snapshots between Options.From and To; nil without a trend.
	Trend []store.Snapshot
	// TrendPlacements are the placements active on each snapshot date, by row: the
	// snapshots keep supply and demand, and placement history gives the rest.
	TrendPlacements map[placematch.Date]map[Key]Row
	Comparison      *Comparison
	// Sectors splits supply and placements by who runs the homes (sector.go).
	Sectors *SectorSplit
	// Council is what the service measures on the DfE's definitions, beside the
	// council's published figures; nil unless Comparison has them (dfe_council.go).
	Council *CouncilMeasure
	// Sections are the report's further sections (gaps by need, unmet demand,
	// forecast), each present when made.
	Sections
}

// Sufficiency builds the report for o. Supply (providers, places, availability) is
// the providers' stored state, since the store keeps no history of them; filled and
// the placement measures count the placements active on o.AsOf; demand is the
// children awaiting now.
func (s *Service) Sufficiency(ctx context.Context, o Options) (*Report, error) {
	now := s.now()
	at := judgedAt(now, o.AsOf)
	providers, err := s.Store.ReportProviders(ctx, o.AsOf, at)
	if err != nil {
		return nil, err
	}
	placements, err := s.Store.PlacementsActiveOn(ctx, o.AsOf)
	if err != nil {
		return nil, err
	}
	awaiting, err := s.Store.ChildrenAwaiting(ctx)
	if err != nil {
		return nil, err
	}
	rows, total := Aggregate(Input{AsOf: o.AsOf, At: at, Providers: providers, Placements: placements,
		Awaiting: awaiting, PlacementType: o.PlacementType, AgeBand: o.AgeBand})
	r := &Report{Options: o, GeneratedAt: now.Truncate(time.Second), Rows: rows, Total: total, Comparison: s.Comparison}
	if r.Sectors, err = s.sectors(ctx, o, at, providers, placements); err != nil {
		return nil, err
	}
	if s.Comparison != nil && s.Comparison.Council != nil {
		m := MeasureCouncil(o.AsOf, providers, placements)
		r.Council = &m
	}
	if !o.From.IsZero() {
		if r.Trend, err = s.Store.SnapshotsBetween(ctx, o.From, o.To); err != nil {
			return nil, err
		}
		if r.Trend == nil {
			r.Trend = []store.Snapshot{}
		}
		r.TrendPlacements = map[placematch.Date]map[Key]Row{}
		for _, d := range trendDates(r.Trend) {
			end := d.AddDays(1).Time().Add(-time.Nanosecond)
			ps, err := s.Store.ReportProviders(ctx, d, end)
			if err != nil {
				return nil, err
			}
			pls, err := s.Store.PlacementsActiveOn(ctx, d)
			if err != nil {
				return nil, err
			}
			r.TrendPlacements[d] = PlacementsByKey(ps, pls)
		}
	}
	return r, nil
}

// Tables returns the report's tables in order: the sufficiency table, then the
// trend and the comparison when the report has them.
func (r *Report) Tables() []Table {
	out := []Table{sufficiencyTable(r.Rows, r.Total, r.Options)}
	if r.Trend != nil {
		out = append(out, trendTable(r.Trend, r.TrendPlacements, r.Options.Suppress))
	}
	if r.Comparison != nil {
		out = append(out, r.Comparison.table())
	}
	if r.Sectors != nil {
		out = append(out, sectorTable(r.Sectors.Rows, r.Sectors.Total, r.Options.Suppress))
	}
	if r.Comparison != nil && r.Comparison.Council != nil {
		out = append(out, councilTable(r.Comparison.Council, r.Council, r.Options.Suppress))
	}
	return append(out, r.Sections.tables(r.Options.Suppress)...)
}

// FileName is the name a download of the report is offered under, dated by the
// report's date.
func (r *Report) FileName() string {
	return fmt.Sprintf("sufficiency-%s.%s", r.Options.AsOf, r.Options.Format)
}

// Notes explain the report's conventions; JSON and XLSX carry them.
func (r *Report) Notes() []string {
	n := []string{
		"Providers, places and availability are the providers' current records; filled and the placement measures count placements active on " + r.Options.AsOf.String() + "; children awaiting are those awaiting now.",
		"A provider counts in every row its approval covers (each placement type of a carer, each age band of its age range); the TOTAL row counts each provider, placement and child once.",
		"Demand: children awaiting are counted in the district of their home, as groups: a child alone, or siblings awaiting together (linked as siblings, directly or through one another), who need one home with a place for each. A group counts only against the kinds of home that could lawfully take all of it, judged by the matching engine's hard rules (age, under 16 never in supported accommodation, 18 or over never in a children's home and in foster care only staying put, the placement type a kind of home takes, connected-person care only with a connected carer, wheelchair access), not against a home's state today (its vacancies, availability or approval). children_awaiting are the places the groups need (one per child) and groups_awaiting the groups; a group counts in the row of its eldest member's placement type and age band. A group several kinds could take counts in each of their rows; the TOTAL row counts each child and group once.",
		"shortfall = children_awaiting - vacant, never below 0: the places a row's homes alone cannot meet. The TOTAL row's shortfall is the sum of the rows' shortfalls (so the column adds up); a group that more than one kind could take is short in each kind that cannot meet it, so the TOTAL shortfall counts places short kind by kind and can exceed the children awaiting.",
		"Distances are straight lines from the child's home to the placement in miles (km / 1.6093, to 0.1, as the DfE measures them); distance is unknown when the home is not recorded. Percentages are of all active placements.",
		"In area means the provider lies in one of the council's districts.",
	}
	if r.Options.Suppress {
		n = append(n, "Counts of 1 to 4 are shown as c, with the rates made from them. So is whatever else would let a reader work one back: wherever the identities the table exposes (places = filled + vacant + unavailable; the placements split by distance and again by area; shortfall = children awaiting - vacant; a TOTAL that is the sum of its column) would determine a hidden count, a further count of the same identity is hidden, the smallest, a row's before a TOTAL's. A TOTAL is therefore shown whenever no hidden count can be worked back from it.")
	}
	if r.Trend != nil {
		n = append(n, "The trend shows the nightly snapshots at their stored grain (district, provider kind, and placement type for carers) with the placements active on each date, and for each date a TOTAL row stored with the snapshot that counts each provider, child and group once (snapshots taken before totals were stored have none). Providers outside every district are \"outside area\"; children whose home is not recorded are \""+HomeNotKnown+"\".")
	}
	if k := r.Total.NoLawfulKind; k > 0 {
		shown := fmt.Sprint(k)
		if r.Options.Suppress && k <= 4 {
			shown = Suppressed
		}
		n = append(n, "Children awaiting whose group no kind of home could lawfully take (counted in the TOTAL row only): "+shown+".")
	}
	if r.Sectors != nil {
		n = append(n, sectorNotes...)
		if r.Options.Suppress {
			n = append(n, sectorSuppressionNote)
		}
	}
	if r.Comparison != nil {
		n = append(n, fmt.Sprintf("Comparison: Department for Education, Children looked after in England, %d (%s), Open Government Licence v3.0.", r.Comparison.Year, r.Comparison.Source))
		if r.Comparison.Council != nil {
			n = append(n, councilNotes(r.Comparison, r.Council)...)
		}
	}
	return append(n, r.Sections.notes()...)
}
