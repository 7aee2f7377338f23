package web

import (
	"errors"
	"net/http"
	"strconv"
	"strings"

	"placematch"
	"placematch/placing"
)

// untilForm is the "not available until" form as it was filled in.
type untilForm struct {
	Day, Month, Year, Note string
}

type untilData struct {
	Home homeView
	Form untilForm
	// Bad are the parts of the date at fault ("day", "month", "year"), for the
	// inputs' error style.
	Bad              map[string]bool
	Example, Heading string
	MaxNote          int
}

func (s *Server) renderUntil(w http.ResponseWriter, r *http.Request, status int, errs []fieldError, d untilData) {
	ex := s.today().AddDays(30).Time()
	d.Example, d.MaxNote = strconv.Itoa(ex.Day())+" "+strconv.Itoa(int(ex.Month()))+" "+strconv.Itoa(ex.Year()), placing.MaxAvailabilityNote
	d.Heading = "When can you take a child again?"
	if d.Home.Provider.Kind == placematch.KindUnit {
		d.Heading = "When can this unit take a young person again?"
	}
	s.render(w, r, status, "not-available", view{Title: d.Heading, Section: "availability", Errors: errs, Data: d})
}

// notAvailableForm asks until when the home cannot take a child, and why.
func (s *Server) notAvailableForm(w http.ResponseWriter, r *http.Request, _ *Person, home *placematch.Provider) {
	v, err := s.homeOf(r.Context(), home)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	d := untilData{Home: v}
	if a := home.Availability; a.Status == placematch.Unavailable {
		d.Form.Note = a.Note
		if from := a.AvailableFrom; !from.IsZero() && from.After(s.today()) {
			t := from.Time()
			d.Form.Day, d.Form.Month, d.Form.Year = strconv.Itoa(t.Day()), strconv.Itoa(int(t.Month())), strconv.Itoa(t.Year())
		}
	}
	s.renderUntil(w, r, http.StatusOK, nil, d)
}

// untilIDs are the inputs the use case's field errors link to.
var untilIDs = map[string]string{"note": "note", "status": "until-day", "": "availability"}

// notAvailable says the home cannot take a child until the date given.
func (s *Server) notAvailable(w http.ResponseWriter, r *http.Request, p *Person, home *placematch.Provider) {
	f := untilForm{Day: strings.TrimSpace(r.PostFormValue("until-day")), Month: strings.TrimSpace(r.PostFormValue("until-month")),
		Year: strings.TrimSpace(r.PostFormValue("until-year")), Note: strings.TrimSpace(r.PostFormValue("note"))}
	seen, ok := seenVersion(r)
	v, err := s.homeOf(r.Context(), home)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	d := untilData{Home: v, Form: f}
	if !ok {
		s.renderUntil(w, r, http.StatusBadRequest, []fieldError{{ID: "availability",
			Message: "The form was not sent from this page; nothing was saved. Try again from here."}}, d)
		return
	}
	d.Home.Seen = seen
	until, errs, bad := s.untilDate(f)
	d.Bad = bad
	// The note is judged by the use case; with the date at fault it is judged
	// here the same way, so that every error shows at once.
	ve := &placematch.ValidationError{}
	ve.CheckMaxLen("note", f.Note, placing.MaxAvailabilityNote)
	if len(errs) > 0 {
		if more, _, isForm := formErrors(ve.Err(), untilIDs); isForm {
			errs = append(errs, more...)
		}
		s.audit(r, p, "availability.update", string(home.Kind), home.ID, nil, http.StatusUnprocessableEntity)
		s.renderUntil(w, r, http.StatusUnprocessableEntity, errs, d)
		return
	}
	_, err = s.Placing.SetAvailability(r.Context(), home.Kind, home.ID, seen, placing.AvailabilityUpdate{
		Status: placematch.Unavailable, AvailableFrom: until, Note: f.Note, Source: source(p)})
	if err != nil {
		status := http.StatusConflict
		if errors.Is(err, placematch.ErrVersionMismatch) {
			errs = []fieldError{{ID: "availability", Message: changedMeanwhile}}
			if d.Home, err = s.reread(r, home); err != nil {
				s.fail(w, r, err)
				return
			}
		} else if errs, status, ok = formErrors(err, untilIDs); !ok {
			s.fail(w, r, err)
			return
		}
		s.audit(r, p, "availability.update", string(home.Kind), home.ID, nil, status)
		s.renderUntil(w, r, status, errs, d)
		return
	}
	s.audit(r, p, "availability.update", string(home.Kind), home.ID, nil, http.StatusOK)
	http.Redirect(w, r, homePath(home)+"?updated=1", http.StatusSeeOther)
}

// reread is the home as it is now, after a change made meanwhile.
func (s *Server) reread(r *http.Request, home *placematch.Provider) (homeView, error) {
	now, err := s.Store.GetProvider(r.Context(), home.Kind, home.ID)
	if err != nil {
		return homeView{}, err
	}
	return s.homeOf(r.Context(), now)
}

// untilDate reads the date input as the GOV.UK pattern asks: every part given, a
// real date, in the future (and within the dates the service keeps). The errors
// link to the first part at fault.
func (s *Server) untilDate(f untilForm) (placematch.Date, []fieldError, map[string]bool) {
	const field = "available_from"
	parts := []struct{ name, value string }{{"day", f.Day}, {"month", f.Month}, {"year", f.Year}}
	var missing []string
	for _, p := range parts {
		if p.value == "" {
			missing = append(missing, p.name)
		}
	}
	all := map[string]bool{"day": true, "month": true, "year": true}
	fail := func(id, msg string, bad map[string]bool) (placematch.Date, []fieldError, map[string]bool) {
		return placematch.Date{}, []fieldError{{Field: field, ID: "until-" + id, Message: msg}}, bad
	}
	switch len(missing) {
	case 3:
		return fail("day", "Enter the date you can take a child again", all)
	case 1, 2:
		bad := map[string]bool{}
		for _, m := range missing {
			bad[m] = true
		}
		return fail(missing[0], "The date must include a "+strings.Join(missing, " and a "), bad)
	}
	day, e1 := strconv.Atoi(f.Day)
	month, e2 := strconv.Atoi(f.Month)
	year, e3 := strconv.Atoi(f.Year)
	if e1 != nil || e2 != nil || e3 != nil || len(f.Year) != 4 || month < 1 || month > 12 || day < 1 || day > 31 {
		return fail("day", "The date must be a real date, like "+formatDate(s.today().AddDays(30)), all)
	}
	d, err := placematch.ParseDate(f.Year + "-" + twoDigits(month) + "-" + twoDigits(day))
	switch {
	case year > placematch.MaxDate.Time().Year():
		return fail("year", "The date must be before "+formatDate(placematch.MaxDate.AddDays(1)), map[string]bool{"year": true})
	case year < placematch.MinDate.Time().Year():
		return fail("day", "The date must be in the future", all)
	case err != nil:
		return fail("day", "The date must be a real date, like "+formatDate(s.today().AddDays(30)), all)
	case !d.After(s.today()):
		return fail("day", "The date must be in the future", all)
	}
	return d, nil, nil
}

func twoDigits(n int) string {
	if n < 10 {
		return "0" + strconv.Itoa(n)
	}
	return strconv.Itoa(n)
}
