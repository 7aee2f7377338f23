package web_test

import (
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"placematch"
	"placematch/auth"
	"placematch/placing"
	"placematch/store"
	"placematch/store/storetest"
	"placematch/web"
)

// selfService is a site whose demo sign-in offers a foster carer, whose household
// has a child placed (booked through the use case), and a provider of two units,
// beside the officer and the commissioner; with another household and another
// unit that are neither's.
type selfService struct {
	*site
	Carer, OtherCarer *placematch.Provider
	Units             []*placematch.Provider
	OtherUnit         *placematch.Provider
	Placed            *placematch.Child
}

func newSelfService(t testing.TB, d string) *selfService {
	t.Helper()
	s := newSite(t, d)
	out := &selfService{site: s}
	child, _ := s.rankedChild(t)
	run, err := s.Uses.Match(ctx, matchAll(child.ID))
	must(t, err)
	var home placematch.ProviderRef
	for _, m := range run.Matches {
		if m.Provider.Kind == placematch.KindCarer {
			home = m.Provider
			break
		}
	}
	if home.ID == "" {
		t.Fatal("no foster household ranked for the child")
	}
	_, err = s.Uses.Book(ctx, store.BookRequest{ChildID: child.ID, Provider: home, StartDate: placematch.DateOf(s.Clock.Now()),
		MatchID: run.MatchID, MatchRank: 1, DecisionReason: "A foster household for the test"})
	must(t, err)
	out.Placed = child
	out.Carer, err = s.DB.GetProvider(ctx, placematch.KindCarer, home.ID)
	must(t, err)
	carers, err := s.DB.ListProviders(ctx, store.ProviderFilter{Kind: placematch.KindCarer, Limit: 2})
	must(t, err)
	for _, c := range carers.Items {
		if c.ID != home.ID {
			out.OtherCarer = c
			break
		}
	}
	units, err := s.DB.ListProviders(ctx, store.ProviderFilter{Kind: placematch.KindUnit, Limit: 3})
	must(t, err)
	if len(units.Items) < 3 {
		t.Fatal("the demo has fewer than three units")
	}
	out.Units, out.OtherUnit = units.Items[:2], units.Items[2]
	s.Pages.Demo = append(append([]web.DemoPerson(nil), demoPeople...),
		web.DemoPerson{Key: "carer", Label: "Jo Carer", Hint: "A foster carer.",
			Principal: auth.Principal{Subject: "demo-carer", Role: auth.Carer, CarerID: out.Carer.ID}},
		web.DemoPerson{Key: "provider", Label: "Lee Provider", Hint: "Runs two units.",
			Principal: auth.Principal{Subject: "demo-provider", Role: auth.Provider, UnitIDs: []string{out.Units[0].ID, out.Units[1].ID}}})
	return out
}

func (s *selfService) provider(t testing.TB, p *placematch.Provider) *placematch.Provider {
	t.Helper()
	got, err := s.DB.GetProvider(ctx, p.Kind, p.ID)
	must(t, err)
	return got
}

