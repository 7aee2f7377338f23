package placematch

import (
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"strconv"
	"strings"
	"time"
)

// Date is a calendar date with no time of day or zone ("2026-11-23"). The zero Date is
// "not set".
type Date struct{ t time.Time }

// DateLayout is the only textual form of a Date (RFC 3339 full-date).
const DateLayout = "2006-01-02"

// The plausible range of every date and instant Placematch keeps. Year 1 would be
// the zero Date ("not set") and be stored as an empty string; dates far outside a
// lifetime are typing errors, so they are refused wherever text becomes a Date.
var (
	MinDate = Date{time.Date(1900, 1, 1, 0, 0, 0, 0, time.UTC)}
	MaxDate = Date{time.Date(2100, 12, 31, 0, 0, 0, 0, time.UTC)}
)

// errDateRange is the message of a date or instant outside MinDate … MaxDate.
var errDateRange = fmt.Errorf("must be between %s and %s", MinDate, MaxDate)

// ParseDate reads "YYYY-MM-DD" between MinDate and MaxDate.
func ParseDate(s string) (Date, error) {
	t, err := time.Parse(DateLayout, s)
	if err != nil {
		return Date{}, fmt.Errorf("must be a date in the form YYYY-MM-DD")
	}
	d := Date{t}
	if d.Before(MinDate) || d.After(MaxDate) {
		return Date{}, errDateRange
	}
	return d, nil
}

// CheckInstant refuses an instant whose date (in UTC) is outside MinDate … MaxDate.
func CheckInstant(t time.Time) error {
	if d := DateOf(t.UTC()); d.Before(MinDate) || d.After(MaxDate) {
		return errDateRange
	}
	return nil
}

// MustParseDate is ParseDate for constants in code and tests; it panics on bad input.
func MustParseDate(s string) Date {
	d, err := ParseDate(s)
	if err != nil {
		panic(fmt.Sprintf("placematch: bad date %q", s))
	}
	return d
}

// DateOf returns the calendar date of t in t's own location.
func DateOf(t time.Time) Date {
	y, m, d := t.Date()
	return Date{time.Date(y, m, d, 0, 0, 0, 0, time.UTC)}
}

// IsZero reports whether the date is unset.
func (d Date) IsZero() bool { return d.t.IsZero() }

// Time returns midnight UTC of the date.
func (d Date) Time() time.Time { return d.t }

// String formats the date as YYYY-MM-DD, or "" when unset.
func (d Date) String() string {
	if d.t.IsZero() {
		return ""
	}
	return d.t.Format(DateLayout)
}

// Before reports whether d is earlier than o.
func (d Date) Before(o Date) bool { return d.t.Before(o.t) }

// After reports whether d is later than o.
func (d Date) After(o Date) bool { return d.t.After(o.t) }

// AddDays returns the date n days later (earlier when n < 0).
func (d Date) AddDays(n int) Date { return Date{d.t.AddDate(0, 0, n)} }

// YearsOn returns the age in whole years on date on of someone born on d.
func (d Date) YearsOn(on Date) int {
	years := on.t.Year() - d.t.Year()
	if !sameOrLaterMonthDay(on.t, d.t) {
		years--
	}
	return years
}

// sameOrLaterMonthDay compares month and day only, so leap years do not shift birthdays.
func sameOrLaterMonthDay(a, b time.Time) bool {
	if a.Month() != b.Month() {
		return a.Month() > b.Month()
	}
	return a.Day() >= b.Day()
}

// MarshalJSON writes "YYYY-MM-DD" or null.
func (d Date) MarshalJSON() ([]byte, error) {
	if d.IsZero() {
		return []byte("null"), nil
	}
	return json.Marshal(d.String())
}

