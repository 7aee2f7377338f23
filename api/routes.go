package api

import (
	"net/http"

	"github.com/gin-gonic/gin"

	"placematch/auth"
)

// handler answers one route: it writes the response when it succeeds and returns the
// error that stopped it otherwise; serve turns that error into its problem.
type handler func(c *gin.Context) error

// serve is the one place where a handler's error becomes the HTTP answer (fail).
func (h handler) serve(c *gin.Context) {
	if err := h(c); err != nil {
		fail(c, err)
	}
}

// route is one row of the API: the method and path, the handler, and the policy
// saying who may call it and what the audit trail records of it.
type route struct {
	method, path string
	handle       handler
	policy       policy
}

var (
	public        = policy{public: true}
	readProviders = []auth.Role{auth.PlacementOfficer, auth.Commissioner}
	officers      = []auth.Role{auth.PlacementOfficer}
	answerers     = []auth.Role{auth.PlacementOfficer, auth.Carer, auth.Provider}
	commissioners = []auth.Role{auth.Commissioner}
	// adminOnly is a policy that names no role: only admin may call the route.
	adminOnly = []auth.Role{}
)

// routes is the map of the API: every route, each with its policy. Handler registers
// these and nothing else (a test compares the router with this table).
func (s *Server) routes(metrics gin.HandlerFunc) []route {
	const get, post, put, patch, del = http.MethodGet, http.MethodPost, http.MethodPut, http.MethodPatch, http.MethodDelete
	rs := []route{
		{get, "/healthz", s.healthz, public},
		{get, "/readyz", s.readyz, public},
		{get, "/openapi.yaml", s.openapi, public},
		{get, "/metrics", plain(metrics), public},       // counts and latencies only, no personal data
		{get, "/problems/:type", s.problemType, public}, // what each problem type means
	}
	for _, pr := range []providerResource{carers, units, hubs} {
		rs = append(rs, s.providerRoutes(pr)...)
	}
	return append(rs, []route{
		{get, "/api/v1/children", s.listChildren, policy{roles: officers, action: "child.list", resource: "child"}},
		{post, "/api/v1/children", s.createChild, policy{roles: officers, action: "child.create", resource: "child"}},
		{get, "/api/v1/children/:id", s.getChild, policy{roles: officers, action: "child.read", resource: "child"}},
		{patch, "/api/v1/children/:id", s.patchChild, policy{roles: officers, action: "child.update", resource: "child"}},
		{del, "/api/v1/children/:id", s.archiveChild, policy{roles: officers, action: "child.archive", resource: "child"}},
		{get, "/api/v1/children/:id/matches", s.matchChild, policy{roles: officers, action: "match.run", resource: "child"}},
		{get, "/api/v1/matches/:id", s.getMatch, policy{roles: officers, action: "match.read", resource: "match"}},
		{get, "/api/v1/matches/:id/excluded", s.matchExclusions, policy{roles: officers, action: "match.excluded.read", resource: "match"}},
		{post, "/api/v1/matches/:id/replay", s.replayMatch, policy{roles: officers, action: "match.replay", resource: "match"}},
		{post, "/api/v1/matches/:id/contacts", s.createContact, policy{roles: officers, action: "contact.create", resource: "match"}},
		{get, "/api/v1/matches/:id/decision", s.getDecision, policy{roles: officers, action: "decision.read", resource: "match"}},
		// A carer or provider reads and answers a contact about its own home (ownContact).
		{get, "/api/v1/contacts", s.listContacts, policy{roles: answerers, action: "contact.list", resource: "contact"}},
		{get, "/api/v1/contacts/:id", s.getContact, policy{roles: answerers, action: "contact.read", resource: "contact"}},
		{put, "/api/v1/contacts/:id/answer", s.answerContact, policy{roles: answerers, action: "contact.answer", resource: "contact"}},
		{post, "/api/v1/allocations", s.createAllocation, policy{roles: officers, action: "allocation.run", resource: "allocation"}},
		{get, "/api/v1/allocations/:id", s.getAllocation, policy{roles: officers, action: "allocation.read", resource: "allocation"}},

		{get, "/api/v1/placements", s.listPlacements, policy{roles: officers, action: "placement.list", resource: "placement"}},
		{post, "/api/v1/placements", s.createPlacement, policy{roles: officers, action: "placement.create", resource: "placement"}},
		{get, "/api/v1/placements/:id", s.getPlacement, policy{roles: officers, action: "placement.read", resource: "placement"}},
		{patch, "/api/v1/placements/:id", s.patchPlacement, policy{roles: officers, action: "placement.update", resource: "placement"}},
		{del, "/api/v1/placements/:id", s.archivePlacement, policy{roles: officers, action: "placement.archive", resource: "placement"}},

		// The sufficiency report is the commissioners' (aggregate counts only); the map
		// layer shows where carers' households are, so it is for commissioners and
		// placement officers, not for carers or providers. Both are exports: audited.
		{get, "/api/v1/reports/sufficiency", s.sufficiencyReport, policy{roles: commissioners, action: "report.sufficiency", resource: "report"}},
		{get, "/api/v1/reports/recommendations", s.recommendationsReport, policy{roles: commissioners, action: "report.recommendations", resource: "report"}},
		{get, "/api/v1/reports/providers.geojson", s.providersGeoJSON,
			policy{roles: []auth.Role{auth.Commissioner, auth.PlacementOfficer}, action: "report.providers_map", resource: "report"}},

		{get, "/api/v1/audit", s.listAudit, policy{roles: adminOnly}},

		{get, "/api/v1/jobs", s.listJobs, policy{roles: adminOnly}},
		{get, "/api/v1/jobs/:name/runs", s.listJobRuns, policy{roles: adminOnly}},
		{post, "/api/v1/jobs/:name/runs", s.createJobRun, policy{roles: adminOnly, action: "job.run", resource: "job"}},
		{get, "/api/v1/jobs/:name/runs/:id", s.getJobRun, policy{roles: adminOnly}},
		{get, "/api/v1/feeds", s.listFeeds, policy{roles: adminOnly}},
		{post, "/api/v1/feeds", s.createFeed, policy{roles: adminOnly, action: "feed.create", resource: "feed"}},
		{get, "/api/v1/feeds/:id", s.getFeed, policy{roles: adminOnly}},
		{patch, "/api/v1/feeds/:id", s.patchFeed, policy{roles: adminOnly, action: "feed.update", resource: "feed"}},
		{del, "/api/v1/feeds/:id", s.archiveFeed, policy{roles: adminOnly, action: "feed.archive", resource: "feed"}},
	}...)
}