// Through the pages, each sees its own and nothing else: signed in, a carer lands
// on its own household (with the child placed there by case reference, and
// nothing else of the child) and a provider on its units; a carer asking for
// another household, a unit or the units list, and a provider for another unit
// or a household, are shown the not-found page (or, for the list, refused), and
// their forms sent there change nothing; a commissioner and an officer are
// refused these pages, and a commissioner, a carer and a provider a child's page.
func TestAvailabilityPagesKeepToTheirOwn(t *testing.T) {
	for _, d := range storetest.Dialects() {
		t.Run(d, func(t *testing.T) {
			s := newSelfService(t, d)
			carer := s.client(t)
			res := s.post(t, carer, "/sign-in/demo", url.Values{"person": {"carer"}}, nil)
			if loc := res.Header.Get("Location"); loc != "/carers/"+s.Carer.ID {
				t.Fatalf("a carer signed in is sent to %q", loc)
			}
			own := s.get(t, carer, "/carers/"+s.Carer.ID)
			if own.StatusCode != http.StatusOK || !strings.Contains(own.Body, s.Placed.Reference) {
				t.Fatalf("own household: %d, child's reference shown: %v", own.StatusCode, strings.Contains(own.Body, s.Placed.Reference))
			}
			for _, secret := range []string{s.Placed.ID, formatDay(s.Placed.DateOfBirth), s.Placed.Postcode} {
				if secret != "" && strings.Contains(own.Body, secret) {
					t.Errorf("the carer's page shows %q of the child", secret)
				}
			}
			for path, want := range map[string]int{
				"/carers/" + s.OtherCarer.ID:                    http.StatusNotFound,
				"/carers/" + s.OtherCarer.ID + "/not-available": http.StatusNotFound,
				"/units/" + s.Units[0].ID:                       http.StatusNotFound,
				"/units":                                        http.StatusForbidden,
				"/children/" + s.Placed.ID:                      http.StatusForbidden,
			} {
				if p := s.get(t, carer, path); p.StatusCode != want {
					t.Errorf("carer GET %s: %d, want %d", path, p.StatusCode, want)
				} else if want == http.StatusNotFound && !strings.Contains(p.Body, "Page not found") {
					t.Errorf("carer GET %s: not the not-found page", path)
				}
			}
			before := s.provider(t, s.OtherCarer)
			if p := s.post(t, carer, "/carers/"+s.OtherCarer.ID+"/still-available", url.Values{"version": {fmt.Sprint(before.Version)}}, nil); p.StatusCode != http.StatusNotFound {
				t.Errorf("carer POST to another household: %d", p.StatusCode)
			}
			if after := s.provider(t, s.OtherCarer); after.Version != before.Version {
				t.Errorf("another household changed: version %d to %d", before.Version, after.Version)
			}

			prov := s.client(t)
			res = s.post(t, prov, "/sign-in/demo", url.Values{"person": {"provider"}}, nil)
			if loc := res.Header.Get("Location"); loc != "/units" {
				t.Fatalf("a provider signed in is sent to %q", loc)
			}
			list := s.get(t, prov, "/units")
			if list.StatusCode != http.StatusOK || !strings.Contains(list.Body, s.Units[0].Name) || !strings.Contains(list.Body, s.Units[1].Name) ||
				strings.Contains(list.Body, s.OtherUnit.Name) {
				t.Fatalf("the provider's units: %d", list.StatusCode)
			}
			for path, want := range map[string]int{
				"/units/" + s.Units[1].ID:                     http.StatusOK,
				"/units/" + s.OtherUnit.ID:                    http.StatusNotFound,
				"/units/" + s.OtherUnit.ID + "/not-available": http.StatusNotFound,
				"/carers/" + s.Carer.ID:                       http.StatusNotFound,
				"/children/" + s.Placed.ID:                    http.StatusForbidden,
			} {
				if p := s.get(t, prov, path); p.StatusCode != want {
					t.Errorf("provider GET %s: %d, want %d", path, p.StatusCode, want)
				}
			}
			before = s.provider(t, s.OtherUnit)
			if p := s.post(t, prov, "/units/"+s.OtherUnit.ID+"/not-available", url.Values{"version": {fmt.Sprint(before.Version)},
				"until-day": {"1"}, "until-month": {"1"}, "until-year": {"2030"}}, nil); p.StatusCode != http.StatusNotFound {
				t.Errorf("provider POST to another unit: %d", p.StatusCode)
			}
			if after := s.provider(t, s.OtherUnit); after.Version != before.Version {
				t.Errorf("another unit changed: version %d to %d", before.Version, after.Version)
			}

			for _, role := range []string{"commissioner", "officer"} {
				c := s.client(t)
				s.signIn(t, c, role)
				for _, path := range []string{"/carers/" + s.Carer.ID, "/units/" + s.Units[0].ID, "/units"} {
					if p := s.get(t, c, path); p.StatusCode != http.StatusForbidden {
						t.Errorf("%s GET %s: %d", role, path, p.StatusCode)
					}
				}
				if role == "commissioner" {
					if p := s.get(t, c, "/children/"+s.Placed.ID); p.StatusCode != http.StatusForbidden || strings.Contains(p.Body, s.Placed.Reference) {
						t.Errorf("commissioner GET a child: %d", p.StatusCode)
					}
				}
			}
			anon := s.client(t)
			if p := s.get(t, anon, "/carers/"+s.Carer.ID); p.StatusCode != http.StatusSeeOther || p.Header.Get("Location") != "/sign-in" {
				t.Errorf("not signed in: %d to %q", p.StatusCode, p.Header.Get("Location"))
			}
		})
	}
}

