package demo

import (
	"testing"

	"placematch"
)

// checkSectors: every demo home has a sector a kind of home can have, read back from
// the store; the council's own carers are the larger share, and the rest come from
// agencies; units are bought from private providers and charities; hubs are the
// council's.
func checkSectors(t *testing.T, w world) {
	count := map[placematch.ProviderKind]map[placematch.Sector]int{}
	for _, p := range w.providers {
		if count[p.Kind] == nil {
			count[p.Kind] = map[placematch.Sector]int{}
		}
		count[p.Kind][p.Sector]++
	}
	carers, units, hubs := count[placematch.KindCarer], count[placematch.KindUnit], count[placematch.KindHub]
	if carers[""] != 0 || units[""] != 0 || hubs[""] != 0 {
		t.Errorf("homes without a sector: %v", count)
	}
	if carers[placematch.SectorInHouse] <= carers[placematch.SectorAgency] || carers[placematch.SectorAgency] == 0 ||
		len(carers) != 2 {
		t.Errorf("carers by sector %v", carers)
	}
	if units[placematch.SectorPrivate] == 0 || units[placematch.SectorVoluntary] == 0 || len(units) != 2 {
		t.Errorf("units by sector %v", units)
	}
	if hubs[placematch.SectorInHouse] != 2 {
		t.Errorf("hubs by sector %v", hubs)
	}
}
