package web

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"errors"
	"log/slog"
	"net/http"
	"slices"
	"time"

	"placematch"
	"placematch/auth"
	"placematch/store"
)

// Person is who is signed in, as the session keeps them: the identity the API's
// bearer tokens carry, and a name to show.
type Person struct {
	Subject string    `json:"sub"`
	Name    string    `json:"name"`
	Role    auth.Role `json:"role"`
	CarerID string    `json:"carer_id,omitempty"`
	UnitIDs []string  `json:"unit_ids,omitempty"`
	// Via says how they signed in: "demo" or "oidc".
	Via string `json:"via"`
}

// sessionCookie is the cookie that holds the session's random token.
const sessionCookie = "placematch_session"

// touchEvery bounds how often a session's use is written: its idle expiry moves
// on at most this much later than it could.
const touchEvery = time.Minute

type ctxKey int

const (
	personKey ctxKey = iota
	sessionKey
)

func personOf(r *http.Request) *Person {
	p, _ := r.Context().Value(personKey).(*Person)
	return p
}

func sessionOf(r *http.Request) *store.Session {
	s, _ := r.Context().Value(sessionKey).(*store.Session)
	return s
}

// tokenID is how a session is found and stored: the SHA-256 of its token, so that
// reading the sessions table gives nobody a usable cookie.
func tokenID(token string) string {
	sum := sha256.Sum256([]byte(token))
	return hex.EncodeToString(sum[:])
}

// withSession reads the session cookie and, when it names a live session, puts the
// person on the request and moves the session's idle expiry on. A cookie naming
// no live session is cleared.
func (s *Server) withSession(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		c, err := r.Cookie(sessionCookie)
		if err != nil || c.Value == "" {
			next.ServeHTTP(w, r)
			return
		}
		now := s.now()
		sess, err := s.Store.GetSession(r.Context(), tokenID(c.Value), now)
		switch {
		case errors.Is(err, placematch.ErrNotFound):
			s.clearCookie(w, r)
			next.ServeHTTP(w, r)
			return
		case err != nil:
			s.fail(w, r, err)
			return
		}
		var p Person
		if err := json.Unmarshal(sess.Data, &p); err != nil || p.Role == "" || p.Subject == "" { // a sign-in under way is no session
			why := "no role or subject"
			if err != nil {
				why = err.Error()
			}
			slog.ErrorContext(r.Context(), "session unreadable", "error", why)
			_ = s.Store.DeleteSession(r.Context(), sess.ID)
			s.clearCookie(w, r)
			next.ServeHTTP(w, r)
			return
		}
		if now.Sub(sess.SeenAt) >= touchEvery {
			if err := s.Store.TouchSession(r.Context(), sess.ID, now, s.expiry(sess.CreatedAt, now)); err != nil &&
				!errors.Is(err, placematch.ErrNotFound) {
				s.fail(w, r, err)
				return
			}
		}
		ctx := context.WithValue(context.WithValue(r.Context(), personKey, &p), sessionKey, sess)
		next.ServeHTTP(w, r.WithContext(ctx))
	})
}

// expiry is when a session used at seen ends: after the idle timeout, and never
// later than the absolute timeout after sign-in.
func (s *Server) expiry(created, seen time.Time) time.Time {
	idle, absolute := seen.Add(s.IdleTimeout), created.Add(s.AbsoluteTimeout)
	if idle.Before(absolute) {
		return idle
	}
	return absolute
}

