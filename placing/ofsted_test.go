package placing_test

import (
	"encoding/csv"
	"os"
	"slices"
	"strings"
	"testing"

	"placematch"
	"placematch/matching"
	"placematch/placing"
	"placematch/store"
)

// ofstedFile is Ofsted's children's social care providers list for Norfolk and its
// neighbours (31 March 2023), kept beside the repository with the other public data;
// PLACEMATCH_OFSTED_CSV names another copy.
func ofstedFile(t *testing.T) string {
	t.Helper()
	path := os.Getenv("PLACEMATCH_OFSTED_CSV")
	if path == "" {
		path = "../../shared/data/ofsted/ofsted_csc_providers_norfolk_and_neighbours_31mar2023.csv"
	}
	if _, err := os.Stat(path); err != nil {
		t.Fatalf("the Ofsted providers CSV is needed (set PLACEMATCH_OFSTED_CSV): %v", err)
	}
	return path
}

// distinctURNs counts the URNs of the file by reading it plainly.
func distinctURNs(t *testing.T, path string) (rows, urns int) {
	t.Helper()
	f, err := os.Open(path)
	must(t, err)
	defer f.Close()
	recs, err := csv.NewReader(f).ReadAll()
	must(t, err)
	seen := map[string]bool{}
	for _, r := range recs[1:] {
		seen[r[0]] = true
	}
	return len(recs) - 1, len(seen)
}

func TestReadOfstedRatings(t *testing.T) {
	const head = "\ufeffURN,Name,Latest full inspection date,Overall experiences and progress of children and young people\n"
	in := head + strings.Join([]string{
		"SC111111,A,14/02/2023,Good",
		"SC111111,A,14/02/2021,Inadequate", // older inspection of the same URN: ignored
		"2222222,B,01/09/2022,Requires improvement to be good",
		"3333333,C,,",                 // not yet inspected
		"URN-9,D,01/01/2023,Good",     // not a URN
		"4444444,E,2023-01-01,Good",   // not Ofsted's date form
		"5555555,F,01/01/2023,Superb", // not a judgement
		"6666666,G,05/05/2022,Outstanding",
		"7777777,H,06/06/2022,inadequate",
	}, "\n") + "\n"
	got, st, err := placing.ReadOfstedRatings(strings.NewReader(in))
	must(t, err)
	want := map[string]placematch.OfstedRating{
		"SC111111": {Grade: placematch.OfstedGood, InspectedOn: placematch.MustParseDate("2023-02-14")},
		"2222222":  {Grade: placematch.OfstedRequiresImprovement, InspectedOn: placematch.MustParseDate("2022-09-01")},
		"6666666":  {Grade: placematch.OfstedOutstanding, InspectedOn: placematch.MustParseDate("2022-05-05")},
		"7777777":  {Grade: placematch.OfstedInadequate, InspectedOn: placematch.MustParseDate("2022-06-06")},
	}
	if len(got) != len(want) {
		t.Fatalf("ratings %v", got)
	}
	for urn, r := range want {
		if got[urn] != r {
			t.Errorf("%s: %+v, want %+v", urn, got[urn], r)
		}
	}
	if st.Rows != 9 || st.Invalid != 3 || st.Unrated != 1 {
		t.Errorf("counts %+v", st)
	}
	if _, _, err := placing.ReadOfstedRatings(strings.NewReader("URN,Name\nSC111111,A\n")); err == nil {
		t.Error("a file without the rating columns was read")
	}
}

