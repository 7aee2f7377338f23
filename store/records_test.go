package store_test

import (
	"errors"
	"reflect"
	"slices"
	"testing"

	"placematch"
	"placematch/store"
	"placematch/store/storetest"
)

// The records behind what an officer needs (contacts, the supervising social
// worker, fee band, panel date, exemptions, Ofsted ratings) are kept as written.
func TestOfficerRecordsRoundTrip(t *testing.T) {
	eachDialect(t, func(t *testing.T, db *store.DB) {
		named := []string{}
		for _, ref := range []string{"EX-A", "EX-B"} {
			ch := storetest.Child(ref)
			must(t, db.CreateChild(ctx, ch))
			named = append(named, ch.ID)
		}
		c := storetest.Carer("REC", func(p *placematch.Provider) {
			p.Contact = placematch.Contact{Phone: "01632 960001", Email: "home@example.org"}
			p.Carer.Status, p.Carer.PanelDate = placematch.CarerInAssessment, placematch.MustParseDate("2027-01-14")
			p.Carer.MaxChildren, p.Carer.SiblingsOverLimit = 4, true
			p.Carer.Exemptions = []placematch.Exemption{{Children: []string{named[0], "0190a6b2-0000-7000-8000-0000000000ff"}, GrantedBy: "Norfolk County Council",
				GrantedOn: placematch.MustParseDate("2026-10-01"), ExpiresOn: placematch.MustParseDate("2027-10-01"),
				Conditions: "Review at each placement"}}
			p.Carer.SupervisingSocialWorker = &placematch.Person{Name: "Sam Social", Phone: "01632 960002"}
			p.Carer.FeeBand = "level_3"
		})
		// An exemption naming a child not on record is refused, and nothing stored.
		var ve *placematch.ValidationError
		if err := db.CreateProvider(ctx, c); !errors.As(err, &ve) || len(ve.Errors) != 1 ||
			ve.Errors[0].Field != "approval.exemptions[0].children[1]" {
			t.Fatalf("unknown child named: %v", err)
		}
		if page, err := db.ListProviders(ctx, store.ProviderFilter{Kind: placematch.KindCarer}); err != nil || len(page.Items) != 0 {
			t.Fatalf("stored after a refusal: %v %v", page.Items, err)
		}
		c.Carer.Exemptions[0].Children[1] = named[1]
		must(t, db.CreateProvider(ctx, c))
		got, err := db.GetProvider(ctx, placematch.KindCarer, c.ID)
		must(t, err)
		if got.Contact != c.Contact || !reflect.DeepEqual(got.Carer, c.Carer) {
			t.Errorf("carer read back\n%+v %+v\nwant\n%+v %+v", got.Contact, got.Carer, c.Contact, c.Carer)
		}
		h := &placematch.Provider{Kind: placematch.KindHub, Reference: "REC-H", Name: "Hub", Location: storetest.Norwich,
			AgeMin: 12, AgeMax: 17, Availability: placematch.Availability{Status: placematch.Available},
			Contact: placematch.Contact{Email: "hub@example.org"},
			Hub: &placematch.HubDetails{Beds: 4, OfstedURN: "SC065883",
				PlacementTypes: []placematch.PlacementType{placematch.PlacementEmergency}, BedAgeMin: 13, BedAgeMax: 17,
				Ofsted: placematch.OfstedRating{Grade: placematch.OfstedGood, InspectedOn: placematch.MustParseDate("2022-11-28")}}}
		must(t, db.CreateProvider(ctx, h))
		gh, err := db.GetProvider(ctx, placematch.KindHub, h.ID)
		must(t, err)
		if gh.Contact != h.Contact || !reflect.DeepEqual(gh.Hub, h.Hub) {
			t.Errorf("hub read back %+v %+v", gh.Contact, gh.Hub)
		}
	})
}

