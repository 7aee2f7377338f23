package reports

import (
	"encoding/csv"
	"fmt"
	"io"
	"math"
	"os"
	"slices"
	"strconv"
	"strings"
)

// The published series the forecast is backtested on (DfE, Children looked after
// in England, one local authority): children looked after at 31 March, in all and
// by placement type, and new placements during the year to 31 March.
const (
	seriesStock    = "CLA at 31 March: Placement"
	seriesNew      = "New placements during year: location"
	seriesTotal    = "Total"
	seriesNewTotal = "Total new placements"
)

// Placement types of the backtest, as the published series names them; every
// other type (adoption, with parents, residential schools, other) is "other".
var backtestTypes = []struct{ Name, Published string }{
	{"foster", "Foster placements"},
	{"supported_accommodation", "Independent and semi-independent living arrangements/supported accommodation"},
	{"childrens_homes", "Secure homes and children's homes"},
}

// PublishedYear is one year of a council's published series.
type PublishedYear struct {
	Year int
	// Stock is the children looked after at 31 March; ByType splits it (see
	// backtestTypes, the rest under "other"); New the placements started during
	// the year to 31 March.
	Stock, New int
	ByType     map[string]int
}

// LoadPublishedSeries reads a council's years from the DfE's children looked
// after summary (CSV with time_period, geographic_level, area, measure_group,
// characteristic, number), for the local authority named area. A suppressed type
// ("c") counts under other. Years without the stock are left out.
func LoadPublishedSeries(path, area string) ([]PublishedYear, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	r := csv.NewReader(f)
	head, err := r.Read()
	if err != nil {
		return nil, fmt.Errorf("reports: %s: %w", path, err)
	}
	col := map[string]int{}
	for i, h := range head {
		col[strings.TrimPrefix(h, "\ufeff")] = i
	}
	for _, c := range []string{"time_period", "geographic_level", "area", "measure_group", "characteristic", "number"} {
		if _, ok := col[c]; !ok {
			return nil, fmt.Errorf("reports: %s: no column %s", path, c)
		}
	}
	years := map[int]*PublishedYear{}
	for {
		rec, err := r.Read()
		if err == io.EOF {
			break
		}
		if err != nil {
			return nil, fmt.Errorf("reports: %s: %w", path, err)
		}
		if rec[col["geographic_level"]] != "Local authority" || rec[col["area"]] != area {
			continue
		}
		year, err := strconv.Atoi(rec[col["time_period"]])
		if err != nil {
			return nil, fmt.Errorf("reports: %s: time_period %q", path, rec[col["time_period"]])
		}
		n, err := strconv.Atoi(rec[col["number"]])
		if err != nil {
			continue // suppressed or not available
		}
		y := years[year]
		if y == nil {
			y = &PublishedYear{Year: year, ByType: map[string]int{}}
			years[year] = y
		}
		group, ch := rec[col["measure_group"]], rec[col["characteristic"]]
		switch {
		case group == seriesStock && ch == seriesTotal:
			y.Stock = n
		case group == seriesNew && ch == seriesNewTotal:
			y.New = n
		case group == seriesStock:
			for _, t := range backtestTypes {
				if ch == t.Published {
					y.ByType[t.Name] = n
				}
			}
		}
	}
	var out []PublishedYear
	for _, y := range years {
		if y.Stock == 0 {
			continue
		}
		other := y.Stock
		for _, t := range backtestTypes {
			other -= y.ByType[t.Name]
		}
		y.ByType["other"] = other
		out = append(out, *y)
	}
	slices.SortFunc(out, func(a, b PublishedYear) int { return a.Year - b.Year })
	return out, nil
}

// BacktestRow is one forecast of the backtest beside what was published.
type BacktestRow struct {
	Year   int
	Series string
	// Forecast, Low and High are the forecast and its 95% interval (the interval
	// only for the totals); Actual the published figure; Error Forecast − Actual and
	// PctError its share of Actual, in per cent.
	Forecast, Low, High float64
	Actual              int
	Error, PctError     float64
}

// Backtest is the forecast fitted on the years to FitTo and compared with the
// years after.
type Backtest struct {
	FitFrom, FitTo int
	// Rate is the new placements per year (Poisson), ExitShare the share of the
	// children looked after at the start of a year whose placement ended in it.
	Rate, ExitShare float64
	Rows            []BacktestRow
	// MAPE is the mean absolute percentage error of each series over the years
	// forecast.
	MAPE map[string]float64
}

