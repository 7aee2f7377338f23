package api

import (
	"fmt"
	"time"

	"placematch"
)

// placeOut holds what every provider shows beside its own fields: where it is, what
// it said about availability, and the places derived by the store.
type placeOut struct {
	Location          placematch.Point `json:"location"`
	Postcode          *string          `json:"postcode"`
	District          *string          `json:"district"`
	Availability      availabilityOut  `json:"availability"`
	Places            int              `json:"places"`
	Filled            int              `json:"filled"`
	Vacancies         int              `json:"vacancies"`
	ReportedVacancies *int             `json:"reported_vacancies,omitempty"`
	ReportedAt        *time.Time       `json:"reported_at,omitempty"`
}

func toPlaceOut(p *placematch.Provider) placeOut {
	return placeOut{Location: p.Location, Postcode: optString(p.Postcode), District: optString(p.District),
		Availability: toAvailabilityOut(p.Availability),
		Places:       p.Places, Filled: p.Filled, Vacancies: p.Vacancies, ReportedVacancies: p.ReportedVacancies,
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

// availabilityOut is a provider's availability as the API shows it: a note not
// recorded is null and a source not recorded absent, never an empty string.
type availabilityOut struct {
	Status        placematch.AvailabilityStatus `json:"status"`
	AvailableFrom placematch.Date               `json:"available_from"`
	Note          *string                       `json:"note"`
	ConfirmedAt   *time.Time                    `json:"confirmed_at"`
	Source        *string                       `json:"source,omitempty"`
}

func toAvailabilityOut(a placematch.Availability) availabilityOut {
	return availabilityOut{Status: a.Status, AvailableFrom: a.AvailableFrom, Note: optString(a.Note),
		ConfirmedAt: a.ConfirmedAt, Source: optString(a.Source)}
}

// optString is s, or nil (null in JSON) when s is empty: responses say null for
// none, never an empty string.
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