func formatDay(d placematch.Date) string {
	if d.IsZero() {
		return ""
	}
	return d.Time().Format("2 January 2006")
}

// "Still available" confirms today through the use case: the form cites the
// version it was made from, and a change made meanwhile (here the placement
// team's, written between load and submit) is a 409 that names the conflict,
// shows the availability as it is now and overwrites nothing; sending the page
// shown again confirms it. A form without a version changes nothing.
func TestStillAvailableChangedMeanwhileIsAConflict(t *testing.T) {
	for _, d := range storetest.Dialects() {
		t.Run(d, func(t *testing.T) {
			s := newSelfService(t, d)
			c := s.client(t)
			s.signIn(t, c, "carer")
			path := "/carers/" + s.Carer.ID
			m := versionField.FindStringSubmatch(s.get(t, c, path).Body)
			if m == nil {
				t.Fatal("the page carries no version")
			}
			_, err := s.Uses.SetAvailability(ctx, placematch.KindCarer, s.Carer.ID, 0, placing.AvailabilityUpdate{
				Status: placematch.Unavailable, Note: "On hold while the review is held", Source: placematch.SourceOfficer})
			must(t, err)
			p := s.post(t, c, path+"/still-available", url.Values{"version": {m[1]}}, nil)
			if p.StatusCode != http.StatusConflict || !strings.Contains(p.Body, "was changed after you opened this page") ||
				!strings.Contains(p.Body, "On hold while the review is held") || !strings.Contains(p.Body, `href="#availability"`) {
				t.Fatalf("a stale confirmation: %d", p.StatusCode)
			}
			if got := s.provider(t, s.Carer); got.Availability.Status != placematch.Unavailable || got.Availability.Source != placematch.SourceOfficer {
				t.Fatalf("the stale form overwrote the team's change: %+v", got.Availability)
			}
			if p := s.post(t, c, path+"/still-available", nil, nil); p.StatusCode != http.StatusBadRequest {
				t.Fatalf("a form without a version: %d", p.StatusCode)
			}
			again := versionField.FindStringSubmatch(p.Body)
			if again == nil || again[1] == m[1] {
				t.Fatalf("the conflict page carries version %v, was %s", again, m[1])
			}
			s.Clock.Add(10 * time.Minute)
			if p := s.post(t, c, path+"/still-available", url.Values{"version": {again[1]}}, nil); p.StatusCode != http.StatusSeeOther ||
				p.Header.Get("Location") != path+"?confirmed=1" {
				t.Fatalf("sent again: %d to %q", p.StatusCode, p.Header.Get("Location"))
			}
			got := s.provider(t, s.Carer)
			if a := got.Availability; a.Status != placematch.Available || a.Source != placematch.SourceCarer || a.Note != "" ||
				a.ConfirmedAt == nil || !a.ConfirmedAt.Equal(s.Clock.Now()) || !a.AvailableFrom.IsZero() {
				t.Fatalf("after confirming: %+v", a)
			}
			if p := s.get(t, c, path+"?confirmed=1"); !strings.Contains(p.Body, "confirmed as able to take a child today") {
				t.Fatal("no confirmation shown")
			}
		})
	}
}

