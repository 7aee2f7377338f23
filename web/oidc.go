package web

import (
	"context"
	"crypto/rand"
	"crypto/subtle"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"strconv"
	"sync"
	"time"

	"github.com/coreos/go-oidc/v3/oidc"
	"golang.org/x/oauth2"

	"placematch"
	"placematch/auth"
	"placematch/store"
)

// OIDC signs people in through the council's identity provider with the
// authorisation-code flow and PKCE (RFC 7636). The ID token must come from Issuer,
// name ClientID as its audience, carry the nonce this service sent, and say who the
// person is and what they may do in the same claims the API's bearer tokens use
// (role, carer_id, unit_ids: auth.IdentityClaims).
type OIDC struct {
	Issuer, ClientID, ClientSecret, RedirectURL string
	// Client reaches the identity provider; nil is http.DefaultClient.
	Client *http.Client

	// mu guards provider: discovery runs at most once at a time, and a failure is
	// not kept, so that the next sign-in tries again.
	mu       sync.Mutex
	provider *oidc.Provider
}

// loginCookie holds the token of a sign-in under way: its state, nonce and PKCE
// verifier are kept server-side, in the sessions table, for loginTimeout.
const (
	loginCookie  = "placematch_login"
	loginTimeout = 10 * time.Minute
)

// login is a sign-in under way, as kept between the redirect to the identity
// provider and its answer.
type login struct {
	Kind     string `json:"kind"` // always "oidc-login", so that it never reads as a session
	State    string `json:"state"`
	Nonce    string `json:"nonce"`
	Verifier string `json:"verifier"`
}

func (o *OIDC) ctx(ctx context.Context) context.Context {
	if o.Client != nil {
		return oidc.ClientContext(ctx, o.Client)
	}
	return ctx
}

// discover reads the identity provider's configuration once it succeeds; a
// failure is retried on the next sign-in.
func (o *OIDC) discover(ctx context.Context) (*oidc.Provider, error) {
	o.mu.Lock()
	defer o.mu.Unlock()
	if o.provider != nil {
		return o.provider, nil
	}
	p, err := oidc.NewProvider(o.ctx(ctx), o.Issuer)
	if err != nil {
		return nil, fmt.Errorf("identity provider %s: %w", o.Issuer, err)
	}
	o.provider = p
	return p, nil
}

func (o *OIDC) config(p *oidc.Provider) *oauth2.Config {
	return &oauth2.Config{ClientID: o.ClientID, ClientSecret: o.ClientSecret, RedirectURL: o.RedirectURL,
		Endpoint: p.Endpoint(), Scopes: []string{oidc.ScopeOpenID, "profile"}}
}

func randomToken() (string, error) {
	b := make([]byte, 32)
	if _, err := rand.Read(b); err != nil {
		return "", err
	}
	return base64.RawURLEncoding.EncodeToString(b), nil
}

// oidcStart sends the browser to the identity provider with a new state, nonce and
// PKCE challenge, kept server-side under a cookie of their own.
func (s *Server) oidcStart(w http.ResponseWriter, r *http.Request) {
	if s.AllowSignIn != nil {
		addr, _, err := net.SplitHostPort(r.RemoteAddr)
		if err != nil {
			addr = r.RemoteAddr
		}
		if ok, wait := s.AllowSignIn(addr, s.now()); !ok {
			w.Header().Set("Retry-After", strconv.Itoa(max(1, int(wait.Seconds()+0.999))))
			s.renderError(w, r, http.StatusTooManyRequests, "Too many sign-ins",
				"Too many sign-ins were started from this address. Wait a minute and try again.")
			return
		}
	}
	p, err := s.OIDC.discover(r.Context())
	if err != nil {
		slog.ErrorContext(r.Context(), "sign-in unavailable", "error", err.Error())
		s.renderError(w, r, http.StatusServiceUnavailable, "Sign-in is unavailable",
			"The council’s sign-in service cannot be reached. Try again in a few minutes.")
		return
	}
	var l login
	var token string
	for _, dst := range []*string{&l.State, &l.Nonce, &token} {
		if *dst, err = randomToken(); err != nil {
			s.fail(w, r, err)
			return
		}
	}
	l.Kind, l.Verifier = "oidc-login", oauth2.GenerateVerifier()
	data, _ := json.Marshal(l) // strings only
	now := s.now()
	if err := s.Store.CreateSession(r.Context(), &store.Session{ID: tokenID(token), Data: data, CreatedAt: now,
		SeenAt: now, ExpiresAt: now.Add(loginTimeout)}); err != nil {
		s.fail(w, r, err)
		return
	}
	c := s.cookie(r, token, int(loginTimeout/time.Second))
	c.Name = loginCookie
	http.SetCookie(w, c)
	http.Redirect(w, r, s.OIDC.config(p).AuthCodeURL(l.State, oidc.Nonce(l.Nonce), oauth2.S256ChallengeOption(l.Verifier)),
		http.StatusSeeOther)
}

