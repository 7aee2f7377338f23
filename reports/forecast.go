package reports

import (
	"cmp"
	"math"
	"slices"

	"placematch"
	"placematch/store"
)

// ForecastMonths is how far ahead the forecast looks, and how far back it fits.
const ForecastMonths = 12

// daysPerMonth turns placement-days into placement-months.
const daysPerMonth = 365.25 / 12

// z95 is the normal quantile of a two-sided 95% interval.
const z95 = 1.959964

// Flow is what a forecast is fitted on for one group of placements over the
// ForecastMonths months before the report's date: the placements that started
// (arrivals) and ended (exits), the placement-days lived in the window (exposure),
// and the placements active on the report's date.
type Flow struct {
	Arrivals, Exits int
	ExposureDays    float64
	Active          int
}

// Projection is a group's forecast for the next ForecastMonths months: the
// arrivals expected (a Poisson rate, the window's arrivals per month), and the
// placements active at the end (a monthly stock-flow: each month a constant share
// of the active placements ends, the window's exits per placement-month, and the
// arrivals join), each with a 95% interval, never below zero.
type Projection struct {
	Arrivals, ArrivalsLow, ArrivalsHigh float64
	Active, ActiveLow, ActiveHigh       float64
}

// Project forecasts months ahead from f. The arrivals' variance is their mean
// (Poisson); the active placements' variance adds, each month, the arrivals' and
// the binomial variance of the exits, carried forward by the share that stays.
func Project(f Flow, months int) Projection {
	rate := float64(f.Arrivals) / ForecastMonths
	h := 0.0
	if f.ExposureDays > 0 {
		h = math.Min(float64(f.Exits)/(f.ExposureDays/daysPerMonth), 1)
	}
	mean, v := float64(f.Active), 0.0
	for range months {
		v = (1-h)*(1-h)*v + mean*h*(1-h) + rate
		mean = mean*(1-h) + rate
	}
	arr := rate * float64(months)
	sd := math.Sqrt(v)
	return Projection{
		Arrivals: round(arr, 1), ArrivalsLow: round(math.Max(arr-z95*math.Sqrt(arr), 0), 1), ArrivalsHigh: round(arr+z95*math.Sqrt(arr), 1),
		Active: round(mean, 1), ActiveLow: round(math.Max(mean-z95*sd, 0), 1), ActiveHigh: round(mean+z95*sd, 1),
	}
}

// FlowKey groups the forecast: a placement type and age band (the demand), or a
// district and provider kind (the shortfall), the others empty.
type FlowKey struct {
	PlacementType placematch.PlacementType
	AgeBand       string
	District      string
	Kind          placematch.ProviderKind
}

// Flows fits a Flow per placement type and age band, and per district and
// provider kind, on the stays over the ForecastMonths months to asOf (from the
// day after asOf less ForecastMonths months, to asOf). A stay's age band is the
// child's at the start of the stay or of the window, whichever is later, so a
// child counts in one band throughout; its district is the home's.
func Flows(stays []store.ReportStay, asOf placematch.Date) (byNeed, byPlace map[FlowKey]*Flow) {
	t := asOf.Time()
	from := placematch.DateOf(t.AddDate(0, -ForecastMonths, 1))
	byNeed, byPlace = map[FlowKey]*Flow{}, map[FlowKey]*Flow{}
	for _, s := range stays {
		if s.Start.After(asOf) || (!s.End.IsZero() && s.End.Before(from)) {
			continue
		}
		first := s.Start
		if first.Before(from) {
			first = from
		}
		last := asOf // the last day lived in the window
		ended := !s.End.IsZero() && !s.End.After(asOf)
		if ended {
			last = s.End.AddDays(-1) // the child left on End
		}
		days := float64(last.Time().Sub(first.Time()).Hours()/24 + 1)
		need := FlowKey{PlacementType: s.PlacementType, AgeBand: AgeBandOf(s.DateOfBirth.YearsOn(first))}
		place := FlowKey{District: label(s.ProviderDistrict), Kind: s.ProviderKind}
		for _, f := range []*Flow{get(byNeed, need), get(byPlace, place)} {
			f.ExposureDays += max(days, 0)
			if !s.Start.Before(from) {
				f.Arrivals++
			}
			if ended {
				f.Exits++
			} else {
				f.Active++
			}
		}
	}
	return byNeed, byPlace
}

func get(m map[FlowKey]*Flow, k FlowKey) *Flow {
	f := m[k]
	if f == nil {
		f = &Flow{}
		m[k] = f
	}
	return f
}

