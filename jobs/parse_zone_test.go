package jobs

import (
	"testing"
	"time"
)

// A date alone means the start of that day in England, in summer and in winter.
func TestFeedDatesAreLondonDays(t *testing.T) {
	for in, want := range map[string]string{
		"2026-07-01":           "2026-06-30T23:00:00Z",
		"2026-12-01":           "2026-12-01T00:00:00Z",
		"2026-07-01T09:30:00Z": "2026-07-01T09:30:00Z",
	} {
		got, err := parseAsOf(in)
		if err != nil || got.Format(time.RFC3339) != want {
			t.Errorf("%s → %v %v, want %s", in, got, err, want)
		}
	}
}

// A feed row dated before 1900 (year 1 is Go's zero time) is a bad row, not a report.
func TestFeedRowBefore1900IsRefused(t *testing.T) {
	now := time.Date(2026, 11, 23, 10, 0, 0, 0, time.UTC)
	for _, asOf := range []string{"0001-01-01", "1899-12-31T12:00:00Z"} {
		if _, problems := (rawRow{ref: "U1", vacancies: "2", asOf: asOf}).validate(now); len(problems) == 0 {
			t.Errorf("as_of %s accepted", asOf)
		}
	}
	if _, problems := (rawRow{ref: "U1", vacancies: "2", asOf: "2026-11-22"}).validate(now); len(problems) != 0 {
		t.Errorf("a good row refused: %v", problems)
	}
}
