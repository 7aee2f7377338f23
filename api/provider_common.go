package api

import (
	"fmt"
	"time"

	"placematch"
)

// placeOut holds what every provider shows beside its own fields: where it is, what
// it said about availability, and the places derived by the store.
type placeOut struct {
	Location          placematch.Point        `json:"location"`
	Postcode          string                  `json:"postcode"`
	District          string                  `json:"district"`
	Availability      placematch.Availability `json:"availability"`
	Places            int                     `json:"places"`
	Filled            int                     `json:"filled"`
	Vacancies         int                     `json:"vacancies"`
	ReportedVacancies *int                    `json:"reported_vacancies,omitempty"`
	ReportedAt        *time.Time              `json:"reported_at,omitempty"`
}

func toPlaceOut(p *placematch.Provider) placeOut {
	return placeOut{Location: p.Location, Postcode: p.Postcode, District: p.District, Availability: p.Availability,
		Places: p.Places, Filled: p.Filled, Vacancies: p.Vacancies, ReportedVacancies: p.ReportedVacancies,
		ReportedAt: p.ReportedAt}
}

// validatePlace checks a location and/or postcode; a provider needs one of them.
func validatePlace(v *placematch.ValidationError, loc *pointIn, postcode *string, need bool) {
	loc.validate("location", v)
	if postcode != nil && *postcode != "" {
		if _, ok := placematch.NormalisePostcode(*postcode); !ok {
			v.Add("postcode", "is not a UK postcode")
		}
	}
	if need && loc == nil && (postcode == nil || *postcode == "") {
		v.Add("location", "is required unless a postcode is given")
	}
}

func optString(s string) *string {
	if s == "" {
		return nil
	}
	return &s
}

func nonNil[T any](s []T) []T {
	if s == nil {
		return []T{}
	}
	return s
}

func fieldIndex(field string, i int) string { return fmt.Sprintf("%s[%d]", field, i) }
