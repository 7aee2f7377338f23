package reports

import (
	"context"
	"fmt"

	"placematch"
)

// Sections are the parts of the sufficiency report beyond supply and demand by
// row: each is nil when it was not made.
type Sections struct {
	// GapsOn is the day the gaps by need were judged (today: the children awaiting
	// and the homes eligible now); Gaps is nil without a HomesFor.
	GapsOn placematch.Date
	Gaps   []NeedRow
	// Unmet covers the months UnmetFrom to the report's date.
	UnmetFrom, UnmetTo placematch.Date
	Unmet              *Unmet
	// Forecast looks ForecastMonths months ahead of the report's date, fitted on
	// ForecastFrom to ForecastTo.
	ForecastFrom, ForecastTo placematch.Date
	Forecast                 *Forecast
}

// SufficiencyWith is Sufficiency with its further sections: the gaps by need,
// for which homes lists the groups awaiting with the homes the hard rules let take
// them (nil leaves the gaps out); the unmet demand of the UnmetMonths months to
// o.AsOf, from the match runs and bookings stored; and the forecast.
func (s *Service) SufficiencyWith(ctx context.Context, o Options, homes HomesFor) (*Report, error) {
	r, err := s.Sufficiency(ctx, o)
	if err != nil {
		return nil, err
	}
	if homes != nil {
		today := s.Today()
		groups, err := homes(ctx, today)
		if err != nil {
			return nil, err
		}
		r.GapsOn, r.Gaps = today, Gaps(groups, today)
	}
	months := unmetMonths(o.AsOf)
	from, to := months[0].Time(), o.AsOf.AddDays(1).Time()
	runs, err := s.Store.MatchRunsBetween(ctx, from, to)
	if err != nil {
		return nil, err
	}
	bookings, err := s.Store.BookingsBetween(ctx, from, to)
	if err != nil {
		return nil, err
	}
	if r.Unmet, err = MakeUnmet(UnmetInput{Months: months, Runs: runs, Bookings: bookings}); err != nil {
		return nil, err
	}
	r.UnmetFrom, r.UnmetTo = months[0], o.AsOf
	if r.Forecast, err = s.forecast(ctx, o.AsOf); err != nil {
		return nil, err
	}
	r.ForecastFrom, r.ForecastTo = placematch.DateOf(o.AsOf.Time().AddDate(0, -ForecastMonths, 1)), o.AsOf
	return r, nil
}

// forecast fits the forecast on the placements of the ForecastMonths months to
// asOf and compares it with the places of each district and kind now.
func (s *Service) forecast(ctx context.Context, asOf placematch.Date) (*Forecast, error) {
	stays, err := s.Store.StaysSince(ctx, placematch.DateOf(asOf.Time().AddDate(0, -ForecastMonths, 1)))
	if err != nil {
		return nil, err
	}
	providers, err := s.Store.ReportProviders(ctx, asOf, judgedAt(s.now(), asOf))
	if err != nil {
		return nil, err
	}
	rows, _ := Aggregate(Input{AsOf: asOf, At: judgedAt(s.now(), asOf), Providers: providers})
	places := map[FlowKey]int{}
	for _, r := range rows {
		places[FlowKey{District: r.District, Kind: r.Kind}] += r.Places
	}
	return MakeForecast(stays, asOf, places), nil
}

func (x *Sections) tables(suppress bool) []Table {
	var out []Table
	if x.Gaps != nil {
		out = append(out, needsTable(x.Gaps, suppress))
	}
	if x.Unmet != nil {
		out = append(out, x.Unmet.tables(suppress)...)
	}
	if x.Forecast != nil {
		out = append(out, x.Forecast.tables(suppress)...)
	}
	return out
}

