package jobs

import (
	"bytes"
	"encoding/csv"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"slices"
	"strconv"
	"strings"
	"time"
	_ "time/tzdata" // Europe/London wherever the binary runs

	"placematch"
)

// csvHeader is the one header a CSV feed may have.
var csvHeader = []string{"unit_reference", "ofsted_urn", "vacancies", "as_of"}

// clockSkew is how far in the future an as_of may be before it is refused: a
// provider's clock a little ahead is not an error.
const clockSkew = 5 * time.Minute

// rawRow is one feed row before validation.
type rawRow struct {
	row            int
	ref, urn, asOf string
	vacancies      string
	// broken says why the row could not even be split into its fields.
	broken string
}

// parseFeed reads a feed body. A body that cannot be read as the format at all is an
// error (the feed fails); a row that breaks a rule becomes an issue.
func parseFeed(f *placematch.Feed, body []byte, now time.Time) ([]placematch.FeedReport, []placematch.RunIssue, error) {
	var (
		rows []rawRow
		err  error
	)
	switch f.Format {
	case placematch.FeedCSV:
		rows, err = readCSV(body)
	case placematch.FeedJSON:
		rows, err = readJSON(body)
	default:
		err = fmt.Errorf("unknown format %q", f.Format)
	}
	if err != nil {
		return nil, nil, fmt.Errorf("malformed feed: %w", err)
	}
	var (
		out    []placematch.FeedReport
		issues []placematch.RunIssue
	)
	for _, r := range rows {
		rep, problems := r.validate(now)
		if len(problems) > 0 {
			issues = append(issues, placematch.RunIssue{Scope: f.Name, Row: r.row, Unit: firstNonEmpty(r.ref, r.urn),
				Message: strings.Join(problems, "; ")})
			continue
		}
		out = append(out, rep)
	}
	return out, issues, nil
}

func (r rawRow) validate(now time.Time) (placematch.FeedReport, []string) {
	rep := placematch.FeedReport{Row: r.row, UnitReference: strings.TrimSpace(r.ref), OfstedURN: strings.TrimSpace(r.urn)}
	if r.broken != "" {
		return rep, []string{r.broken}
	}
	var problems []string
	if rep.UnitReference == "" && rep.OfstedURN == "" {
		problems = append(problems, "unit_reference or ofsted_urn is required")
	}
	v, err := strconv.Atoi(strings.TrimSpace(r.vacancies))
	switch {
	case err != nil:
		problems = append(problems, fmt.Sprintf("vacancies %q is not a whole number", r.vacancies))
	case v < 0:
		problems = append(problems, "vacancies must not be negative")
	}
	rep.Vacancies = v
	asOf, err := parseAsOf(strings.TrimSpace(r.asOf))
	switch {
	case err != nil:
		problems = append(problems, fmt.Sprintf("as_of %q is not a date (YYYY-MM-DD) or an RFC 3339 date-time", r.asOf))
	case asOf.After(now.Add(clockSkew)):
		problems = append(problems, fmt.Sprintf("as_of %s is in the future", asOf.Format(time.RFC3339)))
	case placematch.CheckInstant(asOf) != nil: // year 1 would read back as "never reported"
		problems = append(problems, fmt.Sprintf("as_of %s is before %s", asOf.Format(time.RFC3339), placematch.MinDate))
	}
	rep.AsOf = asOf
	return rep, problems
}

// parseAsOf reads an RFC 3339 date-time, or a date meaning the start of that day in
// England (Europe/London): a provider writing today's date during British Summer
// Time means today, not an hour in the future.
func parseAsOf(s string) (time.Time, error) {
	if t, err := time.Parse(time.RFC3339, s); err == nil {
		return t.UTC(), nil
	}
	t, err := time.ParseInLocation(time.DateOnly, s, feedZone)
	return t.UTC(), err
}

// feedZone is the zone of feed dates; zone data is embedded (time/tzdata).
var feedZone = mustLoadLocation("Europe/London")

func mustLoadLocation(name string) *time.Location {
	loc, err := time.LoadLocation(name)
	if err != nil {
		panic(fmt.Sprintf("jobs: time zone %s: %v", name, err))
	}
	return loc
}

func readCSV(body []byte) ([]rawRow, error) {
	body = bytes.TrimPrefix(body, []byte("\xef\xbb\xbf")) // a UTF-8 BOM from spreadsheet exports
	cr := csv.NewReader(bytes.NewReader(body))
	cr.FieldsPerRecord = -1
	head, err := cr.Read()
	if err != nil {
		return nil, errors.New("no header row")
	}
	for i := range head {
		head[i] = strings.TrimSpace(head[i])
	}
	if !slices.Equal(head, csvHeader) {
		return nil, fmt.Errorf("the header must be exactly %s", strings.Join(csvHeader, ","))
	}
	var rows []rawRow
	for n := 1; ; n++ {
		rec, err := cr.Read()
		if err == io.EOF {
			return rows, nil
		}
		if err != nil {
			return nil, fmt.Errorf("data row %d: %v", n, err)
		}
		if len(rec) != len(csvHeader) {
			rows = append(rows, rawRow{row: n, broken: fmt.Sprintf("the row has %d fields, not 4", len(rec))})
			continue
		}
		rows = append(rows, rawRow{row: n, ref: rec[0], urn: rec[1], vacancies: rec[2], asOf: rec[3]})
	}
}

// jsonRow is a row of a JSON feed; vacancies is read raw so that 2.5 and "2" are
// told apart from 2.
type jsonRow struct {
	UnitReference string          `json:"unit_reference"`
	OfstedURN     string          `json:"ofsted_urn"`
	Vacancies     json.RawMessage `json:"vacancies"`
	AsOf          string          `json:"as_of"`
}

func readJSON(body []byte) ([]rawRow, error) {
	var doc struct {
		Units *[]json.RawMessage `json:"units"`
	}
	if err := json.Unmarshal(body, &doc); err != nil {
		return nil, errors.New(`not a JSON object {"units": [...]}`)
	}
	if doc.Units == nil {
		return nil, errors.New(`no "units" array`)
	}
	rows := make([]rawRow, 0, len(*doc.Units))
	for i, raw := range *doc.Units {
		var jr jsonRow
		r := rawRow{row: i + 1}
		if err := json.Unmarshal(raw, &jr); err != nil {
			r.broken = "not an object with string unit_reference, ofsted_urn and as_of"
			rows = append(rows, r)
			continue
		}
		r.ref, r.urn, r.asOf = jr.UnitReference, jr.OfstedURN, jr.AsOf
		r.vacancies = string(jr.Vacancies)
		if strings.HasPrefix(r.vacancies, `"`) {
			r.vacancies = "(a string) " + r.vacancies
		}
		rows = append(rows, r)
	}
	return rows, nil
}

func firstNonEmpty(a, b string) string {
	if s := strings.TrimSpace(a); s != "" {
		return s
	}
	return strings.TrimSpace(b)
}
