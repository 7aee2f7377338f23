package web_test

import (
	"fmt"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"

	"placematch"
	"placematch/placing"
	"placematch/store"
	"placematch/store/storetest"
)

// phoneWidth is the narrowest screen the carers' and providers' pages are made
// for (WCAG 2.2 reflow: 320 CSS pixels).
const phoneWidth = 320

// phone makes the window 320 pixels wide.
func (j *journey) phone() {
	j.t.Helper()
	must(j.t, chromedp.Do(j.ctx, chromedp.EmulateViewport(phoneWidth, 720)))
}

// fits fails the test when the page shown scrolls sideways at the phone's width,
// or has a button too small to touch.
func (j *journey) fits(name string) {
	j.t.Helper()
	if !j.js {
		j.scripts(true)
		defer j.scripts(false)
	}
	w, err := chromedp.Run(j.ctx, chromedp.Evaluate[int](`document.documentElement.scrollWidth`))
	must(j.t, err)
	if w > phoneWidth {
		j.t.Errorf("%s (%s): %d pixels wide at a %d-pixel window: it scrolls sideways", name, j.location(), w, phoneWidth)
	}
	// Every button in the page's content is a large touch target: at least 44 by
	// 44 pixels (WCAG 2.2's enhanced target size), the availability actions 56
	// pixels tall.
	small, err := chromedp.Run(j.ctx, chromedp.Evaluate[[]string](`[...document.querySelectorAll("main .govuk-button")].
		filter(b => { const r = b.getBoundingClientRect(); return r.height < (b.classList.contains("pm-big-button") ? 56 : 44) || r.width < 44 }).
		map(b => b.textContent.trim() + " " + Math.round(b.getBoundingClientRect().width) + "x" + Math.round(b.getBoundingClientRect().height))`))
	must(j.t, err)
	if len(small) > 0 {
		j.t.Errorf("%s (%s): small touch targets %v", name, j.location(), small)
	}
}

// page checks the page shown at the phone's width, then as every page is checked.
func (j *journey) phonePage(name string) {
	j.t.Helper()
	j.fits(name)
	j.check(name)
}

// setValue sets a field's value as a paste would, with scripts on for the moment
// it takes.
func (j *journey) setValue(sel, value string) {
	j.t.Helper()
	if !j.js {
		j.scripts(true)
		defer j.scripts(false)
	}
	must(j.t, chromedp.Do(j.ctx, chromedp.SetValue(chromedp.CSS(sel), value)))
}

// enter sends the form of the control sel with the keyboard alone (focus, Enter)
// and wants the page it leads to answered with status.
func (j *journey) enter(sel string, status int64) {
	j.t.Helper()
	must(j.t, chromedp.Do(j.ctx, chromedp.Focus(chromedp.CSS(sel))))
	res, err := chromedp.RunResponse(j.ctx, chromedp.KeyEvent(kb.Enter))
	if err != nil {
		j.t.Fatalf("Enter on %s: %v", sel, err)
	}
	if res.Status != status {
		j.t.Fatalf("Enter on %s: now at %s with status %d, want %d", sel, j.location(), res.Status, status)
	}
}

func (j *journey) typeDate(d placematch.Date) {
	j.t.Helper()
	for _, part := range []struct {
		id string
		v  int
	}{{"#until-day", d.Time().Day()}, {"#until-month", int(d.Time().Month())}, {"#until-year", d.Time().Year()}} {
		must(j.t, chromedp.Do(j.ctx, chromedp.Clear(chromedp.CSS(part.id))))
		j.typeInto(part.id, fmt.Sprint(part.v))
	}
}

// eachEngineAndScript runs fn on SQLite and PostgreSQL with JavaScript on and off,
// as the officer's journey does; shots says this run saves the screenshots.
func eachEngineAndScript(t *testing.T, fn func(t *testing.T, d string, js, shots bool)) {
	for _, d := range storetest.Dialects() {
		for _, js := range []bool{true, false} {
			name := d + "/javascript-on"
			if !js {
				name = d + "/javascript-off"
			}
			t.Run(name, func(t *testing.T) {
				shots := os.Getenv("PLACEMATCH_SCREENSHOTS") == "1" && d == store.SQLite && js
				if shots {
					must(t, os.MkdirAll(screenshots, 0o755))
				}
				fn(t, d, js, shots)
			})
		}
	}
}

