package placematch

import (
	"testing"
	"time"
)

func TestComputeVacancies(t *testing.T) {
	now := time.Date(2026, 11, 23, 12, 0, 0, 0, time.UTC)
	at := func(d time.Duration) *time.Time { t := now.Add(d); return &t }
	two := 2
	cases := []struct {
		name string
		p    Provider
		want int
	}{
		{"places minus filled", Provider{Places: 4, Filled: 1, Unit: &UnitDetails{}}, 3},
		{"never negative", Provider{Places: 1, Filled: 3, Unit: &UnitDetails{}}, 0},
		{"unavailable", Provider{Places: 4, Availability: Availability{Status: Unavailable}, Unit: &UnitDetails{}}, 0},
		{"carer not approved", Provider{Places: 3, Carer: &CarerDetails{Status: CarerSuspended}}, 0},
		{"fresh feed report bounds it", Provider{Places: 4, ReportedVacancies: &two, ReportedAt: at(-24 * time.Hour), Unit: &UnitDetails{}}, 2},
		{"stale feed report does not", Provider{Places: 4, ReportedVacancies: &two, ReportedAt: at(-8 * 24 * time.Hour), Unit: &UnitDetails{}}, 4},
		{"report made after the moment asked about does not", Provider{Places: 4, ReportedVacancies: &two, ReportedAt: at(time.Hour), Unit: &UnitDetails{}}, 4},
	}
	for _, tc := range cases {
		if got := tc.p.ComputeVacancies(now); got != tc.want {
			t.Errorf("%s: %d, want %d", tc.name, got, tc.want)
		}
	}
}

func TestNormalisePostcodeAndAges(t *testing.T) {
	for in, want := range map[string]string{"nr21ab": "NR2 1AB", " NR2  1AB ": "NR2 1AB", "pe302qd": "PE30 2QD", "sw1a1aa": "SW1A 1AA"} {
		if got, ok := NormalisePostcode(in); !ok || got != want {
			t.Errorf("%q → %q %v, want %q", in, got, ok, want)
		}
	}
	for _, bad := range []string{"", "hello", "NR2", "12345", "NR2 1A!", "NR2 AAB"} {
		if got, ok := NormalisePostcode(bad); ok {
			t.Errorf("%q accepted as %q", bad, got)
		}
	}
	dob := MustParseDate("2010-02-28")
	for on, want := range map[string]int{"2026-02-27": 15, "2026-02-28": 16, "2024-02-29": 14} {
		if got := dob.YearsOn(MustParseDate(on)); got != want {
			t.Errorf("age on %s: %d, want %d", on, got, want)
		}
	}
}