// startSession signs p in: a new random token in the cookie, its hash and p in the
// database. Any session the browser held before is ended first, so a token known
// before sign-in is never a signed-in one.
func (s *Server) startSession(w http.ResponseWriter, r *http.Request, p Person) error {
	if old := sessionOf(r); old != nil {
		if err := s.Store.DeleteSession(r.Context(), old.ID); err != nil {
			return err
		}
	}
	raw := make([]byte, 32)
	if _, err := rand.Read(raw); err != nil {
		return err
	}
	token := base64.RawURLEncoding.EncodeToString(raw)
	data, err := json.Marshal(p)
	if err != nil {
		return err
	}
	now := s.now()
	if err := s.Store.CreateSession(r.Context(), &store.Session{ID: tokenID(token), Data: data, CreatedAt: now,
		SeenAt: now, ExpiresAt: s.expiry(now, now)}); err != nil {
		return err
	}
	http.SetCookie(w, s.cookie(r, token, int(s.AbsoluteTimeout/time.Second)))
	slog.InfoContext(r.Context(), "signed in", "subject", p.Subject, "role", string(p.Role), "via", p.Via)
	return nil
}

// cookie is the session cookie: HttpOnly, SameSite=Lax, and Secure unless the
// service is answering plain HTTP on a loopback address (a developer's machine).
func (s *Server) cookie(r *http.Request, value string, maxAge int) *http.Cookie {
	return &http.Cookie{Name: sessionCookie, Value: value, Path: "/", MaxAge: maxAge, HttpOnly: true,
		Secure: r.TLS != nil || !loopback(r), SameSite: http.SameSiteLaxMode}
}

func (s *Server) clearCookie(w http.ResponseWriter, r *http.Request) {
	http.SetCookie(w, s.cookie(r, "", -1))
}

// signOut ends the session in the database, so that the token is worthless even
// if it was copied, and clears the cookie.
func (s *Server) signOut(w http.ResponseWriter, r *http.Request) {
	if sess := sessionOf(r); sess != nil {
		if err := s.Store.DeleteSession(r.Context(), sess.ID); err != nil {
			s.fail(w, r, err)
			return
		}
	}
	s.clearCookie(w, r)
	http.Redirect(w, r, "/signed-out", http.StatusSeeOther)
}

func (s *Server) signedOut(w http.ResponseWriter, r *http.Request) {
	s.render(w, r, http.StatusOK, "signed-out", view{Title: "You have signed out"})
}

// signInPage offers the ways in that are configured: the council's identity
// provider, and with --demo the demo people.
func (s *Server) signInPage(w http.ResponseWriter, r *http.Request) {
	if s.OIDC == nil && len(s.Demo) > 0 {
		http.Redirect(w, r, "/sign-in/demo", http.StatusSeeOther)
		return
	}
	s.render(w, r, http.StatusOK, "sign-in", view{Title: "Sign in", Data: signInData{OIDC: s.OIDC != nil, Demo: len(s.Demo) > 0}})
}

type signInData struct{ OIDC, Demo bool }

type demoData struct {
	People []DemoPerson
	Chosen string
}

func (s *Server) demoPage(w http.ResponseWriter, r *http.Request) {
	s.render(w, r, http.StatusOK, "demo-sign-in", view{Title: "Sign in to the demo", Data: demoData{People: s.Demo}})
}

// demoSignIn signs the visitor in as the demo person chosen.
func (s *Server) demoSignIn(w http.ResponseWriter, r *http.Request) {
	key := r.PostFormValue("person")
	i := slices.IndexFunc(s.Demo, func(d DemoPerson) bool { return d.Key == key })
	if i < 0 {
		s.render(w, r, http.StatusUnprocessableEntity, "demo-sign-in", view{Title: "Sign in to the demo",
			Errors: []fieldError{{Field: "person", ID: "person", Message: "Select who to sign in as"}},
			Data:   demoData{People: s.Demo, Chosen: key}})
		return
	}
	d := s.Demo[i]
	p := Person{Subject: d.Principal.Subject, Name: d.Label, Role: d.Principal.Role, CarerID: d.Principal.CarerID,
		UnitIDs: d.Principal.UnitIDs, Via: "demo"}
	if err := s.startSession(w, r, p); err != nil {
		s.fail(w, r, err)
		return
	}
	http.Redirect(w, r, landing(p), http.StatusSeeOther)
}
