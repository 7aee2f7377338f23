package store_test

import (
	"errors"
	"slices"
	"testing"

	"placematch"
	"placematch/store"
	"placematch/store/storetest"
)

// Units and hubs stored before they declared placement types and bed ages read
// with the documented defaults; declared ones read as written.
func TestLegacyProvidersReadWithDefaults(t *testing.T) {
	eachDialect(t, func(t *testing.T, db *store.DB) {
		unit, hub := storetest.Unit("U"), storetest.Hub("H")
		must(t, db.CreateProvider(ctx, unit))
		must(t, db.CreateProvider(ctx, hub))
		// The details as an older version of the service wrote them.
		must(t, db.ExecRaw(ctx, `UPDATE providers SET details = ? WHERE id = ?`,
			`{"provider_name":"Provider Ltd","ofsted_urn":"2000001","accommodation_type":"shared_house","support_level":"medium","beds":4}`, unit.ID))
		must(t, db.ExecRaw(ctx, `UPDATE providers SET details = ? WHERE id = ?`,
			`{"services":["clinical_psychology"],"outreach_radius_km":25,"beds":4,"emergency_beds":2}`, hub.ID))
		u, err := db.GetProvider(ctx, placematch.KindUnit, unit.ID)
		must(t, err)
		if u.Unit.PlacementTypes != nil || !slices.Equal(u.OfferedTypes(), placematch.DefaultUnitPlacementTypes) {
			t.Errorf("legacy unit types %v, offered %v", u.Unit.PlacementTypes, u.OfferedTypes())
		}
		h, err := db.GetProvider(ctx, placematch.KindHub, hub.ID)
		must(t, err)
		if h.Hub.PlacementTypes != nil || !slices.Equal(h.OfferedTypes(), placematch.DefaultHubPlacementTypes) || h.Hub.BedAgeMin != 12 || h.Hub.BedAgeMax != 17 {
			t.Errorf("legacy hub %+v", h.Hub)
		}
		if h.AgeMin != 12 || h.AgeMax != 25 {
			t.Errorf("the outreach ages changed: %d–%d", h.AgeMin, h.AgeMax)
		}
		// The candidate index reads them the same way.
		changes, _, err := db.ProviderChanges(ctx, store.ChangeCursor{})
		must(t, err)
		for _, p := range changes {
			if p.Hub != nil && (p.Hub.BedAgeMax != 17 || len(p.OfferedTypes()) == 0) {
				t.Errorf("index reads hub %+v", p.Hub)
			}
		}
		// Declared values round-trip.
		declared := storetest.Hub("H2", func(p *placematch.Provider) {
			p.Hub.PlacementTypes = []placematch.PlacementType{placematch.PlacementLongTerm}
			p.Hub.BedAgeMin, p.Hub.BedAgeMax = 13, 16
		})
		must(t, db.CreateProvider(ctx, declared))
		h, err = db.GetProvider(ctx, placematch.KindHub, declared.ID)
		must(t, err)
		if !slices.Equal(h.Hub.PlacementTypes, []placematch.PlacementType{placematch.PlacementLongTerm}) || h.Hub.BedAgeMin != 13 || h.Hub.BedAgeMax != 16 {
			t.Errorf("declared hub %+v", h.Hub)
		}
	})
}

// A connected-person carer's children must exist; the approval round-trips.
func TestConnectedCarerStored(t *testing.T) {
	eachDialect(t, func(t *testing.T, db *store.DB) {
		child := storetest.Child("C")
		must(t, db.CreateChild(ctx, child))
		kin := storetest.Carer("K", func(p *placematch.Provider) {
			p.Carer.PlacementTypes = []placematch.PlacementType{placematch.PlacementConnectedPerson}
			p.Carer.ConnectedTo = []placematch.Connection{{ChildID: child.ID, Relationship: "aunt"}}
			p.Carer.TemporaryApproval = &placematch.TemporaryApproval{ApprovedOn: placematch.MustParseDate("2026-11-01"),
				ExpiresOn: placematch.MustParseDate("2027-02-20")}
		})
		must(t, db.CreateProvider(ctx, kin))
		got, err := db.GetProvider(ctx, placematch.KindCarer, kin.ID)
		must(t, err)
		if !slices.Equal(got.Carer.ConnectedTo, kin.Carer.ConnectedTo) || *got.Carer.TemporaryApproval != *kin.Carer.TemporaryApproval {
			t.Fatalf("read back %+v %+v", got.Carer.ConnectedTo, got.Carer.TemporaryApproval)
		}
		bad := storetest.Carer("K2", func(p *placematch.Provider) {
			p.Carer.PlacementTypes = []placematch.PlacementType{placematch.PlacementConnectedPerson}
			p.Carer.ConnectedTo = []placematch.Connection{{ChildID: child.ID}, {ChildID: "0190a6b2-0000-7000-8000-000000000000"}}
		})
		err = db.CreateProvider(ctx, bad)
		var ve *placematch.ValidationError
		if !errors.As(err, &ve) || len(ve.Errors) != 1 || ve.Errors[0].Field != "approval.connected_to[1]" {
			t.Fatalf("unknown child: %v", err)
		}
		_, err = db.UpdateProvider(ctx, placematch.KindCarer, kin.ID, 0, func(p *placematch.Provider) error {
			p.Carer.ConnectedTo = append(p.Carer.ConnectedTo, placematch.Connection{ChildID: child.ID})
			return nil
		})
		if !errors.As(err, &ve) || ve.Errors[0].Field != "approval.connected_to[1]" {
			t.Fatalf("child listed twice: %v", err)
		}
	})
}

// The sufficiency report counts a hub's places at its beds' ages (12–17 by default),
// not at its outreach team's 12–25: no hub place is supply for care leavers.
func TestReportProvidersGiveHubsTheirBedAges(t *testing.T) {
	eachDialect(t, func(t *testing.T, db *store.DB) {
		legacy, declared := storetest.Hub("H1"), storetest.Hub("H2", func(p *placematch.Provider) {
			p.Hub.BedAgeMin, p.Hub.BedAgeMax = 13, 16
		})
		must(t, db.CreateProvider(ctx, legacy))
		must(t, db.CreateProvider(ctx, declared))
		must(t, db.ExecRaw(ctx, `UPDATE providers SET details = ? WHERE id = ?`,
			`{"services":["clinical_psychology"],"outreach_radius_km":25,"beds":4,"emergency_beds":2}`, legacy.ID))
		ps, err := db.ReportProviders(ctx, placematch.DateOf(storetest.Clock), storetest.Clock)
		must(t, err)
		got := map[string][2]int{}
		for _, p := range ps {
			got[p.ID] = [2]int{p.AgeMin, p.AgeMax}
		}
		if got[legacy.ID] != [2]int{12, 17} || got[declared.ID] != [2]int{13, 16} {
			t.Fatalf("report ages %v", got)
		}
	})
}
