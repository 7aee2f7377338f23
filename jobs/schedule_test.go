package jobs

import (
	"testing"
	"time"
)

func london(t *testing.T) *time.Location {
	t.Helper()
	loc, err := time.LoadLocation("Europe/London")
	if err != nil {
		t.Fatal(err)
	}
	return loc
}

// runsBetween lists the activations of spec in [from, to).
func runsBetween(t *testing.T, spec string, from, to time.Time) []time.Time {
	t.Helper()
	s, err := parseSpec(spec, london(t))
	if err != nil {
		t.Fatal(err)
	}
	var out []time.Time
	for n := s.Next(from.Add(-time.Second)); n.Before(to); n = s.Next(n) {
		out = append(out, n.UTC())
	}
	return out
}

func utc(s string) time.Time {
	t, err := time.Parse(time.RFC3339, s)
	if err != nil {
		panic(err)
	}
	return t
}

func TestScheduleAcrossClockChanges(t *testing.T) {
	cases := []struct {
		name, spec, from, to string
		want                 []string
	}{
		// 2026-03-29: clocks go 01:00 GMT → 02:00 BST. 02:00 BST is 01:00 UTC.
		{"spring 02:00", DefaultSpec, "2026-03-28T12:00:00Z", "2026-03-30T12:00:00Z",
			[]string{"2026-03-29T01:00:00Z", "2026-03-30T01:00:00Z"}},
		// 2026-10-25: clocks go 02:00 BST → 01:00 GMT. 02:00 GMT is 02:00 UTC.
		{"autumn 02:00", DefaultSpec, "2026-10-24T12:00:00Z", "2026-10-26T12:00:00Z",
			[]string{"2026-10-25T02:00:00Z", "2026-10-26T02:00:00Z"}},
		// 01:30 does not exist on the spring night: run once, when the clocks jump.
		{"spring 01:30", "30 1 * * *", "2026-03-28T12:00:00Z", "2026-03-30T12:00:00Z",
			[]string{"2026-03-29T01:00:00Z", "2026-03-30T00:30:00Z"}},
		// 01:30 happens twice on the autumn night: run once, at the first (BST).
		{"autumn 01:30", "30 1 * * *", "2026-10-24T12:00:00Z", "2026-10-26T12:00:00Z",
			[]string{"2026-10-25T00:30:00Z", "2026-10-26T01:30:00Z"}},
		{"ordinary night", DefaultSpec, "2026-06-01T00:00:00Z", "2026-06-03T00:00:00Z",
			[]string{"2026-06-01T01:00:00Z", "2026-06-02T01:00:00Z"}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			got := runsBetween(t, c.spec, utc(c.from), utc(c.to))
			if len(got) != len(c.want) {
				t.Fatalf("runs %v, want %v", got, c.want)
			}
			for i := range got {
				if !got[i].Equal(utc(c.want[i])) {
					t.Fatalf("run %d at %s, want %s", i, got[i], c.want[i])
				}
			}
		})
	}
}

func TestPrevSlot(t *testing.T) {
	s, err := parseSpec(DefaultSpec, london(t))
	if err != nil {
		t.Fatal(err)
	}
	for now, want := range map[string]string{
		"2026-03-29T01:00:00Z":   "2026-03-29T01:00:00Z", // the firing itself
		"2026-03-29T01:00:00.2Z": "2026-03-29T01:00:00Z",
		"2026-03-29T00:59:59Z":   "2026-03-28T02:00:00Z",
		"2026-10-25T09:00:00Z":   "2026-10-25T02:00:00Z",
	} {
		if got := prevSlot(s, utc(now)); !got.Equal(utc(want)) {
			t.Errorf("prevSlot(%s) = %s, want %s", now, got.UTC(), want)
		}
	}
	if _, err := parseSpec("61 * * * *", london(t)); err == nil {
		t.Error("bad spec accepted")
	}
}
