package placematch

import (
	"encoding/json"
	"slices"
	"testing"
	"time"
)

func TestNthWorkingDay(t *testing.T) {
	for _, tc := range []struct{ start, want string }{
		{"2026-11-23", "2026-11-30"}, // Monday: Monday to Monday
		{"2026-11-28", "2026-12-07"}, // Saturday: the count starts on Monday
		{"2026-12-24", "2027-01-05"}, // Christmas, the Boxing Day substitute and New Year skipped
		{"2027-03-25", "2027-04-05"}, // Good Friday and Easter Monday skipped
		{"2026-08-28", "2026-09-07"}, // the summer bank holiday skipped
	} {
		got, err := NthWorkingDay(MustParseDate(tc.start), EmergencyOutsideTermsDays)
		if err != nil || got != MustParseDate(tc.want) {
			t.Errorf("from %s: %s, %v; want %s", tc.start, got, err, tc.want)
		}
	}
	if _, err := NthWorkingDay(BankHolidaysKnownUntil().AddDays(-2), 6); err == nil {
		t.Error("a limit beyond the table must be an error, not a guess")
	}
}

// The table must reach a year past today: when this fails, add the next year from
// BankHolidaysSource.
func TestBankHolidaysReachAYearAhead(t *testing.T) {
	if need := DateOf(time.Now().UTC().AddDate(1, 0, 0)); BankHolidaysKnownUntil().Before(need) {
		t.Fatalf("bank holidays known until %s only; add the years to %s from %s", BankHolidaysKnownUntil(), need, BankHolidaysSource)
	}
}

// Each year has its eight England and Wales bank holidays, on weekdays, in order,
// with Good Friday and Easter Monday around Easter Sunday (Gauss's computus).
func TestBankHolidaysTable(t *testing.T) {
	if !slices.IsSortedFunc(BankHolidays, func(a, b Date) int { return a.Time().Compare(b.Time()) }) {
		t.Fatal("not in date order")
	}
	years := map[int][]Date{}
	for _, d := range BankHolidays {
		if WorkingDay(d) {
			t.Errorf("%s is listed but counted as a working day", d)
		}
		if wd := d.Time().Weekday(); wd == time.Saturday || wd == time.Sunday {
			t.Errorf("%s falls at a weekend; the substitute day belongs in the table", d)
		}
		years[d.Time().Year()] = append(years[d.Time().Year()], d)
	}
	for y, ds := range years {
		if len(ds) != 8 {
			t.Errorf("%d has %d bank holidays", y, len(ds))
			continue
		}
		easter := easterSunday(y)
		if ds[1] != easter.AddDays(-2) || ds[2] != easter.AddDays(1) {
			t.Errorf("%d: Good Friday %s and Easter Monday %s, Easter Sunday is %s", y, ds[1], ds[2], easter)
		}
	}
}

func easterSunday(y int) Date {
	a, b, c := y%19, y/100, y%100
	d, e := b/4, b%4
	f := (b + 8) / 25
	g := (b - f + 1) / 3
	h := (19*a + b - d - g + 15) % 30
	i, k := c/4, c%4
	l := (32 + 2*e + 2*i - h - k) % 7
	m := (a + 11*h + 22*l) / 451
	month, day := (h+l-7*m+114)/31, (h+l-7*m+114)%31+1
	return DateOf(time.Date(y, time.Month(month), day, 0, 0, 0, 0, time.UTC))
}

func TestConnectionJSON(t *testing.T) {
	var cs []Connection
	if err := json.Unmarshal([]byte(`["a", {"child_id": "b", "relationship": "aunt"}]`), &cs); err != nil {
		t.Fatal(err)
	}
	if want := []Connection{{ChildID: "a"}, {ChildID: "b", Relationship: "aunt"}}; !slices.Equal(cs, want) {
		t.Fatalf("%+v", cs)
	}
	for _, bad := range []string{`[1]`, `[{"child":"a"}]`, `[null]`, `[["a"]]`} {
		if err := json.Unmarshal([]byte(bad), &cs); err == nil {
			t.Errorf("%s accepted", bad)
		}
	}
}

func TestTemporaryApprovalValidate(t *testing.T) {
	on := MustParseDate("2026-01-05")
	for _, tc := range []struct {
		name  string
		t     TemporaryApproval
		field string
	}{
		{"16 weeks", TemporaryApproval{ApprovedOn: on, ExpiresOn: on.AddDays(112)}, ""},
		{"16 weeks and a day", TemporaryApproval{ApprovedOn: on, ExpiresOn: on.AddDays(113)}, "t.expires_on"},
		{"extended to 24 weeks", TemporaryApproval{ApprovedOn: on, ExpiresOn: on.AddDays(168), Extended: true}, ""},
		{"beyond 24 weeks", TemporaryApproval{ApprovedOn: on, ExpiresOn: on.AddDays(169), Extended: true}, "t.expires_on"},
		{"before approval", TemporaryApproval{ApprovedOn: on, ExpiresOn: on.AddDays(-1)}, "t.expires_on"},
		{"no approval date", TemporaryApproval{ExpiresOn: on}, "t.approved_on"},
		{"no expiry", TemporaryApproval{ApprovedOn: on}, "t.expires_on"},
	} {
		v := &ValidationError{}
		tc.t.Validate("t", v)
		got := ""
		if len(v.Errors) > 0 {
			got = v.Errors[0].Field
		}
		if got != tc.field {
			t.Errorf("%s: field %q, want %q", tc.name, got, tc.field)
		}
	}
}
