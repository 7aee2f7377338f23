package reports

import "math"

// AgeBand is a band of ages in whole years, both ends included.
type AgeBand struct {
	Name     string
	Min, Max int
}

// AgeBands are the bands of the DfE's children looked after statistics (under 1 and
// 1–4 joined, since few councils can publish them apart), in display order.
var AgeBands = []AgeBand{
	{"0-4", 0, 4}, {"5-9", 5, 9}, {"10-15", 10, 15}, {"16-17", 16, 17}, {"18+", 18, math.MaxInt},
}

// AgeBandOf names the band of an age; an age below zero (a date of birth after the
// report's date) counts as 0-4.
func AgeBandOf(age int) string {
	for _, b := range AgeBands {
		if age <= b.Max {
			return b.Name
		}
	}
	return AgeBands[len(AgeBands)-1].Name
}

func bandIndex(name string) int {
	for i, b := range AgeBands {
		if b.Name == name {
			return i
		}
	}
	return -1
}
