package reports

import (
	"encoding/csv"
	"encoding/json"
	"fmt"
	"io"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/xuri/excelize/v2"

	"placematch"
)

// DefaultRecDays is the period a recommendations report covers when the query
// does not say: the 30 days to today.
const DefaultRecDays = 30

// RecOptions say what a recommendations report covers and how it is written.
type RecOptions struct {
	// From and To are the first and last days of the period (UTC), both included.
	From, To placematch.Date
	// Suppress shows counts of children of 1 to 4, and the measures made from
	// them, as "c". It is on unless the query turns it off.
	Suppress bool
	Format   Format
}

// ParseRecOptions reads from, to, format and suppress; every parameter at fault
// is named in the returned *placematch.ValidationError. to defaults to today and
// from to DefaultRecDays days before; from may not be after to, nor either after
// today, and the period is at most MaxTrendDays days.
func ParseRecOptions(q url.Values, today placematch.Date) (RecOptions, error) {
	o := RecOptions{To: today, Suppress: true, Format: FormatJSON}
	v := &placematch.ValidationError{}
	date := func(name string) (placematch.Date, bool) {
		s := q.Get(name)
		if s == "" {
			return placematch.Date{}, false
		}
		d, err := placematch.ParseDate(s)
		if err != nil {
			v.Add(name, "%s", err.Error())
			return placematch.Date{}, false
		}
		if d.After(today) {
			v.Add(name, "must not be after today (%s)", today)
			return placematch.Date{}, false
		}
		return d, true
	}
	to, toOK := date("to")
	if toOK {
		o.To = to
	}
	o.From = o.To.AddDays(-(DefaultRecDays - 1))
	if from, ok := date("from"); ok {
		o.From = from
		switch {
		case from.After(o.To):
			v.Add("from", "must not be after to (%s)", o.To)
		case from.AddDays(MaxTrendDays).Before(o.To):
			v.Add("from", "must be at most %d days before to", MaxTrendDays)
		}
	}
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

// RecReport is a recommendations report ready to be written in any format.
type RecReport struct {
	Options     RecOptions
	GeneratedAt time.Time
	*Recommendations
}

// FileName is the name a download of the report is offered under.
func (r *RecReport) FileName() string {
	return fmt.Sprintf("recommendations-%s-%s.%s", r.Options.From, r.Options.To, r.Options.Format)
}

// Notes define every figure of the report; JSON and XLSX carry them.
func (r *RecReport) Notes() []string {
	n := []string{
		"Period: match runs and allocations stored from " + r.Options.From.String() + " to " + r.Options.To.String() + " (UTC days, both included); runs older than the match-run retention period are no longer stored.",
		"Slots: each match run gives its rank 1 a first slot and its ranks 1 to 3 a top-3 slot each; each allocation's proposal gives its provider a first slot and a top-3 slot.",
		"Providers counted are those live now, and any recommended in the period since archived. The top 10% are the tenth of them (rounded up) with the most top-3 slots (then first slots, then id); top10pct_share_top1 and top10pct_share_top3 are the shares of all first and top-3 slots they hold (0 to 1).",
		"gini_top3 is the Gini coefficient of top-3 slots over the providers counted, those with none included: 0 when every provider has as many, towards 1 when a few hold them all.",
		"providers_recommended counts the providers any run listed (at any rank shown) or any allocation proposed. A provider never recommended is live and was neither; its commonest reasons are judged now, on the current records, for each group searched in the period with the search's default options: a hard rule's code, availability_stale (eligible, lowered by stale availability) or eligible_ranked_below_others.",
		"No match: each group searched in the period counts once, by its latest run; its children count in the eldest member's age band on that run's day, its size, wheelchair_user yes when any member uses one, and urgency emergency when any member's referral is. children_no_match are those whose latest run listed no provider; median_distance_miles is the median distance from home to rank 1 of the others (DfE miles), over those with a home recorded.",
		"Distance gap: for each dimension, the largest median less the smallest, over the groups whose median is shown.",
		"Declines: homes_contacted counts the homes an officer recorded contacting about a match run in the period (by the time of the contact), declines those that declined; by reason and, for each provider that declined at least once, how often it was contacted and declined, most declines first. They count homes' answers, not children, and are not suppressed.",
	}
	if r.Options.Suppress {
		n = append(n, "Counts of children of 1 to 4 are shown as c, with the percentage made from them; when one count of a dimension's column is hidden the next smallest is hidden too, so it cannot be worked back from the dimension's sum; a median over 1 to 4 children is not shown.")
	}
	return n
}

// Tables returns the report's tables in order.
func (r *RecReport) Tables() []Table {
	sum := Table{Name: "Summary", Columns: []string{"measure", "value"}}
	add := func(name string, c Cell) { sum.Rows = append(sum.Rows, []Cell{text(name), c}) }
	num := func(v float64, ok bool) Cell {
		if !ok {
			return Cell{}
		}
		return Cell{Kind: Float, F: v}
	}
	add("runs", Cell{Kind: Int, I: r.Runs})
	add("allocations", Cell{Kind: Int, I: r.Allocations})
	add("allocation_assignments", Cell{Kind: Int, I: r.Assignments})
	add("providers", Cell{Kind: Int, I: r.Providers})
	add("providers_recommended", Cell{Kind: Int, I: r.ProvidersRecommended})
	add("top10pct_providers", Cell{Kind: Int, I: r.TopK})
	add("top10pct_share_top1", num(r.Share1, r.Share1OK))
	add("top10pct_share_top3", num(r.Share3, r.Share3OK))
	add("gini_top3", num(r.Gini, r.GiniOK))
	add("groups_judged", Cell{Kind: Int, I: r.GroupsJudged})
	add("homes_contacted", Cell{Kind: Int, I: r.Contacted})
	add("declines", Cell{Kind: Int, I: r.Declined})
	return []Table{sum, r.noMatchTable(), r.gapTable(), r.neverTable(), r.declineReasonTable(), r.declinerTable()}
}

func (r *RecReport) declineReasonTable() Table {
	t := Table{Name: "Decline reasons", Columns: []string{"reason", "declines"}}
	for _, d := range r.DeclineReasons {
		t.Rows = append(t.Rows, []Cell{text(d.Reason), {Kind: Int, I: d.Declines}})
	}
	return t
}

func (r *RecReport) declinerTable() Table {
	t := Table{Name: "Declines", Columns: []string{"provider_kind", "provider_id", "provider_name", "contacted", "declined", "reasons"}}
	for _, d := range r.Decliners {
		var rs []string
		for _, c := range d.Reasons {
			rs = append(rs, fmt.Sprintf("%s (%d)", c.Reason, c.Declines))
		}
		t.Rows = append(t.Rows, []Cell{text(string(d.Provider.Kind)), text(d.Provider.ID), text(d.Provider.Name),
			{Kind: Int, I: d.Contacted}, {Kind: Int, I: d.Declined}, text(strings.Join(rs, "; "))})
	}
	return t
}

func (r *RecReport) noMatchTable() Table {
	t := Table{Name: "No match", Columns: []string{"dimension", "group", "children_searched", "children_no_match",
		"pct_no_match", "median_distance_miles"}}
	c := cells{suppress: r.Options.Suppress}
	hideC, hideN := make([]bool, len(r.NoMatch)), make([]bool, len(r.NoMatch))
	for i, row := range r.NoMatch {
		hideC[i], hideN[i] = c.small(row.Children), c.small(row.NoMatch)
	}
	if r.Options.Suppress {
		secondary(r.NoMatch, hideC, func(x NoMatchRow) int { return x.Children })
		secondary(r.NoMatch, hideN, func(x NoMatchRow) int { return x.NoMatch })
	}
	for i, row := range r.NoMatch {
		pct := 0.0
		if row.Children > 0 {
			pct = round(float64(row.NoMatch)/float64(row.Children)*100, 1)
		}
		t.Rows = append(t.Rows, []Cell{text(row.Dimension), text(row.Group), show(row.Children, hideC[i]),
			show(row.NoMatch, hideN[i]), showRate(pct, row.Children > 0, hideC[i], hideN[i]),
			showRate(row.MedianMiles, row.MedianOK)})
	}
	return t
}

// secondary hides, in each dimension with exactly one hidden count, the next
// smallest count above zero, so that the hidden one cannot be worked back from the
// dimension's sum (every dimension counts the same children).
func secondary(rows []NoMatchRow, hide []bool, val func(NoMatchRow) int) {
	for start := 0; start < len(rows); {
		end := start
		for end < len(rows) && rows[end].Dimension == rows[start].Dimension {
			end++
		}
		hidden, pick := 0, -1
		for i := start; i < end; i++ {
			if hide[i] {
				hidden++
			} else if v := val(rows[i]); v > 0 && (pick < 0 || v < val(rows[pick])) {
				pick = i
			}
		}
		if hidden == 1 && pick >= 0 {
			hide[pick] = true
		}
		start = end
	}
}

func (r *RecReport) gapTable() Table {
	t := Table{Name: "Distance gap", Columns: []string{"dimension", "gap_miles", "nearest_group", "farthest_group"}}
	for _, g := range r.Gaps {
		row := []Cell{text(g.Dimension), {}, {}, {}}
		if g.OK {
			row[1], row[2], row[3] = Cell{Kind: Float, F: g.GapMiles}, text(g.Nearest), text(g.Farthest)
		}
		t.Rows = append(t.Rows, row)
	}
	return t
}

func (r *RecReport) neverTable() Table {
	t := Table{Name: "Never recommended", Columns: []string{"provider_kind", "provider_id", "provider_name", "commonest_reasons"}}
	for _, n := range r.Never {
		var rs []string
		for _, c := range n.Reasons {
			rs = append(rs, fmt.Sprintf("%s (%d)", c.Code, c.Groups))
		}
		t.Rows = append(t.Rows, []Cell{text(string(n.Provider.Kind)), text(n.Provider.ID), text(n.Provider.Name), text(strings.Join(rs, "; "))})
	}
	return t
}

// Write writes the report in its Options.Format.
func (r *RecReport) Write(w io.Writer) error {
	switch r.Options.Format {
	case FormatCSV:
		return r.WriteCSV(w)
	case FormatXLSX:
		return writeWorkbook(w, r.Tables(), r.Notes())
	}
	return r.WriteJSON(w)
}

// WriteCSV writes every figure as one row of section, dimension, group, measure
// and value (RFC 4180, CRLF), so that one CSV table holds the whole report.
func (r *RecReport) WriteCSV(w io.Writer) error {
	cw := csv.NewWriter(w)
	cw.UseCRLF = true
	if err := cw.Write([]string{"section", "dimension", "group", "measure", "value"}); err != nil {
		return err
	}
	keys := map[string]int{"Summary": 0, "No match": 2, "Distance gap": 1, "Never recommended": 2, "Decline reasons": 1, "Declines": 2}
	for _, t := range r.Tables() {
		section := strings.ReplaceAll(strings.ToLower(t.Name), " ", "_")
		k := keys[t.Name]
		for _, row := range t.Rows {
			dim, group := "", ""
			if k >= 1 {
				dim = row[0].String()
			}
			if k >= 2 {
				group = row[1].String()
			}
			start := k
			if t.Name == "Summary" {
				if err := cw.Write([]string{section, "", "", row[0].String(), row[1].String()}); err != nil {
					return err
				}
				continue
			}
			for j := start; j < len(row); j++ {
				if err := cw.Write([]string{section, dim, group, t.Columns[j], row[j].String()}); err != nil {
					return err
				}
			}
		}
	}
	cw.Flush()
	return cw.Error()
}

// writeWorkbook writes tables as sheets and the notes as a last sheet.
func writeWorkbook(w io.Writer, tables []Table, notesText []string) error {
	f := excelize.NewFile()
	defer f.Close()
	bold, err := f.NewStyle(&excelize.Style{Font: &excelize.Font{Bold: true}})
	if err != nil {
		return err
	}
	notes := Table{Name: "Notes", Columns: []string{"note"}}
	for _, n := range notesText {
		notes.Rows = append(notes.Rows, []Cell{text(n)})
	}
	for i, t := range append(tables, notes) {
		if i == 0 {
			if err := f.SetSheetName(f.GetSheetName(0), t.Name); err != nil {
				return err
			}
		} else if _, err := f.NewSheet(t.Name); err != nil {
			return err
		}
		if err := writeSheet(f, t, bold); err != nil {
			return fmt.Errorf("reports: sheet %s: %w", t.Name, err)
		}
	}
	_, err = f.WriteTo(w)
	return err
}

// jsonRecReport is the JSON form (schema RecommendationsReport in openapi.yaml).
type jsonRecReport struct {
	Report               string      `json:"report"`
	From                 string      `json:"from"`
	To                   string      `json:"to"`
	GeneratedAt          time.Time   `json:"generated_at"`
	Suppressed           bool        `json:"suppressed"`
	Runs                 int         `json:"runs"`
	Allocations          int         `json:"allocations"`
	Assignments          int         `json:"allocation_assignments"`
	Providers            int         `json:"providers"`
	ProvidersRecommended int         `json:"providers_recommended"`
	TopK                 int         `json:"top10pct_providers"`
	Share1               *float64    `json:"top10pct_share_top1"`
	Share3               *float64    `json:"top10pct_share_top3"`
	Gini                 *float64    `json:"gini_top3"`
	GroupsJudged         int         `json:"groups_judged"`
	NoMatch              jsonRows    `json:"no_match"`
	DistanceGap          jsonRows    `json:"distance_gap"`
	NeverRecommended     []jsonNever `json:"never_recommended"`
	Declines             jsonDecl    `json:"declines"`
	Notes                []string    `json:"notes"`
}

type jsonDecl struct {
	Contacted int            `json:"homes_contacted"`
	Declined  int            `json:"declined"`
	ByReason  []jsonDecCount `json:"by_reason"`
	Providers []jsonDecliner `json:"providers"`
}

type jsonDecCount struct {
	Reason   string `json:"reason"`
	Declines int    `json:"declines"`
}

type jsonDecliner struct {
	Provider  placematch.ProviderRef `json:"provider"`
	Contacted int                    `json:"contacted"`
	Declined  int                    `json:"declined"`
	Reasons   []jsonDecCount         `json:"reasons"`
}

type jsonRows struct {
	Columns []string     `json:"columns"`
	Rows    []orderedRow `json:"rows"`
}

type jsonNever struct {
	Provider placematch.ProviderRef `json:"provider"`
	Reasons  []jsonReason           `json:"reasons"`
}

type jsonReason struct {
	Code   string `json:"code"`
	Groups int    `json:"groups"`
}

// WriteJSON writes the report as one JSON object.
func (r *RecReport) WriteJSON(w io.Writer) error {
	opt := func(v float64, ok bool) *float64 {
		if !ok {
			return nil
		}
		return &v
	}
	nm, gap := r.noMatchTable(), r.gapTable()
	out := jsonRecReport{Report: "recommendations", From: r.Options.From.String(), To: r.Options.To.String(),
		GeneratedAt: r.GeneratedAt.UTC(), Suppressed: r.Options.Suppress, Runs: r.Runs, Allocations: r.Allocations,
		Assignments: r.Assignments, Providers: r.Providers, ProvidersRecommended: r.ProvidersRecommended, TopK: r.TopK,
		Share1: opt(r.Share1, r.Share1OK), Share3: opt(r.Share3, r.Share3OK), Gini: opt(r.Gini, r.GiniOK),
		GroupsJudged: r.GroupsJudged, NoMatch: jsonRows{nm.Columns, rowsOf(nm)}, DistanceGap: jsonRows{gap.Columns, rowsOf(gap)},
		NeverRecommended: []jsonNever{}, Notes: r.Notes()}
	decl := func(ds []DeclineCount) []jsonDecCount {
		out := []jsonDecCount{}
		for _, d := range ds {
			out = append(out, jsonDecCount(d))
		}
		return out
	}
	out.Declines = jsonDecl{Contacted: r.Contacted, Declined: r.Declined, ByReason: decl(r.DeclineReasons), Providers: []jsonDecliner{}}
	for _, d := range r.Decliners {
		out.Declines.Providers = append(out.Declines.Providers,
			jsonDecliner{Provider: d.Provider, Contacted: d.Contacted, Declined: d.Declined, Reasons: decl(d.Reasons)})
	}
	for _, n := range r.Never {
		jn := jsonNever{Provider: n.Provider, Reasons: []jsonReason{}}
		for _, c := range n.Reasons {
			jn.Reasons = append(jn.Reasons, jsonReason(c))
		}
		out.NeverRecommended = append(out.NeverRecommended, jn)
	}
	return json.NewEncoder(w).Encode(out)
}