// providerRoutes are one provider kind's routes. Officers and commissioners read
// every kind; a carer reads its own record and a provider its own units (the roles
// come from the resource; ownsProvider checks which record).
func (s *Server) providerRoutes(pr providerResource) []route {
	base := "/api/v1/" + pr.path
	return []route{
		{http.MethodGet, base, s.listProviders(pr), policy{roles: pr.listRoles}},
		{http.MethodPost, base, s.createProvider(pr), policy{roles: adminOnly}},
		{http.MethodGet, base + "/:id", s.getProvider(pr), policy{roles: pr.readRoles}},
		{http.MethodPatch, base + "/:id", s.patchProvider(pr), policy{roles: adminOnly}},
		{http.MethodDelete, base + "/:id", s.archiveProvider(pr), policy{roles: adminOnly}},
		{http.MethodPut, base + "/:id/availability", s.putAvailability(pr),
			policy{roles: pr.selfRoles, action: "availability.update", resource: string(pr.kind)}},
	}
}

// register adds one route behind its policy. A route must say who may call it: a
// policy neither public nor naming roles (adminOnly names none, but is not nil) is a
// programming error, refused when the router is built.
func (s *Server) register(r gin.IRoutes, rt route) {
	if rt.policy.public == (rt.policy.roles != nil) {
		panic("api: route " + rt.method + " " + rt.path + " needs a policy that is either public or names its roles")
	}
	r.Handle(rt.method, rt.path, s.authorize(rt.policy), rt.handle.serve)
}

// plain is a handler that cannot fail.
func plain(h gin.HandlerFunc) handler {
	return func(c *gin.Context) error {
		h(c)
		return nil
	}
}
