package web

import (
	"encoding/json"
	"net/http"
	"time"
)

// signedIn is one person with a live session, as the identity provider (or the
// demo sign-in) described them when they signed in.
type signedIn struct {
	Person
	Sessions         int
	SignedIn, SeenAt time.Time
}

type peopleData struct {
	People []signedIn
	OIDC   bool
	Demo   bool
}

// consolePeople lists the people signed in now, one row per subject, with the role
// the identity provider's claims gave them: Placematch keeps no list of users of
// its own.
func (s *Server) consolePeople(w http.ResponseWriter, r *http.Request, _ *Person) {
	sessions, err := s.Store.LiveSessions(r.Context(), s.now())
	if err != nil {
		s.fail(w, r, err)
		return
	}
	d := peopleData{OIDC: s.OIDC != nil, Demo: len(s.Demo) > 0}
	bySubject := map[string]int{}
	for _, sess := range sessions {
		var p Person
		if json.Unmarshal(sess.Data, &p) != nil || p.Subject == "" || p.Role == "" {
			continue // a sign-in under way, not yet anyone
		}
		i, ok := bySubject[p.Subject]
		if !ok {
			bySubject[p.Subject] = len(d.People)
			d.People = append(d.People, signedIn{Person: p, SignedIn: sess.CreatedAt, SeenAt: sess.SeenAt})
			i = len(d.People) - 1
		}
		e := &d.People[i]
		e.Sessions++
		if sess.CreatedAt.Before(e.SignedIn) {
			e.SignedIn = sess.CreatedAt
		}
		if sess.SeenAt.After(e.SeenAt) { // the newest session says who they are now
			e.SeenAt, e.Person = sess.SeenAt, p
		}
	}
	s.render(w, r, http.StatusOK, "console-people", view{Title: "People signed in", Section: "console", Data: d})
}
