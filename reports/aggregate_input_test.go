package reports_test

import (
	"reflect"
	"testing"

	"placematch"
	"placematch/reports"
	"placematch/store"
	"placematch/store/storetest"
)

// TestAggregateLeavesInputProviders: Aggregate counts filled places and vacancies
// for itself; the caller's providers (which may be shared, as the snapshot job and
// the report share their reads) must come back exactly as they went in.
func TestAggregateLeavesInputProviders(t *testing.T) {
	c := storetest.Carer("C1", func(p *placematch.Provider) { p.ID, p.Filled, p.Vacancies = "c1", 2, 9 })
	u := storetest.Unit("U1", func(p *placematch.Provider) { p.ID, p.Places, p.Filled, p.Vacancies = "u1", 3, 0, 3 })
	providers := []*placematch.Provider{c, u}
	before := make([]placematch.Provider, len(providers))
	for i, p := range providers {
		before[i] = *p
	}
	asOf := placematch.DateOf(storetest.Clock)
	reports.Aggregate(reports.Input{AsOf: asOf, At: storetest.Clock, Providers: providers, PlacementType: true,
		Placements: []store.ReportPlacement{{ProviderID: u.ID, DateOfBirth: asOf.AddDays(-4000), PlacementType: placematch.PlacementShortTerm}}})
	for i, p := range providers {
		if !reflect.DeepEqual(*p, before[i]) {
			t.Errorf("provider %s changed:\n got %+v\nwant %+v", p.ID, *p, before[i])
		}
	}
}