func (x *Sections) notes() []string {
	var n []string
	if x.Gaps != nil {
		n = append(n, fmt.Sprintf("Gaps by need are judged on %s: each group awaiting (a child alone, or the siblings to be placed together) "+
			"is judged by the matching engine's hard rules against every live home, vacancy, availability and the date needed included, "+
			"and counts in every need group it meets (any member aged 16-17 with a risk graded high; any member a wheelchair user, "+
			"referred for parent and child, or an emergency by urgency or placement type), so the rows overlap and are not summed. "+
			"The median distance is of each group's nearest eligible home, over the groups with a known home and at least one.", x.GapsOn))
	}
	if x.Unmet != nil {
		n = append(n, fmt.Sprintf("Unmet demand covers %s to %s by calendar month (UTC). A search counts in its month for every child of its group, "+
			"and a child's last search of a month decides whether it found an eligible home that month; the exclusion reasons are those of these searches with none, "+
			"with the searches each code excluded a provider in and the providers it excluded. "+
			"Time to place runs from the referral to the booking, in days: the referral is when the child's record was created (the service keeps no other referral date), "+
			"or, for a child placed again, the day its previous placement ended when later; cancelled bookings are left out. "+
			"The median is the middle value (the mean of the two middle ones), the 90th percentile the nearest rank; by urgency (emergency, else planned) and by age band on the day of booking. "+
			"A booking is over 20 miles when the child's home is recorded and the home booked lies more than 20 DfE miles from it, and out of area when the home booked is in no district of the council; "+
			"the distance reasons are those given at booking for either, not_recorded for bookings made before the reason was required.", x.UnmetFrom, x.UnmetTo))
	}
	if x.Forecast != nil {
		n = append(n, "Forecast: for each placement type and age band (demand) and each district and provider kind (shortfall), arrivals are placements started "+
			"in the 12 months to the report's date, taken as a Poisson rate per month; each month the same share of active placements ends as ended per placement-month in those "+
			"12 months; the active placements are projected 12 months ahead from those active now. Intervals are 95% (normal approximation). The projected shortfall is the "+
			"projected active placements (and the interval's top) less today's places, never below 0. The model is simple: see docs/forecast.md for its backtest on Norfolk's published series and its limits.")
	}
	return n
}

// jsonSections are the sections in the JSON form.
type jsonSections struct {
	Gaps     *jsonGaps     `json:"gaps_by_need,omitempty"`
	Unmet    *jsonUnmet    `json:"unmet_demand,omitempty"`
	Forecast *jsonForecast `json:"forecast,omitempty"`
}

type jsonForecast struct {
	From      string   `json:"fitted_from"`
	To        string   `json:"fitted_to"`
	Months    int      `json:"months_ahead"`
	Demand    jsonRows `json:"demand"`
	Shortfall jsonRows `json:"shortfall"`
}

type jsonUnmet struct {
	From             string   `json:"from"`
	To               string   `json:"to"`
	ByMonth          jsonRows `json:"by_month"`
	ExclusionReasons jsonRows `json:"exclusion_reasons"`
	TimeToPlace      jsonRows `json:"time_to_place"`
	DistanceReasons  jsonRows `json:"distance_reasons"`
}

type jsonGaps struct {
	On      string       `json:"on"`
	Columns []string     `json:"columns"`
	Rows    []orderedRow `json:"rows"`
}

// putJSON puts a section's table into the JSON form.
func (x *Sections) putJSON(out *jsonSections, t Table) {
	switch t.Name {
	case gapsSheet:
		out.Gaps = &jsonGaps{On: x.GapsOn.String(), Columns: t.Columns, Rows: rowsOf(t)}
	case forecastSheet, shortfallSheet:
		if out.Forecast == nil {
			out.Forecast = &jsonForecast{From: x.ForecastFrom.String(), To: x.ForecastTo.String(), Months: ForecastMonths}
		}
		rows := jsonRows{Columns: t.Columns, Rows: rowsOf(t)}
		if rows.Rows == nil {
			rows.Rows = []orderedRow{}
		}
		if t.Name == forecastSheet {
			out.Forecast.Demand = rows
		} else {
			out.Forecast.Shortfall = rows
		}
	case unmetSheet, unmetReasonsSheet, timeToPlaceSheet, distanceSheet:
		if out.Unmet == nil {
			out.Unmet = &jsonUnmet{From: x.UnmetFrom.String(), To: x.UnmetTo.String()}
		}
		rows := jsonRows{Columns: t.Columns, Rows: rowsOf(t)}
		if rows.Rows == nil {
			rows.Rows = []orderedRow{}
		}
		switch t.Name {
		case unmetSheet:
			out.Unmet.ByMonth = rows
		case unmetReasonsSheet:
			out.Unmet.ExclusionReasons = rows
		case timeToPlaceSheet:
			out.Unmet.TimeToPlace = rows
		default:
			out.Unmet.DistanceReasons = rows
		}
	}
}
