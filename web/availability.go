package web

import (
	"context"
	"errors"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"time"

	"placematch"
	"placematch/auth"
	"placematch/matching"
	"placematch/placing"
	"placematch/store"
)

// The carers' and providers' pages: a foster carer sees its own household and a
// provider its own units, says "still available" (confirmed today) or "not
// available until" a date, and sees the children placed there by case reference
// only. Both actions go through placing.SetAvailability, as the API's PUT
// .../availability does, citing the version the page was made from.

// availabilityRoutes adds the carers' and providers' pages to mux.
func (s *Server) availabilityRoutes(mux *http.ServeMux) {
	carer, unit := s.ownHome(placematch.KindCarer), s.ownHome(placematch.KindUnit)
	mux.Handle("GET /carers/{id}", carer(s.homePage))
	mux.Handle("POST /carers/{id}/still-available", carer(s.stillAvailable))
	mux.Handle("GET /carers/{id}/not-available", carer(s.notAvailableForm))
	mux.Handle("POST /carers/{id}/not-available", carer(s.notAvailable))
	mux.Handle("GET /units", s.providers(s.units))
	mux.Handle("GET /units/{id}", unit(s.homePage))
	mux.Handle("POST /units/{id}/still-available", unit(s.stillAvailable))
	mux.Handle("GET /units/{id}/not-available", unit(s.notAvailableForm))
	mux.Handle("POST /units/{id}/not-available", unit(s.notAvailable))
}

// SelfService says the person is a foster carer or a provider, who use the
// availability pages and not the officer's desk.
func (p *Person) SelfService() bool { return p.Role == auth.Carer || p.Role == auth.Provider }

// Home is where the person starts: a carer's household, a provider's units, the
// queue for everyone else.
func (p *Person) Home() string {
	switch p.Role {
	case auth.Carer:
		return "/carers/" + p.CarerID
	case auth.Provider:
		return "/units"
	case auth.Commissioner:
		return "/dashboard"
	}
	return "/queue"
}

// HomeName names the person's starting page in the navigation.
func (p *Person) HomeName() string {
	switch p.Role {
	case auth.Carer:
		return "Your household"
	case auth.Provider:
		return "Your units"
	case auth.Commissioner:
		return "Sufficiency"
	}
	return "Children awaiting"
}

// landing is where a person goes once signed in.
func landing(p Person) string { return p.Home() }

type homeHandler func(w http.ResponseWriter, r *http.Request, p *Person, home *placematch.Provider)

// ownHome lets a carer into its own household's pages and a provider into its own
// units': another household or unit is not found (so that its existence is not
// confirmed, as the API answers), and the refusal is audited. Anyone else signed
// in is refused; a visitor not signed in is sent to sign in.
func (s *Server) ownHome(kind placematch.ProviderKind) func(homeHandler) http.Handler {
	return func(h homeHandler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			p := personOf(r)
			id := r.PathValue("id")
			switch {
			case p == nil:
				http.Redirect(w, r, "/sign-in", http.StatusSeeOther)
				return
			case !p.SelfService():
				s.renderError(w, r, http.StatusForbidden, "These pages are for foster carers and providers",
					"They say when a household or unit can take a child. You are signed in as "+p.Name+" ("+roleLabel(p.Role)+").")
				return
			case (p.Role == auth.Carer && (kind != placematch.KindCarer || id != p.CarerID)) ||
				(p.Role == auth.Provider && (kind != placematch.KindUnit || !slices.Contains(p.UnitIDs, id))):
				s.audit(r, p, "availability.read", string(kind), id, nil, http.StatusNotFound)
				s.notFound(w, r)
				return
			}
			home, err := s.Store.GetProvider(r.Context(), kind, id)
			if err == nil && home.ArchivedAt != nil {
				err = placematch.ErrNotFound
			}
			if err != nil {
				s.fail(w, r, err)
				return
			}
			h(w, r, p, home)
		})
	}
}