// import-ofsted loads the shared file into the units and hubs that carry its URNs,
// once: a second run changes nothing and moves no version; a later inspection
// recorded by hand is kept; matching then applies the gateway.
func TestImportOfstedFromTheProvidersList(t *testing.T) {
	path := ofstedFile(t)
	rows, urns := distinctURNs(t, path)
	each(t, func(t *testing.T, db, _ *store.DB) {
		svc := service(db)
		at := placematch.Point{Lat: 52.63, Lon: 1.30}
		hub := func(ref, urn string) *placematch.Provider {
			p := &placematch.Provider{Kind: placematch.KindHub, Reference: ref, Name: "Hub " + ref, Location: at,
				AgeMin: 12, AgeMax: 17, Availability: placematch.Availability{Status: placematch.Available},
				Hub: &placematch.HubDetails{Beds: 4, EmergencyBeds: 2, OfstedURN: urn}}
			must(t, db.CreateProvider(ctx, p))
			return p
		}
		unit := func(ref, urn string, r placematch.OfstedRating) *placematch.Provider {
			p := &placematch.Provider{Kind: placematch.KindUnit, Reference: ref, Name: "Unit " + ref, Location: at,
				AgeMin: 16, AgeMax: 25, Availability: placematch.Availability{Status: placematch.Available},
				Unit: &placematch.UnitDetails{RegistrationStatus: placematch.Registered, OfstedURN: urn, Beds: 2,
					AccommodationType: "shared_house", SupportLevel: "medium", Ofsted: r}}
			must(t, db.CreateProvider(ctx, p))
			return p
		}
		good := hub("GOOD", "2652383")                         // Good, 28/11/2022
		bad := hub("BAD", "2640082")                           // Inadequate, 01/02/2023
		ri := unit("RI", "2592750", placematch.OfstedRating{}) // Requires improvement, 05/12/2022
		later := placematch.OfstedRating{Grade: placematch.OfstedOutstanding, InspectedOn: placematch.MustParseDate("2024-03-01")}
		kept := unit("KEPT", "SC034480", later) // Good 06/12/2022 in the file; a later inspection recorded here
		none := unit("NONE", "SC999999", placematch.OfstedRating{})

		st, err := svc.ImportOfsted(ctx, openFile(t, path))
		must(t, err)
		want := placing.OfstedImport{Rows: rows, Matched: 4, Unmatched: urns - 4, Updated: 3, KeptNewer: 1}
		if st != want {
			t.Fatalf("first run %+v, want %+v", st, want)
		}
		read := func(p *placematch.Provider) *placematch.Provider {
			got, err := db.GetProvider(ctx, p.Kind, p.ID)
			must(t, err)
			return got
		}
		check := func(p *placematch.Provider, version int, grade placematch.OfstedGrade, on string) {
			t.Helper()
			got := read(p)
			_, r, _ := got.OfstedOf()
			if got.Version != version || r.Grade != grade || r.InspectedOn.String() != on {
				t.Errorf("%s: version %d rating %+v, want %d %s %s", p.Reference, got.Version, r, version, grade, on)
			}
		}
		check(good, 2, placematch.OfstedGood, "2022-11-28")
		check(bad, 2, placematch.OfstedInadequate, "2023-02-01")
		check(ri, 2, placematch.OfstedRequiresImprovement, "2022-12-05")
		check(kept, 1, placematch.OfstedOutstanding, "2024-03-01")
		check(none, 1, "", "")

		st, err = svc.ImportOfsted(ctx, openFile(t, path))
		must(t, err)
		want = placing.OfstedImport{Rows: rows, Matched: 4, Unmatched: urns - 4, Unchanged: 3, KeptNewer: 1}
		if st != want {
			t.Fatalf("second run %+v, want %+v", st, want)
		}
		check(good, 2, placematch.OfstedGood, "2022-11-28")
		check(bad, 2, placematch.OfstedInadequate, "2023-02-01")
		check(ri, 2, placematch.OfstedRequiresImprovement, "2022-12-05")

		// Matching uses the ratings: the inadequate hub is excluded, the good one
		// says its rating, the unit that requires improvement is flagged.
		teen := &placematch.Child{Reference: "T1", DateOfBirth: placematch.DateOf(db.Now()).AddDays(-365*16 - 100),
			Sex: "female", Location: &at, PlacementType: placematch.PlacementShortTerm, Urgency: "planned",
			RequiredFrom: placematch.DateOf(db.Now()),
			Status:       placematch.ChildAwaiting}
		must(t, db.CreateChild(ctx, teen))
		run, err := svc.Match(ctx, placing.MatchRequest{ChildID: teen.ID, Options: optsAll()})
		must(t, err)
		byID := map[string]matching.Match{}
		for _, m := range run.Matches {
			byID[m.Provider.ID] = m
		}
		if _, in := byID[bad.ID]; in || !slices.ContainsFunc(run.Excluded, func(e matching.Exclusion) bool {
			return e.Provider.ID == bad.ID && slices.Equal(e.Reasons, []string{matching.CodeOfstedInadequate})
		}) {
			t.Errorf("inadequate hub: excluded %+v", run.Excluded)
		}
		if m, ok := byID[good.ID]; !ok || !slices.Contains(m.Reasons, "Ofsted: good (inspected 2022-11-28).") {
			t.Errorf("good hub: %+v", m)
		}
		if m, ok := byID[ri.ID]; !ok || !slices.Contains(m.Flags, matching.FlagOfstedRequiresImprovement) {
			t.Errorf("unit requiring improvement: %+v", m)
		}
		if m, ok := byID[none.ID]; !ok || !slices.Contains(m.Flags, matching.FlagOfstedNotInspected) {
			t.Errorf("unit not yet inspected: %+v", m)
		}
	})
}

func openFile(t *testing.T, path string) *os.File {
	t.Helper()
	f, err := os.Open(path)
	must(t, err)
	t.Cleanup(func() { f.Close() })
	return f
}
