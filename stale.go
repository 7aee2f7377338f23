package placematch

import "time"

// The staleness rule of availability, in one place: the nightly job
// flag-stale-availability flags what it says is stale (the store's SQL says the
// same, and a store test holds the two together), and the carers' and
// providers' pages remind them from the day it would.

// StaleCutoff is the instant before which a confirmation of availability made is
// stale at now, when confirmations stay fresh for after.
func StaleCutoff(now time.Time, after time.Duration) time.Time { return now.Add(-after) }

// StaleBy reports whether the nightly job, run with cutoff, flags a as
// unconfirmed: it says the provider is available and was last confirmed before
// cutoff, or never. Unavailable and already unconfirmed availability is left as
// it is.
func (a Availability) StaleBy(cutoff time.Time) bool {
	return a.Status == Available && (a.ConfirmedAt == nil || a.ConfirmedAt.Before(cutoff))
}

// StaleFrom is when available availability confirmed at ConfirmedAt stops being
// fresh, with confirmations fresh for after: a run of the job later than that
// instant flags it (StaleBy(StaleCutoff(now, after)) holds for every now after
// it). ok is false when the job never flags it (not available) or would whenever
// it ran (never confirmed).
func (a Availability) StaleFrom(after time.Duration) (at time.Time, ok bool) {
	if a.Status != Available || a.ConfirmedAt == nil {
		return time.Time{}, false
	}
	return a.ConfirmedAt.Add(after), true
}
