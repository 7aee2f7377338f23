package reports

import (
	"cmp"
	"encoding/json"
	"fmt"
	"math"
	"slices"
	"time"

	"placematch"
	"placematch/geo"
	"placematch/store"
)

// UnmetMonths is how many calendar months the unmet-demand section covers: the
// month of the report's date and the eleven before it.
const UnmetMonths = 12

// UnmetInput is what the unmet-demand section is made from.
type UnmetInput struct {
	// Months are the first days of the months covered, oldest first.
	Months   []placematch.Date
	Runs     []*store.MatchRun
	Bookings []store.ReportBooking
}

// Unmet is the unmet-demand section: searches that found no eligible home, time
// from referral to booking, and bookings far from home or out of the area, by
// month.
type Unmet struct {
	Months []UnmetMonth
	// Reasons are the exclusion codes of the searches that found no eligible home
	// (each child's last search of a month), commonest first.
	Reasons []UnmetReason
}

// UnmetMonth is one month of the section.
type UnmetMonth struct {
	Month placematch.Date
	// Searched counts the children searched for in the month (each member of a
	// group searched); NoHome those whose last search of the month found no
	// eligible home.
	Searched, NoHome int
	// Days are the days from referral to booking of each booking in the month;
	// ByUrgency and ByBand split them.
	Days      []float64
	ByUrgency map[string][]float64
	ByBand    map[string][]float64
	// Over20 and OutOfArea count the bookings more than 20 miles from home and
	// outside the area; Far those either, by distance reason (NotRecorded when
	// none was given).
	Over20, OutOfArea int
	Far               map[string]int
}

// UnmetReason is an exclusion code of the searches that found no eligible home:
// in how many of them it excluded a provider, and how many providers it excluded
// in all.
type UnmetReason struct {
	Code                string
	Searches, Providers int
}

// monthOf is the first day of t's month (UTC).
func monthOf(t time.Time) placematch.Date {
	t = t.UTC()
	return placematch.DateOf(time.Date(t.Year(), t.Month(), 1, 0, 0, 0, 0, time.UTC))
}

// unmetMonths are the UnmetMonths months up to and including asOf's.
func unmetMonths(asOf placematch.Date) []placematch.Date {
	last := asOf.Time()
	out := make([]placematch.Date, UnmetMonths)
	for i := range out {
		out[i] = monthOf(time.Date(last.Year(), last.Month()-time.Month(UnmetMonths-1-i), 1, 0, 0, 0, 0, time.UTC))
	}
	return out
}

// referralAt is when a booked child's wait began: its referral was recorded, or,
// for a child placed again, the day its previous placement ended when later.
func referralAt(b store.ReportBooking) time.Time {
	if !b.PreviousEnd.IsZero() && b.PreviousEnd.Time().After(b.ReferralAt) {
		return b.PreviousEnd.Time()
	}
	return b.ReferralAt
}

// MakeUnmet builds the unmet-demand section. A run counts in the month it was
// made, for every child of its group; a child's last run of a month decides
// whether it found an eligible home that month. A booking counts in the month it
// was made, for its child; its distance is from the child's home.
func MakeUnmet(in UnmetInput) (*Unmet, error) {
	u := &Unmet{}
	at := map[placematch.Date]int{}
	for i, m := range in.Months {
		at[m] = i
		u.Months = append(u.Months, UnmetMonth{Month: m, ByUrgency: map[string][]float64{}, ByBand: map[string][]float64{}, Far: map[string]int{}})
	}
	type key struct {
		month int
		child string
	}
	last := map[key]*store.MatchRun{}
	for _, r := range in.Runs { // oldest first: a later run replaces an earlier one
		i, ok := at[monthOf(r.CreatedAt)]
		if !ok {
			continue
		}
		group := r.Group
		if len(group) == 0 {
			group = []string{r.ChildID}
		}
		for _, c := range group {
			last[key{i, c}] = r
		}
	}
	reasons := map[string]*UnmetReason{}
	counted := map[*store.MatchRun]bool{}
	for k, r := range last {
		m := &u.Months[k.month]
		m.Searched++
		if len(r.Ranked) > 0 {
			continue
		}
		m.NoHome++
		if counted[r] {
			continue // a group's search counts once among the reasons
		}
		counted[r] = true
		var shown struct {
			Summary map[string]int `json:"excluded_summary"`
		}
		if err := json.Unmarshal(r.Result, &shown); err != nil {
			return nil, fmt.Errorf("reports: match run %s: %w", r.ID, err)
		}
		for code, n := range shown.Summary {
			x := reasons[code]
			if x == nil {
				x = &UnmetReason{Code: code}
				reasons[code] = x
			}
			x.Searches++
			x.Providers += n
		}
	}
	for _, x := range reasons {
		u.Reasons = append(u.Reasons, *x)
	}
	slices.SortFunc(u.Reasons, func(a, b UnmetReason) int {
		return cmp.Or(cmp.Compare(b.Searches, a.Searches), cmp.Compare(b.Providers, a.Providers), cmp.Compare(a.Code, b.Code))
	})
	for _, b := range in.Bookings {
		i, ok := at[monthOf(b.BookedAt)]
		if !ok {
			continue
		}
		m := &u.Months[i]
		days := math.Max(b.BookedAt.Sub(referralAt(b)).Hours()/24, 0)
		m.Days = append(m.Days, days)
		urgency := b.Urgency
		if urgency != "emergency" {
			urgency = "planned"
		}
		m.ByUrgency[urgency] = append(m.ByUrgency[urgency], days)
		band := AgeBandOf(b.DateOfBirth.YearsOn(placematch.DateOf(b.BookedAt)))
		m.ByBand[band] = append(m.ByBand[band], days)
		over := b.Home != nil && geo.Miles(geo.DistanceKM(*b.Home, b.ProviderLocation)) > placematch.NearMiles
		out := b.ProviderDistrict == ""
		if over {
			m.Over20++
		}
		if out {
			m.OutOfArea++
		}
		if over || out {
			reason := string(b.DistanceReason)
			if reason == "" {
				reason = NotRecorded
			}
			m.Far[reason]++
		}
	}
	return u, nil
}