// "Not available until" refuses bad input with the error summary linked to the
// field at fault, keeps what was typed, and changes nothing: no date, a date
// missing its month, an impossible date, yesterday, today, a year past the dates
// kept, and a note over 1000 characters (with a bad date too, both errors at
// once). A good date and note are saved as unavailable until that day, said by
// the carer, confirmed now.
func TestNotAvailableUntilRefusesBadInput(t *testing.T) {
	for _, d := range storetest.Dialects() {
		t.Run(d, func(t *testing.T) {
			s := newSelfService(t, d)
			c := s.client(t)
			s.signIn(t, c, "carer")
			path := "/carers/" + s.Carer.ID + "/not-available"
			if p := s.get(t, c, path); p.StatusCode != http.StatusOK {
				t.Fatalf("the form: %d", p.StatusCode)
			}
			today := placematch.DateOf(s.Clock.Now())
			parts := func(d placematch.Date) (string, string, string) {
				return fmt.Sprint(d.Time().Day()), fmt.Sprint(int(d.Time().Month())), fmt.Sprint(d.Time().Year())
			}
			yd, ym, yy := parts(today.AddDays(-1))
			td, tm, ty := parts(today)
			long := strings.Repeat("a", 1001)
			version := fmt.Sprint(s.provider(t, s.Carer).Version)
			for _, tc := range []struct {
				name             string
				day, month, year string
				note             string
				want             map[string]string // link → message
			}{
				{"no date", "", "", "", "", map[string]string{"until-day": "Enter the date you can take a child again"}},
				{"no month", "4", "", "2027", "", map[string]string{"until-month": "The date must include a month"}},
				{"impossible", "31", "2", "2027", "", map[string]string{"until-day": "The date must be a real date"}},
				{"letters", "1", "June", "2027", "", map[string]string{"until-day": "The date must be a real date"}},
				{"yesterday", yd, ym, yy, "", map[string]string{"until-day": "The date must be in the future"}},
				{"today", td, tm, ty, "", map[string]string{"until-day": "The date must be in the future"}},
				{"too late", "1", "1", "2101", "", map[string]string{"until-year": "The date must be before 1 January 2101"}},
				{"past and too long", yd, ym, yy, long, map[string]string{"until-day": "The date must be in the future",
					"note": "Note must be at most 1000 characters"}},
				{"too long", "4", "1", "2027", long, map[string]string{"note": "Note must be at most 1000 characters"}},
			} {
				p := s.post(t, c, path, url.Values{"version": {version}, "until-day": {tc.day}, "until-month": {tc.month},
					"until-year": {tc.year}, "note": {tc.note}}, nil)
				if p.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(p.Body, "govuk-error-summary") {
					t.Errorf("%s: %d", tc.name, p.StatusCode)
					continue
				}
				for id, msg := range tc.want {
					if !strings.Contains(p.Body, `<a href="#`+id+`">`+msg) {
						t.Errorf("%s: no summary link to #%s saying %q", tc.name, id, msg)
					}
				}
				if tc.day != "" && !strings.Contains(p.Body, `id="until-day" name="until-day" type="text" inputmode="numeric" value="`+tc.day+`"`) {
					t.Errorf("%s: the day typed is not kept", tc.name)
				}
			}
			if got := s.provider(t, s.Carer); fmt.Sprint(got.Version) != version || got.Availability.Status != placematch.Available {
				t.Fatalf("refused forms changed the household: %+v", got)
			}
			until := today.AddDays(40)
			dd, dm, dy := parts(until)
			p := s.post(t, c, path, url.Values{"version": {version}, "until-day": {dd}, "until-month": {dm}, "until-year": {dy},
				"note": {"Away on holiday"}}, nil)
			if p.StatusCode != http.StatusSeeOther || p.Header.Get("Location") != "/carers/"+s.Carer.ID+"?updated=1" {
				t.Fatalf("a good date: %d to %q", p.StatusCode, p.Header.Get("Location"))
			}
			a := s.provider(t, s.Carer).Availability
			if a.Status != placematch.Unavailable || a.AvailableFrom != until || a.Note != "Away on holiday" || a.Source != placematch.SourceCarer ||
				a.ConfirmedAt == nil || !a.ConfirmedAt.Equal(s.Clock.Now()) {
				t.Fatalf("saved: %+v", a)
			}
			if p := s.get(t, c, "/carers/"+s.Carer.ID+"?updated=1"); !strings.Contains(p.Body, "Saved: not available until "+formatDay(until)) {
				t.Fatal("the household page does not say what was saved")
			}
		})
	}
}

