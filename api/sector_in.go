package api

import "placematch"

// sectorOut is who runs a home as the API shows it: the sector and its SSDA903
// PLACE_PROVIDER code, both absent when the sector is not recorded.
type sectorOut struct {
	Sector        placematch.Sector `json:"sector,omitempty"`
	PlaceProvider string            `json:"place_provider,omitempty"`
}

func toSectorOut(s placematch.Sector) sectorOut {
	code, _ := s.PlaceProvider()
	return sectorOut{Sector: s, PlaceProvider: code}
}

// sectorOf reads an optional sector; absent is not recorded.
func sectorOf(s *placematch.Sector) placematch.Sector {
	if s == nil {
		return ""
	}
	return *s
}

// sectorToIn writes a stored sector back as input; none recorded is absent.
func sectorToIn(s placematch.Sector) *placematch.Sector {
	if s == "" {
		return nil
	}
	return &s
}
