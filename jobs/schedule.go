package jobs

import (
	"fmt"
	"time"

	"github.com/robfig/cron/v3"
)

// DefaultSpec runs a job nightly at 02:00 (in the scheduler's location).
const DefaultSpec = "0 2 * * *"

// SpecOff disables a job's schedule; it can still be run from the API or the CLI.
const SpecOff = "off"

// parseSpec reads a standard five-field cron spec (or a descriptor such as @daily)
// in loc. Schedules made of fields are wrapped so that clock changes are sensible.
func parseSpec(spec string, loc *time.Location) (cron.Schedule, error) {
	s, err := cron.ParseStandard(spec)
	if err != nil {
		return nil, fmt.Errorf("cron spec %q: %w", spec, err)
	}
	if ss, ok := s.(*cron.SpecSchedule); ok {
		ss.Location = loc
		return dstSafe{ss}, nil
	}
	return s, nil
}

// dstSafe makes a field schedule behave on the nights the clocks change. robfig's
// schedule is right for 02:00 in Europe/London (01:00 UTC in spring, 02:00 UTC in
// autumn), but a time inside the changed hour is wrong: in spring 01:00–01:59 does not
// exist and robfig skips the night altogether; in autumn it happens twice and robfig
// runs twice. Like Vixie cron, dstSafe runs a skipped time at the moment the clocks
// jump forward, and runs a repeated time once, at its first occurrence.
type dstSafe struct{ spec *cron.SpecSchedule }

// Next returns the next activation after t.
func (d dstSafe) Next(t time.Time) time.Time {
	n := d.spec.Next(t)
	if n.IsZero() {
		return n
	}
	// A spring-forward jump between t and n that swallowed a match runs at the jump.
	if jump, before, after, ok := nextTransition(t, n, d.spec.Location); ok && after > before {
		fixed := *d.spec
		fixed.Location = time.FixedZone("before", before)
		if m := fixed.Next(jump.Add(-time.Second)); m.Before(jump.Add(time.Duration(after-before) * time.Second)) {
			return jump
		}
	}
	// The second occurrence of a repeated wall time in autumn is skipped.
	start, _ := n.In(d.spec.Location).ZoneBounds()
	if !start.IsZero() {
		_, prevOff := start.Add(-time.Second).In(d.spec.Location).Zone()
		_, off := n.In(d.spec.Location).Zone()
		if prevOff > off && n.Sub(start) < time.Duration(prevOff-off)*time.Second {
			return d.Next(n)
		}
	}
	return n
}

// nextTransition finds a zone change in (t, n] and the offsets either side.
func nextTransition(t, n time.Time, loc *time.Location) (at time.Time, before, after int, ok bool) {
	_, end := t.In(loc).ZoneBounds()
	if end.IsZero() || end.After(n) {
		return time.Time{}, 0, 0, false
	}
	_, before = t.In(loc).Zone()
	_, after = end.In(loc).Zone()
	return end, before, after, true
}

// prevSlot returns the latest activation of s at or before now: the slot a firing
// at now stands for (robfig fires at, or a moment after, its activation), and the
// run a catch-up replaces.
func prevSlot(s cron.Schedule, now time.Time) time.Time {
	// Step back far enough to be before the previous activation of any schedule
	// whose period is at most a week, then walk forward.
	t := now.Add(-8 * 24 * time.Hour)
	var prev time.Time
	for {
		n := s.Next(t)
		if n.IsZero() || n.After(now) {
			return prev
		}
		prev, t = n, n
	}
}

// CheckSpec reports whether spec is one a Scheduler accepts ("" for the default,
// SpecOff, or a cron spec), so that the configuration can be checked before anything
// opens the database.
func CheckSpec(spec string) error {
	if spec == "" || spec == SpecOff {
		return nil
	}
	_, err := parseSpec(spec, time.UTC)
	return err
}
