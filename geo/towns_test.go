package geo

import (
	"testing"

	"placematch"
)

func TestTownLocator(t *testing.T) {
	towns := TownLocator{Towns: []Town{
		{"Norwich", "Norwich", norwich},
		{"Dereham", "Breckland", dereham},
		{"Cromer", "North Norfolk", cromer},
	}, MaxKM: 15}
	tests := []struct {
		name string
		loc  TownLocator
		p    placematch.Point
		want string
		ok   bool
	}{
		{"at a town", towns, dereham, "Breckland", true},
		{"nearer Norwich", towns, placematch.Point{Lat: 52.64, Lon: 1.20}, "Norwich", true},
		{"beyond MaxKM", towns, placematch.Point{Lat: 52.0, Lon: 1.0}, "", false},
		{"no limit", TownLocator{Towns: towns.Towns}, placematch.Point{Lat: 52.0, Lon: 1.0}, "Norwich", true}, // 73 km; Dereham 76
		{"no towns", TownLocator{}, norwich, "", false},
	}
	for _, tt := range tests {
		got, ok := tt.loc.Locate(tt.p)
		if got != tt.want || ok != tt.ok {
			t.Errorf("%s: Locate = %q, %v; want %q, %v", tt.name, got, ok, tt.want, tt.ok)
		}
	}
	var _ Locator = towns
	var _ Locator = (*Districts)(nil)
}