// A foster carer's journey on a 320-pixel phone, with JavaScript on and off, on
// both engines: signed in, the carer lands on its own household, with the child
// placed there by case reference and the reminder that its availability (last
// confirmed 15 days ago) is going stale; "Still available", sent with the
// keyboard alone, confirms it today and the reminder goes; "Not available
// until…" refuses yesterday and a note over 1000 characters with the error
// summary linked to both fields, then saves a date and a note; a change the
// placement team makes between load and submit is a conflict that shows the
// availability as it is now and overwrites nothing, and sending again confirms;
// another household's page is not found. No page scrolls sideways at 320 pixels,
// and axe-core finds nothing on any.
func TestCarerJourneyInChromium(t *testing.T) {
	eachEngineAndScript(t, func(t *testing.T, d string, js, shots bool) {
		s := newSelfService(t, d)
		old := s.Clock.Now().Add(-15 * 24 * time.Hour)
		_, err := s.DB.UpdateProvider(ctx, placematch.KindCarer, s.Carer.ID, 0, func(p *placematch.Provider) error {
			p.Availability = placematch.Availability{Status: placematch.Available, ConfirmedAt: &old, Source: placematch.SourceCarer}
			return nil
		})
		must(t, err)
		j := &journey{t: t, ctx: newBrowser(t, js), site: s.site, js: js, shots: shots}
		j.phone()
		home := "/carers/" + s.Carer.ID

		j.open("/sign-in/demo")
		j.click("#person-carer")
		j.follow(`form[action="/sign-in/demo"] button[type=submit]`, 200)
		if loc := j.location(); loc != home {
			t.Fatalf("the carer signed in is at %s", loc)
		}
		j.wantText("h1", "Your household")
		j.wantText("[data-children]", s.Placed.Reference)
		j.wantText("[data-reminder]", "the placement team sees it as not confirmed")
		j.phonePage("carer-01-household")

		j.enter(`form[action="`+home+`/still-available"] button`, 200)
		j.wantText(".govuk-notification-banner", "confirmed as able to take a child today")
		if n := j.count("[data-reminder]"); n != 0 {
			t.Fatal("the reminder stays after confirming")
		}
		a := s.provider(t, s.Carer).Availability
		if a.Status != placematch.Available || a.Source != placematch.SourceCarer || a.ConfirmedAt == nil || !a.ConfirmedAt.Equal(s.Clock.Now()) {
			t.Fatalf("after Still available: %+v", a)
		}
		j.phonePage("carer-02-confirmed")

		j.follow(`a[href="`+home+`/not-available"]`, 200)
		j.wantText("h1", "When can you take a child again?")
		j.phonePage("carer-03-not-available")
		today := placematch.DateOf(s.Clock.Now())
		j.typeDate(today.AddDays(-1))
		j.setValue("#note", strings.Repeat("x", 1001))
		j.follow(`#until-form button[type=submit]`, 422)
		j.wantText(".govuk-error-summary", "The date must be in the future")
		j.wantText(".govuk-error-summary", "Note must be at most 1000 characters")
		for _, id := range []string{"until-day", "note"} {
			if href := j.attr(`.govuk-error-summary a[href="#`+id+`"]`, "href"); href != "#"+id {
				t.Fatalf("the summary links to %q", href)
			}
		}
		j.phonePage("carer-04-not-available-errors")
		must(t, chromedp.Do(j.ctx, chromedp.Click(chromedp.CSS(`.govuk-error-summary a[href="#until-day"]`))))
		if j.js {
			if focused, err := chromedp.Run(j.ctx, chromedp.Evaluate[string](`document.activeElement.id`)); err != nil || focused != "until-day" {
				t.Fatalf("the summary's link focused %q (%v)", focused, err)
			}
		} else if loc := j.location(); !strings.HasSuffix(loc, "#until-day") {
			t.Fatalf("the summary's link led to %s", loc)
		}
		if got := s.provider(t, s.Carer).Availability; got.Status != placematch.Available {
			t.Fatalf("the refused form changed the household: %+v", got)
		}
		until := today.AddDays(40)
		j.typeDate(until)
		must(t, chromedp.Do(j.ctx, chromedp.Clear(chromedp.CSS("#note"))))
		j.typeInto("#note", "Away on holiday")
		j.enter(`#until-form button[type=submit]`, 200)
		j.wantText(".govuk-notification-banner", "Saved: not available until "+formatDay(until))
		j.wantText("[data-until]", formatDay(until))
		a = s.provider(t, s.Carer).Availability
		if a.Status != placematch.Unavailable || a.AvailableFrom != until || a.Note != "Away on holiday" || a.Source != placematch.SourceCarer {
			t.Fatalf("after Not available until: %+v", a)
		}
		j.phonePage("carer-05-not-available-saved")

		// The placement team changes the household while its page is open.
		_, err = s.Uses.SetAvailability(ctx, placematch.KindCarer, s.Carer.ID, 0, placing.AvailabilityUpdate{
			Status: placematch.Unavailable, Note: "On hold while the annual review is held", Source: placematch.SourceOfficer})
		must(t, err)
		j.follow(`form[action="`+home+`/still-available"] button`, 409)
		j.wantText(".govuk-error-summary", "was changed after you opened this page")
		j.wantText("[data-note]", "On hold while the annual review is held")
		if got := s.provider(t, s.Carer).Availability; got.Source != placematch.SourceOfficer || got.Status != placematch.Unavailable {
			t.Fatalf("the stale form overwrote the team's change: %+v", got)
		}
		j.phonePage("carer-06-conflict")
		j.follow(`form[action="`+home+`/still-available"] button`, 200)
		j.wantText(".govuk-notification-banner", "confirmed as able to take a child today")
		if got := s.provider(t, s.Carer).Availability; got.Status != placematch.Available || got.Source != placematch.SourceCarer {
			t.Fatalf("sent again: %+v", got)
		}

		j.openStatus("/carers/"+s.OtherCarer.ID, 404)
		j.wantText("h1", "Page not found")
		j.phonePage("carer-07-another-household")
		if len(j.pages) != 7 {
			t.Fatalf("pages checked: %v", j.pages)
		}
	})
}