// providers lets providers in: anyone else signed in is refused.
func (s *Server) providers(h func(w http.ResponseWriter, r *http.Request, p *Person)) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch p := personOf(r); {
		case p == nil:
			http.Redirect(w, r, "/sign-in", http.StatusSeeOther)
		case p.Role != auth.Provider:
			s.renderError(w, r, http.StatusForbidden, "These pages are for accommodation providers",
				"They say when a provider’s units can take a young person. You are signed in as "+p.Name+" ("+roleLabel(p.Role)+").")
		default:
			h(w, r, p)
		}
	})
}

// homeView is one household or unit as its carer or provider sees it.
type homeView struct {
	Provider *placematch.Provider
	// Path is the home's own page ("/carers/ID", "/units/ID").
	Path string
	// Children are the case references of the children placed there now:
	// nothing else of a child is shown.
	Children []string
	// Reminder is set from the day the nightly job would flag the availability
	// as not confirmed, and while it is flagged.
	Reminder *staleReminder
	// From is the date the home is not available until, when given.
	From     placematch.Date
	FromGone bool // that date has passed
	// Seen is the version the page was made from, carried by its forms.
	Seen int
	// By says who last said it, in words.
	By string
}

// staleReminder says the availability is going, or has gone, stale.
type staleReminder struct {
	Confirmed *time.Time
	// From is the day the availability stops being fresh; Flagged says the
	// nightly job has marked it not confirmed already.
	From    placematch.Date
	Flagged bool
	Days    int
}

func homePath(p *placematch.Provider) string {
	if p.Kind == placematch.KindUnit {
		return "/units/" + p.ID
	}
	return "/carers/" + p.ID
}

// staleAfter is how long a confirmation stays fresh: the use cases' setting, which
// the nightly job is given too.
func (s *Server) staleAfter() time.Duration {
	if s.Placing.StaleAfter > 0 {
		return s.Placing.StaleAfter
	}
	return matching.DefaultStaleAfter
}

// homeOf builds what the pages show of a home.
func (s *Server) homeOf(ctx context.Context, p *placematch.Provider) (homeView, error) {
	v := homeView{Provider: p, Path: homePath(p), Seen: p.Version, By: sourceWords[p.Availability.Source]}
	page, err := s.Store.ListPlacements(ctx, store.PlacementFilter{ProviderID: p.ID,
		Status: string(placematch.PlacementActive), Limit: store.MaxLimit})
	if err != nil {
		return v, err
	}
	ids := make([]string, 0, len(page.Items))
	for _, pl := range page.Items {
		ids = append(ids, pl.ChildID)
	}
	children, err := s.Store.ChildrenByIDs(ctx, ids)
	if err != nil {
		return v, err
	}
	for _, c := range children {
		v.Children = append(v.Children, c.Reference)
	}
	slices.Sort(v.Children)
	today, a := s.today(), p.Availability
	if a.Status == placematch.Unavailable && !a.AvailableFrom.IsZero() {
		v.From, v.FromGone = a.AvailableFrom, !a.AvailableFrom.After(today)
	}
	after := s.staleAfter()
	rem := &staleReminder{Confirmed: a.ConfirmedAt, Flagged: a.Status == placematch.Unconfirmed, Days: int(after / (24 * time.Hour))}
	if at, ok := a.StaleFrom(after); ok {
		rem.From = placematch.DateOf(at.UTC())
	}
	// From the day the nightly job would flag it: the job's own rule, applied at
	// the end of today.
	if rem.Flagged || a.StaleBy(placematch.StaleCutoff(today.AddDays(1).Time(), after)) {
		v.Reminder = rem
	}
	return v, nil
}

type homeData struct {
	Home homeView
	// Confirmed and Updated say the page follows a change just saved.
	Confirmed, Updated bool
}

func (s *Server) homeTitle(p *placematch.Provider) string {
	if p.Kind == placematch.KindCarer {
		return "Your household"
	}
	return p.Name
}

// homePage shows a household or a unit: its availability, the two actions, and
// the children placed there.
func (s *Server) homePage(w http.ResponseWriter, r *http.Request, p *Person, home *placematch.Provider) {
	v, err := s.homeOf(r.Context(), home)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	q := r.URL.Query()
	s.audit(r, p, "availability.read", string(home.Kind), home.ID, nil, http.StatusOK)
	s.render(w, r, http.StatusOK, "home", view{Title: s.homeTitle(home), Section: "availability",
		Data: homeData{Home: v, Confirmed: q.Get("confirmed") == "1", Updated: q.Get("updated") == "1"}})
}

