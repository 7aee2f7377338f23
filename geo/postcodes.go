package geo

import (
	"bufio"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"

	"placematch"
)

// PostcodeRow is one located postcode read for import.
type PostcodeRow struct {
	// Postcode is in published form ("NR2 1AB"), from placematch.NormalisePostcode.
	Postcode string
	Point    placematch.Point
	// District is what the file says: the LAD code (oslaua, "E07000148") in the ONS
	// Postcode Directory, the district name in the simple layout, "" when absent.
	District string
}

// ReadStats counts what ReadPostcodes saw, so an import can report how much of a
// file it skipped. Rows excludes the header; Rows == Valid + Skipped.
type ReadStats struct {
	Rows, Valid, Skipped int
}

// onsNoLocation is the latitude the ONS Postcode Directory gives postcodes it cannot
// place (with longitude 0). It is out of range anyway; naming it documents why such
// rows are skipped rather than imported at 99.999999, 0.
const onsNoLocation = 99.999999

// postcodeColumns are the column positions of one recognised layout; -1 means absent.
type postcodeColumns struct {
	postcode, lat, lon, district int
}

// ReadPostcodes streams a postcode CSV and calls fn for each usable row. It never
// holds the file in memory: the full ONS Postcode Directory is over a gigabyte.
//
// The header decides the layout, matched case-insensitively and in any column order:
//   - ONS Postcode Directory: pcds, lat, long, and optionally oslaua (district code);
//     every other column is ignored.
//   - Simple: postcode, latitude, longitude, and optionally admin_district_name.
//
// Rows whose postcode does not normalise, whose latitude or longitude is missing,
// unparsable or out of range, or that carry the ONS no-location marker are skipped
// and counted, because real extracts contain such rows and one should not stop an
// import. A malformed CSV line, an unrecognised header or an error from fn stops
// reading and is returned along with the counts so far.
func ReadPostcodes(r io.Reader, fn func(PostcodeRow) error) (ReadStats, error) {
	var st ReadStats
	// A UTF-8 byte-order mark (left by Excel and some ONS downloads) in front of a
	// quoted header would otherwise be read as a bare quote and fail the header.
	br := bufio.NewReader(r)
	if bom, err := br.Peek(3); err == nil && string(bom) == "\ufeff" {
		_, _ = br.Discard(3)
	}
	cr := csv.NewReader(br)
	cr.FieldsPerRecord = -1 // short or long rows are judged by their columns, not rejected
	cr.ReuseRecord = true
	header, err := cr.Read()
	if errors.Is(err, io.EOF) {
		return st, errors.New("geo: postcode file is empty")
	}
	if err != nil {
		return st, fmt.Errorf("geo: postcode header: %w", err)
	}
	cols, err := detectPostcodeColumns(header)
	if err != nil {
		return st, err
	}
	for {
		rec, err := cr.Read()
		if errors.Is(err, io.EOF) {
			return st, nil
		}
		if err != nil {
			return st, fmt.Errorf("geo: postcode file: %w", err)
		}
		st.Rows++
		row, ok := parsePostcodeRow(rec, cols)
		if !ok {
			st.Skipped++
			continue
		}
		st.Valid++
		if err := fn(row); err != nil {
			return st, err
		}
	}
}

// detectPostcodeColumns finds the layout from the header row.
func detectPostcodeColumns(header []string) (postcodeColumns, error) {
	idx := map[string]int{}
	for i, h := range header {
		h = strings.ToLower(strings.TrimSpace(h))
		if _, dup := idx[h]; !dup {
			idx[h] = i
		}
	}
	col := func(name string) int {
		if i, ok := idx[name]; ok {
			return i
		}
		return -1
	}
	ons := postcodeColumns{col("pcds"), col("lat"), col("long"), col("oslaua")}
	if ons.postcode >= 0 && ons.lat >= 0 && ons.lon >= 0 {
		return ons, nil
	}
	simple := postcodeColumns{col("postcode"), col("latitude"), col("longitude"), col("admin_district_name")}
	if simple.postcode >= 0 && simple.lat >= 0 && simple.lon >= 0 {
		return simple, nil
	}
	return postcodeColumns{}, errors.New("geo: postcode header not recognised: want columns pcds, lat, long (ONS Postcode Directory) or postcode, latitude, longitude")
}

// parsePostcodeRow turns one record into a row, or reports it unusable.
func parsePostcodeRow(rec []string, c postcodeColumns) (PostcodeRow, bool) {
	field := func(i int) string {
		if i < 0 || i >= len(rec) {
			return ""
		}
		return strings.TrimSpace(rec[i])
	}
	pc, ok := placematch.NormalisePostcode(field(c.postcode))
	if !ok {
		return PostcodeRow{}, false
	}
	lat, err1 := strconv.ParseFloat(field(c.lat), 64)
	lon, err2 := strconv.ParseFloat(field(c.lon), 64)
	if err1 != nil || err2 != nil || lat == onsNoLocation ||
		!(lat >= -90 && lat <= 90) || !(lon >= -180 && lon <= 180) {
		return PostcodeRow{}, false
	}
	return PostcodeRow{
		Postcode: pc,
		Point:    placematch.Point{Lat: lat, Lon: lon},
		District: field(c.district),
	}, true
}