// errSignIn is a sign-in the identity provider's answer does not support.
var errSignIn = errors.New("sign-in refused")

// oidcCallback finishes a sign-in: the state must be the one this browser was
// sent with (each is used once), the code is exchanged with the PKCE verifier, and
// the ID token is verified (issuer, audience, expiry, signature, nonce) before a
// session starts.
func (s *Server) oidcCallback(w http.ResponseWriter, r *http.Request) {
	person, err := s.finishOIDC(w, r)
	if err != nil {
		if errors.Is(err, errSignIn) {
			slog.WarnContext(r.Context(), "sign-in refused", "error", err.Error())
			s.renderError(w, r, http.StatusUnauthorized, "You could not be signed in",
				"The answer from the council’s sign-in service could not be accepted. Start again from the sign-in page.")
			return
		}
		s.fail(w, r, err)
		return
	}
	if err := s.startSession(w, r, person); err != nil {
		s.fail(w, r, err)
		return
	}
	http.Redirect(w, r, landing(person), http.StatusSeeOther)
}

func (s *Server) finishOIDC(w http.ResponseWriter, r *http.Request) (Person, error) {
	c, err := r.Cookie(loginCookie)
	if err != nil {
		return Person{}, fmt.Errorf("%w: no sign-in under way in this browser", errSignIn)
	}
	clear := s.cookie(r, "", -1)
	clear.Name = loginCookie
	http.SetCookie(w, clear)
	id := tokenID(c.Value)
	sess, err := s.Store.GetSession(r.Context(), id, s.now())
	if errors.Is(err, placematch.ErrNotFound) {
		return Person{}, fmt.Errorf("%w: the sign-in has expired or was used", errSignIn)
	}
	if err != nil {
		return Person{}, err
	}
	if err := s.Store.DeleteSession(r.Context(), id); err != nil { // one answer per sign-in
		return Person{}, err
	}
	var l login
	if err := json.Unmarshal(sess.Data, &l); err != nil || l.Kind != "oidc-login" {
		return Person{}, fmt.Errorf("%w: not a sign-in", errSignIn)
	}
	q := r.URL.Query()
	if e := q.Get("error"); e != "" {
		return Person{}, fmt.Errorf("%w: the identity provider answered %q", errSignIn, e)
	}
	if subtle.ConstantTimeCompare([]byte(q.Get("state")), []byte(l.State)) != 1 {
		return Person{}, fmt.Errorf("%w: the state does not match", errSignIn)
	}
	p, err := s.OIDC.discover(r.Context())
	if err != nil {
		return Person{}, err
	}
	ctx := s.OIDC.ctx(r.Context())
	tok, err := s.OIDC.config(p).Exchange(ctx, q.Get("code"), oauth2.VerifierOption(l.Verifier))
	if err != nil {
		return Person{}, fmt.Errorf("%w: code exchange: %v", errSignIn, err)
	}
	raw, ok := tok.Extra("id_token").(string)
	if !ok {
		return Person{}, fmt.Errorf("%w: no ID token", errSignIn)
	}
	idt, err := p.Verifier(&oidc.Config{ClientID: s.OIDC.ClientID, Now: s.now}).Verify(ctx, raw)
	if err != nil {
		return Person{}, fmt.Errorf("%w: ID token: %v", errSignIn, err)
	}
	if subtle.ConstantTimeCompare([]byte(idt.Nonce), []byte(l.Nonce)) != 1 {
		return Person{}, fmt.Errorf("%w: the nonce does not match", errSignIn)
	}
	var claims struct {
		auth.IdentityClaims
		Name string `json:"name"`
	}
	if err := idt.Claims(&claims); err != nil {
		return Person{}, fmt.Errorf("%w: claims: %v", errSignIn, err)
	}
	pr, err := claims.Principal(idt.Subject)
	if err != nil {
		return Person{}, fmt.Errorf("%w: %v", errSignIn, err)
	}
	name := claims.Name
	if name == "" {
		name = pr.Subject
	}
	return Person{Subject: pr.Subject, Name: name, Role: pr.Role, CarerID: pr.CarerID, UnitIDs: pr.UnitIDs, Via: "oidc"}, nil
}