// The reminder shows from the day the nightly job would flag the availability,
// by the job's own rule and setting: confirmed at noon, fresh for 14 days, it is
// absent at 23:00 the day before, shown at 01:00 on the day (before the job would
// flag it), and still shown, as not confirmed, once the job has flagged it after
// noon. Confirming takes it away.
func TestStalenessReminderFromTheDayTheJobWouldFlag(t *testing.T) {
	for _, d := range storetest.Dialects() {
		t.Run(d, func(t *testing.T) {
			s := newSelfService(t, d)
			after := 14 * 24 * time.Hour
			s.Uses.StaleAfter = after
			confirmed := time.Date(2026, 11, 23, 12, 0, 0, 0, time.UTC)
			s.Clock.Add(confirmed.Sub(s.Clock.Now()))
			_, err := s.Uses.SetAvailability(ctx, placematch.KindCarer, s.Carer.ID, 0, placing.AvailabilityUpdate{
				Status: placematch.Available, Source: placematch.SourceCarer})
			must(t, err)
			path := "/carers/" + s.Carer.ID
			var c *http.Client
			at := func(when time.Time) page { // days pass: the carer signs in again
				s.Clock.Add(when.Sub(s.Clock.Now()))
				c = s.client(t)
				s.signIn(t, c, "carer")
				return s.get(t, c, path)
			}
			flagged := func() bool { // the nightly job's run, by its rule and setting
				_, err := s.DB.FlagStaleAvailability(ctx, placematch.StaleCutoff(s.Clock.Now(), after))
				must(t, err)
				return s.provider(t, s.Carer).Availability.Status == placematch.Unconfirmed
			}
			if p := at(time.Date(2026, 12, 6, 23, 0, 0, 0, time.UTC)); strings.Contains(p.Body, "data-reminder") || flagged() {
				t.Fatal("a reminder the day before")
			}
			p := at(time.Date(2026, 12, 7, 1, 0, 0, 0, time.UTC))
			if !strings.Contains(p.Body, "data-reminder") || !strings.Contains(p.Body, "from 7 December 2026 the placement team sees it as not confirmed") {
				t.Fatal("no reminder on the day the job would flag it")
			}
			if flagged() {
				t.Fatal("the job flagged it before noon")
			}
			at(time.Date(2026, 12, 7, 13, 0, 0, 0, time.UTC))
			if !flagged() {
				t.Fatal("the job did not flag it after noon")
			}
			p = s.get(t, c, path)
			if !strings.Contains(p.Body, "data-reminder") || !strings.Contains(p.Body, "now sees it as not confirmed") {
				t.Fatal("no reminder once flagged")
			}
			m := versionField.FindStringSubmatch(p.Body)
			must(t, s.post(t, c, path+"/still-available", url.Values{"version": {m[1]}}, nil).err())
			if p := s.get(t, c, path); strings.Contains(p.Body, "data-reminder") {
				t.Fatal("the reminder stays after confirming")
			}
		})
	}
}

// err says what went wrong when a form was not taken (a redirect is taken).
func (p page) err() error {
	if p.StatusCode != http.StatusSeeOther {
		return fmt.Errorf("status %d", p.StatusCode)
	}
	return nil
}

