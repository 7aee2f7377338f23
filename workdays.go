package placematch

import (
	"fmt"
	"slices"
	"time"
)

// BankHolidaysSource is where BankHolidays comes from: the England and Wales list of
// gov.uk's bank holidays API. Its 2028 entries follow the published pattern (New
// Year, Good Friday, Easter Monday, the first and last Mondays of May, the last
// Monday of August, Christmas and Boxing Day, moved to the next weekday when they
// fall at a weekend) and must be checked against gov.uk when it publishes them. A
// test fails when the table ends less than a year after today: add the next year
// from the same source then.
const BankHolidaysSource = "https://www.gov.uk/bank-holidays.json (division england-and-wales)"

// BankHolidays are the England and Wales bank holidays, in date order.
var BankHolidays = mustDates(
	// 2025
	"2025-01-01", "2025-04-18", "2025-04-21", "2025-05-05", "2025-05-26", "2025-08-25", "2025-12-25", "2025-12-26",
	// 2026
	"2026-01-01", "2026-04-03", "2026-04-06", "2026-05-04", "2026-05-25", "2026-08-31", "2026-12-25", "2026-12-28",
	// 2027
	"2027-01-01", "2027-03-26", "2027-03-29", "2027-05-03", "2027-05-31", "2027-08-30", "2027-12-27", "2027-12-28",
	// 2028
	"2028-01-03", "2028-04-14", "2028-04-17", "2028-05-01", "2028-05-29", "2028-08-28", "2028-12-25", "2028-12-26",
)

func mustDates(s ...string) []Date {
	out := make([]Date, len(s))
	for i, x := range s {
		out[i] = MustParseDate(x)
	}
	return out
}

// BankHolidaysKnownUntil is the last day the table covers: 31 December of its last year.
func BankHolidaysKnownUntil() Date {
	last := BankHolidays[len(BankHolidays)-1].Time()
	return DateOf(time.Date(last.Year(), 12, 31, 0, 0, 0, 0, time.UTC))
}

// WorkingDay reports whether d is a working day in England: Monday to Friday and
// not a bank holiday.
func WorkingDay(d Date) bool {
	switch d.Time().Weekday() {
	case time.Saturday, time.Sunday:
		return false
	}
	_, holiday := slices.BinarySearchFunc(BankHolidays, d, func(a, b Date) int { return a.Time().Compare(b.Time()) })
	return !holiday
}

// EmergencyOutsideTermsDays is how long an emergency placement with an approved
// carer outside its terms of approval may last: 6 working days (Care Planning,
// Placement and Case Review (England) Regulations 2010 reg 23).
const EmergencyOutsideTermsDays = 6

// NthWorkingDay returns the n-th working day counting from start (start itself
// is the first when it is a working day), so that a placement made on a Monday
// outside the carer's terms may run until the end of the following Monday. It is an
// error when the answer lies beyond the bank-holiday table.
func NthWorkingDay(start Date, n int) (Date, error) {
	d := start
	for seen := 0; ; d = d.AddDays(1) {
		if d.After(BankHolidaysKnownUntil()) {
			return Date{}, fmt.Errorf("placematch: bank holidays are known only until %s", BankHolidaysKnownUntil())
		}
		if WorkingDay(d) {
			if seen++; seen == n {
				return d, nil
			}
		}
	}
}

// OutsideTerms reports whether placing c with p is an emergency outside the carer's
// terms of approval: an emergency placement with a carer not approved for emergency
// care.
func OutsideTerms(c *Child, p *Provider) bool {
	return c.PlacementType == PlacementEmergency && p.Carer != nil &&
		!slices.Contains(p.Carer.PlacementTypes, PlacementEmergency)
}