// UnmarshalJSON reads "YYYY-MM-DD" or null.
func (d *Date) UnmarshalJSON(b []byte) error {
	if string(b) == "null" {
		*d = Date{}
		return nil
	}
	var s string
	if err := json.Unmarshal(b, &s); err != nil {
		return fmt.Errorf("must be a date in the form YYYY-MM-DD")
	}
	v, err := ParseDate(s)
	if err != nil {
		return err
	}
	*d = v
	return nil
}

// ParseNumber reads a decimal number from text (a query parameter) and refuses what
// strconv.ParseFloat would let through: NaN and ±Inf, which pass every range check
// written as "x < lo || x > hi", and numbers beyond float64 ("1e400").
func ParseNumber(s string) (float64, error) {
	f, err := strconv.ParseFloat(s, 64)
	if err != nil || math.IsNaN(f) || math.IsInf(f, 0) {
		return 0, errors.New("must be a finite number")
	}
	return f, nil
}

// Point is a WGS84 position.
type Point struct {
	Lat float64 `json:"lat"`
	Lon float64 `json:"lon"`
}

// Validate checks the ranges of latitude and longitude; field prefixes the error names.
func (p Point) Validate(field string, v *ValidationError) {
	// Written so that NaN, which compares false with everything, fails too.
	if !(p.Lat >= -90 && p.Lat <= 90) {
		v.Add(field+".lat", "must be between -90 and 90")
	}
	if !(p.Lon >= -180 && p.Lon <= 180) {
		v.Add(field+".lon", "must be between -180 and 180")
	}
}

// NormalisePostcode puts a UK postcode in its published form: upper case with one
// space before the three-character inward code ("nr21ab" → "NR2 1AB"). It returns
// false when the text cannot be a UK postcode.
func NormalisePostcode(s string) (string, bool) {
	var b strings.Builder
	for _, r := range s {
		switch {
		case r == ' ' || r == '\t':
			continue
		case r >= 'a' && r <= 'z':
			b.WriteRune(r - 'a' + 'A')
		case (r >= 'A' && r <= 'Z') || (r >= '0' && r <= '9'):
			b.WriteRune(r)
		default:
			return "", false
		}
	}
	c := b.String()
	if len(c) < 5 || len(c) > 7 {
		return "", false
	}
	out, in := c[:len(c)-3], c[len(c)-3:]
	// Inward code: digit then two letters. Outward code: starts with a letter and
	// holds at least one digit.
	if in[0] < '0' || in[0] > '9' || !isLetter(in[1]) || !isLetter(in[2]) {
		return "", false
	}
	if !isLetter(out[0]) || !strings.ContainsAny(out, "0123456789") {
		return "", false
	}
	return out + " " + in, true
}

// PostcodeSector returns the sector of a postcode: its outward code and the first
// digit of its inward code ("NR1 3" of "NR1 3QU"), some thousands of addresses,
// so that a home is not pointed at. It returns "" for what is not a postcode.
func PostcodeSector(s string) string {
	pc, ok := NormalisePostcode(s)
	if !ok {
		return ""
	}
	return pc[:len(pc)-2]
}

func isLetter(c byte) bool { return c >= 'A' && c <= 'Z' }

// Record is the bookkeeping every stored record carries.
type Record struct {
	ID         string     `json:"id"`
	CreatedAt  time.Time  `json:"created_at"`
	UpdatedAt  time.Time  `json:"updated_at"`
	Version    int        `json:"version"`
	ArchivedAt *time.Time `json:"archived_at,omitempty"`
}

// Writable says whether a change may be written over the record: not when it is
// archived (ErrConflict), nor when ifVersion, the version the change was asked of
// (0: any), is not the record's (ErrVersionMismatch).
func (r Record) Writable(ifVersion int) error {
	if r.ArchivedAt != nil {
		return Errorf(ErrConflict, "Record %s is archived", r.ID)
	}
	if ifVersion != 0 && r.Version != ifVersion {
		return Errorf(ErrVersionMismatch, "Record %s is at version %d, not %d", r.ID, r.Version, ifVersion)
	}
	return nil
}