type unitsData struct{ Units []homeView }

// units lists a provider's own units, each with its beds, vacancies and the two
// actions. A unit the provider names that is not (or no longer) recorded is left
// out.
func (s *Server) units(w http.ResponseWriter, r *http.Request, p *Person) {
	var d unitsData
	for _, id := range p.UnitIDs {
		u, err := s.Store.GetProvider(r.Context(), placematch.KindUnit, id)
		if errors.Is(err, placematch.ErrNotFound) || (err == nil && u.ArchivedAt != nil) {
			continue
		}
		if err != nil {
			s.fail(w, r, err)
			return
		}
		v, err := s.homeOf(r.Context(), u)
		if err != nil {
			s.fail(w, r, err)
			return
		}
		d.Units = append(d.Units, v)
	}
	slices.SortFunc(d.Units, func(a, b homeView) int { return strings.Compare(a.Provider.Name, b.Provider.Name) })
	s.audit(r, p, "availability.read", string(placematch.KindUnit), "", p.UnitIDs, http.StatusOK)
	s.render(w, r, http.StatusOK, "units", view{Title: "Your units", Section: "availability", Data: d})
}

// sourceWords say who last said what a home's availability is, as its carer or
// provider reads it.
var sourceWords = map[string]string{placematch.SourceCarer: "you", placematch.SourceProvider: "you",
	placematch.SourceOfficer: "the placement team", placematch.SourceFeed: "your provider feed",
	placematch.SourceReconcile: "the nightly check"}

// source is who an update from these pages comes from.
func source(p *Person) string {
	if p.Role == auth.Provider {
		return placematch.SourceProvider
	}
	return placematch.SourceCarer
}

// seenVersion reads the version a form was made from; ok is false when the form
// carries none (it was not sent from the page).
func seenVersion(r *http.Request) (int, bool) {
	v, err := strconv.Atoi(r.PostFormValue("version"))
	return v, err == nil && v >= 1
}

// changedMeanwhile is the message when the home changed after the page was made.
const changedMeanwhile = "The availability was changed after you opened this page (on another device, by the placement team or by the nightly check), so nothing was saved. It is shown below as it is now; send it again if it is still right."

// stillAvailable confirms, today, that the home can take a child.
func (s *Server) stillAvailable(w http.ResponseWriter, r *http.Request, p *Person, home *placematch.Provider) {
	seen, ok := seenVersion(r)
	var err error
	if ok {
		_, err = s.Placing.SetAvailability(r.Context(), home.Kind, home.ID, seen,
			placing.AvailabilityUpdate{Status: placematch.Available, Source: source(p)})
	}
	if !ok || err != nil {
		status, msg := http.StatusBadRequest, "The form was not sent from this page; nothing was saved. Try again from here."
		switch {
		case !ok:
		case errors.Is(err, placematch.ErrVersionMismatch):
			status, msg = http.StatusConflict, changedMeanwhile
		default:
			errs, code, isForm := formErrors(err, nil)
			if !isForm {
				s.fail(w, r, err)
				return
			}
			status, msg = code, errs[0].Message
		}
		s.audit(r, p, "availability.update", string(home.Kind), home.ID, nil, status)
		s.renderHomeError(w, r, status, home, msg)
		return
	}
	s.audit(r, p, "availability.update", string(home.Kind), home.ID, nil, http.StatusOK)
	http.Redirect(w, r, homePath(home)+"?confirmed=1", http.StatusSeeOther)
}

// renderHomeError shows the home as it is now, with the message in the error
// summary.
func (s *Server) renderHomeError(w http.ResponseWriter, r *http.Request, status int, home *placematch.Provider, msg string) {
	now, err := s.Store.GetProvider(r.Context(), home.Kind, home.ID)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	v, err := s.homeOf(r.Context(), now)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	s.render(w, r, status, "home", view{Title: s.homeTitle(now), Section: "availability",
		Errors: []fieldError{{ID: "availability", Message: msg}}, Data: homeData{Home: v}})
}
