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
		"Children awaiting are counted by home district against every provider kind; shortfall = children awaiting - vacant, never below 0.",
		"Distances are straight lines from the child's home to the placement in miles (km / 1.6093, to 0.1, as the DfE measures them); distance is unknown when the home is not recorded. Percentages are of all active placements.",
		"In area means the provider lies in one of the council's districts.",
	}
	if r.Options.Suppress {
		n = append(n, "Counts of 1 to 4, rates made from them, and the cells they could be worked back from (the rest of their row's sums, the same district's children awaiting, and the TOTAL of their column) are shown as c.")
	}
	if r.Trend != nil {
		n = append(n, "The trend shows the nightly snapshots at their stored grain (district, provider kind, and placement type for carers) with the placements active on each date; its rows overlap and are not summed.")
	}
	if r.Comparison != nil {
		n = append(n, fmt.Sprintf("Comparison: Department for Education, Children looked after in England, %d (%s), Open Government Licence v3.0.", r.Comparison.Year, r.Comparison.Source))
	}
	return append(n, r.Sections.notes()...)
}