// A carer stored before exemptions were records holds only limit_exemption: true.
// It reads as one legacy exemption naming nobody, and stays so through an update
// that does not touch it (the yes/no is never written again).
func TestLegacyLimitExemptionReadsAsLegacy(t *testing.T) {
	eachDialect(t, func(t *testing.T, db *store.DB) {
		c := storetest.Carer("LEGACY")
		must(t, db.CreateProvider(ctx, c))
		must(t, db.ExecRaw(ctx, `UPDATE providers SET details = ? WHERE id = ?`,
			`{"placement_types":["emergency","short_term"],"max_children":5,"limit_exemption":true,"languages":["english"],"household":{"pets":false,"smoking":false,"other_children_ages":null,"wheelchair_accessible":false}}`,
			c.ID))
		want := []placematch.Exemption{{Legacy: true, Children: []string{}}}
		got, err := db.GetProvider(ctx, placematch.KindCarer, c.ID)
		must(t, err)
		if !reflect.DeepEqual(got.Carer.Exemptions, want) || got.Carer.MaxChildren != 5 {
			t.Fatalf("legacy read as %+v, max %d", got.Carer.Exemptions, got.Carer.MaxChildren)
		}
		_, err = db.UpdateProvider(ctx, placematch.KindCarer, c.ID, 0, func(p *placematch.Provider) error {
			p.Name = "Renamed"
			return nil
		})
		must(t, err)
		got, err = db.GetProvider(ctx, placematch.KindCarer, c.ID)
		must(t, err)
		if !reflect.DeepEqual(got.Carer.Exemptions, want) {
			t.Errorf("after an update: %+v", got.Carer.Exemptions)
		}
		if e := got.Carer.Exemptions[0]; e.CurrentOn(placematch.DateOf(storetest.Clock)) || e.Covers("anyone") {
			t.Errorf("a legacy exemption covers nobody: %+v", e)
		}
	})
}

// Residents carry their ids and sibling links, for the fostering limit's sibling
// exception; a change of a placed child's links reloads the provider.
func TestResidentsCarryTheirSiblingLinks(t *testing.T) {
	eachDialect(t, func(t *testing.T, db *store.DB) {
		p := storetest.Carer("SIBS", func(p *placematch.Provider) { p.Carer.MaxChildren = 3 })
		must(t, db.CreateProvider(ctx, p))
		a, b := aged("SIB-A", 9), aged("SIB-B", 7)
		must(t, db.CreateChild(ctx, a))
		b.Siblings = []string{a.ID}
		must(t, db.CreateChild(ctx, b))
		today := placematch.DateOf(storetest.Clock)
		_, err := db.Book(ctx, store.BookRequest{ChildID: a.ID, Provider: p.Ref(), StartDate: today, IncludeSiblings: true})
		must(t, err)
		all, cur, err := db.ProviderChanges(ctx, store.ChangeCursor{})
		must(t, err)
		var got *placematch.Provider
		for _, q := range all {
			if q.ID == p.ID {
				got = q
			}
		}
		if got == nil || len(got.Residents) != 2 {
			t.Fatalf("residents %+v", got)
		}
		for _, r := range got.Residents {
			other := a.ID
			if r.ChildID == a.ID {
				other = b.ID
			} else if r.ChildID != b.ID {
				t.Fatalf("resident %+v has no child id", r)
			}
			if !slices.Contains(r.Siblings, other) {
				t.Errorf("resident %s siblings %v, want %s", r.Reference, r.Siblings, other)
			}
		}
		c := aged("SIB-C", 5)
		must(t, db.CreateChild(ctx, c))
		_, cur, err = db.ProviderChanges(ctx, cur)
		must(t, err)
		_, err = db.UpdateChild(ctx, b.ID, 0, func(ch *placematch.Child) error {
			ch.Siblings = append(ch.Siblings, c.ID)
			return nil
		})
		must(t, err)
		got, _ = changedProvider(t, db, cur, p.ID)
		if i := slices.IndexFunc(got.Residents, func(r placematch.Resident) bool { return r.ChildID == b.ID }); i < 0 ||
			!slices.Contains(got.Residents[i].Siblings, c.ID) {
			t.Errorf("after a sibling link was added: %+v", got.Residents)
		}
	})
}