// A provider's journey on a 320-pixel phone, with JavaScript on and off, on both
// engines: signed in, the provider sees its two units with their beds and
// vacancies; marks the first not available until a date, with a note, with the
// keyboard alone, which leaves the second as it was; confirms the second from the
// list; and another provider's unit is not found.
func TestProviderJourneyInChromium(t *testing.T) {
	eachEngineAndScript(t, func(t *testing.T, d string, js, shots bool) {
		s := newSelfService(t, d)
		j := &journey{t: t, ctx: newBrowser(t, js), site: s.site, js: js, shots: shots}
		j.phone()
		first, second := s.Units[0], s.Units[1]

		j.open("/sign-in/demo")
		j.click("#person-provider")
		j.follow(`form[action="/sign-in/demo"] button[type=submit]`, 200)
		j.wantText("h1", "Your units")
		if n := j.count(".pm-unit"); n != 2 {
			t.Fatalf("%d units listed", n)
		}
		for _, u := range s.Units {
			got := s.provider(t, u)
			j.wantText(`[data-home="`+u.ID+`"] [data-places]`, fmt.Sprint(got.Places))
			j.wantText(`[data-home="`+u.ID+`"] [data-vacancies]`, fmt.Sprint(got.Vacancies))
		}
		j.phonePage("provider-01-units")

		j.follow(`a[href="/units/`+first.ID+`/not-available"]`, 200)
		j.wantText("h1", "When can this unit take a young person again?")
		j.phonePage("provider-02-not-available")
		until := placematch.DateOf(s.Clock.Now()).AddDays(21)
		j.typeDate(until)
		j.typeInto("#note", "Two bedrooms being refurbished")
		secondBefore := s.provider(t, second)
		j.enter(`#until-form button[type=submit]`, 200)
		if loc := j.location(); loc != "/units/"+first.ID+"?updated=1" {
			t.Fatalf("after saving: %s", loc)
		}
		j.wantText(".govuk-notification-banner", "Saved: not available until "+formatDay(until))
		j.wantText("h1", first.Name)
		a := s.provider(t, first).Availability
		if a.Status != placematch.Unavailable || a.AvailableFrom != until || a.Note != "Two bedrooms being refurbished" || a.Source != placematch.SourceProvider {
			t.Fatalf("the unit after saving: %+v", a)
		}
		if got := s.provider(t, second); got.Version != secondBefore.Version {
			t.Fatalf("the other unit changed too: %+v", got.Availability)
		}
		j.phonePage("provider-03-unit-saved")

		j.follow(`main a[href="/units"]`, 200)
		j.follow(`form[action="/units/`+second.ID+`/still-available"] button`, 200)
		j.wantText(".govuk-notification-banner", second.Name+" is confirmed as able to take a young person today")
		if got := s.provider(t, second).Availability; got.Source != placematch.SourceProvider || !got.ConfirmedAt.Equal(s.Clock.Now()) {
			t.Fatalf("the second unit after Still available: %+v", got)
		}
		j.phonePage("provider-04-unit-confirmed")

		j.openStatus("/units/"+s.OtherUnit.ID, 404)
		j.wantText("h1", "Page not found")
		j.phonePage("provider-05-another-unit")
		if len(j.pages) != 5 {
			t.Fatalf("pages checked: %v", j.pages)
		}
	})
}

// Role boundaries in the browser, on both engines: a commissioner asking for a
// child's page and a carer asking for the units list are shown the GOV.UK-style
// 403 page, which passes axe-core.
func TestRoleBoundaryPagesInChromium(t *testing.T) {
	for _, d := range storetest.Dialects() {
		t.Run(d, func(t *testing.T) {
			s := newSelfService(t, d)
			j := &journey{t: t, ctx: newBrowser(t, true), site: s.site, js: true}
			j.open("/sign-in/demo")
			j.click("#person-commissioner")
			if _, err := chromedp.RunResponse(j.ctx, chromedp.Click(chromedp.CSS(`form[action="/sign-in/demo"] button[type=submit]`), chromedp.NodeVisible)); err != nil {
				t.Fatal(err)
			}
			j.openStatus("/children/"+s.Placed.ID, 403)
			j.wantText("h1", "You cannot use the placement officer’s desk")
			if strings.Contains(j.text("main"), s.Placed.Reference) {
				t.Fatal("the refusal names the child")
			}
			j.check("commissioner-child-403")
			j.follow(`form[action="/sign-out"] button`, 200)

			j.open("/sign-in/demo")
			j.click("#person-carer")
			j.follow(`form[action="/sign-in/demo"] button[type=submit]`, 200)
			j.openStatus("/units", 403)
			j.wantText("h1", "These pages are for accommodation providers")
			j.check("carer-units-403")
			j.follow(`main a[href="/carers/`+s.Carer.ID+`"]`, 200)
			j.wantText("h1", "Your household")
		})
	}
}
