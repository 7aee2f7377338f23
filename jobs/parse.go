package jobs

import (
	"bytes"
	"encoding/csv"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"
	"time"
	_ "time/tzdata" // Europe/London wherever the binary runs

	"placematch"
)

// The CSV columns read by name: vacancies and as_of, and unit_reference or
// ofsted_urn (at least one).
const (
	colRef       = "unit_reference"
	colURN       = "ofsted_urn"
	colVacancies = "vacancies"
	colAsOf      = "as_of"
)

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

// parsedFeed is what a feed body yields: its valid rows, the rows it rejected (the
// first few, and a count) and notes about the feed as a whole.
type parsedFeed struct {
	reports  []placematch.FeedReport
	rejected *issueList
	notes    []placematch.RunIssue
}

// parseFeed reads a feed body row by row, keeping only the valid rows and at most
// maxRejected rejected ones, so that memory stays bounded by the body however bad
// its rows. A body that cannot be read as the format at all is an error (the feed
// fails); a row that breaks a rule is rejected.
func parseFeed(f *placematch.Feed, body []byte, now time.Time, maxRejected int) (*parsedFeed, error) {
	p := &parsedFeed{rejected: newIssueList(f.Name, maxRejected)}
	emit := func(r rawRow) {
		rep, problems := r.validate(now)
		if len(problems) > 0 {
			p.rejected.add(placematch.RunIssue{Scope: f.Name, Row: r.row, Unit: firstNonEmpty(r.ref, r.urn),
				Message: strings.Join(problems, "; ")})
			return
		}
		p.reports = append(p.reports, rep)
	}
	var err error
	switch f.Format {
	case placematch.FeedCSV:
		err = readCSV(body, emit, func(n placematch.RunIssue) { n.Scope = f.Name; p.notes = append(p.notes, n) })
	case placematch.FeedJSON:
		err = readJSON(body, emit)
	default:
		err = fmt.Errorf("unknown format %q", f.Format)
	}
	if err != nil {
		return nil, fmt.Errorf("malformed feed: %w", err)
	}
	return p, nil
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

// readCSV reads the header by name and hands each data row to emit. Unknown
// columns are noted and ignored.
func readCSV(body []byte, emit func(rawRow), note func(placematch.RunIssue)) error {
	body = bytes.TrimPrefix(body, []byte("\xef\xbb\xbf")) // a UTF-8 BOM from spreadsheet exports
	cr := csv.NewReader(bytes.NewReader(body))
	cr.FieldsPerRecord = -1
	cr.ReuseRecord = true
	head, err := cr.Read()
	if err != nil {
		return errors.New("no header row")
	}
	cols, width, err := readHeader(head, note)
	if err != nil {
		return err
	}
	field := func(rec []string, name string) string {
		if i, ok := cols[name]; ok {
			return rec[i]
		}
		return ""
	}
	for n := 1; ; n++ {
		rec, err := cr.Read()
		if err == io.EOF {
			return nil
		}
		if err != nil {
			return fmt.Errorf("data row %d: %v", n, err)
		}
		if len(rec) != width {
			emit(rawRow{row: n, broken: fmt.Sprintf("the row has %d fields, the header %d", len(rec), width)})
			continue
		}
		emit(rawRow{row: n, ref: field(rec, colRef), urn: field(rec, colURN), vacancies: field(rec, colVacancies),
			asOf: field(rec, colAsOf)})
	}
}

// maxNamedColumns bounds how many unknown columns a note names.
const maxNamedColumns = 20

// readHeader maps the known column names (trimmed, any case) to their positions.
// A known column given twice, or a missing vacancies, as_of or identifier column,
// is an error naming them.
func readHeader(head []string, note func(placematch.RunIssue)) (map[string]int, int, error) {
	cols := map[string]int{}
	var unknown []string
	for i, h := range head {
		name := strings.ToLower(strings.TrimSpace(h))
		switch name {
		case colRef, colURN, colVacancies, colAsOf:
			if _, dup := cols[name]; dup {
				return nil, 0, fmt.Errorf("the header names column %s twice", name)
			}
			cols[name] = i
		default:
			unknown = append(unknown, strconv.Quote(strings.TrimSpace(h)))
		}
	}
	var missing []string
	for _, name := range []string{colVacancies, colAsOf} {
		if _, ok := cols[name]; !ok {
			missing = append(missing, name)
		}
	}
	_, ref := cols[colRef]
	_, urn := cols[colURN]
	if !ref && !urn {
		missing = append(missing, colRef+" or "+colURN)
	}
	if len(missing) > 0 {
		return nil, 0, fmt.Errorf("the header lacks the column(s) %s (it needs vacancies, as_of and unit_reference or ofsted_urn, in any order)",
			strings.Join(missing, ", "))
	}
	if len(unknown) > 0 {
		msg := "unknown column(s) ignored: " + strings.Join(unknown[:min(len(unknown), maxNamedColumns)], ", ")
		if len(unknown) > maxNamedColumns {
			msg += fmt.Sprintf(" and %d more", len(unknown)-maxNamedColumns)
		}
		note(placematch.RunIssue{Message: msg})
	}
	return cols, len(head), nil
}

// jsonRow is a row of a JSON feed; vacancies is read raw so that 2.5 and "2" are
// told apart from 2.
type jsonRow struct {
	UnitReference string          `json:"unit_reference"`
	OfstedURN     string          `json:"ofsted_urn"`
	Vacancies     json.RawMessage `json:"vacancies"`
	AsOf          string          `json:"as_of"`
}

// readJSON streams {"units": [...]}, handing each element to emit as it is decoded;
// other members of the object are skipped.
func readJSON(body []byte, emit func(rawRow)) error {
	notObject := errors.New(`not a JSON object {"units": [...]}`)
	dec := json.NewDecoder(bytes.NewReader(body))
	if tok, err := dec.Token(); err != nil || tok != json.Delim('{') {
		return notObject
	}
	seen := false
	for dec.More() {
		key, err := dec.Token()
		if err != nil {
			return notObject
		}
		if key != "units" {
			var skip json.RawMessage
			if err := dec.Decode(&skip); err != nil {
				return notObject
			}
			continue
		}
		if tok, err := dec.Token(); err != nil || tok != json.Delim('[') {
			return errors.New(`"units" is not an array`)
		}
		seen = true
		for n := 1; dec.More(); n++ {
			var raw json.RawMessage
			if err := dec.Decode(&raw); err != nil {
				return fmt.Errorf("units[%d] is not JSON", n-1)
			}
			emit(jsonToRaw(n, raw))
		}
		if _, err := dec.Token(); err != nil { // the closing ]
			return notObject
		}
	}
	if _, err := dec.Token(); err != nil { // the closing }
		return notObject
	}
	if _, err := dec.Token(); err != io.EOF {
		return notObject
	}
	if !seen {
		return errors.New(`no "units" array`)
	}
	return nil
}

func jsonToRaw(n int, raw json.RawMessage) rawRow {
	var jr jsonRow
	r := rawRow{row: n}
	if err := json.Unmarshal(raw, &jr); err != nil {
		r.broken = "not an object with string unit_reference, ofsted_urn and as_of"
		return r
	}
	r.ref, r.urn, r.asOf = jr.UnitReference, jr.OfstedURN, jr.AsOf
	r.vacancies = string(jr.Vacancies)
	if strings.HasPrefix(r.vacancies, `"`) {
		r.vacancies = "(a string) " + r.vacancies
	}
	return r
}

func firstNonEmpty(a, b string) string {
	if s := strings.TrimSpace(a); s != "" {
		return s
	}
	return strings.TrimSpace(b)
}