// A carer signed in through the council's identity provider, with the ID token's
// carer_id claim, lands on that household and only that one; a provider with
// unit_ids sees those units.
func TestOIDCSignsCarersAndProvidersIntoTheirOwn(t *testing.T) {
	for _, d := range storetest.Dialects() {
		t.Run(d, func(t *testing.T) {
			s, idp := oidcSite(t, d)
			carers, err := s.DB.ListProviders(ctx, store.ProviderFilter{Kind: placematch.KindCarer, Limit: 2})
			must(t, err)
			units, err := s.DB.ListProviders(ctx, store.ProviderFilter{Kind: placematch.KindUnit, Limit: 2})
			must(t, err)
			own, other := carers.Items[0], carers.Items[1]

			idp.mu.Lock()
			idp.claims = map[string]any{"role": "carer", "name": "Jo Carer", "carer_id": own.ID}
			idp.mu.Unlock()
			c := s.client(t)
			if p := s.callback(t, c, s.startOIDC(t, c)); p.StatusCode != http.StatusSeeOther || p.Header.Get("Location") != "/carers/"+own.ID {
				t.Fatalf("a carer's callback: %d to %q", p.StatusCode, p.Header.Get("Location"))
			}
			if p := s.get(t, c, "/carers/"+own.ID); p.StatusCode != http.StatusOK || !strings.Contains(p.Body, "Signed in as Jo Carer") {
				t.Fatalf("the carer's household: %d", p.StatusCode)
			}
			if p := s.get(t, c, "/carers/"+other.ID); p.StatusCode != http.StatusNotFound {
				t.Fatalf("another household: %d", p.StatusCode)
			}

			idp.mu.Lock()
			idp.claims = map[string]any{"role": "provider", "name": "Lee Provider", "unit_ids": []string{units.Items[0].ID}}
			idp.mu.Unlock()
			c = s.client(t)
			if p := s.callback(t, c, s.startOIDC(t, c)); p.StatusCode != http.StatusSeeOther || p.Header.Get("Location") != "/units" {
				t.Fatalf("a provider's callback: %d to %q", p.StatusCode, p.Header.Get("Location"))
			}
			list := s.get(t, c, "/units")
			if list.StatusCode != http.StatusOK || !strings.Contains(list.Body, units.Items[0].Name) || strings.Contains(list.Body, units.Items[1].Name) {
				t.Fatalf("the provider's units: %d", list.StatusCode)
			}
		})
	}
}

// "Not available until" cites the version too: a unit's feed or the placement
// team changing it between load and submit is a 409 that keeps what the provider
// typed, shows the unit as it is now and carries its new version, and saves
// nothing; sending that page again saves it.
func TestNotAvailableChangedMeanwhileIsAConflict(t *testing.T) {
	for _, d := range storetest.Dialects() {
		t.Run(d, func(t *testing.T) {
			s := newSelfService(t, d)
			c := s.client(t)
			s.signIn(t, c, "provider")
			unit := s.Units[0]
			path := "/units/" + unit.ID + "/not-available"
			m := versionField.FindStringSubmatch(s.get(t, c, path).Body)
			if m == nil {
				t.Fatal("the form carries no version")
			}
			_, err := s.Uses.SetAvailability(ctx, placematch.KindUnit, unit.ID, 0, placing.AvailabilityUpdate{
				Status: placematch.Available, Note: "Checked by the placement team", Source: placematch.SourceOfficer})
			must(t, err)
			until := placematch.DateOf(s.Clock.Now()).AddDays(10).Time()
			form := url.Values{"version": {m[1]}, "until-day": {fmt.Sprint(until.Day())}, "until-month": {fmt.Sprint(int(until.Month()))},
				"until-year": {fmt.Sprint(until.Year())}, "note": {"Fire alarm being replaced"}}
			p := s.post(t, c, path, form, nil)
			if p.StatusCode != http.StatusConflict || !strings.Contains(p.Body, "was changed after you opened this page") ||
				!strings.Contains(p.Body, "Checked by the placement team") || !strings.Contains(p.Body, "Fire alarm being replaced</textarea>") {
				t.Fatalf("a stale form: %d", p.StatusCode)
			}
			if got := s.provider(t, unit).Availability; got.Status != placematch.Available || got.Note != "Checked by the placement team" {
				t.Fatalf("the stale form overwrote the change: %+v", got)
			}
			again := versionField.FindStringSubmatch(p.Body)
			if again == nil || again[1] == m[1] {
				t.Fatalf("the conflict page carries version %v, was %s", again, m[1])
			}
			form.Set("version", again[1])
			if p := s.post(t, c, path, form, nil); p.StatusCode != http.StatusSeeOther {
				t.Fatalf("sent again: %d", p.StatusCode)
			}
			if got := s.provider(t, unit).Availability; got.Status != placematch.Unavailable || got.Note != "Fire alarm being replaced" ||
				got.Source != placematch.SourceProvider {
				t.Fatalf("after sending again: %+v", got)
			}
		})
	}
}
