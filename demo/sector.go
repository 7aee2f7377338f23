package demo

import "placematch"

// The demo's sectors are derived from each provider's index, as its contact is, so
// that adding them draws no random number and changes no other value of the demo.
// The mix is plausible for a county council, not Norfolk's own: about seven in ten
// of the households it fosters with are its own (in_house), the rest approved by
// independent fostering agencies, as are the households over the county border it
// uses; supported accommodation is bought from private providers and charities; the
// connected persons it approves and the New Roads hubs, children's homes the council
// runs, are its own.

func carerSector(i int, outOfCounty bool) placematch.Sector {
	if outOfCounty || i%10 >= 7 {
		return placematch.SectorAgency
	}
	return placematch.SectorInHouse
}

func unitSector(i int) placematch.Sector {
	if i%3 == 0 {
		return placematch.SectorVoluntary
	}
	return placematch.SectorPrivate
}
