package reports

import (
	"bytes"
	"encoding/csv"
	"encoding/json"
	"io"
	"time"
	"unicode/utf8"

	"github.com/xuri/excelize/v2"
)

// Write writes the report in its Options.Format.
func (r *Report) Write(w io.Writer) error {
	switch r.Options.Format {
	case FormatCSV:
		return r.WriteCSV(w)
	case FormatXLSX:
		return r.WriteXLSX(w)
	}
	return r.WriteJSON(w)
}

// WriteCSV writes the sufficiency table as RFC 4180 CSV: UTF-8, CRLF line ends, a
// header row. CSV holds one table, so the trend and comparison are left to JSON and
// XLSX.
func (r *Report) WriteCSV(w io.Writer) error {
	t := r.Tables()[0]
	cw := csv.NewWriter(w)
	cw.UseCRLF = true
	if err := cw.Write(t.Columns); err != nil {
		return err
	}
	rec := make([]string, len(t.Columns))
	for _, row := range t.Rows {
		for i, c := range row {
			rec[i] = c.String()
		}
		if err := cw.Write(rec); err != nil {
			return err
		}
	}
	cw.Flush()
	return cw.Error()
}

// WriteXLSX writes a workbook with a sheet per table and a Notes sheet. Numbers are
// numeric cells (a suppressed count is the text "c"), the header row is bold and
// frozen, and columns are sized to their contents.
func (r *Report) WriteXLSX(w io.Writer) error {
	return writeWorkbook(w, r.Tables(), r.Notes())
}

func writeSheet(f *excelize.File, t Table, headerStyle int) error {
	sw, err := f.NewStreamWriter(t.Name)
	if err != nil {
		return err
	}
	widths := make([]int, len(t.Columns))
	header := make([]any, len(t.Columns))
	for i, c := range t.Columns {
		header[i] = excelize.Cell{StyleID: headerStyle, Value: c}
		widths[i] = utf8.RuneCountInString(c)
	}
	for _, row := range t.Rows {
		for i, c := range row {
			widths[i] = max(widths[i], utf8.RuneCountInString(c.String()))
		}
	}
	// Widths and panes must be set before the first row: the stream writer puts
	// them ahead of the data.
	for i, wd := range widths {
		if err := sw.SetColWidth(i+1, i+1, float64(min(wd, 80)+2)); err != nil {
			return err
		}
	}
	if err := sw.SetPanes(&excelize.Panes{Freeze: true, YSplit: 1, TopLeftCell: "A2", ActivePane: "bottomLeft"}); err != nil {
		return err
	}
	if err := sw.SetRow("A1", header); err != nil {
		return err
	}
	vals := make([]any, len(t.Columns))
	for n, row := range t.Rows {
		for i, c := range row {
			switch c.Kind {
			case Int:
				vals[i] = c.I
			case Float:
				vals[i] = c.F
			case Text:
				vals[i] = c.S
			default:
				vals[i] = nil
			}
		}
		cell, err := excelize.CoordinatesToCellName(1, n+2)
		if err != nil {
			return err
		}
		if err := sw.SetRow(cell, vals); err != nil {
			return err
		}
	}
	return sw.Flush()
}

// jsonReport is the JSON form (schema SufficiencyReport in openapi.yaml).
type jsonReport struct {
	Report      string          `json:"report"`
	AsOf        string          `json:"as_of"`
	GeneratedAt time.Time       `json:"generated_at"`
	GroupBy     []string        `json:"group_by"`
	Suppressed  bool            `json:"suppressed"`
	Columns     []string        `json:"columns"`
	Rows        []orderedRow    `json:"rows"`
	Trend       *jsonTable      `json:"trend,omitempty"`
	Comparison  *jsonComparison `json:"comparison,omitempty"`
	Sectors     *jsonSection    `json:"sectors,omitempty"`
	Council     *jsonSection    `json:"council,omitempty"`
	jsonSections
	Notes []string `json:"notes"`
}

type jsonTable struct {
	From    string       `json:"from"`
	To      string       `json:"to"`
	Dates   []string     `json:"dates"`
	Columns []string     `json:"columns"`
	Rows    []orderedRow `json:"rows"`
}

type jsonComparison struct {
	Source  string       `json:"source"`
	Year    int          `json:"year"`
	Columns []string     `json:"columns"`
	Rows    []orderedRow `json:"rows"`
}

// orderedRow is one table row as a JSON object whose keys keep the column order.
type orderedRow struct {
	cols  []string
	cells []Cell
}

func (o orderedRow) MarshalJSON() ([]byte, error) {
	var b bytes.Buffer
	b.WriteByte('{')
	for i, c := range o.cells {
		if c.Kind == Text && c.S == "" {
			continue // none (the TOTAL row's kind, a unit's placement type): the key is left out
		}
		if b.Len() > 1 {
			b.WriteByte(',')
		}
		k, _ := json.Marshal(o.cols[i])
		b.Write(k)
		b.WriteByte(':')
		var v any // null: a Null cell
		switch c.Kind {
		case Text:
			v = c.S
		case Int:
			v = c.I
		case Float:
			v = c.F
		}
		enc, err := json.Marshal(v)
		if err != nil {
			return nil, err
		}
		b.Write(enc)
	}
	b.WriteByte('}')
	return b.Bytes(), nil
}

func rowsOf(t Table) []orderedRow {
	out := make([]orderedRow, len(t.Rows))
	for i, r := range t.Rows {
		out[i] = orderedRow{cols: t.Columns, cells: r}
	}
	return out
}

// WriteJSON writes the report as one JSON object: the sufficiency rows (the total
// last), and the trend and comparison when present.
func (r *Report) WriteJSON(w io.Writer) error {
	tables := r.Tables()
	out := jsonReport{Report: "sufficiency", AsOf: r.Options.AsOf.String(), GeneratedAt: r.GeneratedAt.UTC(),
		GroupBy: r.Options.GroupBy(), Suppressed: r.Options.Suppress, Columns: tables[0].Columns,
		Rows: rowsOf(tables[0]), Notes: r.Notes()}
	for _, t := range tables[1:] {
		switch t.Name {
		case "Trend":
			jt := &jsonTable{From: r.Options.From.String(), To: r.Options.To.String(), Dates: []string{},
				Columns: t.Columns, Rows: rowsOf(t)}
			for _, d := range trendDates(r.Trend) {
				jt.Dates = append(jt.Dates, d.String())
			}
			out.Trend = jt
		case "Comparison":
			out.Comparison = &jsonComparison{Source: r.Comparison.Source, Year: r.Comparison.Year,
				Columns: t.Columns, Rows: rowsOf(t)}
		case "Sectors":
			out.Sectors = &jsonSection{Columns: t.Columns, Rows: rowsOf(t)}
		case "Council":
			out.Council = &jsonSection{Columns: t.Columns, Rows: rowsOf(t)}
		default:
			r.Sections.putJSON(&out.jsonSections, t)
		}
	}
	enc := json.NewEncoder(w)
	return enc.Encode(out)
}
