package placematch

import (
	"errors"
	"testing"
)

func TestReturnYearOf(t *testing.T) {
	for d, want := range map[string]string{"2024-03-31": "2023/24", "2024-04-01": "2024/25", "2025-03-31": "2024/25",
		"2025-04-01": "2025/26", "2026-01-15": "2025/26"} {
		if got := ReturnYearOf(MustParseDate(d)).String(); got != want {
			t.Errorf("%s is in %s, want %s", d, got, want)
		}
	}
}

func TestSectorPlaceProvider(t *testing.T) {
	want := map[Sector]string{SectorInHouse: "PR1", SectorOtherCouncil: "PR2", SectorAgency: "PR4",
		SectorPrivate: "PR4", SectorVoluntary: "PR5"}
	for _, s := range Sectors {
		got, ok := s.PlaceProvider()
		if !ok || got != want[s] {
			t.Errorf("%s → %q %v, want %s", s, got, ok, want[s])
		}
	}
	for _, s := range []Sector{"", "council"} {
		if got, ok := s.PlaceProvider(); ok {
			t.Errorf("%q has code %s", s, got)
		}
	}
	v := &ValidationError{}
	CheckSector(v, "sector", "")
	CheckSector(v, "sector", SectorAgency)
	if v.Err() != nil {
		t.Fatalf("empty and agency refused: %v", v)
	}
	CheckSector(v, "sector", "ifa")
	if len(v.Errors) != 1 || v.Errors[0].Field != "sector" {
		t.Fatalf("ifa: %+v", v.Errors)
	}
}

// TestPlaceCodePerYear checks the code of each kind of placement in each collection
// year whose list is known, and the refusals.
func TestPlaceCodePerYear(t *testing.T) {
	kin := &Provider{Kind: KindCarer, Carer: &CarerDetails{PlacementTypes: []PlacementType{PlacementConnectedPerson},
		ConnectedTo: []Connection{{ChildID: "c1", Relationship: "grandparent"}}}}
	carer := &Provider{Kind: KindCarer, Carer: &CarerDetails{PlacementTypes: []PlacementType{PlacementLongTerm, PlacementShortTerm}}}
	hub := &Provider{Kind: KindHub, Hub: &HubDetails{}}
	unit := func(s RegistrationStatus) *Provider {
		return &Provider{Kind: KindUnit, Unit: &UnitDetails{RegistrationStatus: s}}
	}
	long := PlacementFacts{ChildID: "c1", PlacementType: PlacementLongTerm, Age: 9}
	short := PlacementFacts{ChildID: "c1", PlacementType: PlacementShortTerm, Age: 9}
	other := PlacementFacts{ChildID: "c2", PlacementType: PlacementShortTerm, Age: 9}
	askedKin := PlacementFacts{ChildID: "c2", PlacementType: PlacementConnectedPerson, Age: 9}
	sixteen := PlacementFacts{ChildID: "c3", PlacementType: PlacementShortTerm, Age: 16}
	cases := []struct {
		name string
		pl   PlacementFacts
		p    *Provider
		y    ReturnYear
		want string // "" when no code
	}{
		{"connected person, long term", long, kin, 2025, "U1"},
		{"connected person, short term", short, kin, 2025, "U3"},
		{"not the child the approval names", other, kin, 2025, "U6"},
		{"referred for connected-person care", askedKin, carer, 2025, "U3"},
		{"other carer, long term", long, carer, 2024, "U4"},
		{"other carer, short term", short, carer, 2026, "U6"},
		{"hub", short, hub, 2024, "K2"},
		{"hub 2025/26", short, hub, 2026, "K2"},
		{"registered unit 2023/24", sixteen, unit(Registered), 2024, "H5"},
		{"registered unit 2024/25", sixteen, unit(Registered), 2025, "K3"},
		{"application accepted 2024/25", sixteen, unit(ApplicationAccepted), 2025, "K3"},
		{"unregistered unit 2024/25", sixteen, unit(NotRegistered), 2025, "H5"},
		{"registered unit 2025/26", sixteen, unit(Registered), 2026, "K3"},
		{"unregistered unit 2025/26: H5 retired", sixteen, unit(NotRegistered), 2026, ""},
		{"under 16 in a unit", short, unit(Registered), 2025, ""},
		{"18 or over: not looked after", PlacementFacts{Age: 18}, unit(Registered), 2025, ""},
		{"a year with no list", short, carer, 2027, ""},
	}
	for _, tc := range cases {
		got, err := PlaceCode(tc.pl, tc.p, tc.y)
		if tc.want == "" {
			if err == nil || !errors.Is(err, ErrInvalid) {
				t.Errorf("%s: %q, %v; want an ErrInvalid error", tc.name, got, err)
			}
			continue
		}
		if err != nil || got != tc.want {
			t.Errorf("%s (%s): %q, %v; want %s", tc.name, tc.y, got, err, tc.want)
		}
		if codes, _ := PlaceCodes(tc.y); codes[got] == "" {
			t.Errorf("%s: %s is not in the %s list", tc.name, got, tc.y)
		}
	}
	if c, _ := PlaceCodes(2024); c["K3"] != "" {
		t.Error("K3 is in the 2023/24 list")
	}
	if c, _ := PlaceCodes(2026); c["H5"] != "" {
		t.Error("H5 is in the 2025/26 list")
	}
}
