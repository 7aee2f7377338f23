package web

import (
	"context"
	"errors"
	"html/template"
	"log/slog"
	"net"
	"net/http"
	"net/url"
	"strings"
	"time"

	"placematch"
	"placematch/auth"
	"placematch/placing"
	"placematch/store"
)

// Server holds what the pages need.
type Server struct {
	// Placing runs the use cases; its clock is the pages' too. Required.
	Placing *placing.Service
	// Store reads plain records (children, placements) and keeps the sessions.
	// Required.
	Store *store.DB
	// Demo are the people a demo visitor may sign in as, one per role (serve
	// --demo). Empty serves no demo sign-in at all: its pages are not found.
	Demo []DemoPerson
	// OIDC signs people in through the council's identity provider; nil offers no
	// such sign-in.
	OIDC *OIDC
	// Boundaries is the council's districts as GeoJSON (PLACEMATCH_BOUNDARIES), the
	// base layer of the maps; nil draws the maps without one.
	Boundaries []byte
	// Tiles adds a tile layer to the maps where the operator has a tile server
	// (PLACEMATCH_MAP_TILES); the zero value asks for none.
	Tiles Tiles
	// IdleTimeout ends a session not used for this long; AbsoluteTimeout ends any
	// session this long after sign-in. Zero is 30 minutes and 10 hours.
	IdleTimeout, AbsoluteTimeout time.Duration
	// AllowSignIn caps the sign-ins started per client address (each stores a
	// sign-in under way until it expires): it takes one from the address's budget
	// at now, or says how long until one is allowed. cmd wires the API's
	// anonymous limit (PLACEMATCH_RATE_LIMIT_ANON); nil is no cap.
	AllowSignIn func(addr string, now time.Time) (bool, time.Duration)
	// Jobs are the nightly jobs the admins' console shows and runs (cmd gives
	// the scheduler); nil shows a console with no jobs.
	Jobs Jobs

	assets *assets
	pages  map[string]*template.Template
}

// Tiles is a map tile server: a URL template with {z}, {x} and {y}, and the
// attribution its licence asks for.
type Tiles struct{ URL, Attribution string }

// ParseTiles reads PLACEMATCH_MAP_TILES, "URL template|attribution": an http or
// https URL with a host and {z}, {x} and {y}, and an attribution that is not empty.
func ParseTiles(s string) (Tiles, error) {
	tmpl, attribution, ok := strings.Cut(s, "|")
	u, err := url.Parse(tmpl)
	switch {
	case !ok || strings.TrimSpace(attribution) == "":
		return Tiles{}, errors.New("must be a URL template, a |, and the attribution the tiles' licence asks for")
	case err != nil || (u.Scheme != "https" && u.Scheme != "http") || u.Host == "":
		return Tiles{}, errors.New("the URL template must be an http or https URL with a host")
	case !strings.Contains(tmpl, "{z}") || !strings.Contains(tmpl, "{x}") || !strings.Contains(tmpl, "{y}"):
		return Tiles{}, errors.New("the URL template must hold {z}, {x} and {y}")
	}
	return Tiles{URL: tmpl, Attribution: strings.TrimSpace(attribution)}, nil
}

// origin is where the tiles come from, for the Content-Security-Policy.
func (t Tiles) origin() string {
	u, err := url.Parse(t.URL)
	if t.URL == "" || err != nil {
		return ""
	}
	return u.Scheme + "://" + u.Host
}

// DemoPerson is someone a demo visitor may sign in as.
type DemoPerson struct {
	// Key names the person in the sign-in form ("officer").
	Key string
	// Label and Hint describe the person on the sign-in page.
	Label, Hint string
	Principal   auth.Principal
}

func (s *Server) now() time.Time { return s.Placing.Now().UTC() }

func (s *Server) today() placematch.Date { return placematch.DateOf(s.now()) }