// ForecastRow is one group's fit and projection.
type ForecastRow struct {
	FlowKey
	Flow
	Projection
	// Places are the places of the district and kind now (the shortfall rows);
	// Shortfall and ShortfallHigh are the projected active placements (the mean,
	// and the interval's top) less them, rounded, never below zero.
	Places, Shortfall, ShortfallHigh int
}

// Forecast is the forecast section: demand by placement type and age band, and
// the projected shortfall by district and provider kind.
type Forecast struct {
	Demand, Shortfall []ForecastRow
}

// MakeForecast projects every group of Flows; places are the places of each
// district and kind now (the sufficiency rows' Places), which the shortfall
// compares the projection with.
func MakeForecast(stays []store.ReportStay, asOf placematch.Date, places map[FlowKey]int) *Forecast {
	byNeed, byPlace := Flows(stays, asOf)
	fc := &Forecast{}
	for k, f := range byNeed {
		fc.Demand = append(fc.Demand, ForecastRow{FlowKey: k, Flow: *f, Projection: Project(*f, ForecastMonths)})
	}
	for k := range places {
		get(byPlace, k)
	}
	for k, f := range byPlace {
		r := ForecastRow{FlowKey: k, Flow: *f, Projection: Project(*f, ForecastMonths), Places: places[k]}
		r.Shortfall = max(int(math.Round(r.Projection.Active))-r.Places, 0)
		r.ShortfallHigh = max(int(math.Round(r.ActiveHigh))-r.Places, 0)
		fc.Shortfall = append(fc.Shortfall, r)
	}
	slices.SortFunc(fc.Demand, func(a, b ForecastRow) int {
		return cmp.Or(cmp.Compare(slices.Index(placematch.PlacementTypes, a.PlacementType), slices.Index(placematch.PlacementTypes, b.PlacementType)),
			cmp.Compare(a.PlacementType, b.PlacementType), cmp.Compare(bandIndex(a.AgeBand), bandIndex(b.AgeBand)))
	})
	slices.SortFunc(fc.Shortfall, func(a, b ForecastRow) int {
		return compareKeys(Row{Key: Key{District: a.District, Kind: a.Kind}}, Row{Key: Key{District: b.District, Kind: b.Kind}})
	})
	return fc
}

// Sheet names of the forecast's tables.
const (
	forecastSheet  = "Forecast demand"
	shortfallSheet = "Forecast shortfall"
)

// tables lays out the forecast. With suppression, a row fitted on counts of 1 to
// 4 (arrivals, exits or active placements) shows c for them and for every figure
// projected from them, since the projection would give them back; places of 1 to
// 4 are c, as in the sufficiency table, and so is a shortfall made from them.
func (fc *Forecast) tables(suppress bool) []Table {
	c := cells{suppress: suppress}
	fit := func(r ForecastRow) ([]Cell, bool) {
		hide := c.small(r.Flow.Arrivals) || c.small(r.Exits) || c.small(r.Flow.Active)
		num := func(v float64) Cell {
			if hide {
				return text(Suppressed)
			}
			return Cell{Kind: Float, F: v}
		}
		return []Cell{show(r.Flow.Arrivals, hide), show(r.Exits, hide), show(r.Flow.Active, hide),
			num(r.Projection.Arrivals), num(r.ArrivalsLow), num(r.ArrivalsHigh),
			num(r.Projection.Active), num(r.ActiveLow), num(r.ActiveHigh)}, hide
	}
	measures := []string{"arrivals_last_12_months", "exits_last_12_months", "active_now",
		"forecast_arrivals_next_12_months", "arrivals_low_95", "arrivals_high_95",
		"forecast_active_in_12_months", "active_low_95", "active_high_95"}
	demand := Table{Name: forecastSheet, Columns: append([]string{"placement_type", "age_band"}, measures...)}
	for _, r := range fc.Demand {
		line, _ := fit(r)
		demand.Rows = append(demand.Rows, append([]Cell{text(string(r.PlacementType)), text(r.AgeBand)}, line...))
	}
	short := Table{Name: shortfallSheet, Columns: append(append([]string{"district", "provider_kind"}, measures...),
		"places", "projected_shortfall", "projected_shortfall_high_95")}
	for _, r := range fc.Shortfall {
		line, hide := fit(r)
		line = append([]Cell{text(r.District), text(string(r.Kind))}, line...)
		hidePlaces := c.small(r.Places)
		line = append(line, show(r.Places, hidePlaces), show(r.Shortfall, hide || (hidePlaces && r.Shortfall > 0)),
			show(r.ShortfallHigh, hide || (hidePlaces && r.ShortfallHigh > 0)))
		short.Rows = append(short.Rows, line)
	}
	return []Table{demand, short}
}