// percentile is the nearest-rank pth percentile of xs (the smallest value with at
// least p% of them at or below it), to one decimal; ok is false for none.
func percentile(xs []float64, p float64) (float64, bool) {
	if len(xs) == 0 {
		return 0, false
	}
	s := slices.Clone(xs)
	slices.Sort(s)
	rank := int(math.Ceil(p / 100 * float64(len(s))))
	return round(s[max(rank, 1)-1], 1), true
}

// Sheet names of the unmet-demand tables.
const (
	unmetSheet        = "Unmet demand"
	unmetReasonsSheet = "Unmet exclusion reasons"
	timeToPlaceSheet  = "Time to place"
	distanceSheet     = "Distance reasons"
)

// unmetTables lays out the section. With suppression, counts of 1 to 4 are c, and
// a median or percentile over 1 to 4 bookings is c. The months are not totalled,
// and the far bookings by reason have no total beside them, so no hidden count is
// the difference of shown ones.
func (u *Unmet) tables(suppress bool) []Table {
	c := cells{suppress: suppress}
	stats := func(xs []float64) (Cell, Cell) {
		med, ok := median(xs)
		p90, _ := percentile(xs, 90)
		return showRate(med, ok, c.small(len(xs))), showRate(p90, ok, c.small(len(xs)))
	}
	month := Table{Name: unmetSheet, Columns: []string{"month", "children_searched", "children_last_search_no_eligible_home",
		"bookings", "median_days_referral_to_booking", "p90_days_referral_to_booking", "bookings_over_20_miles", "bookings_out_of_area"}}
	ttp := Table{Name: timeToPlaceSheet, Columns: []string{"month", "dimension", "group", "bookings",
		"median_days_referral_to_booking", "p90_days_referral_to_booking"}}
	dist := Table{Name: distanceSheet, Columns: []string{"month", "distance_reason", "bookings"}}
	for _, m := range u.Months {
		ms := m.Month.String()[:7]
		med, p90 := stats(m.Days)
		month.Rows = append(month.Rows, []Cell{text(ms), show(m.Searched, c.small(m.Searched)), show(m.NoHome, c.small(m.NoHome)),
			show(len(m.Days), c.small(len(m.Days))), med, p90, show(m.Over20, c.small(m.Over20)), show(m.OutOfArea, c.small(m.OutOfArea))})
		for _, g := range []struct {
			dim    string
			groups []string
			by     map[string][]float64
		}{{DimUrgency, placematch.Urgencies, m.ByUrgency}, {DimAgeBand, bandNames(), m.ByBand}} {
			counts := make([]int, len(g.groups))
			for i, name := range g.groups {
				counts[i] = len(g.by[name])
			}
			hidden := c.hideGroups(counts)
			for i, name := range g.groups {
				xs := g.by[name]
				if len(xs) == 0 {
					continue
				}
				med, p90 := stats(xs)
				if hidden[i] {
					med, p90 = text(Suppressed), text(Suppressed)
				}
				ttp.Rows = append(ttp.Rows, []Cell{text(ms), text(g.dim), text(name), show(len(xs), hidden[i]), med, p90})
			}
		}
		names := append(distanceReasonNames(), NotRecorded)
		counts := make([]int, len(names))
		for i, r := range names {
			counts[i] = m.Far[r]
		}
		hidden := c.hideGroups(counts)
		for i, r := range names {
			if counts[i] > 0 {
				dist.Rows = append(dist.Rows, []Cell{text(ms), text(r), show(counts[i], hidden[i])})
			}
		}
	}
	reasons := Table{Name: unmetReasonsSheet, Columns: []string{"reason", "searches", "providers_excluded"}}
	for _, r := range u.Reasons {
		reasons.Rows = append(reasons.Rows, []Cell{text(r.Code), show(r.Searches, c.small(r.Searches)), Cell{Kind: Int, I: r.Providers}})
	}
	return []Table{month, reasons, ttp, dist}
}

func bandNames() []string {
	out := make([]string, len(AgeBands))
	for i, b := range AgeBands {
		out[i] = b.Name
	}
	return out
}

func distanceReasonNames() []string {
	out := make([]string, len(placematch.DistanceReasons))
	for i, r := range placematch.DistanceReasons {
		out[i] = string(r)
	}
	return out
}

// hideGroups says which of a dimension's counts to hide: those of 1 to 4, and,
// when exactly one is hidden, the next smallest shown other than zero too, so that
// the hidden one cannot be worked back from the dimension's sum.
func (c cells) hideGroups(counts []int) []bool {
	hidden := make([]bool, len(counts))
	n := 0
	for i, x := range counts {
		if c.small(x) {
			hidden[i] = true
			n++
		}
	}
	if n == 1 {
		next := -1
		for i, x := range counts {
			if !hidden[i] && x > 0 && (next < 0 || x < counts[next]) {
				next = i
			}
		}
		if next >= 0 {
			hidden[next] = true
		}
	}
	return hidden
}