// Handler returns the pages, each behind the security headers, the cross-origin
// check of state-changing requests and the session. It panics when the embedded
// templates or files cannot be read, which the tests catch.
func (s *Server) Handler() http.Handler {
	if s.IdleTimeout == 0 {
		s.IdleTimeout = 30 * time.Minute
	}
	if s.AbsoluteTimeout == 0 {
		s.AbsoluteTimeout = 10 * time.Hour
	}
	a, err := loadAssets()
	if err != nil {
		panic(err)
	}
	s.assets = a
	if s.pages, err = s.parsePages(); err != nil {
		panic(err)
	}
	mux := http.NewServeMux()
	mux.HandleFunc("GET /static/", a.serve)
	mux.HandleFunc("GET /{$}", s.home)
	mux.HandleFunc("GET /sign-in", s.signInPage)
	mux.HandleFunc("POST /sign-out", s.signOut)
	mux.HandleFunc("GET /signed-out", s.signedOut)
	mux.HandleFunc("GET /accessibility", s.accessibility)
	if len(s.Demo) > 0 {
		mux.HandleFunc("GET /sign-in/demo", s.demoPage)
		mux.HandleFunc("POST /sign-in/demo", s.demoSignIn)
	}
	if s.OIDC != nil {
		mux.HandleFunc("GET /sign-in/oidc", s.oidcStart)
		mux.HandleFunc("GET /sign-in/callback", s.oidcCallback)
	}
	officer := s.officers
	mux.Handle("GET /queue", officer(s.queue))
	mux.Handle("GET /children/{id}", officer(s.child))
	mux.Handle("POST /children/{id}/matches", officer(s.runMatch))
	mux.Handle("GET /matches/{id}", officer(s.matches))
	mux.Handle("GET /matches/{id}/print", officer(s.printRun))
	mux.Handle("GET /matches/{id}/compare", officer(s.compare))
	mux.Handle("GET /matches/{id}/map.geojson", officer(s.runMap))
	if s.Boundaries != nil {
		mux.Handle("GET /map/boundaries.geojson", s.mapReaders(s.boundaries))
	}
	mux.Handle("GET /matches/{id}/book", officer(s.bookForm))
	mux.Handle("POST /matches/{id}/book", officer(s.book))
	mux.Handle("GET /placements", officer(s.placements))
	mux.Handle("GET /placements/{id}", officer(s.placement))
	mux.Handle("GET /placements/{id}/end", officer(s.endForm))
	mux.Handle("POST /placements/{id}/end", officer(s.end))
	mux.Handle("GET /dashboard", s.commissioners(s.dashboard))
	mux.Handle("GET /dashboard/download", s.commissioners(s.dashboardDownload))
	s.availabilityRoutes(mux)
	admin := s.admins
	mux.Handle("GET /console", admin(s.consoleHome))
	mux.Handle("GET /console/jobs", admin(s.consoleJobs))
	mux.Handle("POST /console/jobs/{name}/run", admin(s.runJob))
	mux.Handle("GET /console/feeds", admin(s.consoleFeeds))
	mux.Handle("GET /console/audit", admin(s.consoleAudit))
	mux.Handle("GET /console/people", admin(s.consolePeople))
	mux.HandleFunc("GET /docs", s.docs) // public, as openapi.yaml is
	mux.HandleFunc("GET /docs/openapi.yaml", s.openAPI)
	mux.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) { s.notFound(w, r) })

	cop := http.NewCrossOriginProtection()
	cop.SetDenyHandler(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		s.renderError(w, r, http.StatusForbidden, "This form was sent from another site",
			"Nothing was changed. Go back to the page in Placematch and send the form from there.")
	}))
	return secureHeaders(contentSecurityPolicy(s.Tiles.origin()), cop.Handler(s.withSession(mux)))
}

// contentSecurityPolicy allows the service's own files and nothing inline: no
// inline script or style attribute, no eval, no framing, forms only to itself;
// images also from the tile server, when one is configured.
func contentSecurityPolicy(tiles string) string {
	img := "img-src 'self' data:"
	if tiles != "" {
		img += " " + tiles
	}
	return "default-src 'none'; script-src 'self'; style-src 'self'; " + img + "; " +
		"font-src 'self'; connect-src 'self'; manifest-src 'self'; form-action 'self'; base-uri 'none'; frame-ancestors 'none'"
}