// RunBacktest fits the forecast's model on the published years up to fitTo, at
// a yearly step, and forecasts the years after it: new placements as a Poisson
// rate (their mean over the fitted years); each year a constant share of the
// children looked after at its start leaves its placement (the fitted years'
// mean of (stock at the start + new − stock at the end) / stock at the start),
// and the new placements join. The placement types take the fitted years' shares
// of the stock. The published series counts placements, so a move between
// placements is an exit and an arrival, as in the service's own history.
func RunBacktest(years []PublishedYear, fitTo int) (Backtest, error) {
	b := Backtest{FitTo: fitTo, MAPE: map[string]float64{}}
	var fit, after []PublishedYear
	for _, y := range years {
		if y.Year <= fitTo {
			fit = append(fit, y)
		} else {
			after = append(after, y)
		}
	}
	if len(fit) < 2 || len(after) == 0 {
		return b, fmt.Errorf("reports: backtest needs two years up to %d and one after", fitTo)
	}
	b.FitFrom = fit[0].Year
	var newSum, stockSum float64
	shares := map[string]float64{}
	for i, y := range fit {
		newSum += float64(y.New)
		stockSum += float64(y.Stock)
		for t, n := range y.ByType {
			shares[t] += float64(n)
		}
		if i > 0 {
			prev := fit[i-1]
			b.ExitShare += float64(prev.Stock+y.New-y.Stock) / float64(prev.Stock)
		}
	}
	b.Rate = newSum / float64(len(fit))
	b.ExitShare /= float64(len(fit) - 1)
	stay := 1 - b.ExitShare
	mean, v := float64(fit[len(fit)-1].Stock), 0.0
	abs := map[string][]float64{}
	add := func(year int, series string, f, lo, hi float64, actual int) {
		r := BacktestRow{Year: year, Series: series, Forecast: round(f, 1), Low: round(lo, 1), High: round(hi, 1), Actual: actual,
			Error: round(f-float64(actual), 1), PctError: round((f-float64(actual))/float64(actual)*100, 1)}
		b.Rows = append(b.Rows, r)
		abs[series] = append(abs[series], math.Abs(f-float64(actual))/float64(actual)*100)
	}
	for _, y := range after {
		v = stay*stay*v + mean*b.ExitShare*stay + b.Rate
		mean = mean*stay + b.Rate
		sd := math.Sqrt(v)
		add(y.Year, "children_looked_after", mean, math.Max(mean-z95*sd, 0), mean+z95*sd, y.Stock)
		add(y.Year, "new_placements", b.Rate, math.Max(b.Rate-z95*math.Sqrt(b.Rate), 0), b.Rate+z95*math.Sqrt(b.Rate), y.New)
		for _, t := range append(typeNames(), "other") {
			add(y.Year, t, mean*shares[t]/stockSum, math.NaN(), math.NaN(), y.ByType[t])
		}
	}
	for s, xs := range abs {
		sum := 0.0
		for _, x := range xs {
			sum += x
		}
		b.MAPE[s] = round(sum/float64(len(xs)), 1)
	}
	return b, nil
}

func typeNames() []string {
	out := make([]string, len(backtestTypes))
	for i, t := range backtestTypes {
		out[i] = t.Name
	}
	return out
}

// Markdown writes the backtest as the tables docs/forecast.md carries.
func (b Backtest) Markdown() string {
	var s strings.Builder
	fmt.Fprintf(&s, "Fitted on %d–%d: new placements %.1f a year; exit share %.4f a year.\n\n", b.FitFrom, b.FitTo, b.Rate, b.ExitShare)
	s.WriteString("| year | series | forecast | 95% interval | published | error | error % |\n|---|---|---|---|---|---|---|\n")
	for _, r := range b.Rows {
		iv := "—"
		if !math.IsNaN(r.Low) {
			iv = fmt.Sprintf("%.1f–%.1f", r.Low, r.High)
		}
		fmt.Fprintf(&s, "| %d | %s | %.1f | %s | %d | %+.1f | %+.1f |\n", r.Year, r.Series, r.Forecast, iv, r.Actual, r.Error, r.PctError)
	}
	s.WriteString("\n| series | MAPE % |\n|---|---|\n")
	for _, name := range append([]string{"children_looked_after", "new_placements"}, append(typeNames(), "other")...) {
		fmt.Fprintf(&s, "| %s | %.1f |\n", name, b.MAPE[name])
	}
	return s.String()
}
