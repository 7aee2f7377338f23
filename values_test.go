package placematch

import (
	"encoding/json"
	"math"
	"testing"
	"time"
)

// Year 1 is the zero Date, which the store would write as an empty string; every
// date outside the plausible range is refused where text becomes a Date.
func TestParseDateRefusesImplausibleDates(t *testing.T) {
	for _, s := range []string{"0001-01-01", "1899-12-31", "2101-01-01", "9999-12-31"} {
		if d, err := ParseDate(s); err == nil {
			t.Errorf("ParseDate(%q) = %v, want an error", s, d)
		}
		var d Date
		if err := json.Unmarshal([]byte(`"`+s+`"`), &d); err == nil {
			t.Errorf("UnmarshalJSON(%q) = %v, want an error", s, d)
		}
	}
	for _, s := range []string{"1900-01-01", "2026-11-23", "2100-12-31"} {
		d, err := ParseDate(s)
		if err != nil || d.String() != s {
			t.Errorf("ParseDate(%q) = %v, %v", s, d, err)
		}
	}
}

func TestCheckInstant(t *testing.T) {
	for _, tc := range []struct {
		at time.Time
		ok bool
	}{
		{time.Time{}, false},
		{time.Date(1899, 12, 31, 23, 59, 0, 0, time.UTC), false},
		{time.Date(2101, 1, 1, 0, 0, 0, 0, time.UTC), false},
		{time.Date(1900, 1, 1, 0, 0, 0, 0, time.UTC), true},
		{time.Date(2026, 11, 23, 10, 0, 0, 0, time.UTC), true},
	} {
		if err := CheckInstant(tc.at); (err == nil) != tc.ok {
			t.Errorf("CheckInstant(%v) = %v, want ok %v", tc.at, err, tc.ok)
		}
	}
}

func TestParseNumberRefusesNonFinite(t *testing.T) {
	for _, s := range []string{"NaN", "nan", "Inf", "+Inf", "-Infinity", "1e400", "-1e999", "", "12km"} {
		if f, err := ParseNumber(s); err == nil {
			t.Errorf("ParseNumber(%q) = %v, want an error", s, f)
		}
	}
	if f, err := ParseNumber("12.5"); err != nil || f != 12.5 {
		t.Errorf("ParseNumber(12.5) = %v, %v", f, err)
	}
}

func TestPointValidateRefusesNaN(t *testing.T) {
	nan := math.NaN()
	v := &ValidationError{}
	Point{Lat: nan, Lon: nan}.Validate("location", v)
	if len(v.Errors) != 2 {
		t.Fatalf("errors %v", v.Errors)
	}
}

// A postcode's sector is its outward code and the inward code's first digit,
// however the postcode was written; what is not a postcode has none.
func TestPostcodeSector(t *testing.T) {
	for in, want := range map[string]string{
		"NR1 3QU": "NR1 3", "nr13qu": "NR1 3", "PE30 1EX": "PE30 1", "SW1A 1AA": "SW1A 1", "hello": "", "": "",
	} {
		if got := PostcodeSector(in); got != want {
			t.Errorf("PostcodeSector(%q) = %q, want %q", in, got, want)
		}
	}
}
