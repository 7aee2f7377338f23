package api

import (
	"net/http"
	"slices"
	"testing"

	"github.com/gin-gonic/gin"

	"placematch/auth"
)

// The router has exactly the routes of the table: a route added to the router any
// other way (without its policy beside it) fails here.
func TestRouterHasExactlyTheRouteTable(t *testing.T) {
	s := &Server{}
	var table, router []string
	for _, rt := range s.routes(nil) {
		table = append(table, rt.method+" "+rt.path)
	}
	for _, r := range s.Handler().(*gin.Engine).Routes() {
		router = append(router, r.Method+" "+r.Path)
	}
	slices.Sort(table)
	slices.Sort(router)
	if len(table) < 40 {
		t.Fatalf("the table has %d routes; it should hold the whole API", len(table))
	}
	if !slices.Equal(table, router) {
		t.Errorf("router and route table differ:\nrouter %v\ntable  %v", router, table)
	}
	if dup := slices.Compact(slices.Clone(table)); len(dup) != len(table) {
		t.Errorf("the table lists a route twice")
	}
}

// A route cannot be registered without saying who may call it.
func TestRouteWithoutPolicyCannotBeRegistered(t *testing.T) {
	s := &Server{}
	ok := func(*gin.Context) error { return nil }
	for name, pol := range map[string]policy{
		"no policy":             {},
		"audited, but no roles": {action: "thing.read", resource: "thing"},
		"public and roles":      {public: true, roles: officers},
	} {
		t.Run(name, func(t *testing.T) {
			defer func() {
				if recover() == nil {
					t.Errorf("registering a route with policy %+v did not panic", pol)
				}
			}()
			s.register(gin.New(), route{http.MethodGet, "/thing", ok, pol})
		})
	}
	for name, pol := range map[string]policy{"public": public, "admin only": {roles: adminOnly},
		"roles": {roles: []auth.Role{auth.Commissioner}}} {
		r := gin.New()
		s.register(r, route{http.MethodGet, "/thing", ok, pol})
		if len(r.Routes()) != 1 {
			t.Errorf("%s: the route was not registered", name)
		}
	}
}
