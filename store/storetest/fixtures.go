package storetest

import (
	"time"

	"placematch"
)

// Norwich is a point in the city centre, used as a default location.
var Norwich = placematch.Point{Lat: 52.6278, Lon: 1.2983}

// Carer returns an approved, available foster carer for ages 0–17 with three places,
// changed by the options given.
func Carer(ref string, opts ...func(*placematch.Provider)) *placematch.Provider {
	confirmed := Clock.Add(-24 * time.Hour)
	p := &placematch.Provider{
		Kind: placematch.KindCarer, Reference: ref, Name: "Household " + ref, Location: Norwich,
		AgeMin: 0, AgeMax: 17,
		Availability: placematch.Availability{Status: placematch.Available, ConfirmedAt: &confirmed,
			Source: placematch.SourceOfficer},
		Carer: &placematch.CarerDetails{Status: placematch.CarerApproved,
			PlacementTypes: []placematch.PlacementType{placematch.PlacementEmergency, placematch.PlacementShortTerm},
			MaxChildren:    3, Skills: []string{"trauma"}, Languages: []string{"english"}},
	}
	for _, o := range opts {
		o(p)
	}
	return p
}

// Unit returns a registered supported-accommodation unit for ages 16–25 with four
// beds, changed by the options given.
func Unit(ref string, opts ...func(*placematch.Provider)) *placematch.Provider {
	confirmed := Clock.Add(-24 * time.Hour)
	p := &placematch.Provider{
		Kind: placematch.KindUnit, Reference: ref, Name: "Unit " + ref, Location: Norwich, AgeMin: 16, AgeMax: 25,
		Availability: placematch.Availability{Status: placematch.Available, ConfirmedAt: &confirmed,
			Source: placematch.SourceProvider},
		Unit: &placematch.UnitDetails{ProviderName: "Provider Ltd", OfstedURN: "2000001",
			RegistrationStatus: placematch.Registered, AccommodationType: "shared_house", Beds: 4,
			SupportLevel: "medium", Features: []string{placematch.FeatureStaffed247}, WeeklyCostPence: 95000},
	}
	for _, o := range opts {
		o(p)
	}
	return p
}

// Hub returns a New Roads hub with four beds and two emergency beds.
func Hub(ref string, opts ...func(*placematch.Provider)) *placematch.Provider {
	confirmed := Clock.Add(-24 * time.Hour)
	p := &placematch.Provider{
		Kind: placematch.KindHub, Reference: ref, Name: "Hub " + ref, Location: Norwich, AgeMin: 12, AgeMax: 25,
		Availability: placematch.Availability{Status: placematch.Available, ConfirmedAt: &confirmed,
			Source: placematch.SourceOfficer},
		Hub: &placematch.HubDetails{Services: []string{"speech_and_language_therapy", "clinical_psychology"},
			OutreachRadiusKM: 25, Beds: 4, EmergencyBeds: 2},
	}
	for _, o := range opts {
		o(p)
	}
	return p
}

// Child returns a 10-year-old awaiting a short-term placement from Norwich.
func Child(ref string, opts ...func(*placematch.Child)) *placematch.Child {
	home := Norwich
	c := &placematch.Child{
		Reference: ref, DateOfBirth: placematch.DateOf(Clock).AddDays(-10*365 - 30), Sex: "female",
		Location: &home, Needs: []string{"trauma"}, Risks: []placematch.Risk{{Type: "going_missing", Level: "low"}},
		Languages: []string{"english"}, PlacementType: placematch.PlacementShortTerm, Urgency: "planned",
		RequiredFrom: placematch.DateOf(Clock), Status: placematch.ChildAwaiting,
	}
	for _, o := range opts {
		o(c)
	}
	return c
}
