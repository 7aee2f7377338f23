package placematch_test

import (
	"errors"
	"slices"
	"strings"
	"testing"

	"placematch"
)

func placementOn(start string, status placematch.PlacementStatus) *placematch.Placement {
	p := &placematch.Placement{Status: status}
	p.ID = "p-1"
	if start != "" {
		p.StartDate = placematch.MustParseDate(start)
	}
	return p
}

func fields(err error) []string {
	var ve *placematch.ValidationError
	if !errors.As(err, &ve) {
		return nil
	}
	var out []string
	for _, fe := range ve.Errors {
		out = append(out, fe.Field)
	}
	return out
}

func TestPlacementApply(t *testing.T) {
	today := placematch.MustParseDate("2026-11-23")
	ended, cancelled, active := placematch.PlacementEnded, placematch.PlacementCancelled, placematch.PlacementActive
	bogus := placematch.PlacementStatus("paused")
	date := func(s string) *placematch.Date { d := placematch.MustParseDate(s); return &d }
	str := func(s string) *string { return &s }
	for _, tc := range []struct {
		name     string
		p        *placematch.Placement
		change   placematch.PlacementChange
		fields   []string // field errors, in order
		conflict bool
		endDate  string // the end date after a change that succeeds ("" for none)
	}{
		{"ending needs a reason", placementOn("2026-11-01", active), placematch.PlacementChange{Status: &ended}, []string{"end_reason"}, false, ""},
		{"an end defaults to today", placementOn("2026-11-01", active), placematch.PlacementChange{Status: &ended, EndReason: str("CARPL")}, nil, false, "2026-11-23"},
		{"an end given is kept", placementOn("2026-11-01", active),
			placematch.PlacementChange{Status: &ended, EndReason: str("CARPL"), EndDate: date("2026-11-20")}, nil, false, "2026-11-20"},
		{"an ended placement cannot end after today", placementOn("2026-11-01", active),
			placematch.PlacementChange{Status: &ended, EndReason: str("CARPL"), EndDate: date("2026-11-24")}, []string{"end_date"}, false, ""},
		{"a planned end keeps it active", placementOn("2026-11-01", active), placematch.PlacementChange{EndDate: date("2027-01-01")}, nil, false, "2027-01-01"},
		{"no end before the start", placementOn("2026-11-01", active), placematch.PlacementChange{EndDate: date("2026-10-31")}, []string{"end_date"}, false, ""},
		{"an unknown end reason", placementOn("2026-11-01", active), placematch.PlacementChange{Status: &ended, EndReason: str("NOPE")}, []string{"end_reason"}, false, ""},
		{"cancelled before its start", placementOn("2026-12-01", active), placematch.PlacementChange{Status: &cancelled}, nil, false, ""},
		{"cancelled on or after its start is a conflict", placementOn("2026-11-23", active), placematch.PlacementChange{Status: &cancelled}, nil, true, ""},
		{"an ended placement stays ended", placementOn("2026-11-01", ended), placematch.PlacementChange{Status: &active}, nil, true, ""},
		{"an unknown status is a field error, not a conflict", placementOn("2026-11-01", ended), placematch.PlacementChange{Status: &bogus}, []string{"status"}, false, ""},
		{"a known start date is fixed, and then the transition is not judged", placementOn("2026-11-01", ended),
			placematch.PlacementChange{StartDate: date("2026-11-02"), Status: &bogus}, []string{"start_date", "status"}, false, ""},
		{"an unreadable start date is repaired", placementOn("", active), placematch.PlacementChange{StartDate: date("2026-11-02")}, nil, false, ""},
		{"a reason is at most 2000 characters", placementOn("2026-11-01", active),
			placematch.PlacementChange{DecisionReason: str(strings.Repeat("é", 2001))}, []string{"decision_reason"}, false, ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			err := tc.p.Apply(tc.change, today)
			if got := errors.Is(err, placematch.ErrConflict); got != tc.conflict {
				t.Fatalf("conflict %v, want %v (err %v)", got, tc.conflict, err)
			}
			if got := fields(err); !slices.Equal(got, tc.fields) {
				t.Fatalf("field errors %v, want %v (err %v)", got, tc.fields, err)
			}
			if err != nil {
				return
			}
			if tc.change.Status != nil && tc.p.Status != *tc.change.Status {
				t.Errorf("status %s, want %s", tc.p.Status, *tc.change.Status)
			}
			if tc.change.StartDate != nil && tc.p.StartDate != *tc.change.StartDate {
				t.Errorf("start date %s, want %s", tc.p.StartDate, *tc.change.StartDate)
			}
			if got := tc.p.EndDate; (tc.endDate == "" && !got.IsZero()) || (tc.endDate != "" && got.String() != tc.endDate) {
				t.Errorf("end date %q, want %q", got, tc.endDate)
			}
		})
	}
}

// A change is written only over a live record at the version it was asked of.
func TestRecordWritable(t *testing.T) {
	archived := placematch.MustParseDate("2026-11-01").Time()
	live := placematch.Record{ID: "r-1", Version: 3}
	gone := placematch.Record{ID: "r-2", Version: 3, ArchivedAt: &archived}
	for _, tc := range []struct {
		r         placematch.Record
		ifVersion int
		want      error
	}{
		{live, 0, nil}, {live, 3, nil}, {live, 2, placematch.ErrVersionMismatch}, {live, -1, placematch.ErrVersionMismatch},
		{gone, 0, placematch.ErrConflict}, {gone, 3, placematch.ErrConflict},
	} {
		err := tc.r.Writable(tc.ifVersion)
		if (tc.want == nil) != (err == nil) || (tc.want != nil && !errors.Is(err, tc.want)) {
			t.Errorf("%+v.Writable(%d) = %v, want %v", tc.r, tc.ifVersion, err, tc.want)
		}
	}
}
