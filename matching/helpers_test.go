package matching

import (
	"encoding/json"
	"fmt"
	"slices"
	"testing"
	"time"

	"placematch"
)

// Fixed clock for every test.
var (
	testToday = placematch.MustParseDate("2026-11-23")
	testNow   = time.Date(2026, 11, 23, 12, 0, 0, 0, time.UTC)
	norwich   = placematch.Point{Lat: 52.6309, Lon: 1.2974}
)

// kmPerDegLat is the length of a degree of latitude on the sphere used here, so a
// point offset by north(km) lies exactly km from its origin.
const kmPerDegLat = earthKM * 3.141592653589793 / 180

// north returns p moved km due north (negative: south).
func north(p placematch.Point, km float64) placematch.Point {
	return placematch.Point{Lat: p.Lat + km/kmPerDegLat, Lon: p.Lon}
}

// newChild is a 12-year-old boy in Norwich needing a short-term placement.
func newChild(id string, age int) *placematch.Child {
	home := norwich
	return &placematch.Child{
		Record:        placematch.Record{ID: id},
		Reference:     "REF-" + id,
		DateOfBirth:   testToday.AddDays(-365*age - age/4 - 30),
		Sex:           "male",
		Location:      &home,
		PlacementType: placematch.PlacementShortTerm,
		Urgency:       "planned",
		Status:        placematch.ChildAwaiting,
	}
}

// siblings links the children both ways, as the store does.
func siblings(cs ...*placematch.Child) []*placematch.Child {
	for _, a := range cs {
		for _, b := range cs {
			if a != b {
				a.Siblings = append(a.Siblings, b.ID)
			}
		}
	}
	return cs
}

func confirmedAgo(d time.Duration) *time.Time {
	t := testNow.Add(-d)
	return &t
}

// newCarer is an approved carer for ages 0–17, short and long term and emergency,
// one place free of two, confirmed yesterday, km north of Norwich, in Norwich.
func newCarer(id string, km float64) *placematch.Provider {
	return &placematch.Provider{
		Record: placematch.Record{ID: id}, Kind: placematch.KindCarer, Name: "Carer " + id,
		Location: north(norwich, km), District: "Norwich", AgeMin: 0, AgeMax: 17,
		Availability: placematch.Availability{Status: placematch.Available,
			ConfirmedAt: confirmedAgo(24 * time.Hour), Source: placematch.SourceCarer},
		Filled: 1,
		Carer: &placematch.CarerDetails{Status: placematch.CarerApproved, MaxChildren: 2,
			PlacementTypes: []placematch.PlacementType{placematch.PlacementShortTerm,
				placematch.PlacementLongTerm, placematch.PlacementEmergency}},
	}
}

// newUnit is a registered unit for 16–25 with two free beds.
func newUnit(id string, km float64) *placematch.Provider {
	return &placematch.Provider{
		Record: placematch.Record{ID: id}, Kind: placematch.KindUnit, Name: "Unit " + id,
		Location: north(norwich, km), District: "Norwich", AgeMin: 16, AgeMax: 25,
		Availability: placematch.Availability{Status: placematch.Available,
			ConfirmedAt: confirmedAgo(24 * time.Hour), Source: placematch.SourceProvider},
		Unit: &placematch.UnitDetails{RegistrationStatus: placematch.Registered, Beds: 2,
			AccommodationType: "shared_house", SupportLevel: "medium"},
	}
}

// newHub is a New Roads hub for 12–25 with 4 planned and 2 emergency beds, all free,
// and an outreach team reaching 20 km.
func newHub(id string, loc placematch.Point, services ...string) *placematch.Provider {
	return &placematch.Provider{
		Record: placematch.Record{ID: id}, Kind: placematch.KindHub, Name: id,
		Location: loc, District: "Norwich", AgeMin: 12, AgeMax: 25,
		Availability: placematch.Availability{Status: placematch.Available,
			ConfirmedAt: confirmedAgo(24 * time.Hour), Source: placematch.SourceProvider},
		Hub: &placematch.HubDetails{Services: services, OutreachRadiusKM: 20, Beds: 4, EmergencyBeds: 2},
	}
}

// prepare derives places and vacancies the way the store does, then prepares.
func prepare(ps ...*placematch.Provider) []Candidate {
	out := make([]Candidate, len(ps))
	for i, p := range ps {
		p.Places = p.ComputePlaces()
		p.Vacancies = p.ComputeVacancies(testNow)
		out[i] = Prepare(p)
	}
	return out
}

func request(group ...*placematch.Child) Request {
	return Request{Child: group[0], Group: group, Today: testToday, Now: testNow}
}

func rank(t testing.TB, req Request, opt Options, ps ...*placematch.Provider) Result {
	t.Helper()
	opt.IncludeExcluded = true
	return Rank(req, prepare(ps...), DefaultWeights(), opt)
}

func matchIDs(r Result) []string {
	var ids []string
	for _, m := range r.Matches {
		ids = append(ids, m.Provider.ID)
	}
	return ids
}

func exclusionOf(r Result, id string) []string {
	for _, e := range r.Excluded {
		if e.Provider.ID == id {
			return e.Reasons
		}
	}
	return nil
}

func factor(m Match, name string) Factor {
	i := slices.IndexFunc(m.Factors, func(f Factor) bool { return f.Name == name })
	if i < 0 {
		panic("no factor " + name)
	}
	return m.Factors[i]
}

// square is a GeoJSON polygon of side 2·km centred on p.
func square(p placematch.Point, km float64) json.RawMessage {
	d := km / kmPerDegLat
	w, e, s, n := p.Lon-2*d, p.Lon+2*d, p.Lat-d, p.Lat+d
	return json.RawMessage(fmt.Sprintf(`{"type":"Polygon","coordinates":[[[%[1]g,%[3]g],[%[2]g,%[3]g],[%[2]g,%[4]g],[%[1]g,%[4]g],[%[1]g,%[3]g]]]}`,
		w, e, s, n))
}

func ptr[T any](v T) *T { return &v }