// secureHeaders sets the headers every page carries.
func secureHeaders(csp string, next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		h := w.Header()
		h.Set("Content-Security-Policy", csp)
		h.Set("X-Content-Type-Options", "nosniff")
		h.Set("X-Frame-Options", "DENY")
		h.Set("Referrer-Policy", "no-referrer")
		h.Set("Cross-Origin-Opener-Policy", "same-origin")
		h.Set("Permissions-Policy", "camera=(), microphone=(), geolocation=()")
		h.Set("Cache-Control", "no-store") // pages hold personal data; static files say otherwise
		next.ServeHTTP(w, r)
	})
}

// officers lets placement officers (and admins) in: anyone else signed in is
// refused, and a visitor not signed in is sent to sign in.
func (s *Server) officers(h func(w http.ResponseWriter, r *http.Request, p *Person)) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		p := personOf(r)
		switch {
		case p == nil:
			http.Redirect(w, r, "/sign-in", http.StatusSeeOther)
		case p.Role != auth.PlacementOfficer && p.Role != auth.Admin:
			s.renderError(w, r, http.StatusForbidden, "You cannot use the placement officer’s desk",
				"These pages are for placement officers. You are signed in as "+p.Name+" ("+roleLabel(p.Role)+").")
		default:
			h(w, r, p)
		}
	})
}

func (s *Server) home(w http.ResponseWriter, r *http.Request) {
	p := personOf(r)
	if p == nil {
		http.Redirect(w, r, "/sign-in", http.StatusSeeOther)
		return
	}
	http.Redirect(w, r, landing(*p), http.StatusSeeOther)
}

// fail answers an error that stops a page: a record not found, the database
// unreachable, or anything else (logged in full, answered generically).
func (s *Server) fail(w http.ResponseWriter, r *http.Request, err error) {
	if errors.Is(r.Context().Err(), context.Canceled) {
		// The browser went away; nobody is left to answer, whatever the store
		// made of the cancellation.
		slog.InfoContext(r.Context(), "browser went away before the page", "error", err.Error(), "path", r.URL.Path)
		return
	}
	switch {
	case errors.Is(err, placematch.ErrNotFound):
		s.notFound(w, r)
	case errors.Is(err, placematch.ErrUnavailable):
		slog.WarnContext(r.Context(), "database unavailable", "error", err.Error(), "path", r.URL.Path)
		w.Header().Set("Retry-After", "5")
		s.renderError(w, r, http.StatusServiceUnavailable, "Sorry, the service is unavailable",
			"The database cannot be reached; nothing was changed. Try again in a few seconds.")
	case errors.Is(err, placematch.ErrBusy):
		slog.WarnContext(r.Context(), "refused: too busy", "error", err.Error(), "path", r.URL.Path)
		w.Header().Set("Retry-After", "1")
		s.renderError(w, r, http.StatusServiceUnavailable, "Sorry, the service is busy",
			"Too many searches are waiting; nothing was changed. Try again in a few seconds.")
	default:
		slog.ErrorContext(r.Context(), "page failed", "error", err.Error(), "path", r.URL.Path)
		s.renderError(w, r, http.StatusInternalServerError, "Sorry, there is a problem with the service",
			"The page could not be shown; the problem has been logged. Try again later.")
	}
}

func (s *Server) notFound(w http.ResponseWriter, r *http.Request) {
	s.renderError(w, r, http.StatusNotFound, "Page not found",
		"If you typed the web address, check it is correct. If you pasted the web address, check you copied the entire address.")
}

// loopback says whether the request came in on a loopback address of this server
// (the listener's own address, not anything the client says).
func loopback(r *http.Request) bool {
	addr, ok := r.Context().Value(http.LocalAddrContextKey).(net.Addr)
	if !ok {
		return false
	}
	host, _, err := net.SplitHostPort(addr.String())
	if err != nil {
		return false
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}
