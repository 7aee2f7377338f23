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
