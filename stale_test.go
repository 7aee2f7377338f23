package placematch

import (
	"testing"
	"time"
)

// The staleness rule: available availability confirmed before the cutoff, or
// never, is stale; at the cutoff it is not; unavailable and unconfirmed
// availability never is. StaleFrom is the instant after which it is.
func TestAvailabilityStaleBy(t *testing.T) {
	now := time.Date(2026, 3, 16, 9, 0, 0, 0, time.UTC)
	after := 14 * 24 * time.Hour
	cutoff := StaleCutoff(now, after)
	if want := time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC); !cutoff.Equal(want) {
		t.Fatalf("cutoff %v, want %v", cutoff, want)
	}
	at := func(d time.Duration) *time.Time { t := cutoff.Add(d); return &t }
	for _, tc := range []struct {
		name  string
		a     Availability
		stale bool
	}{
		{"confirmed a second before the cutoff", Availability{Status: Available, ConfirmedAt: at(-time.Second)}, true},
		{"confirmed at the cutoff", Availability{Status: Available, ConfirmedAt: at(0)}, false},
		{"confirmed after the cutoff", Availability{Status: Available, ConfirmedAt: at(time.Hour)}, false},
		{"never confirmed", Availability{Status: Available}, true},
		{"unavailable and old", Availability{Status: Unavailable, ConfirmedAt: at(-48 * time.Hour)}, false},
		{"already unconfirmed", Availability{Status: Unconfirmed, ConfirmedAt: at(-48 * time.Hour)}, false},
	} {
		if got := tc.a.StaleBy(cutoff); got != tc.stale {
			t.Errorf("%s: stale %v, want %v", tc.name, got, tc.stale)
		}
		from, ok := tc.a.StaleFrom(after)
		if ok != (tc.a.Status == Available && tc.a.ConfirmedAt != nil) {
			t.Errorf("%s: StaleFrom ok %v", tc.name, ok)
		}
		if ok {
			if tc.a.StaleBy(StaleCutoff(from, after)) || !tc.a.StaleBy(StaleCutoff(from.Add(time.Second), after)) {
				t.Errorf("%s: StaleFrom %v is not the instant after which it is stale", tc.name, from)
			}
		}
	}
}
