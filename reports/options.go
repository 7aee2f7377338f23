package reports

import (
	"net/url"
	"slices"
	"strconv"
	"strings"

	"placematch"
)

// Format is an output format of the sufficiency report.
type Format string

// The report formats.
const (
	FormatJSON Format = "json"
	FormatCSV  Format = "csv"
	FormatXLSX Format = "xlsx"
)

// Formats lists every format.
var Formats = []Format{FormatJSON, FormatCSV, FormatXLSX}

// ContentType returns the media type of a format.
func (f Format) ContentType() string {
	switch f {
	case FormatCSV:
		return "text/csv; charset=utf-8"
	case FormatXLSX:
		return "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
	}
	return "application/json; charset=utf-8"
}

// Group-by dimensions, named as the report columns they add.
const (
	ByDistrict      = "district"
	ByKind          = "provider_kind"
	ByPlacementType = "placement_type"
	ByAgeBand       = "age_band"
)

// MaxTrendDays bounds a trend's span: ten years of nightly snapshots.
const MaxTrendDays = 3660

// Options say what a sufficiency report covers and how it is written.
type Options struct {
	// AsOf is the date whose active placements are counted.
	AsOf placematch.Date
	// From and To, when set, add a trend of the nightly snapshots dated between them.
	From, To placematch.Date
	// PlacementType splits carers by the placement types of their approval;
	// AgeBand splits every row by age band.
	PlacementType, AgeBand bool
	// Suppress shows counts of 1 to 4, and rates made from them, as "c".
	Suppress bool
	Format   Format
}

// GroupBy lists the grouping dimensions in column order.
func (o Options) GroupBy() []string {
	g := []string{ByDistrict, ByKind}
	if o.PlacementType {
		g = append(g, ByPlacementType)
	}
	if o.AgeBand {
		g = append(g, ByAgeBand)
	}
	return g
}

// ParseOptions reads the query parameters as_of, from, to, group_by, suppress and
// format. Every parameter at fault is named in the returned *placematch.ValidationError.
// as_of defaults to today and must not be after it; from and to go together.
func ParseOptions(q url.Values, today placematch.Date) (Options, error) {
	o := Options{AsOf: today, Format: FormatJSON}
	v := &placematch.ValidationError{}
	date := func(name string) placematch.Date {
		s := q.Get(name)
		if s == "" {
			return placematch.Date{}
		}
		d, err := placematch.ParseDate(s)
		if err != nil {
			v.Add(name, "%s", err.Error())
			return placematch.Date{}
		}
		if d.After(today) {
			v.Add(name, "must not be after today (%s)", today)
			return placematch.Date{}
		}
		return d
	}
	if d := date("as_of"); !d.IsZero() {
		o.AsOf = d
	}
	o.From, o.To = date("from"), date("to")
	switch {
	case q.Get("from") != "" && q.Get("to") == "":
		v.Add("to", "is required with from")
	case q.Get("to") != "" && q.Get("from") == "":
		v.Add("from", "is required with to")
	case !o.From.IsZero() && !o.To.IsZero():
		if o.To.Before(o.From) {
			v.Add("to", "must not be before from")
		} else if o.From.AddDays(MaxTrendDays).Before(o.To) {
			v.Add("to", "must be at most %d days after from", MaxTrendDays)
		}
	}
	parseGroupBy(q.Get("group_by"), &o, v)
	if s := q.Get("suppress"); s != "" {
		b, err := strconv.ParseBool(s)
		if err != nil {
			v.Add("suppress", "must be true or false")
		}
		o.Suppress = b
	}
	if s := q.Get("format"); s != "" {
		if !placematch.OneOf(Format(s), Formats) {
			v.Add("format", "must be one of csv, xlsx, json")
		}
		o.Format = Format(s)
	}
	return o, v.Err()
}

// parseGroupBy reads a comma list of dimensions; district and provider_kind are
// always grouped on, since every row describes the providers of one kind in one area.
func parseGroupBy(s string, o *Options, v *placematch.ValidationError) {
	if s == "" {
		return
	}
	all := []string{ByDistrict, ByKind, ByPlacementType, ByAgeBand}
	var seen []string
	for _, part := range strings.Split(s, ",") {
		part = strings.TrimSpace(part)
		switch {
		case !slices.Contains(all, part):
			v.Add("group_by", "%q is not one of district, provider_kind, placement_type, age_band", part)
			return
		case slices.Contains(seen, part):
			v.Add("group_by", "names %s twice", part)
			return
		}
		seen = append(seen, part)
	}
	if !slices.Contains(seen, ByDistrict) || !slices.Contains(seen, ByKind) {
		v.Add("group_by", "must include district and provider_kind")
		return
	}
	o.PlacementType = slices.Contains(seen, ByPlacementType)
	o.AgeBand = slices.Contains(seen, ByAgeBand)
}
